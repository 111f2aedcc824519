// @ts-check
/*
 * The trace page, part 3 of 3: the page itself.
 *
 * Reads the trace document from the page's `application/json` block (never
 * evaluated: `JSON.parse` of its text), then draws, for each loop:
 *
 * - one panel per run (two for `--profile both`, side by side): the circle
 *   of phases, what the current step means, and the step buttons;
 * - one timeline grid shared by the runs, a column per slot (`model.js`),
 *   so iteration N of both runs sits in the same column: per run a header
 *   row, a row per phase in the profile's order with its callback marks,
 *   poll notes and output, and a lane per handle.
 *
 * Every string from the trace reaches the page through `textContent` or a
 * text node; class names come only from fixed lists (`kindClass`). Keyboard:
 * → / ← step the active run, Home / End jump, Tab moves between the runs'
 * panels; hovering a mark shows the same details a step shows.
 */

/** Slots drawn per timeline at most; beyond that the page says what it left out. */
const MAX_SLOTS = 600;
/** Handle lanes drawn per run at most, likewise. */
const MAX_LANES = 60;

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className !== undefined && className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {TraceRecord} record */
function handleLabel(record) {
  return `${String(record.handleType)} #${String(record.handleId)}`;
}

/**
 * One sentence per kind of step, for the details box and the hover card.
 * @param {TraceRecord} record
 * @param {Map<number, Lane>} lanes
 * @returns {{title: string, text: string}}
 */
function describe(record, lanes) {
  switch (record.type) {
    case 'run-start':
      return {
        title: `run('${String(record.mode)}')`,
        text: record.alive
          ? 'run() starts. The loop is alive: an active referenced handle, a request, or pending or closing work keeps it so.'
          : 'run() starts, but the loop is not alive: nothing runs and run() returns false at once.',
      };
    case 'iteration':
      return {
        title: `iteration ${String(record.iteration)}`,
        text: `A new trip around the circle begins, with the loop's clock cached once for it.`,
      };
    case 'phase':
      return { title: phaseTitle(record), text: PHASE_TEXT[String(record.phase)] ?? '' };
    case 'poll-start':
      return { title: 'poll: the timeout', text: pollStartText(record) };
    case 'poll-end': {
      const count = Number(record.dispatched);
      return {
        title: 'poll: woke up',
        text:
          count === 0
            ? 'POLL returned with no completion: its timeout ran out (or nothing was waited for).'
            : `POLL returned with ${count} completion${count === 1 ? '' : 's'} and ran their callbacks.`,
      };
    }
    case 'callback': {
      const lane = lanes.get(Number(record.handleId));
      const name = lane !== undefined && lane.name !== '' ? ` (“${lane.name}”)` : '';
      return {
        title: `${String(record.kind)} callback`,
        text: `The ${String(record.kind)} callback of ${handleLabel(record)}${name} runs, in the ${String(record.phase)} phase.`,
      };
    }
    case 'output':
      return {
        title: record.stream === 'stderr' ? 'printed to stderr' : 'printed',
        text: String(record.text),
      };
    case 'run-end':
      return {
        title: `run() returns ${String(record.result)}`,
        text:
          record.reason === 'stopped'
            ? 'stop() was called (or a callback threw): the loop leaves at the next liveness test.'
            : record.reason === 'mode'
              ? 'ONCE and NOWAIT run a single iteration; the result says whether the loop is still alive.'
              : 'Nothing keeps the loop alive any more: no active referenced handle, no request.',
      };
    default:
      return { title: String(record.type), text: '' };
  }
}

/** @type {Record<string, string>} */
const PHASE_TEXT = {
  timers: 'TIMERS: every timer whose due time has come (by the cached clock) runs, earliest first.',
  pending: 'PENDING: I/O callbacks deferred from earlier, such as write completions.',
  idle: 'IDLE: every active idle watcher runs. While one is active, POLL does not block.',
  prepare: 'PREPARE: runs just before POLL waits.',
  poll: 'POLL: waits for I/O up to the computed timeout, then runs the I/O callbacks.',
  check: 'CHECK: runs just after POLL, in the same iteration.',
  closing: 'CLOSING: close callbacks, in reverse order of the close() calls.',
};

