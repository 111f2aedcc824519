// @ts-check
/*
 * The trace page, part 1 of 3: from a trace document to a timeline model.
 *
 * The page of `uvts-trace` (`src/tools/trace-page.ts` assembles it) is one
 * self-contained HTML file; its script is this file, `diagram.js` and
 * `viewer.js`, concatenated in that order inside one function. This part
 * touches no DOM: it turns one run's records (docs/tracing.md, "The events";
 * `src/tools/trace-document.ts`) into
 *
 * - **slots**: the columns of the timeline. Each `run()` call gives a
 *   `start` slot (its start, and in profile 1.52 the timers pass before the
 *   first iteration), one slot per iteration and an `end` slot (what `run()`
 *   returned, and what the program printed before the next `run()`); output
 *   printed before the first `run()` goes to a `pre` slot. Slots of two runs
 *   of one program are aligned by their keys (`r1:i3` is iteration 3 of the
 *   first `run()` call), which is how `--profile both` lines up iterations.
 * - **rows**: the phases in the order the loop's profile runs them, plus a
 *   `program` row for what happens outside the phases.
 * - **cells**: the items (callbacks, poll waits, output) of one slot and row.
 * - **steps**: every record but the handle records, in order, each pointing
 *   to where it is drawn, for stepping through the trace.
 * - **lanes**: one per handle, its state (active, referenced, closing) at the
 *   end of every phase, from the recorder's handle records.
 */

/** @typedef {{type: string, loop?: number, [key: string]: unknown}} TraceRecord */
/** @typedef {{key: string, kind: 'pre'|'start'|'iter'|'end', run: number, iteration: number, record: TraceRecord | null}} Slot */
/** @typedef {{kind: 'callback'|'output'|'poll-start'|'poll-end'|'subhead', record: TraceRecord, step: number, context?: TraceRecord}} Item */
/** @typedef {{record: TraceRecord, slot: string, row: string, item: number}} Step */
/** @typedef {{active: boolean, referenced: boolean, closing: boolean, closed: boolean}} HandleState */
/** @typedef {{id: number, type: string, name: string, states: Map<string, HandleState>, calls: Map<string, number>}} Lane */
/** @typedef {{rows: string[], slots: Slot[], cells: Map<string, Item[]>, ran: Set<string>, steps: Step[], lanes: Lane[], callbacks: number, origin: number}} Timeline */

/**
 * How each profile lays out an iteration (docs/tracing.md): its rows, in
 * the order the iteration runs the phases, and whether a second timers
 * pass can end an iteration (libuv 1.44 runs due timers again after CHECK
 * and the close callbacks in a ONCE or NOWAIT run; 1.52 does not). This is
 * the page's copy of the two rows of the profile table that decide the
 * picture: the page runs in a browser and cannot import the loop's code.
 * @type {Record<string, {rows: string[], timersPassAtEnd: boolean}>}
 */
const PROFILE_LAYOUT = {
  1.44: {
    rows: ['program', 'timers', 'pending', 'idle', 'prepare', 'poll', 'check', 'closing'],
    timersPassAtEnd: true,
  },
  1.52: {
    rows: ['program', 'pending', 'idle', 'prepare', 'poll', 'check', 'closing', 'timers'],
    timersPassAtEnd: false,
  },
};

/**
 * The layout of a profile; a trace without a known profile is drawn as the
 * default profile's.
 * @param {string} profile
 * @returns {{rows: string[], timersPassAtEnd: boolean}}
 */
function layoutOf(profile) {
  return Object.prototype.hasOwnProperty.call(PROFILE_LAYOUT, profile)
    ? PROFILE_LAYOUT[profile]
    : PROFILE_LAYOUT['1.52'];
}

/** What each row is called on the page. */
const ROW_TITLES = {
  program: 'program',
  timers: 'timers',
  'timers-end': 'timers (end)',
  pending: 'pending',
  idle: 'idle',
  prepare: 'prepare',
  poll: 'poll',
  check: 'check',
  closing: 'closing',
};

/**
 * The rows of a profile; 1.44's second timers pass of a ONCE run gets its
 * own last row, only when the trace has one.
 * @param {string} profile
 * @param {readonly TraceRecord[]} records
 * @returns {string[]}
 */
