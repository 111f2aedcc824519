/**
 * The event loop: libuv's `uv_loop_t` and `uv_run`.
 *
 * Everything that decides *when* a callback runs lives here: the cached
 * clock, the timer heap, the idle/prepare/check queues, the async list, the
 * pending queue, the closing queue, the counts of active handles and
 * requests, and the stop flag. Handles only put themselves into these
 * structures (through the interfaces in `types.ts`); the phases of `run()`
 * take them out again in libuv's order.
 *
 * One iteration is plain synchronous code. The only `await` is in POLL, and
 * only when the poll must actually wait (see `poller.ts`), so a loop that is
 * busy with timers and idle watchers runs as fast as a `while` loop.
 *
 * The two profiles differ only in where the timers phase sits; that
 * difference is kept inside `runLoop()` (LIBUV_SEMANTICS.md §1.B, §1.C, §10).
 *
 * @module
 */
import { LoopClosedError, StatusCode, UVError } from '../errors/index.js';
import { monotonicMs } from './clock.js';
import { Poller } from './poller.js';
import { Queue } from './queue.js';
import { TimerHeap } from './timer-heap.js';
import type { CallbackKind, Phase, RunModeName, Tracer } from './trace.js';
import type {
  ClosableHandle,
  LoopHandle,
  LoopTimer,
  PendingWatcher,
  PhaseWatcher,
} from './types.js';

/** The libuv versions whose observable behaviour a loop can follow. */
export type Profile = '1.52' | '1.44';

/** Options for `new Loop()`. */
export interface LoopOptions {
  /** Which libuv to behave like: `'1.52'` (current libuv, the default) or `'1.44'` (Debian's 1.44.2). */
  libuv?: Profile;
}

/** `uv_run_mode`: the numeric run modes. `run()` also takes their names. */
export const RunMode = Object.freeze({
  /** Run until the loop is not alive or `stop()` is called. */
  DEFAULT: 0,
  /** Run one iteration, waiting in POLL if there is nothing pending. */
  ONCE: 1,
  /** Run one iteration without waiting. */
  NOWAIT: 2,
} as const);

/** A run mode: one of {@link RunMode}'s numbers or its lower-case name. */
export type RunModeValue = (typeof RunMode)[keyof typeof RunMode] | RunModeName;

/** The function called with errors thrown by callbacks; see {@link Loop.excepthook}. */
export type ExceptHook = (loop: Loop, error: unknown) => void;

const MODE_NAMES: readonly RunModeName[] = ['default', 'once', 'nowait'];
/** libuv clamps the poll timeout to INT_MAX (rule 1.14). */
const MAX_POLL_TIMEOUT = 2147483647;
/** libuv runs at most this many pending batches after POLL (rule 1.24). */
const POST_POLL_PENDING_BATCHES = 8;

let defaultLoop: Loop | null = null;

function parseMode(mode: RunModeValue): RunModeName {
  if (typeof mode === 'string') {
    if ((MODE_NAMES as readonly string[]).includes(mode)) return mode as RunModeName;
  } else if (typeof mode === 'number') {
    const name = MODE_NAMES[mode];
    if (name !== undefined && Number.isInteger(mode)) return name;
  } else {
    throw new TypeError(`run mode must be a RunMode number or name, got ${typeof mode}`);
  }
  throw new UVError(StatusCode.EINVAL, { syscall: 'uv_run' });
}

/**
 * An event loop (`uv_loop_t`).
 *
 * ```ts
 * const loop = new Loop();
 * new Timer(loop).start(() => console.log('tick'), 10);
 * await loop.run();
 * loop.close();
 * ```
 */
export class Loop {
  /** The libuv version this loop behaves like. */
  readonly profile: Profile;
  /** Free for the user; the loop never touches it. */
  data: unknown = undefined;
  /**
   * Receives trace events (see `TraceEvent`), or `null` (the default: no
   * tracing, no cost).
   */
  tracer: Tracer | null = null;
  /**
   * What happens when a callback throws. `null` (the default): the loop
   * finishes the current iteration as if `stop()` had been called, then the
   * pending `run()` rejects with the error (or an `AggregateError` when
   * several callbacks threw); the loop stays consistent and can be run
   * again. A function: it is called with the loop and the error, and the
   * loop carries on; if the hook itself throws, the default applies.
   */
  excepthook: ExceptHook | null = null;