/** @param {TraceRecord} record */
function phaseTitle(record) {
  const detail =
    record.detail === 'start-of-run'
      ? ' (start of run: 1.52 fires due timers before the first iteration)'
      : record.detail === 'end-of-iteration'
        ? ' (end of iteration)'
        : record.detail === 'post-poll'
          ? ' (after POLL)'
          : '';
  return `${String(record.phase)}${detail}`;
}

/** @param {TraceRecord} record */
function pollStartText(record) {
  const timeout = Number(record.timeout);
  if (timeout === -1)
    return 'POLL may wait without limit: no timer is due, and something outside can wake the loop.';
  if (timeout === 0) {
    const reason =
      'POLL does not block (timeout 0): an idle watcher, pending work, a closing handle, stop(), a due timer, or nothing left to wait for.';
    return record.waits === false
      ? `${reason} Nothing outside can complete, so it does not even yield to Node.`
      : reason;
  }
  return `POLL waits at most ${timeout} ms: the earliest timer is due then.`;
}

/**
 * The short note a poll item shows: the timeout it chose, then why it woke.
 * @param {TraceRecord} record
 * @param {TraceRecord | undefined} start the poll-start before a poll-end
 */
function pollNote(record, start) {
  if (record.type === 'poll-start') {
    const timeout = Number(record.timeout);
    if (record.waits === false || timeout === 0) return 'no wait';
    return `wait ${timeout === -1 ? '∞' : `≤ ${timeout} ms`}`;
  }
  const count = Number(record.dispatched);
  if (count > 0) return `${count} event${count === 1 ? '' : 's'} run`;
  return start !== undefined && Number(start.timeout) !== 0 && start.waits !== false
    ? 'timed out'
    : 'nothing ready';
}

/**
 * A callback mark: the kind, and the handle with its name.
 * @param {TraceRecord} record
 * @param {Map<number, Lane>} lanes
 */
function callbackMark(record, lanes) {
  const mark = element('span', `cb-mark ${kindClass(record.kind)}`);
  mark.append(element('b', '', String(record.kind)));
  const lane = lanes.get(Number(record.handleId));
  const who =
    lane !== undefined && lane.name !== ''
      ? `${handleLabel(record)} “${lane.name}”`
      : handleLabel(record);
  mark.append(element('small', '', who));
  return mark;
}

/** @param {HandleState | null | undefined} state */
function laneClass(state) {
  if (state === null || state === undefined) return 'lane-none';
  if (state.closing) return 'lane-closing';
  if (!state.active) return 'lane-idle';
  return state.referenced ? 'lane-on' : 'lane-unref';
}

/** @param {HandleState | null | undefined} state */
function laneWords(state) {
  if (state === null || state === undefined) return 'not open';
  if (state.closing) return 'closing';
  if (!state.active) return 'open, not active';
  return state.referenced ? 'active, referenced' : 'active, unref’d';
}

/** @param {Slot} slot @param {TraceRecord | null} record */
function slotTitle(slot, record) {
  if (slot.kind === 'pre') return 'program';
  if (record === null) return '';
  if (slot.kind === 'start') return `run(${String(record.mode)})`;
  if (slot.kind === 'end') return `→ ${String(record.result)}`;
  return `iteration ${slot.iteration}`;
}

/**
 * One run as drawn: its panel (circle, details, buttons) and its cursor.
 * @typedef {{label: string, profile: string, timeline: Timeline, lanesById: Map<number, Lane>,
 *   panel: HTMLElement, stepElements: (HTMLElement | null)[], slotHeaders: Map<string, HTMLElement>, columns: string[],
 *   cursor: number, circle: ReturnType<typeof phaseCircle>, details: HTMLElement, counter: HTMLElement}} Side
 */

/** @type {Side[]} */
const sides = [];
let activeSide = 0;