function rowsFor(profile, records) {
  const layout = layoutOf(profile);
  const rows = layout.rows.slice();
  const endPass =
    layout.timersPassAtEnd &&
    records.some((record) => record.type === 'phase' && record.detail === 'end-of-iteration');
  if (endPass) rows.push('timers-end');
  return rows;
}

/**
 * The row a phase event is drawn in. The pending batches after POLL belong
 * to POLL's step of the iteration (libuv runs them before CHECK), so they are
 * drawn in the poll row under a heading of their own.
 * @param {string} profile
 * @param {TraceRecord} record
 * @returns {string}
 */
function rowOfPhase(profile, record) {
  const phase = String(record.phase);
  if (record.detail === 'post-poll') return 'poll';
  if (
    phase === 'timers' &&
    record.detail === 'end-of-iteration' &&
    layoutOf(profile).timersPassAtEnd
  )
    return 'timers-end';
  return Object.prototype.hasOwnProperty.call(ROW_TITLES, phase) ? phase : 'program';
}

/** @param {Slot} slot */
function slotOrder(slot) {
  const kind = { pre: 0, start: 1, iter: 2, end: 3 }[slot.kind];
  return [slot.run, kind, slot.iteration];
}

/**
 * Orders slot keys from several runs into one aligned list.
 * @param {Slot[][]} lists
 * @returns {Slot[]}
 */
function alignSlots(lists) {
  /** @type {Map<string, Slot>} */
  const byKey = new Map();
  for (const list of lists)
    for (const slot of list) if (!byKey.has(slot.key)) byKey.set(slot.key, slot);
  return [...byKey.values()].sort((a, b) => {
    const x = slotOrder(a);
    const y = slotOrder(b);
    for (let index = 0; index < x.length; index++) {
      const difference = /** @type {number} */ (x[index]) - /** @type {number} */ (y[index]);
      if (difference !== 0) return difference;
    }
    return 0;
  });
}

/**
 * Builds the timeline of one loop of one run.
 * @param {readonly TraceRecord[]} records the run's records of this loop, in order
 * @param {string} profile
 * @returns {Timeline}
 */
function buildTimeline(records, profile) {
  const rows = rowsFor(profile, records);
  /** @type {Slot[]} */
  const slots = [];
  /** @type {Map<string, Item[]>} */
  const cells = new Map();
  /** @type {Set<string>} */
  const ran = new Set();
  /** @type {Step[]} */
  const steps = [];
  /** @type {Map<number, Lane>} */
  const lanes = new Map();
  let runs = 0;
  let callbacks = 0;
  /** @type {Slot | null} */
  let slot = null;
  let row = 'program';

  /** @param {Slot['kind']} kind @param {number} iteration @param {TraceRecord | null} record */
  const openSlot = (kind, iteration, record) => {
    const key = kind === 'pre' ? 'r0:pre' : `r${runs}:${kind === 'iter' ? `i${iteration}` : kind}`;
    slot = { key, kind, run: kind === 'pre' ? 0 : runs, iteration, record };
    slots.push(slot);
    row = 'program';
    return slot;
  };
  const current = () => slot ?? openSlot('pre', 0, null);
  /** @type {TraceRecord | undefined} */
  let pollStart;
  /** @type {number | null} */
  let origin = null;
  /** @param {Item['kind']} kind @param {TraceRecord} record @param {string} where */
  const addItem = (kind, record, where) => {
    const key = `${current().key}|${where}`;
    let items = cells.get(key);
    if (items === undefined) cells.set(key, (items = []));
    const item = /** @type {Item} */ ({ kind, record, step: steps.length });
    if (kind === 'poll-end' && pollStart !== undefined) item.context = pollStart;
    items.push(item);
    steps.push({ record, slot: current().key, row: where, item: items.length - 1 });
  };
  /** @param {TraceRecord} record */
  const addStep = (record) => {
    steps.push({ record, slot: current().key, row, item: -1 });
  };

  for (const record of records) {
    switch (record.type) {
      case 'run-start':
        runs++;
        openSlot('start', 0, record);
        addStep(record);
        break;
      case 'iteration':
        origin ??= Number(record.now);
        openSlot('iter', Number(record.iteration), record);
        addStep(record);
        break;
      case 'phase': {
        row = rowOfPhase(profile, record);
        if (!rows.includes(row)) row = 'program';
        ran.add(`${current().key}|${row}`);
        if (record.detail === 'post-poll') addItem('subhead', record, row);
        else addStep(record);
        break;
      }
      case 'poll-start':
        pollStart = record;
        addItem(record.type, record, 'poll');
        break;
      case 'poll-end':
        addItem(record.type, record, 'poll');
        break;
      case 'callback': {
        callbacks++;
        const where = record.phase === 'outside' || !rows.includes(row) ? 'program' : row;
        addItem('callback', record, where);
        const lane = lanes.get(Number(record.handleId));
        if (lane !== undefined) {
          const at = `${current().key}|${where}`;
          lane.calls.set(at, (lane.calls.get(at) ?? 0) + 1);
        }
        break;
      }
      case 'output':
        addItem('output', record, row);
        break;
      case 'run-end':
        openSlot('end', 0, record);
        addStep(record);
        break;
      case 'handle': {
        const id = Number(record.handleId);
        let lane = lanes.get(id);
        if (lane === undefined) {
          lane = {
            id,
            type: String(record.handleType),
            name: '',
            states: new Map(),
            calls: new Map(),
          };
          lanes.set(id, lane);
        }
        if (typeof record.name === 'string') lane.name = record.name;
        lane.states.set(`${current().key}|${row}`, {
          active: record.active === true,
          referenced: record.referenced === true,
          closing: record.closing === true,
          closed: record.closed === true,
        });
        break;
      }
      default:
        break;
    }
  }
  return {
    rows,
    slots,
    cells,
    ran,
    steps,
    lanes: [...lanes.values()],
    callbacks,
    origin: origin ?? 0,
  };
}

