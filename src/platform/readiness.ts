/**
 * Readiness of an arbitrary descriptor: what `epoll` tells libuv's
 * `uv_poll_t`, obtained on Node through `node:wasi`.
 *
 * Node has no public API that reports "this descriptor is readable" without
 * reading from it. Its WASI implementation does: `poll_oneoff` on an
 * instance whose descriptor 0 is mapped to a host descriptor waits, on the
 * host's libuv, for that descriptor to become readable (WASI's `fd_read`
 * subscription) or writable (`fd_write`), and consumes nothing; while the
 * condition holds it answers again at once, so it is level-triggered, like
 * `uv_poll_t` (docs/node.md, "Readiness of any descriptor through `node:wasi`"). A hang-up comes as the event's
 * HANGUP flag, an error condition (POLLERR) as an event error. The wasm
 * module that lends its memory to those calls is ours (wasm/poll-oneoff.wat).
 *
 * A call blocks its thread, so the waiting happens in worker threads
 * (readiness-worker.ts), and two facts of Node's `poll_oneoff` shape the
 * rest:
 *
 * - A call returns when *all* its descriptor subscriptions have fired (or
 *   its clock): it can wait for one descriptor, not for the first of many.
 *   So one call watches one descriptor in one direction: a *watch*. A
 *   worker that holds several watches takes them in turn with a short clock
 *   (20 ms each), one that holds one waits on it with a 200 ms clock. Up to
 *   `UVTS_POLL_THREADS` workers (default 4) are started, lazily, so that
 *   up to that many watches each get a thread of their own.
 * - A call with a clock of 0 never looks at its descriptors (the clock
 *   fires before the wait), and one of 1 ms can end before the wait when
 *   the millisecond turns; 2 ms is the shortest clock that answers
 *   "not ready" reliably.
 *
 * A watch's state lives in a few shared 32-bit words (`WatchWord`). The
 * loop side asks for a *verdict* (ASK), the worker answers (ANSWERED,
 * VERDICT, DETAIL, SEQ) and rings the bell the watch was created with (an
 * `Atomics.notify` on a shared word the loop waits on). An asked-for
 * verdict comes from a 2 ms call: "ready" at once if the descriptor is
 * ready, "not ready" after 2 ms otherwise, and then the worker keeps
 * waiting on the watch and publishes "ready" as soon as it is. So the loop
 * always knows, within about 2 ms of asking, whether a watch is ready now,
 * which is what level-triggered delivery in every POLL needs (poll.ts).
 *
 * Nothing here runs on the main thread but shared-memory reads and writes
 * and `postMessage`: the main thread never loads `node:wasi`, so Node's
 * one-time ExperimentalWarning for WASI is not printed on the user's
 * stderr; the workers drop theirs (docs/deviations.md).
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { pollOneoffWasm } from './wasm/poll-oneoff.js';
import { readinessWorkerMain } from './readiness-worker.js';

/** @internal Which way a watch looks: 1, readable, or 2, writable (WASI's subscription tags). */
export type Direction = 1 | 2;
/** @internal A watch for readability (WASI's `fd_read`). */
export const READABLE: Direction = 1;
/** @internal A watch for writability (WASI's `fd_write`). */
export const WRITABLE: Direction = 2;

/** The shared words of a watch; readiness-worker.ts uses the same indices. */
const WatchWord = {
  /** Main thread: STOPPED, RUNNING or DISPOSED. */
  State: 0,
  /** Main thread: incremented to ask for a fresh verdict. */
  Ask: 1,
  /** Worker: the ASK value its latest verdict answers. */
  Answered: 2,
  /** Worker: NONE, READY, NOT_READY or FAILED. */
  Verdict: 3,
  /** Worker: READY: 1 if the descriptor hung up; FAILED: the WASI errno. */
  Detail: 4,
  /** Worker: incremented with every verdict. */
  Seq: 5,
  /** Worker: 1 while a call waits on this watch. */
  Blocking: 6,
  /** Main thread: 1 if only a hang-up counts (readable data alone does not). */
  HangupOnly: 7,
  Count: 8,
} as const;

const STOPPED = 0;
const RUNNING = 1;
const DISPOSED = 2;
const NONE = 0;
const READY = 1;
const NOT_READY = 2;
const FAILED = 3;

/** WASI's errno for a function the host lacks; a watch whose worker died gets it. */
const WASI_ENOSYS = 52;

