/**
 * The loop's end of the thread pool: libuv's `loop->wq`, `wq_async` and
 * `uv__work_done` (src/threadpool.c).
 *
 * A job that ends — or is cancelled — does not call back: it is appended
 * to its loop's *done* list, and the loop is woken through an internal
 * async handle, exactly as a libuv worker appends to `loop->wq` and calls
 * `uv_async_send(&loop->wq_async)`. POLL then walks the async list, where
 * this handle comes first (libuv creates `wq_async` in `uv_loop_init`,
 * before any user async; docs/semantics.md rule 1.21), and delivers the
 * whole list in completion order. A job that ends while the list is being
 * delivered waits for the next POLL, as in libuv, where the handle's pending
 * flag is cleared before `uv__work_done` runs (rule 8.36).
 *
 * Like `wq_async`, the handle is internal: unreferenced (requests, not it,
 * keep the loop alive), invisible to `walk()`, and no obstacle to
 * `loop.close()`.
 *
 * @module
 */
import { Handle } from '../handles/handle.js';
import type { Loop } from '../loop/loop.js';
import { Queue, QueueNode } from '../loop/queue.js';
import type { PhaseWatcher } from '../loop/types.js';
import { ThreadPool } from './thread-pool.js';

/** @internal What the done list holds: a pool request, which knows how to call back. */
export interface DoneEntry {
  /** The entry's link in its loop's done list. */
  readonly doneNode: QueueNode<DoneEntry>;
  /** Runs in POLL: unregister the request and call its callback. */
  complete(): void;
}

const byLoop = new WeakMap<Loop, WorkDone>();
/** Loops of this thread that have used the pool and are not closed. */
let openLoops = 0;

/** @internal A loop's done list and its internal async handle. */
export class WorkDone extends Handle implements PhaseWatcher {
  /** An async handle, as libuv's `wq_async`. */
  readonly type = 'async';
  /** @internal Its link in the loop's async list. */
  readonly phaseNode: QueueNode<PhaseWatcher> = new QueueNode<PhaseWatcher>(this);
  private readonly done = new Queue<DoneEntry>();
  private readonly delivering = new Queue<DoneEntry>();
  private pending = false;

  private constructor(loop: Loop) {
    super(loop, true);
    loop.asyncQueue.insertHead(this.phaseNode);
    this.activate();
  }

  /** The done list of `loop`, made at its first pool request. */
  static of(loop: Loop): WorkDone {
    let workDone = byLoop.get(loop);
    if (workDone === undefined) {
      workDone = new WorkDone(loop);
      byLoop.set(loop, workDone);
      openLoops++;
    }
    return workDone;
  }

  /**
   * Appends `entry` (moving it to the end if it is already there, as
   * libuv's `uv__work_cancel` does for a request cancelled twice) and wakes
   * the loop.
   */
  push(entry: DoneEntry): void {
    entry.doneNode.remove();
    this.done.insertTail(entry.doneNode);
    if (this.pending) return;
    this.pending = true;
    this.loop.poller.signalAsync();
  }

  /** @internal Called by POLL's walk of the async list: `uv__work_done`. */
  runPhase(): void {
    ThreadPool.catchUp();
    if (!this.pending) return;
    this.pending = false;
    const batch = this.delivering;
    this.done.moveTo(batch);
    let delivered = 0;
    for (let entry = batch.first(); entry !== null; entry = batch.first()) {
      entry.doneNode.remove();
      delivered++;
      entry.complete();
    }
    // The loop counted this handle's wake-up as one event; libuv's
    // uv__work_done adds one per further request it called back.
    if (delivered > 1) this.loop.metricsState.dispatched(delivered - 1);
  }

  /**
   * The loop closed (`uv_loop_close`): the handle goes, and when no open
   * loop of this thread has used the pool any more, its idle worker threads
   * end now rather than after their idle time.
   */
  loopClosed(): void {
    this.phaseNode.remove();
    this.loop.unregisterHandle(this);
    byLoop.delete(this.loop);
    if (--openLoops === 0) ThreadPool.lastLoopClosed();
  }

  protected closeResources(): void {
    this.phaseNode.remove();
  }
}