/** @param {Side} side @param {number} target */
function moveTo(side, target) {
  const count = side.timeline.steps.length;
  if (count === 0) return;
  const next = Math.max(0, Math.min(count - 1, target));
  const before = side.stepElements[side.cursor];
  if (before) before.classList.remove('current');
  for (const header of side.slotHeaders.values()) header.classList.remove('current');
  side.cursor = next;
  const step = /** @type {Step} */ (side.timeline.steps[next]);
  const shown = side.stepElements[next];
  if (shown) {
    shown.classList.add('current');
    shown.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
  side.slotHeaders.get(step.slot)?.classList.add('current');
  const row = step.row === 'program' ? null : step.row;
  side.circle.highlight(
    row,
    row === null ? '' : ROW_TITLES[/** @type {keyof typeof ROW_TITLES} */ (row)],
  );
  showDetails(side.details, step.record, side.lanesById);
  side.counter.textContent = `step ${next + 1} of ${count}`;
}

/** @param {HTMLElement} box @param {TraceRecord} record @param {Map<number, Lane>} lanes */
function showDetails(box, record, lanes) {
  const { title, text } = describe(record, lanes);
  box.replaceChildren(element('h3', '', title), element('p', '', text));
}

/** A hover card that follows the pointer; the same text the details box shows for a step. */
const hoverCard = element('div', 'hover-card');
hoverCard.setAttribute('role', 'tooltip');
hoverCard.hidden = true;

/** @param {HTMLElement} target @param {() => {title: string, text: string}} content */
function hoverable(target, content) {
  target.addEventListener('mouseenter', () => {
    const { title, text } = content();
    hoverCard.replaceChildren(element('strong', '', title), element('span', '', text));
    const box = target.getBoundingClientRect();
    hoverCard.hidden = false;
    hoverCard.style.setProperty('left', `${Math.round(box.left + window.scrollX)}px`);
    hoverCard.style.setProperty('top', `${Math.round(box.bottom + window.scrollY + 6)}px`);
  });
  target.addEventListener('mouseleave', () => {
    hoverCard.hidden = true;
  });
}

/**
 * The panel of one run: its name, circle, details and buttons.
 * @param {Side} side
 * @param {number} index
 * @param {string} exitText
 */
function buildPanel(side, index, exitText) {
  const panel = side.panel;
  panel.tabIndex = 0;
  panel.setAttribute('aria-label', `${side.label}: press the arrow keys to step`);
  panel.append(element('h2', '', side.label));
  if (exitText !== '') panel.append(element('p', 'exit', exitText));
  panel.append(side.circle.element);
  side.details.setAttribute('aria-live', 'polite');
  panel.append(side.details);
  const controls = element('div', 'controls');
  const back = element('button', '', '◀ Back');
  const next = element('button', '', 'Next ▶');
  back.addEventListener('click', () => moveTo(side, side.cursor - 1));
  next.addEventListener('click', () => moveTo(side, side.cursor + 1));
  controls.append(back, side.counter, next);
  panel.append(controls);
  panel.addEventListener('focusin', () => selectSide(index));
  panel.addEventListener('click', () => selectSide(index));
}

/** @param {number} index */
function selectSide(index) {
  activeSide = index;
  sides.forEach((side, position) => side.panel.classList.toggle('active', position === index));
}

/**
 * Draws the timeline grid of one loop for every side.
 * @param {Side[]} loopSides
 * @returns {HTMLElement}
 */
function buildGrid(loopSides) {
  let slots = alignSlots(loopSides.map((side) => side.timeline.slots));
  const notice =
    slots.length > MAX_SLOTS ? `Showing the first ${MAX_SLOTS} of ${slots.length} columns.` : '';
  slots = slots.slice(0, MAX_SLOTS);
  const columns = slots.map((slot) => slot.key);
  for (const side of loopSides) side.columns = columns;
  const grid = element('div', 'grid');
  grid.style.setProperty('--columns', String(slots.length));
  if (notice !== '') grid.append(element('p', 'notice', notice));
  loopSides.forEach((side, sideIndex) => {
    const { timeline } = side;
    /** @type {Map<string, Slot>} */
    const ownSlots = new Map(timeline.slots.map((slot) => [slot.key, slot]));
    const steps = timeline.steps;
    side.stepElements = steps.map(() => null);
    // Header row: the run's name, then one header per slot.
    grid.append(element('div', `row-label side-label side-${sideIndex}`, side.label));
    for (const slot of slots) {
      const own = ownSlots.get(slot.key);
      const header = element(
        'div',
        `slot-header kind-${slot.kind}`,
        own ? slotTitle(slot, own.record) : '',
      );
      if (own?.record?.type === 'iteration')
        header.append(
          element('small', '', `clock +${Number(own.record.now) - timeline.origin} ms`),
        );
      if (own?.record?.type === 'run-end')
        header.append(element('small', '', String(own.record.reason)));
      side.slotHeaders.set(slot.key, header);
      grid.append(header);
    }
    steps.forEach((step, index) => {
      if (step.item < 0 && step.record.type !== 'phase')
        side.stepElements[index] = side.slotHeaders.get(step.slot) ?? null;
    });
    // One row per phase, in the profile's order.
    /** @type {Map<string, HTMLElement>} */
    const cellsByKey = new Map();
    for (const row of timeline.rows) {
      const label = element(
        'div',
        `row-label phase-label`,
        ROW_TITLES[/** @type {keyof typeof ROW_TITLES} */ (row)],
      );
      label.dataset.row = row;
      label.dataset.side = String(sideIndex);
      grid.append(label);
      for (const slot of slots) {
        const key = `${slot.key}|${row}`;
        const cell = element('div', timeline.ran.has(key) ? 'cell ran' : 'cell');
        for (const item of timeline.cells.get(key) ?? []) {
          const shown = drawItem(item, side.lanesById);
          hoverable(shown, () => describe(item.record, side.lanesById));
          shown.addEventListener('click', () => {
            selectSide(sides.indexOf(side));
            moveTo(side, item.step);
          });
          side.stepElements[item.step] = shown;
          cell.append(shown);
        }
        cellsByKey.set(key, cell);
        grid.append(cell);
      }
    }
    steps.forEach((step, index) => {
      if (step.record.type === 'phase' && step.item < 0)
        side.stepElements[index] = cellsByKey.get(`${step.slot}|${step.row}`) ?? null;
    });
    // One lane per handle.
    if (timeline.lanes.length > MAX_LANES) {
      grid.append(
        element(
          'div',
          'row-label lane-label',
          `${timeline.lanes.length - MAX_LANES} more handles not drawn`,
        ),
      );
      for (let index = 0; index < slots.length; index++) grid.append(element('div', 'lane'));
    }
    for (const lane of timeline.lanes.slice(0, MAX_LANES)) {
      const name =
        lane.name === '' ? `${lane.type} #${lane.id}` : `${lane.type} #${lane.id} “${lane.name}”`;
      grid.append(element('div', 'row-label lane-label', name));
      const segments = laneSegments(lane, slots, timeline.rows);
      for (const slot of slots) {
        const cell = element('div', 'lane');
        const rows =
          slot.kind === 'iter'
            ? timeline.rows
            : ['program', ...timeline.rows.filter((r) => r.startsWith('timers'))];
        for (const row of rows) {
          const key = `${slot.key}|${row}`;
          const state = segments.get(key);
          const segment = element('span', `segment ${laneClass(state)}`);
          const calls = lane.calls.get(key) ?? 0;
          if (calls > 0) segment.append(element('i', 'lane-call'));
          hoverable(segment, () => ({
            title: name,
            text: `${laneWords(state)} at the end of ${ROW_TITLES[/** @type {keyof typeof ROW_TITLES} */ (row)]}${calls > 0 ? `; its callback ran ${calls} time${calls === 1 ? '' : 's'} here` : ''}.`,
          }));
          cell.append(segment);
        }
        grid.append(cell);
      }
    }
  });
  return grid;
}

/**
 * @param {Item} item
 * @param {Map<number, Lane>} lanes
 * @returns {HTMLElement}
 */
function drawItem(item, lanes) {
  const { record } = item;
  switch (item.kind) {
    case 'callback':
      return callbackMark(record, lanes);
    case 'output': {
      const text = String(record.text).replace(/\n$/, '');
      return element('span', record.stream === 'stderr' ? 'output stderr' : 'output', `“${text}”`);
    }
    case 'subhead':
      return element('span', 'subhead', 'pending, after poll');
    default:
      return element('span', 'poll-note', pollNote(record, item.context));
  }
}

/**
 * Draws a document of traced runs.
 * @param {HTMLElement} root
 * @param {any} trace
 */
function drawEventRuns(root, trace) {
  const runs = /** @type {any[]} */ (trace.runs);
  /** @type {Set<number>} */
  const loopNumbers = new Set();
  for (const run of runs) for (const loop of run.loops ?? []) loopNumbers.add(Number(loop.loop));
  if (loopNumbers.size === 0) loopNumbers.add(1);
  for (const loopNumber of [...loopNumbers].sort((a, b) => a - b)) {
    const section = element('section', 'loop');
    if (loopNumbers.size > 1) section.append(element('h2', 'loop-title', `Loop ${loopNumber}`));
    const panels = element('div', 'panels');
    /** @type {Side[]} */
    const loopSides = [];
    for (const run of runs) {
      const info = (run.loops ?? []).find(
        (/** @type {any} */ loop) => Number(loop.loop) === loopNumber,
      );
      const profile = String(info?.profile ?? run.profile ?? '1.52');
      const records = /** @type {TraceRecord[]} */ (run.events ?? []).filter(
        (record) => record.loop === loopNumber || (record.loop === 0 && loopNumber === 1),
      );
      const timeline = buildTimeline(records, profile);
      /** @type {Side} */
      const side = {
        label: `${String(run.label)}${loopNumbers.size > 1 ? `, loop ${loopNumber}` : ''}`,
        profile,
        timeline,
        lanesById: new Map(timeline.lanes.map((lane) => [lane.id, lane])),
        panel: element('section', 'panel'),
        stepElements: [],
        slotHeaders: new Map(),
        cursor: -1,
        columns: [],
        circle: phaseCircle(timeline.rows),
        details: element('div', 'details'),
        counter: element('span', 'counter'),
      };
      const exit = run.exit ?? {};
      const exitText = exit.signal
        ? `ended by ${String(exit.signal)}`
        : exit.code === 0 || exit.code === undefined
          ? ''
          : `exit code ${String(exit.code)}`;
      sides.push(side);
      loopSides.push(side);
      buildPanel(side, sides.length - 1, `${exitText}${run.truncated ? ' (trace truncated)' : ''}`);
      panels.append(side.panel);
    }
    const scroll = element('div', 'grid-scroll');
    scroll.append(buildGrid(loopSides));
    section.append(panels, scroll);
    root.append(section);
    for (const side of loopSides) moveTo(side, 0);
  }
}

/**
 * Draws conformance traces (text lines) side by side, aligned so that equal
 * lines share a row, and marks where they part ways.
 * @param {HTMLElement} root
 * @param {any} trace
 */
function drawLineRuns(root, trace) {
  const runs = /** @type {any[]} */ (trace.runs);
  const columns = runs.map((run) => /** @type {string[]} */ ((run.lines ?? []).map(String)));
  /** @type {number[][]} */
  let rows = [];
  if (columns.length === 2) {
    rows = alignLines(/** @type {string[]} */ (columns[0]), /** @type {string[]} */ (columns[1]));
  } else {
    const longest = Math.max(0, ...columns.map((lines) => lines.length));
    for (let index = 0; index < longest; index++)
      rows.push(columns.map((lines) => (index < lines.length ? index : -1)));
  }
  const firstDifference = rows.findIndex((pair) =>
    pair.some(
      (index, column) => index < 0 || columns[column]?.[index] !== columns[0]?.[pair[0] ?? -1],
    ),
  );
  const summary =
    columns.length < 2
      ? `${columns[0]?.length ?? 0} lines.`
      : firstDifference < 0
        ? 'The traces agree line for line.'
        : `The traces part ways at row ${firstDifference + 1} (marked ≠).`;
  root.append(element('p', 'summary', summary));
  const table = element('div', 'lines');
  table.style.setProperty('--columns', String(columns.length));
  table.tabIndex = 0;
  table.setAttribute('aria-label', 'Trace lines: press the arrow keys to step');
  table.append(element('div', 'line-no', ''));
  for (const run of runs) table.append(element('div', 'line-head', `${String(run.label)}`));
  /** @type {HTMLElement[][]} */
  const rowElements = [];
  rows.forEach((pair, rowIndex) => {
    const texts = pair.map((index, column) =>
      index < 0 ? null : (columns[column]?.[index] ?? null),
    );
    const differs = texts.some((text) => text !== texts[0]);
    table.append(element('div', 'line-no', differs ? `≠ ${rowIndex + 1}` : String(rowIndex + 1)));
    /** @type {HTMLElement[]} */
    const cells = [];
    for (const text of texts) {
      const cell = element('div', `line${differs ? ' differs' : ''}`);
      if (text !== null) {
        if (isCallbackLine(text))
          cell.append(
            element(
              'span',
              `cb-mark ${text.startsWith('close ') ? 'kind-close' : 'kind-io'}`,
              text,
            ),
          );
        else
          cell.append(element('span', text.startsWith('run ') ? 'run-line' : 'plain-line', text));
      }
      cells.push(cell);
      table.append(cell);
    }
    rowElements.push(cells);
  });
  root.append(table);
  let cursor = -1;
  /** @param {number} target */
  const move = (target) => {
    if (rowElements.length === 0) return;
    for (const cell of rowElements[cursor] ?? []) cell.classList.remove('current');
    cursor = Math.max(0, Math.min(rowElements.length - 1, target));
    const cells = /** @type {HTMLElement[]} */ (rowElements[cursor]);
    for (const cell of cells) cell.classList.add('current');
    cells[0]?.scrollIntoView({ block: 'nearest' });
  };
  table.addEventListener('keydown', (event) => {
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (step !== undefined) move(cursor + step);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(rowElements.length - 1);
    else return;
    event.preventDefault();
  });
  move(0);
}

/**
 * Moves every run of the active run's loop to the first step of the next
 * (or previous) column: both versions jump to the same iteration together.
 * @param {Side} active
 * @param {number} direction 1 or -1
 */
function moveColumn(active, direction) {
  const step = active.timeline.steps[active.cursor];
  if (step === undefined) return;
  let column = active.columns.indexOf(step.slot);
  // Backwards from the middle of a column, go to its start first.
  const first = active.timeline.steps.findIndex((candidate) => candidate.slot === step.slot);
  if (!(direction < 0 && first < active.cursor)) column += direction;
  for (; column >= 0 && column < active.columns.length; column += direction) {
    const key = active.columns[column];
    const targets = sides
      .filter((side) => side.columns === active.columns)
      .map((side) => ({
        side,
        index: side.timeline.steps.findIndex((candidate) => candidate.slot === key),
      }));
    if (targets.every((target) => target.index < 0)) continue;
    for (const target of targets) if (target.index >= 0) moveTo(target.side, target.index);
    return;
  }
}

/** @param {KeyboardEvent} event */
function onKey(event) {
  const side = sides[activeSide];
  if (side === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = /** @type {HTMLElement | null} */ (event.target);
  if (target !== null && target.closest('.lines') !== null) return;
  if (event.key === 'ArrowRight') moveTo(side, side.cursor + 1);
  else if (event.key === 'ArrowLeft') moveTo(side, side.cursor - 1);
  else if (event.key === 'Home') moveTo(side, 0);
  else if (event.key === 'End') moveTo(side, side.timeline.steps.length - 1);
  else if (event.key === 'PageDown') moveColumn(side, 1);
  else if (event.key === 'PageUp') moveColumn(side, -1);
  else return;
  event.preventDefault();
}

function main() {
  const root = /** @type {HTMLElement} */ (document.getElementById('viewer'));
  const source = document.getElementById('uvts-trace-data');
  /** @type {any} */
  let trace;
  try {
    trace = JSON.parse(source?.textContent ?? '');
  } catch (error) {
    root.append(element('p', 'error', `This page holds no readable trace: ${String(error)}`));
    return;
  }
  const runs = Array.isArray(trace?.runs) ? trace.runs : [];
  const title = `uvts-trace: ${String(trace?.program ?? '')}`;
  document.title = title;
  const header = element('header');
  header.append(element('h1', '', title));
  const args =
    Array.isArray(trace?.args) && trace.args.length > 0
      ? ` ${trace.args.map(String).join(' ')}`
      : '';
  header.append(
    element(
      'p',
      'meta',
      `${args === '' ? '' : `arguments:${args} · `}${runs.map((/** @type {any} */ run) => String(run.label)).join(' beside ')} · uvts ${String(trace?.uvts ?? '?')}`,
    ),
  );
  root.append(header);
  if (runs.length > 0 && runs.every((/** @type {any} */ run) => run?.kind === 'lines'))
    drawLineRuns(root, trace);
  else
    drawEventRuns(root, {
      ...trace,
      runs: runs.filter((/** @type {any} */ run) => run?.kind === 'events'),
    });
  root.append(legend());
  document.body.append(hoverCard);
  document.addEventListener('keydown', onKey);
  const panelsHeight = () => {
    const panels = document.querySelector('.panels');
    const height = panels === null ? 0 : panels.getBoundingClientRect().height;
    document.documentElement.style.setProperty('--panels-height', `${Math.ceil(height)}px`);
  };
  panelsHeight();
  window.addEventListener('resize', panelsHeight);
  selectSide(0);
}

main();