/** @internal A verdict a watch gave: ready (maybe with a hang-up), or a WASI errno. */
export interface Verdict {
  /** 0, or the WASI errno of an error condition (`poll_oneoff` answers EIO for POLLERR). */
  readonly errno: number;
  /** The descriptor hung up (EPOLLHUP / EPOLLRDHUP: libuv's DISCONNECT). */
  readonly hangup: boolean;
}

/** The source text of a readiness worker; see readiness-worker.ts. */
function workerSource(): string {
  // A TypeScript loader may have wrapped nested functions in its own
  // `__name()` helper, which the eval'd text would not find.
  return `const __name = (target) => target;\n(${readinessWorkerMain.toString()})();\n`;
}

function maxWorkers(): number {
  const configured = Number(process.env['UVTS_POLL_THREADS']);
  if (Number.isInteger(configured) && configured >= 1) return Math.min(configured, 64);
  return Math.min(4, Math.max(2, availableParallelism()));
}

/** One readiness worker and what the pool knows about it. */
class PoolWorker {
  readonly control = new Int32Array(new SharedArrayBuffer(4));
  readonly watches = new Set<ReadinessWatch>();
  readonly thread: Worker;
  gone = false;

  constructor(module: WebAssembly.Module, onGone: (worker: PoolWorker) => void) {
    this.thread = new Worker(workerSource(), {
      eval: true,
      workerData: { control: this.control.buffer, module },
    });
    this.thread.unref();
    const gone = (): void => {
      if (!this.gone) onGone(this);
    };
    this.thread.on('error', gone);
    this.thread.on('exit', gone);
  }

  /** Wakes the worker if it sleeps between calls (a call in progress finishes first). */
  ring(): void {
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
  }

  post(message: unknown): void {
    this.thread.postMessage(message);
    this.ring();
  }
}

/**
 * @internal A watch: one descriptor in one direction, served by one worker;
 * see the module comment for the verdict protocol.
 */
export class ReadinessWatch {
  private readonly state = new Int32Array(new SharedArrayBuffer(WatchWord.Count * 4));
  private consumed = 0;

  constructor(
    private readonly worker: PoolWorker,
    readonly id: number,
    readonly fd: number,
    readonly direction: Direction,
    bell: Int32Array,
  ) {
    worker.watches.add(this);
    worker.post({ op: 'watch', id, fd, direction, state: this.state.buffer, bell: bell.buffer });
  }

  /**
   * Starts (or restarts) the watch and asks for a fresh verdict, unless a
   * worker is waiting on it right now: that wait sees the descriptor as it
   * is and answers the moment it is ready.
   */
  start(): void {
    Atomics.store(this.state, WatchWord.State, RUNNING);
    const waiting =
      Atomics.load(this.state, WatchWord.Verdict) === NOT_READY &&
      Atomics.load(this.state, WatchWord.Blocking) === 1 &&
      !this.pending;
    if (!waiting) this.ask();
    else this.worker.ring();
  }

  /**
   * For a readable watch: whether only a hang-up counts as ready (a poll
   * that wants DISCONNECT but not READABLE). Takes effect with the next
   * verdict; call `start()` (or `ask()`) after changing it.
   */
  set hangupOnly(value: boolean) {
    Atomics.store(this.state, WatchWord.HangupOnly, value ? 1 : 0);
  }

  /** Whether a new "ready" or "failed" verdict is there for `take()`. */
  get hasNews(): boolean {
    const seq = Atomics.load(this.state, WatchWord.Seq);
    if (seq === this.consumed || this.pending) return false;
    const verdict = Atomics.load(this.state, WatchWord.Verdict);
    return verdict === READY || verdict === FAILED;
  }

  /** Stops the watch: its verdicts are ignored until `start()`. */
  stop(): void {
    Atomics.store(this.state, WatchWord.State, STOPPED);
  }

  /** Stops the watch for good and releases its worker's share. */
  dispose(): void {
    if (Atomics.load(this.state, WatchWord.State) === DISPOSED) return;
    Atomics.store(this.state, WatchWord.State, DISPOSED);
    this.worker.watches.delete(this);
    if (!this.worker.gone) this.worker.post({ op: 'unwatch', id: this.id });
  }

  /** Asks the worker for a fresh verdict (it answers within about 2 ms). */
  ask(): void {
    Atomics.add(this.state, WatchWord.Ask, 1);
    this.worker.ring();
  }

  /** Whether an asked-for verdict has not come yet. */
  get pending(): boolean {
    return Atomics.load(this.state, WatchWord.Ask) !== Atomics.load(this.state, WatchWord.Answered);
  }