/**
 * A handle's state in every segment of the timeline (slot × row), carried
 * forward from its last change; `null` before the handle existed and after it
 * closed.
 * @param {Lane} lane
 * @param {Slot[]} slots the aligned slots
 * @param {string[]} rows
 * @returns {Map<string, HandleState | null>}
 */
function laneSegments(lane, slots, rows) {
  /** @type {Map<string, HandleState | null>} */
  const segments = new Map();
  /** @type {HandleState | null} */
  let state = null;
  for (const slot of slots) {
    for (const row of rows) {
      const key = `${slot.key}|${row}`;
      const change = lane.states.get(key);
      if (change !== undefined) state = change.closed ? null : change;
      segments.set(key, state);
    }
  }
  return segments;
}

/**
 * The longest common subsequence alignment of two lists of lines: pairs of
 * indexes, `-1` where one side has no line. Used to put two conformance
 * traces side by side.
 * @param {readonly string[]} left
 * @param {readonly string[]} right
 * @returns {[number, number][]}
 */
function alignLines(left, right) {
  const n = left.length;
  const m = right.length;
  if (n * m > 4_000_000) {
    /** @type {[number, number][]} */
    const plain = [];
    for (let index = 0; index < Math.max(n, m); index++)
      plain.push([index < n ? index : -1, index < m ? index : -1]);
    return plain;
  }
  /** @type {Uint32Array[]} */
  const table = [];
  for (let i = 0; i <= n; i++) table.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = /** @type {Uint32Array} */ (table[i]);
    const below = /** @type {Uint32Array} */ (table[i + 1]);
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        left[i] === right[j]
          ? /** @type {number} */ (below[j + 1]) + 1
          : Math.max(/** @type {number} */ (below[j]), /** @type {number} */ (row[j + 1]));
    }
  }
  /** @type {[number, number][]} */
  const pairs = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && left[i] === right[j]) {
      pairs.push([i++, j++]);
    } else if (
      j >= m ||
      (i < n &&
        /** @type {number} */ (/** @type {Uint32Array} */ (table[i + 1])[j]) >=
          /** @type {number} */ (/** @type {Uint32Array} */ (table[i])[j + 1]))
    ) {
      pairs.push([i++, -1]);
    } else {
      pairs.push([-1, j++]);
    }
  }
  return pairs;
}

/**
 * Whether a conformance trace line is a callback (`cb …` or `close …`,
 * docs/conformance.md, "Trace format").
 * @param {string} line
 */
function isCallbackLine(line) {
  return line.startsWith('cb ') || line.startsWith('close ');
}
