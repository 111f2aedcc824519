/**
 * The recorder behind `uvts-trace`: it watches every loop of a process
 * through the loop hook (`src/loop/loop-hook.ts`) and keeps one list of
 * records (`trace-document.ts`): the loops' trace events, the handle state
 * changes that draw the page's lanes, and what the program printed.
 *
 * Two rules shape it:
 *
 * - **The user's `loop.tracer` keeps working.** The recorder does not take
 *   the `tracer` property over; it turns it into an accessor on the loop
 *   instance. The loop reads a function that records the event and then
 *   calls whatever the program assigned, so a program that traces itself
 *   prints the same trace under `uvts-trace` as without it. (Reading
 *   `loop.tracer` back gives that wrapper, not the program's own function.)
 * - **Only public API.** The loop may come from another copy of uvts (the
 *   program's own `node_modules`), so the recorder sees it as a
 *   {@link TracedLoop}: its profile, its `tracer`, its `handles` and whether it
 *   is running.
 *
 * Handle states are not trace events, so the recorder samples them: before
 * each event it compares every handle's flags with what it saw last and
 * records the differences. A change is therefore shown at the first event
 * after the callback that made it, which is where a teacher would point.
 * That is a walk of the handle list per event, a cost paid only while
 * tracing.
 *
 * @module
 */
import type { LoopHandle } from '../loop/types.js';
import type { TraceEvent, Tracer } from '../loop/trace.js';
import {
  MAX_OUTPUT_CHARS,
  MAX_RECORDS,
  type HandleRecord,
  type LoopInfo,
  type RunRecord,
} from './trace-document.js';

/** The public surface of a `Loop` the recorder relies on. */
export interface TracedLoop {
  /** The loop's profile. */
  readonly profile: string;
  /** The loop's tracer property (the recorder redefines it). */
  tracer: Tracer | null;
  /** The loop's handles in creation order. */
  readonly handles: readonly LoopHandle[];
  /** True while `run()` executes. */
  readonly isRunning: boolean;
}

/** What the recorder remembers of one handle's flags. */
interface SeenHandle {
  type: string;
  flags: number;
  name: string | undefined;
}

const ACTIVE = 1;
const REFERENCED = 2;
const CLOSING = 4;
/** The longest handle label kept. */
const MAX_NAME_CHARS = 80;

/** A label for a handle's lane: `handle.data` when it is a string, or an object's string `name`. */
function handleName(data: unknown): string | undefined {
  let name: unknown = data;
  if (typeof data === 'object' && data !== null) name = (data as { name?: unknown }).name;
  return typeof name === 'string' ? name.slice(0, MAX_NAME_CHARS) : undefined;
}

function flagsOf(handle: LoopHandle): number {
  return (
    (handle.active ? ACTIVE : 0) |
    (handle.referenced ? REFERENCED : 0) |
    (handle.closing ? CLOSING : 0)
  );
}

/** Records what the loops of one process do. */
export class TraceRecorder {
  /** Every record, in order. */
  readonly records: RunRecord[] = [];
  /** The loops seen, in creation order. */
  readonly loops: LoopInfo[] = [];
  /** True once {@link MAX_RECORDS} was reached and records were dropped. */
  truncated = false;
  private readonly watched: { loop: TracedLoop; number: number }[] = [];

  /** Starts recording `loop` (what the loop hook's `loopCreated` does). */
  attach(loop: TracedLoop): void {
    const number = this.loops.length + 1;
    this.loops.push({ loop: number, profile: loop.profile });
    this.watched.push({ loop, number });
    const seen = new Map<number, SeenHandle>();
    const record = (event: TraceEvent): void => {
      this.sampleHandles(loop, number, seen);
      this.push({ ...event, loop: number });
    };
    let own: Tracer | null = loop.tracer;
    let combined: Tracer = record;
    const combine = (): void => {
      const theirs = own;
      combined =
        theirs === null
          ? record
          : (event) => {
              record(event);
              theirs(event);
            };
    };
    combine();
    Object.defineProperty(loop, 'tracer', {
      configurable: true,
      enumerable: true,
      get: () => combined,
      set: (value: Tracer | null) => {
        own = value;
        combine();
      },
    });
  }

  /** Records text the program wrote, attributed to the running loop (or the last one created). */
  output(stream: 'stdout' | 'stderr', text: string): void {
    if (text.length === 0) return;
    let loop = this.watched.length;
    for (const watched of this.watched) if (watched.loop.isRunning) loop = watched.number;
    this.push({ type: 'output', loop, stream, text: text.slice(0, MAX_OUTPUT_CHARS) });
  }

  private push(record: RunRecord): void {
    if (this.records.length >= MAX_RECORDS) {
      this.truncated = true;
      return;
    }
    this.records.push(record);
  }

  /** Records every handle whose flags differ from the last sample, and the handles that left. */
  private sampleHandles(loop: TracedLoop, number: number, seen: Map<number, SeenHandle>): void {
    const present = new Set<number>();
    for (const handle of loop.handles) {
      present.add(handle.id);
      const flags = flagsOf(handle);
      const name = handleName(handle.data);
      const before = seen.get(handle.id);
      if (before !== undefined && before.flags === flags && before.name === name) continue;
      seen.set(handle.id, { type: handle.type, flags, name });
      this.push(this.handleRecord(number, handle.type, handle.id, name, flags, false));
    }
    for (const [id, before] of seen) {
      if (present.has(id)) continue;
      seen.delete(id);
      this.push(this.handleRecord(number, before.type, id, before.name, CLOSING, true));
    }
  }

  private handleRecord(
    loop: number,
    handleType: string,
    handleId: number,
    name: string | undefined,
    flags: number,
    closed: boolean,
  ): HandleRecord {
    const record: HandleRecord = {
      type: 'handle',
      loop,
      handleType,
      handleId,
      active: (flags & ACTIVE) !== 0,
      referenced: (flags & REFERENCED) !== 0,
      closing: (flags & CLOSING) !== 0,
      closed,
    };
    return name === undefined ? record : { ...record, name };
  }
}
