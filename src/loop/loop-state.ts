/**
 * The loop's bookkeeping: everything handles and requests touch.
 *
 * `LoopState` holds the structures libuv keeps in `uv_loop_t` — the cached
 * clock, the timer heap, the phase queues, the pending and closing queues,
 * the counts that decide liveness, the handle list — together with the few
 * operations handles use to enter them and the callback invoker that traces
 * calls and routes throws to the excepthook. `Loop` (loop.ts) adds the
 * public lifecycle and the algorithm of `run()`, which takes things out of
 * these structures phase by phase.
 *
 * @module
 */
import os from 'node:os';
import { LoopClosedError, StatusCode, UVError } from '../errors/index.js';
import type { Profile } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';
import { LoopMetrics, LoopOption } from './metrics.js';
import type { LoopMetricsInfo, LoopOptionValue } from './metrics.js';
import { monotonicMs } from './clock.js';
import { Poller } from './poller.js';
import type { Behaviour } from './profile.js';
import { Queue } from './queue.js';
import { TimerHeap } from './timer-heap.js';
import type { CallbackKind, Phase, TraceEvent, Tracer } from './trace.js';
import type {
  ClosableHandle,
  LoopHandle,
  LoopTimer,
  PendingWatcher,
  PhaseWatcher,
} from './types.js';

/**
 * The clock in ms (`monotonicMs`), returned as a small integer whenever it
 * is one. Why (performance, the value is the same): the clock arithmetic
 * yields a double, and once a double is stored in `cachedNow` V8 keeps the
 * field — and every timer's `due` computed from it — as a boxed heap
 * number: one more object per timer for the garbage collector, ~10-15% of
 * the CPU time of `million_timers` (docs/benchmarks.md). An int32 value is
 * stored unboxed. Once the monotonic clock passes 2^31 ms (24.8 days after
 * boot on Linux) the value is no int32 and stays a double: slower, not
 * different.
 */
function loopTime(): number {
  const now = monotonicMs();
  return (now | 0) === now ? now | 0 : now;
}

/** libuv clamps the poll timeout to INT_MAX (rule 1.14). */
const MAX_POLL_TIMEOUT = 2147483647;

/**
 * The loop's handle list (libuv's `handle_queue`): every handle from init
 * until its close callback, in creation order.
 *
 * Like libuv's, the list is intrusive: each handle carries its own
 * `handleListPrev`/`handleListNext` links. Registering and unregistering
 * are a few pointer writes, with no container to grow, hash or compact —
 * which matters because every timer is a handle, and creating a million of
 * them must cost about what Node's `setTimeout` costs (docs/benchmarks.md,
 * million_timers). Iterating follows the links; callers that may close
 * handles while iterating take a snapshot first (`handles`).
 */
class HandleRegistry {
  private first: ClosableHandle | null = null;
  private last: ClosableHandle | null = null;
  private count = 0;

  /** Number of registered handles. */
  get size(): number {
    return this.count;
  }

  /** Appends `handle`. */
  add(handle: ClosableHandle): void {
    handle.handleListPrev = this.last;
    handle.handleListNext = null;
    if (this.last === null) this.first = handle;
    else this.last.handleListNext = handle;
    this.last = handle;
    handle.handleListed = true;
    this.count++;
  }

  /** Removes `handle`; false if it is not registered. */
  delete(handle: ClosableHandle): boolean {
    if (!handle.handleListed) return false;
    const { handleListPrev: prev, handleListNext: next } = handle;
    if (prev === null) this.first = next;
    else prev.handleListNext = next;
    if (next === null) this.last = prev;
    else next.handleListPrev = prev;
    handle.handleListPrev = null;
    handle.handleListNext = null;
    handle.handleListed = false;
    this.count--;
    return true;
  }

  /** The registered handles in creation order. */
  *[Symbol.iterator](): Generator<ClosableHandle> {
    for (let handle = this.first; handle !== null; handle = handle.handleListNext) yield handle;
  }
}

/**
 * The state of an event loop; `Loop` (loop.ts) is the class to use. Not
 * exported from the package: handles and requests see it through `Loop`.
 * The class itself stays in the published declarations, which `Loop`
 * extends; its internal members are marked one by one.
 */
export abstract class LoopState {
  /**
   * Receives trace events (see `TraceEvent`), or `null` (the default: no
   * tracing, no cost).
   */
  tracer: Tracer | null = null;

  /** How this loop behaves where libuv 1.44 and 1.52 differ (its row of the profile table, profile.ts). */
  abstract readonly behaviour: Behaviour;
  /** @internal Builds errors with this loop's error table (its profile's; rule 10.8). */
  abstract readonly errors: ProfileErrors;
  /** @internal The counters behind `metrics` and `metricsIdleTime()`. */
  readonly metricsState = new LoopMetrics();
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
  /**
   * @internal Iterations that reached POLL (libuv's `loop_count` metric,
   * which `metrics` reports). Handles read it as the loop's clock of
   * iterations: "did this happen in the current POLL?".
   */
  pollCount = 0;

  protected readonly registry = new HandleRegistry();
  protected readonly phaseScratch = new Queue<PhaseWatcher>();
  protected readonly pendingScratch = new Queue<PendingWatcher>();
  protected dueBatch: LoopTimer[] = [];
  protected nextHandleId = 1;
  protected cachedNow: number = loopTime();
  protected stopFlag = false;
  protected running = false;
  protected isClosed = false;
  protected currentPhase: Phase | 'outside' = 'outside';

  /** The libuv version this loop behaves like. */
  get profile(): Profile {
    return this.behaviour.profile;
  }

  /** The cached loop time in milliseconds (`uv_now`); it changes only when the loop refreshes it. */
  now(): number {
    return this.cachedNow;
  }