  /** @internal The poller through which Node events reach POLL. */
  readonly poller = new Poller();
  /** @internal */
  readonly timerHeap = new TimerHeap<LoopTimer>();
  /** @internal Advanced by every timer start; orders timers with equal due times. */
  timerStartCounter = 0;
  /** @internal */
  readonly idleQueue = new Queue<PhaseWatcher>();
  /** @internal */
  readonly prepareQueue = new Queue<PhaseWatcher>();
  /** @internal */
  readonly checkQueue = new Queue<PhaseWatcher>();
  /** @internal Async handles in init order. */
  readonly asyncQueue = new Queue<PhaseWatcher>();
  /** @internal Watchers whose deferred completions run in PENDING. */
  readonly pendingQueue = new Queue<PendingWatcher>();
  /** @internal Handles closed since the last CLOSING phase, in `close()` order. */
  closingQueue: ClosableHandle[] = [];
  /** @internal Active and ref'd handles that are not closing. */
  activeHandles = 0;
  /** @internal Requests submitted whose callback has not started. */
  activeRequests = 0;

  private readonly registry = new Set<ClosableHandle>();
  private readonly phaseScratch = new Queue<PhaseWatcher>();
  private readonly pendingScratch = new Queue<PendingWatcher>();
  private dueBatch: LoopTimer[] = [];
  private nextHandleId = 1;
  private cachedNow: number;
  private stopFlag = false;
  private running = false;
  private isClosed = false;
  private currentPhase: Phase | 'outside' = 'outside';
  private callbackErrors: unknown[] = [];