  /**
   * Takes a new "ready" or "failed" verdict, once; `null` if there is none
   * (nothing new, "not ready", or an answer to an older question).
   */
  take(): Verdict | null {
    const seq = Atomics.load(this.state, WatchWord.Seq);
    if (seq === this.consumed || this.pending) return null;
    this.consumed = seq;
    const verdict = Atomics.load(this.state, WatchWord.Verdict);
    const detail = Atomics.load(this.state, WatchWord.Detail);
    if (verdict === READY) return { errno: 0, hangup: detail === 1 };
    if (verdict === FAILED) return { errno: detail, hangup: false };
    return null;
  }

  /** @internal The pool publishes a failure itself when the worker died. */
  fail(errno: number): void {
    const ask = Atomics.load(this.state, WatchWord.Ask);
    Atomics.store(this.state, WatchWord.Verdict, FAILED);
    Atomics.store(this.state, WatchWord.Detail, errno);
    Atomics.store(this.state, WatchWord.Answered, ask);
    Atomics.add(this.state, WatchWord.Seq, 1);
  }

  /** @internal For tests: whether a verdict of any kind arrived. */
  get answered(): boolean {
    return Atomics.load(this.state, WatchWord.Verdict) !== NONE;
  }
}

/** The process's readiness workers; one pool serves every loop. */
class ReadinessPool {
  private readonly workers: PoolWorker[] = [];
  private module: WebAssembly.Module | null = null;
  private nextId = 1;
  private readonly bells = new Set<Int32Array>();

  /** Starts the first worker ahead of need (a worker takes tens of milliseconds to start). */
  warm(): void {
    if (this.workers.length === 0) this.spawn();
  }

  /** A new watch of `fd` in `direction`, whose verdicts ring `bell` (a shared word at index 0). */
  watch(fd: number, direction: Direction, bell: Int32Array): ReadinessWatch {
    this.bells.add(bell);
    return new ReadinessWatch(this.choose(fd), this.nextId++, fd, direction, bell);
  }

  /**
   * Whether a worker's `poll_oneoff` accepts `fd`: 0, or the WASI errno of
   * its refusal (63, EPERM, for what epoll rejects: regular files, most
   * character devices). Blocks until a worker answers; the first call
   * waits for the first worker to start.
   */
  probe(fd: number, direction: Direction): number {
    const reply = new Int32Array(new SharedArrayBuffer(8));
    this.choose(fd).post({ op: 'probe', fd, direction, reply: reply.buffer });
    Atomics.wait(reply, 0, 0, 10_000);
    return Atomics.load(reply, 0) === 1 ? Atomics.load(reply, 1) : 0;
  }

  /** The least busy worker that does not already serve `fd`; a new one while the pool may grow. */
  private choose(fd: number): PoolWorker {
    let best: PoolWorker | null = null;
    let bestScore = Infinity;
    for (const worker of this.workers) {
      let score = worker.watches.size * 2;
      for (const watch of worker.watches) if (watch.fd === fd) score++;
      if (score < bestScore) {
        best = worker;
        bestScore = score;
      }
    }
    if (best === null || (bestScore > 0 && this.workers.length < maxWorkers())) return this.spawn();
    return best;
  }

  private spawn(): PoolWorker {
    this.module ??= new WebAssembly.Module(pollOneoffWasm());
    const worker = new PoolWorker(this.module, (gone) => this.lose(gone));
    this.workers.push(worker);
    return worker;
  }

  /** A worker died (it should not): its watches fail, so their handles hear of it. */
  private lose(worker: PoolWorker): void {
    worker.gone = true;
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    for (const watch of worker.watches) watch.fail(WASI_ENOSYS);
    for (const bell of this.bells) {
      Atomics.add(bell, 0, 1);
      Atomics.notify(bell, 0);
    }
  }
}

let pool: ReadinessPool | null = null;

/** @internal The process's readiness pool, created on first use. */
export function readinessPool(): ReadinessPool {
  pool ??= new ReadinessPool();
  return pool;
}

/**
 * @internal Blocks the calling thread until `pending()` is false or `ms`
 * milliseconds have passed, sleeping on `bell` (which every verdict of the
 * watches in question rings).
 */
export function awaitVerdicts(bell: Int32Array, pending: () => boolean, ms: number): void {
  const deadline = performance.now() + ms;
  for (;;) {
    const seen = Atomics.load(bell, 0);
    if (!pending()) return;
    const remaining = deadline - performance.now();
    if (remaining <= 0) return;
    Atomics.wait(bell, 0, seen, remaining);
  }
}