  /** Refreshes the cached time from the monotonic clock (`uv_update_time`). */
  updateTime(): void {
    this.cachedNow = loopTime();
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
   * `uv_loop_configure`. `METRICS_IDLE_TIME` starts measuring the time spent
   * waiting in POLL; `BLOCK_SIGNAL` takes a signal number, accepts only
   * SIGPROF (EINVAL otherwise) as libuv on Linux does, and has no effect
   * (Node cannot block signals; docs/deviations.md); `USE_IO_URING_SQPOLL`
   * is accepted without effect by profile 1.52. Other values: ENOSYS.
   */
  configure(option: LoopOptionValue, signal?: number): void {
    if (typeof option !== 'number')
      throw new TypeError(`loop option must be a number, got ${typeof option}`);
    if (option === LoopOption.METRICS_IDLE_TIME) {
      this.metricsState.idleTimeEnabled = true;
    } else if (option === LoopOption.BLOCK_SIGNAL) {
      if (typeof signal !== 'number') throw new TypeError('BLOCK_SIGNAL needs a signal number');
      if (signal !== os.constants.signals.SIGPROF) {
        throw new UVError(StatusCode.EINVAL, { syscall: 'uv_loop_configure' });
      }
    } else if (option !== LoopOption.USE_IO_URING_SQPOLL || !this.behaviour.ioUringSqpollOption) {
      throw new UVError(StatusCode.ENOSYS, { syscall: 'uv_loop_configure' });
    }
  }

  /** `uv_metrics_info`: iterations that reached POLL, events dispatched, events already waiting. */
  get metrics(): LoopMetricsInfo {
    const state = this.metricsState;
    return { loopCount: this.pollCount, events: state.events, eventsWaiting: state.eventsWaiting };
  }

  /**
   * `uv_metrics_idle_time`: nanoseconds spent waiting in POLL since
   * `configure(LoopOption.METRICS_IDLE_TIME)` (0 if never configured). Like
   * libuv, this one figure is in nanoseconds, not milliseconds.
   */
  metricsIdleTime(): number {
    return this.metricsState.idleTime;
  }

  /**
   * Sets the stop flag (`uv_stop`): the current iteration finishes (POLL will
   * not block) and `run()` returns at its next liveness test.
   */
  stop(): void {
    this.stopFlag = true;
    this.noteChange();
  }

  // ---------------------------------------------------------------- for handles and requests

  /** @internal Adds a new handle to the handle list and gives it its id. */
  registerHandle(handle: ClosableHandle): number {
    if (this.isClosed) throw new LoopClosedError();
    const id = this.nextHandleId++;
    this.registry.add(handle);
    return id;
  }

  /** @internal Removes a fully closed handle from the handle list. */
  unregisterHandle(handle: ClosableHandle): void {
    this.registry.delete(handle);
  }

  /** @internal Queues a closing handle for the next CLOSING phase. */
  queueClosing(handle: ClosableHandle): void {
    this.closingQueue.push(handle);
    this.noteChange();
  }

  /** @internal Feeds a watcher to the pending queue, at most once (rule 1.22). */
  feedPending(watcher: PendingWatcher): void {
    if (!watcher.pendingNode.linked) this.pendingQueue.insertTail(watcher.pendingNode);
    this.noteChange();
  }

  /**
   * @internal Something POLL's wait depends on has changed: the timers,
   * what is active or ref'd, the pending or closing queue, the stop flag.
   * Inside loop callbacks this does nothing, since the next POLL computes
   * its timeout afresh. But uvts's loop shares its thread with Node, and a
   * Node callback may start a timer or close a handle while POLL waits,
   * which libuv's single thread never allows. POLL then returns as if an
   * async wake-up had come, and the next iteration sees the change
   * (docs/deviations.md, L2).
   */
  noteChange(): void {
    if (this.poller.waiting) this.poller.interrupt();
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

  /** @internal {@link invoke} for callbacks that take one more argument. */
  invoke1<H extends LoopHandle, A>(
    handle: H,
    kind: CallbackKind,
    callback: (handle: H, argument: A) => void,
    argument: A,
  ): void {
    if (this.tracer !== null) this.traceCallback(handle, kind);
    try {
      callback(handle, argument);
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

  /** @internal {@link invoke} for callbacks that take four more arguments (a UDP datagram). */
  invoke4<H extends LoopHandle, A, B, C, D>(
    handle: H,
    kind: CallbackKind,
    callback: (handle: H, first: A, second: B, third: C, fourth: D) => void,
    first: A,
    second: B,
    third: C,
    fourth: D,
  ): void {
    if (this.tracer !== null) this.traceCallback(handle, kind);
    try {
      callback(handle, first, second, third, fourth);
    } catch (error) {
      this.reportCallbackError(error);
    }
  }

  private traceCallback(handle: LoopHandle, kind: CallbackKind): void {
    this.trace({
      type: 'callback',
      phase: this.currentPhase,
      kind,
      handleType: handle.type,
      handleId: handle.id,
    });
  }

  /**
   * @internal Reports `event` to the tracer. A tracer that throws is
   * treated like a callback that throws (see `excepthook`): the loop stays
   * consistent, and what the event announced — a phase, a callback — still
   * happens. Callers check `tracer !== null` first, so that no event
   * object is made when nobody traces.
   */
  protected trace(event: TraceEvent): void {
    const tracer = this.tracer;
    if (tracer === null) return;
    try {
      tracer(event);
    } catch (error) {
      this.reportCallbackError(error);
    }
  }

  /** Routes an error thrown by a callback to the excepthook (loop.ts). */
  protected abstract reportCallbackError(error: unknown): void;
}