  /** Creates a loop (`uv_loop_init`). */
  constructor(options: LoopOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('Loop options must be an object');
    }
    const profile = options.libuv ?? '1.52';
    if (profile !== '1.52' && profile !== '1.44') {
      throw new UVError(StatusCode.EINVAL, { syscall: 'uv_loop_init' });
    }
    this.profile = profile;
    this.cachedNow = monotonicMs();
  }

  /**
   * The shared default loop (`uv_default_loop`). After it has been closed,
   * the next call creates a fresh one.
   */
  static defaultLoop(): Loop {
    if (defaultLoop === null) defaultLoop = new Loop();
    return defaultLoop;
  }

  // ---------------------------------------------------------------- state

  /** The cached loop time in milliseconds (`uv_now`); it changes only when the loop refreshes it. */
  now(): number {
    return this.cachedNow;
  }

  /** Refreshes the cached time from the monotonic clock (`uv_update_time`). */
  updateTime(): void {
    this.cachedNow = monotonicMs();
  }

  /** `uv_loop_alive`: active ref'd handles, active requests, pending or closing work. */
  get alive(): boolean {
    return (
      this.activeHandles > 0 ||
      this.activeRequests > 0 ||
      !this.pendingQueue.isEmpty() ||
      this.closingQueue.length > 0
    );
  }

  /** True once `close()` has succeeded. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** True while `run()` is executing. */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * `uv_backend_timeout`: how long the next POLL would wait, in ms (-1 = no
   * limit, 0 = it would not block).
   */
  getTimeout(): number {
    if (
      this.stopFlag ||
      (this.activeHandles === 0 && this.activeRequests === 0) ||
      !this.pendingQueue.isEmpty() ||
      !this.idleQueue.isEmpty() ||
      this.closingQueue.length > 0
    ) {
      return 0;
    }
    const first = this.timerHeap.peek();
    if (first === undefined) return -1;
    if (first.due <= this.cachedNow) return 0;
    return Math.min(first.due - this.cachedNow, MAX_POLL_TIMEOUT);
  }

  /**
   * Calls `callback` for every handle of the loop, in creation order,
   * including inactive handles and closing handles whose close callback has
   * not run yet (`uv_walk`). Handles created during the walk are not visited.
   */
  walk(callback: (handle: LoopHandle) => void): void {
    if (typeof callback !== 'function') throw new TypeError('walk callback must be a function');
    for (const handle of this.handles) callback(handle);
  }

  /** A snapshot of the loop's handles, in creation order (what `walk()` visits). */
  get handles(): LoopHandle[] {
    const list: LoopHandle[] = [];
    for (const handle of this.registry) if (!handle.internal) list.push(handle);
    return list;
  }

  /**
   * Sets the stop flag (`uv_stop`): the current iteration finishes (POLL will
   * not block) and `run()` returns at its next liveness test.
   */
  stop(): void {
    this.stopFlag = true;
  }

  /**
   * Releases the loop (`uv_loop_close`). Throws `UVError` EBUSY while any
   * request is in flight or any handle has not finished closing, and while
   * `run()` is executing.
   */
  close(): void {
    if (this.isClosed) return;
    if (this.running || this.activeRequests > 0)
      throw new UVError(StatusCode.EBUSY, { syscall: 'uv_loop_close' });
    for (const handle of this.registry) {
      if (!handle.internal) throw new UVError(StatusCode.EBUSY, { syscall: 'uv_loop_close' });
    }
    this.isClosed = true;
    this.poller.dispose();
    if (defaultLoop === this) defaultLoop = null;
  }

  // ---------------------------------------------------------------- run

  /**
   * Runs the loop (`uv_run`) and resolves to what `uv_run` returns: `true`
   * while the loop is still alive (work remains, or `stop()` ended a DEFAULT
   * run early), `false` when it ran out of work.
   *
   * Throws at once (instead of returning a rejected promise) when the loop is
   * closed or already running.
   */
  run(mode: RunModeValue = RunMode.DEFAULT): Promise<boolean> {
    const modeName = parseMode(mode);
    if (this.isClosed) throw new LoopClosedError();
    if (this.running)
      throw new UVError(StatusCode.EBUSY, {
        syscall: 'uv_run',
        message: 'loop is already running',
      });
    this.running = true;
    return this.runLoop(modeName);
  }

  /**
   * `uv_run`'s body: each statement of the `while` is one phase, in libuv's
   * order. The `try/finally` sits inside this async function so that a run
   * that never had to wait is over — and the loop runnable again — as soon
   * as `run()` returns.
   */
  private async runLoop(mode: RunModeName): Promise<boolean> {
    try {
      const modern = this.profile === '1.52';
      let alive = this.alive;
      if (!alive) this.updateTime();
      this.tracer?.({ type: 'run-start', mode, alive });

      if (modern && mode === 'default' && alive && !this.stopFlag) {
        this.updateTime();
        this.runTimers('start-of-run');
      }

      let iteration = 0;
      while (alive && !this.stopFlag) {
        iteration++;
        if (!modern) this.updateTime();
        this.tracer?.({ type: 'iteration', iteration, now: this.cachedNow });
        if (!modern) this.runTimers();

        const canSleep = this.pendingQueue.isEmpty() && this.idleQueue.isEmpty();
        this.runPending();
        this.runWatchers('idle', this.idleQueue);
        this.runWatchers('prepare', this.prepareQueue);

        let timeout = 0;
        if (mode === 'default' || (mode === 'once' && canSleep)) timeout = this.getTimeout();
        if (this.mustWait(timeout)) await this.waitForCompletions(timeout);
        else this.traceSyncPoll(timeout);
        this.dispatchCompletions();

        for (let batch = 0; batch < POST_POLL_PENDING_BATCHES; batch++) {
          if (this.pendingQueue.isEmpty()) break;
          this.runPending('post-poll');
        }
        this.runWatchers('check', this.checkQueue);
        this.runClosing();

        if (modern || mode === 'once') {
          this.updateTime();
          this.runTimers('end-of-iteration');
        }
        alive = this.alive;
        if (mode !== 'default') break;
      }

      const stopped = this.stopFlag;
      this.stopFlag = false;
      this.tracer?.({
        type: 'run-end',
        result: alive,
        reason: stopped ? 'stopped' : alive ? 'mode' : 'not-alive',
      });
      this.throwCallbackErrors();
      return alive;
    } finally {
      this.running = false;
      this.currentPhase = 'outside';
    }
  }

  // ---------------------------------------------------------------- phases

  private enterPhase(
    phase: Phase,
    detail?: 'start-of-run' | 'end-of-iteration' | 'post-poll',
  ): void {
    this.currentPhase = phase;
    if (this.tracer !== null) {
      this.tracer(
        detail === undefined ? { type: 'phase', phase } : { type: 'phase', phase, detail },
      );
    }
  }

  /** TIMERS: rule 3.8 (1.44: re-read the heap after each callback) or 3.10 (1.52: collect first). */
  private runTimers(detail?: 'start-of-run' | 'end-of-iteration'): void {
    this.enterPhase('timers', detail);
    const now = this.cachedNow;
    if (this.profile === '1.44') {
      for (;;) {
        const timer = this.timerHeap.peek();
        if (timer === undefined || timer.due > now) break;
        timer.stopForExpiry();
        timer.fire();
      }
      return;
    }
    const batch = this.dueBatch;
    for (;;) {
      const timer = this.timerHeap.peek();
      if (timer === undefined || timer.due > now) break;
      timer.stopForExpiry();
      timer.inDueBatch = true;
      batch.push(timer);
    }
    if (batch.length === 0) return;
    // A fresh array for callbacks that might (in theory) re-enter; the batch itself is read once.
    this.dueBatch = [];
    for (const timer of batch) {
      // Stopped, restarted or closed by an earlier callback of this pass: dropped (rule 3.10).
      if (!timer.inDueBatch) continue;
      timer.inDueBatch = false;
      timer.fire();
    }
    batch.length = 0;
    this.dueBatch = batch;
  }

  /** PENDING: run one batch; watchers fed meanwhile wait for the next batch (rule 1.23). */
  private runPending(detail?: 'post-poll'): void {
    this.enterPhase('pending', detail);
    if (this.pendingQueue.isEmpty()) return;
    const batch = this.pendingScratch;
    this.pendingQueue.moveTo(batch);
    for (let watcher = batch.first(); watcher !== null; watcher = batch.first()) {
      watcher.pendingNode.remove();
      watcher.runPending();
    }
  }

  /**
   * IDLE, PREPARE, CHECK: detach the list, then move each watcher back to
   * the live list just before its callback runs (rule 4.4). A watcher
   * stopped meanwhile has left the scratch list and is skipped; one started
   * meanwhile went to the front of the live list and waits for next time.
   */
  private runWatchers(phase: 'idle' | 'prepare' | 'check', queue: Queue<PhaseWatcher>): void {
    this.enterPhase(phase);
    if (queue.isEmpty()) return;
    const scratch = this.phaseScratch;
    queue.moveTo(scratch);
    for (let watcher = scratch.first(); watcher !== null; watcher = scratch.first()) {
      watcher.phaseNode.remove();
      queue.insertTail(watcher.phaseNode);
      watcher.runPhase();
    }
  }

  /** Whether POLL has to yield to Node at all (see poller.ts). */
  private mustWait(timeout: number): boolean {
    if (this.poller.hasReady()) return false;
    return timeout !== 0 || this.poller.needsTurn();
  }

  private traceSyncPoll(timeout: number): void {
    this.enterPhase('poll');
    this.tracer?.({ type: 'poll-start', timeout, waits: false });
  }

  /**
   * POLL's wait: like `epoll_wait`, it returns after one batch of events,
   * and waits again for the rest of the timeout only when it woke with
   * nothing to do before the timeout had elapsed in loop time (rule 1.17).
   */
  private async waitForCompletions(timeout: number): Promise<void> {
    this.enterPhase('poll');
    this.tracer?.({ type: 'poll-start', timeout, waits: true });
    const start = this.cachedNow;
    let remaining = timeout;
    for (;;) {
      await this.poller.wait(remaining);
      this.updateTime();
      if (this.poller.hasReady() || timeout === 0) return;
      if (timeout > 0) {
        remaining = timeout - (this.cachedNow - start);
        if (remaining <= 0) return;
      }
    }
  }

  /**
   * POLL's dispatch: the recorded I/O completions in arrival order, then the
   * async list (thread-pool completions, which come through the loop's
   * internal async handle, come first there), then signals and child exits
   * (rule 1.20).
   */
  private dispatchCompletions(): void {
    this.currentPhase = 'poll';
    let dispatched = 0;
    const io = this.poller.takeIoBatch();
    if (io !== null) {
      for (const completion of io) this.runCompletion(completion);
      dispatched += io.length;
    }
    if (this.poller.takeAsyncWakeup()) {
      dispatched++;
      this.runAsyncHandles();
    }
    const late = this.poller.takeLateBatch();
    if (late !== null) {
      for (const completion of late) this.runCompletion(completion);
      dispatched += late.length;
    }
    this.tracer?.({ type: 'poll-end', dispatched, now: this.cachedNow });
  }

  private runCompletion(completion: () => void): void {
    try {
      completion();
    } catch (error) {
      this.reportCallbackError(error);
    }
  }

  /** Walks the async list as rule 5.3 says: detach and requeue, handles decide themselves. */
  private runAsyncHandles(): void {
    const queue = this.asyncQueue;
    if (queue.isEmpty()) return;
    const scratch = this.phaseScratch;
    queue.moveTo(scratch);
    for (let handle = scratch.first(); handle !== null; handle = scratch.first()) {
      handle.phaseNode.remove();
      queue.insertTail(handle.phaseNode);
      handle.runPhase();
    }
  }

  /**
   * CLOSING: the queue is detached and finished newest-first, so close
   * callbacks run in reverse order of their `close()` calls (rule 6.4).
   * Handles closed from a close callback land in the new queue.
   */
  private runClosing(): void {
    this.enterPhase('closing');
    const closing = this.closingQueue;
    if (closing.length === 0) return;
    this.closingQueue = [];
    for (let index = closing.length - 1; index >= 0; index--) {
      (closing[index] as ClosableHandle).finishClose();
    }
  }

  // ---------------------------------------------------------------- for handles and requests

  /** @internal Adds a new handle to the handle list and gives it its id. */
  registerHandle(handle: ClosableHandle): number {
    if (this.isClosed) throw new LoopClosedError();
    this.registry.add(handle);
    return this.nextHandleId++;
  }

  /** @internal Removes a fully closed handle from the handle list. */
  unregisterHandle(handle: ClosableHandle): void {
    this.registry.delete(handle);
  }

  /** @internal Queues a closing handle for the next CLOSING phase. */
  queueClosing(handle: ClosableHandle): void {
    this.closingQueue.push(handle);
  }

  /** @internal Feeds a watcher to the pending queue, at most once (rule 1.22). */
  feedPending(watcher: PendingWatcher): void {
    if (!watcher.pendingNode.linked) this.pendingQueue.insertTail(watcher.pendingNode);
  }

  /**
   * @internal Calls a user callback with its handle, tracing it and routing
   * a throw to the excepthook. (No rest parameters: this is the hot path of
   * every timer and watcher, and a rest array would allocate per call.)
   */
  invoke<H extends LoopHandle>(handle: H, kind: CallbackKind, callback: (handle: H) => void): void {
    if (this.tracer !== null) this.traceCallback(handle, kind);
    try {
      callback(handle);
    } catch (error) {
      this.reportCallbackError(error);
    }
  }

  /** @internal {@link invoke} for callbacks that take two more arguments. */
  invoke2<H extends LoopHandle, A, B>(
    handle: H,
    kind: CallbackKind,
    callback: (handle: H, first: A, second: B) => void,
    first: A,
    second: B,
  ): void {
    if (this.tracer !== null) this.traceCallback(handle, kind);
    try {
      callback(handle, first, second);
    } catch (error) {
      this.reportCallbackError(error);
    }
  }

  private traceCallback(handle: LoopHandle, kind: CallbackKind): void {
    this.tracer?.({
      type: 'callback',
      phase: this.currentPhase,
      kind,
      handleType: handle.type,
      handleId: handle.id,
    });
  }

  private reportCallbackError(error: unknown): void {
    const hook = this.excepthook;
    if (hook !== null) {
      try {
        hook(this, error);
        return;
      } catch (hookError) {
        error = hookError;
      }
    }
    this.callbackErrors.push(error);
    this.stopFlag = true;
  }

  private throwCallbackErrors(): void {
    const errors = this.callbackErrors;
    if (errors.length === 0) return;
    this.callbackErrors = [];
    if (errors.length === 1) throw errors[0];
    throw new AggregateError(errors, `${errors.length} loop callbacks threw`);
  }
}
