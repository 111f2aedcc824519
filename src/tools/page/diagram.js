// @ts-check
/*
 * The trace page, part 2 of 3: the circle of phases and the legend.
 *
 * The circle is the picture every talk about an event loop starts from:
 * the phases of one iteration around a ring, in the order the loop's profile
 * runs them (so 1.44 starts at timers and 1.52 ends with them), and the
 * phase the stepped event belongs to highlighted. Built as SVG with
 * `createElementNS` and text nodes only.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * @param {string} name
 * @param {Record<string, string | number>} attributes
 * @returns {SVGElement}
 */
function svgElement(name, attributes) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, name));
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** The callback kinds that get a colour of their own; others share `io`. */
const KIND_CLASSES = ['timer', 'idle', 'prepare', 'check', 'async', 'close', 'signal'];

/**
 * The class of a callback mark. Kinds come from the trace (someone else's
 * data), so only known names become class names.
 * @param {unknown} kind
 */
function kindClass(kind) {
  return KIND_CLASSES.includes(String(kind)) ? `kind-${String(kind)}` : 'kind-io';
}

/**
 * Draws the circle of phases for one profile.
 * @param {string[]} rows the timeline rows (the phases in profile order, after `program`)
 * @returns {{element: SVGElement, highlight: (row: string | null, caption: string) => void}}
 */
function phaseCircle(rows) {
  const phases = rows.filter((row) => row !== 'program');
  const size = 400;
  const centre = size / 2;
  // Eight nodes (1.44 with ONCE's second timers pass) need a wider ring.
  const radius = phases.length > 7 ? 150 : 138;
  const nodeWidth = phases.length > 7 ? 112 : 124;
  const svg = svgElement('svg', {
    viewBox: `0 0 ${size} ${size}`,
    class: 'circle',
    role: 'img',
    'aria-label': `The loop's phases in order: ${phases.map((p) => ROW_TITLES[/** @type {keyof typeof ROW_TITLES} */ (p)]).join(', ')}`,
  });
  const defs = svgElement('defs', {});
  const marker = svgElement('marker', {
    id: `arrow-${Math.random().toString(36).slice(2)}`,
    viewBox: '0 0 10 10',
    refX: 8,
    refY: 5,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto-start-reverse',
  });
  marker.append(svgElement('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
  defs.append(marker);
  svg.append(defs);

  const angle = (/** @type {number} */ index) =>
    -Math.PI / 2 + (2 * Math.PI * index) / phases.length;
  const gap = 0.36;
  for (let index = 0; index < phases.length; index++) {
    const from = angle(index) + gap;
    const to = angle(index + 1) - gap;
    const x1 = centre + radius * Math.cos(from);
    const y1 = centre + radius * Math.sin(from);
    const x2 = centre + radius * Math.cos(to);
    const y2 = centre + radius * Math.sin(to);
    svg.append(
      svgElement('path', {
        d: `M ${x1.toFixed(1)} ${y1.toFixed(1)} A ${radius} ${radius} 0 0 1 ${x2.toFixed(1)} ${y2.toFixed(1)}`,
        class: 'arc',
        'marker-end': `url(#${marker.id})`,
      }),
    );
  }
  /** @type {Map<string, SVGElement>} */
  const nodes = new Map();
  phases.forEach((phase, index) => {
    const x = centre + radius * Math.cos(angle(index));
    const y = centre + radius * Math.sin(angle(index));
    const group = svgElement('g', { class: 'node', 'data-phase': phase });
    group.append(
      svgElement('rect', { x: x - nodeWidth / 2, y: y - 23, width: nodeWidth, height: 46, rx: 23 }),
    );
    const label = svgElement('text', { x, y: y + 9, 'text-anchor': 'middle' });
    label.textContent =
      phase === 'timers-end'
        ? 'timers 2'
        : ROW_TITLES[/** @type {keyof typeof ROW_TITLES} */ (phase)];
    group.append(label);
    svg.append(group);
    nodes.set(phase, group);
  });
  const caption = svgElement('text', {
    x: centre,
    y: centre + 11,
    'text-anchor': 'middle',
    class: 'caption',
  });
  svg.append(caption);

  return {
    element: svg,
    highlight(row, text) {
      for (const [phase, node] of nodes) node.classList.toggle('current', phase === row);
      caption.textContent = text;
    },
  };
}

/**
 * The legend: what the marks, the poll notes and the lanes mean.
 * @returns {HTMLElement}
 */
function legend() {
  const section = document.createElement('section');
  section.className = 'legend';
  section.setAttribute('aria-label', 'Legend');
  const title = document.createElement('h2');
  title.textContent = 'Legend';
  section.append(title);
  const list = document.createElement('ul');
  /** @param {string} className @param {string} text @param {string} [sample] */
  const entry = (className, text, sample = '') => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = className;
    swatch.textContent = sample;
    item.append(swatch, document.createTextNode(` ${text}`));
    list.append(item);
  };
  entry('mark kind-timer', 'timer callback', 'timer');
  entry('mark kind-idle', 'idle / prepare / check', 'idle');
  entry('mark kind-async', 'async / signal', 'async');
  entry('mark kind-io', 'I/O: read, write, connect…', 'write');
  entry('mark kind-close', 'close callback', 'close');
  entry('output', 'what the program printed', '“hi”');
  entry('poll-note', 'POLL: how long it may wait, how it ended', 'wait ≤ 10 ms');
  entry('swatch lane-on', 'handle active and referenced (keeps the loop alive)');
  entry('swatch lane-unref', 'handle active but unref’d');
  entry('swatch lane-idle', 'handle open, not active');
  entry('swatch lane-closing', 'handle closing');
  section.append(list);
  const keys = document.createElement('p');
  keys.className = 'keys';
  keys.textContent =
    'Keys: → / ← step forward / back; PageDown / PageUp move every run to the next / previous column together; Home / End: first / last step; Tab moves between the runs and the buttons.';
  section.append(keys);
  return section;
}
