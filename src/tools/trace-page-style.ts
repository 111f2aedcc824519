/**
 * The trace page's style sheet, inlined into every page.
 *
 * Made for a projector: a light background (dark themes wash out on a wall
 * in a lit room), 20 px text, dark text on saturated fills, a thick focus
 * ring, and lanes that differ by pattern as well as colour.
 *
 * @module
 */

/** The CSS of the trace page. */
export const TRACE_PAGE_STYLE = `
:root {
  --ink: #111;
  --muted: #444;
  --line: #c8c8c8;
  --ran: #eef1f5;
  --focus: #d62828;
  --on: #1d4ed8;
  font: 20px/1.35 system-ui, 'DejaVu Sans', sans-serif;
  color: var(--ink);
  background: #fff;
}
body { margin: 0; padding: 0.8rem 1.2rem 2rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.2rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 0 0 0.3rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.2rem; }
p { margin: 0.2rem 0; }
.meta, .exit { color: var(--muted); }
.exit { font-weight: 600; color: #9b1c1c; }
:focus-visible, .panel.active:focus-within, .panel.active:focus {
  outline: 4px solid var(--focus);
  outline-offset: 3px;
}
.panels {
  display: flex;
  flex-wrap: wrap;
  gap: 1rem;
  padding: 0.5rem 0;
  position: sticky;
  top: 0;
  z-index: 3;
  background: #fff;
  border-bottom: 2px solid var(--line);
}
/* The panels stay on screen while the timeline scrolls under them; a
   stepped item is scrolled into view below them (--panels-height is set by
   the script). */
.grid * { scroll-margin-top: calc(var(--panels-height, 0px) + 0.5rem); }
.panel {
  flex: 1 1 26rem;
  min-width: 0;
  background: #fff;
  display: grid;
  grid-template-columns: 17rem 1fr;
  grid-template-areas: 'title title' 'exit exit' 'circle details' 'circle controls';
  gap: 0.2rem 1rem;
  align-items: start;
  border: 2px solid var(--line);
  border-radius: 0.6rem;
  padding: 0.6rem 0.8rem;
}
.panel.active { border-color: var(--ink); }
.panel > h2 { grid-area: title; }
.panel > .exit { grid-area: exit; }
.panel > .circle { grid-area: circle; width: 17rem; height: 17rem; }
.panel > .details { grid-area: details; min-height: 6.5rem; }
.panel > .controls { grid-area: controls; display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; }
button {
  font: inherit;
  font-weight: 600;
  padding: 0.3rem 0.9rem;
  border: 2px solid var(--ink);
  border-radius: 0.4rem;
  background: #fff;
  color: var(--ink);
  cursor: pointer;
  white-space: nowrap;
}
button:hover { background: #f0f0f0; }
.counter { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.circle .arc { fill: none; stroke: #666; stroke-width: 3; }
.circle .arrow-head { fill: #666; }
.circle .node rect { fill: #f4f4f4; stroke: #333; stroke-width: 2; }
.circle .node text { font-size: 25px; fill: var(--ink); }
.circle .node.current rect { fill: var(--focus); stroke: var(--focus); }
.circle .node.current text { fill: #fff; font-weight: 700; }
.circle .caption { font-size: 32px; font-weight: 700; fill: var(--focus); }
.grid-scroll { overflow-x: auto; margin: 0.6rem 0 1rem; padding-bottom: 0.4rem; }
.grid {
  display: grid;
  grid-template-columns: max-content repeat(var(--columns), minmax(6.5rem, max-content));
  width: max-content;
}
.grid > .notice { grid-column: 1 / -1; color: #9b1c1c; }
.row-label {
  position: sticky;
  left: 0;
  z-index: 1;
  background: #fff;
  padding: 0.15rem 0.6rem 0.15rem 0;
  border-right: 2px solid var(--ink);
  white-space: nowrap;
}
.side-label { font-weight: 700; padding-top: 0.8rem; border-bottom: 2px solid var(--ink); }
.phase-label { font-weight: 600; }
.lane-label { font-size: 0.85rem; color: var(--muted); }
.slot-header {
  padding: 0.8rem 0.4rem 0.15rem;
  font-weight: 700;
  border-bottom: 2px solid var(--ink);
  border-left: 1px solid var(--line);
  white-space: nowrap;
}
.slot-header small { display: block; font-weight: 400; color: var(--muted); font-size: 0.8rem; }
.slot-header.current { background: var(--ink); color: #fff; }
.slot-header.current small { color: #ddd; }
.cell {
  display: flex;
  flex-direction: column;
  align-items: flex-start;
  gap: 0.2rem;
  padding: 0.2rem 0.35rem;
  min-height: 1.6rem;
  max-width: 15rem;
  border-left: 1px solid var(--line);
  border-bottom: 1px solid #e6e6e6;
}
.cell.ran { background: var(--ran); }
.cell.current { box-shadow: inset 0 0 0 4px var(--focus); }
.cb-mark, .mark {
  display: inline-flex;
  flex-direction: column;
  line-height: 1.15;
  padding: 0.12rem 0.45rem;
  border: 2px solid #333;
  border-radius: 0.35rem;
  cursor: pointer;
}
.cb-mark small { font-size: 0.75rem; }
.kind-timer { background: #ffd166; }
.kind-idle { background: #b7e4c7; }
.kind-prepare { background: #d8c8ff; }
.kind-check { background: #9fe3f2; }
.kind-async, .kind-signal { background: #ffb3cf; }
.kind-io { background: #ffbd8f; }
.kind-close { background: #dedede; border-style: dashed; }
.current.cb-mark, .current.output, .current.poll-note, .current.subhead {
  outline: 4px solid var(--focus);
  outline-offset: 2px;
}
.output {
  overflow-wrap: anywhere;
  font-family: 'DejaVu Sans Mono', ui-monospace, monospace;
  font-size: 0.9rem;
  color: #0b3d91;
  white-space: pre-wrap;
  cursor: pointer;
}
.output.stderr { color: #9b1c1c; }
.poll-note { font-family: 'DejaVu Sans Mono', ui-monospace, monospace; font-size: 0.85rem; cursor: pointer; }
.subhead { font-size: 0.8rem; font-style: italic; color: var(--muted); cursor: pointer; }
.lane { display: flex; align-items: center; padding: 0 0.35rem; border-left: 1px solid var(--line); }
.segment { position: relative; flex: 1 1 0; min-width: 0.5rem; height: 0.8rem; }
.lane-on, .swatch.lane-on { background: var(--on); }
.lane-unref, .swatch.lane-unref {
  background: repeating-linear-gradient(135deg, var(--on) 0 4px, #fff 4px 8px);
  box-shadow: inset 0 0 0 1px var(--on);
}
.lane-idle, .swatch.lane-idle { background: linear-gradient(#fff 40%, #777 40% 60%, #fff 60%); }
.lane-closing, .swatch.lane-closing { background: repeating-linear-gradient(45deg, #c81e1e 0 4px, #fff 4px 8px); }
.lane-call {
  position: absolute;
  left: 50%;
  top: 50%;
  width: 0.55rem;
  height: 0.55rem;
  background: #000;
  border: 2px solid #fff;
  transform: translate(-50%, -50%) rotate(45deg);
}
.hover-card {
  position: absolute;
  z-index: 5;
  max-width: 26rem;
  padding: 0.4rem 0.6rem;
  background: #111;
  color: #fff;
  border-radius: 0.4rem;
  font-size: 0.9rem;
  pointer-events: none;
}
.hover-card strong { display: block; }
.legend { border-top: 2px solid var(--line); padding-top: 0.4rem; }
.legend ul { display: flex; flex-wrap: wrap; gap: 0.4rem 1.4rem; list-style: none; padding: 0; margin: 0.3rem 0; }
.legend li { display: flex; align-items: center; gap: 0.2rem; }
.legend .mark { cursor: default; font-weight: 700; font-size: 0.85rem; }
.swatch { display: inline-block; width: 2.2rem; height: 0.8rem; }
.keys { color: var(--muted); }
.summary { font-weight: 700; margin: 0.6rem 0; }
.lines {
  display: grid;
  grid-template-columns: 4rem repeat(var(--columns), minmax(12rem, 1fr));
  font-family: 'DejaVu Sans Mono', ui-monospace, monospace;
  font-size: 0.95rem;
  margin-bottom: 1rem;
}
.line-head { font-family: system-ui, 'DejaVu Sans', sans-serif; font-weight: 700; border-bottom: 2px solid var(--ink); padding: 0.2rem 0.4rem; }
.line-no { color: var(--muted); text-align: right; padding: 0.1rem 0.5rem; }
.line { padding: 0.1rem 0.4rem; border-left: 1px solid var(--line); white-space: pre-wrap; overflow-wrap: anywhere; }
.line.differs { background: #ffe3e3; }
.line.current { box-shadow: inset 0 0 0 3px var(--focus); }
.line .cb-mark { display: inline-block; padding: 0 0.3rem; }
.run-line { font-weight: 700; }
.error { color: #9b1c1c; font-weight: 700; }
/* A projector's 720 or 768 lines: smaller circles keep the timeline in view. */
@media (max-height: 900px) {
  .panel { grid-template-columns: 13rem 1fr; padding: 0.3rem 0.6rem; }
  .panel > .circle { width: 13rem; height: 13rem; }
  .panel > .details { min-height: 4rem; font-size: 0.9rem; }
  .panel > h2 { margin: 0; font-size: 1.1rem; }
  .panel button { font-size: 0.9rem; padding: 0.2rem 0.6rem; }
}
`;
