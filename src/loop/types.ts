/**
 * The small interfaces through which handles and requests register with a
 * loop. `loop/` never imports `handles/` (docs/architecture.md, layers): a
 * handle implements these interfaces and the loop only ever sees them.
 *
 * @module
 */
import type { QueueNode } from './queue.js';
import type { HeapTimer } from './timer-heap.js';

/**
 * `F` with bivariant parameters, for the callback types of handles and
 * requests.
 *
 * Handles store their callbacks typed with `this` (`CloseCallback<this>`,
 * `ReadCallback<this>`, …). With a plain function type the parameter is
 * contravariant, and then no subclass would be assignable to its base
 * class (`TCP` to `Stream` or `Handle`), so `server.accept(new TCP(loop))`
 * would not type-check. TypeScript checks the parameters of a *method*
 * signature bivariantly, so `F` is re-declared as one.
 *
 * @typeParam F - the callback's function type
 */
export type Bivariant<F extends (...args: never[]) => unknown> = {
  /** The callback, with the parameters and result of `F`. */
  bivarianceHack(...args: Parameters<F>): ReturnType<F>;
}['bivarianceHack'];

/** The handle types of libuv, by the names `uv_handle_type_name()` gives them. */
export type HandleType =
  | 'async'
  | 'check'
  | 'fs_event'
  | 'fs_poll'
  | 'idle'
  | 'pipe'
  | 'poll'
  | 'prepare'
  | 'process'
  | 'tcp'
  | 'timer'
  | 'tty'
  | 'udp'
  | 'signal';

/**
 * What every handle offers to `loop.walk()` and `loop.handles`: the public
 * surface of `Handle`, declared here so that the loop can hand handles back
 * to users without importing the handle classes.
 */
export interface LoopHandle {
  /** The handle's type name. */
  readonly type: HandleType;
  /** A per-loop number, unique among the loop's handles, in creation order. */
  readonly id: number;
  /** True for active handles (`uv_is_active`). */
  readonly active: boolean;
  /** True from `close()` on (`uv_is_closing`). */
  readonly closing: boolean;
  /** True once the close callback phase has finished with the handle. */
  readonly closed: boolean;
  /** Whether the handle is ref'd (`uv_has_ref`). */
  readonly referenced: boolean;
  /** Free for the user. */
  data: unknown;
  /** Closes the handle (see `Handle.close`). */
  close(callback?: (handle: LoopHandle) => void): void;
  /** Refs the handle. */
  ref(): void;
  /** Unrefs the handle. */
  unref(): void;
  /** `uv_has_ref`. */
  hasRef(): boolean;
}

/**
 * The loop-side view of a handle: what the CLOSING phase needs.
 */
export interface ClosableHandle extends LoopHandle {
  /** Internal handles (e.g. the thread pool's async) are invisible to walk and close checks. */
  readonly internal: boolean;
  /**
   * Internal handles only: called by a successful `loop.close()`, as libuv's
   * `uv_loop_close` releases the loop's own handles (the thread pool's
   * async).
   */
  loopClosed?(): void;
  /** Runs in the CLOSING phase: finish the close and call the close callback. */
  finishClose(): void;
  /** The previous handle in the loop's handle list (creation order). */
  handleListPrev: ClosableHandle | null;
  /** The next handle in the loop's handle list. */
  handleListNext: ClosableHandle | null;
  /** True while the handle is in the loop's handle list. */
  handleListed: boolean;
}

/**
 * An idle, prepare or check watcher (one definition for all three, as in
 * libuv's loop-watcher.c), or an async handle: something kept in one of the
 * loop's phase queues.
 */
export interface PhaseWatcher extends ClosableHandle {
  /** This watcher's link in its phase queue. */
  readonly phaseNode: QueueNode<PhaseWatcher>;
  /** Runs the watcher's callback for the current phase. */
  runPhase(): void;
}

/**
 * A timer as the loop's TIMERS phase sees it.
 */
export interface LoopTimer extends HeapTimer, ClosableHandle {
  /** True while the timer sits in 1.52's batch of due timers collected for this pass. */
  inDueBatch: boolean;
  /** Takes the timer off the heap and deactivates it (`uv_timer_stop`). */
  stopForExpiry(): void;
  /** Re-arms a repeating timer (`uv_timer_again`), then calls the user's callback. */
  fire(): void;
}

/**
 * A watcher whose completion is deferred to the pending queue (rule 1.22):
 * streams with finished writes, delayed connect errors, UDP sends. The
 * Node-object watcher (node-watcher.ts) is the one implementation.
 */
export interface PendingWatcher {
  /** This watcher's link in the pending queue. */
  readonly pendingNode: QueueNode<PendingWatcher>;
  /** Runs the deferred work, as libuv calls the watcher's I/O handler. */
  runPending(): void;
}

/**
 * @internal Readiness that other threads find and POLL must consult: the
 * descriptors of `Poll` handles, watched by readiness workers. Unlike a
 * Node event, a source's news does not arrive by itself in Node's event
 * loop: its producers ring `bell` (an `Atomics.notify` on word 0), which
 * the poller waits on beside its timer, and POLL asks the source what is
 * ready. See poller.ts.
 */
export interface ReadinessSource {
  /** The shared word the source's producers increment and notify. */
  readonly bell: Int32Array;
  /**
   * The bell's value when `hasReady()` last looked: the poller waits for
   * it to change, so a ring between that look and the wait is not lost.
   */
  readonly bellSeen: number;
  /** POLL begins: asks for the answers this POLL must have. */
  beginPoll(): void;
  /** Whether something is ready to dispatch now. */
  hasReady(): boolean;
  /** Blocks, briefly and boundedly, until the answers asked for by `beginPoll()` are in. */
  settle(): void;
  /** POLL's dispatch: runs the callbacks of what is ready; returns how many ran. */
  dispatch(): number;
}
