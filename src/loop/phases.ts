/**
 * The phases of an iteration, each as one method: TIMERS, PENDING, the
 * IDLE/PREPARE/CHECK watchers, POLL's dispatch and CLOSING. `loop.ts`
 * strings them together in libuv's order (`uv_run`); this file says what
 * each one does, so the order and the contents can be read apart, as
 * libuv's `core.c` and `timer.c`/`loop-watcher.c` are.
 *
 * Every phase takes its work out of the structures in `loop-state.ts` in a
 * way that fixes which callbacks a pass sees: a batch is detached (or
 * collected) before the first callback runs, so work added by a callback
 * waits for the next pass where libuv's would (rules 1.23, 3.10, 4.4, 6.4).
 *
 * @module
 */
import type { ClosableHandle, PhaseWatcher } from './types.js';
import type { Queue } from './queue.js';
import { LoopState } from './loop-state.js';
import type { Phase } from './trace.js';

/** The phases of `uv_run`; {@link Loop} runs them in order (not exported: use `Loop`). */
export abstract class LoopPhases extends LoopState {
  protected enterPhase(
    phase: Phase,
    detail?: 'start-of-run' | 'end-of-iteration' | 'post-poll',
  ): void {
    this.currentPhase = phase;
    if (this.tracer !== null) {
      this.trace(
        detail === undefined ? { type: 'phase', phase } : { type: 'phase', phase, detail },
      );
    }
  }

  /**
   * TIMERS: rule 3.10 (collect the due timers first: `dueTimerSnapshot`,
   * 1.52) or 3.8 (re-read the heap after each callback, 1.44).
   */
  protected runTimers(detail?: 'start-of-run' | 'end-of-iteration'): void {
    this.enterPhase('timers', detail);
    if (!this.behaviour.dueTimerSnapshot) {
      for (;;) {
        const timer = this.timerHeap.peek();
        // Compare with the *live* cached time, not a copy taken at the start
        // of the pass: 1.44.2's uv__run_timers re-reads loop->time for every
        // timer, so a callback that calls updateTime() makes later timers due
        // in the same pass (rule 3.9; test/timer-rules.test.ts).
        if (timer === undefined || timer.due > this.cachedNow) break;
        timer.stopForExpiry();
        timer.fire();
      }
      return;
    }
    const now = this.cachedNow;
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
  protected runPending(detail?: 'post-poll'): void {
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
  protected runWatchers(phase: 'idle' | 'prepare' | 'check', queue: Queue<PhaseWatcher>): void {
    this.enterPhase(phase);
    this.walkRequeueing(queue);
  }

  /** Runs each watcher of `queue`, detach-and-requeue (see `runWatchers`). */
  private walkRequeueing(queue: Queue<PhaseWatcher>): void {
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
  protected mustWait(timeout: number): boolean {
    // While pool jobs run on Node's APIs, one may have ended while this
    // thread was busy: Node's turn comes first even then (poller.ts).
    if (this.poller.hasOutsideReady()) return this.poller.needsTurnWhenReady();
    // Only readiness the loop knows itself (a writable UDP socket): Node's
    // zero-timeout turn still comes first (poller.ts).
    if (this.poller.hasReady()) return this.poller.needsTurn();
    return timeout !== 0 || this.poller.needsTurn();
  }

  protected traceSyncPoll(timeout: number): void {
    this.enterPhase('poll');
    if (this.tracer !== null) this.trace({ type: 'poll-start', timeout, waits: false });
  }

  /**
   * POLL's dispatch: the recorded I/O completions in arrival order, then the
   * async list (thread-pool completions, which come through the loop's
   * internal async handle, come first there), then signals and child exits
   * (rule 1.20).
   */
  protected dispatchCompletions(): number {
    this.currentPhase = 'poll';
    // A wait ended by a change of the loop's own state has nothing to dispatch.
    this.poller.takeInterrupt();
    let dispatched = 0;
    const io = this.poller.takeIoBatch();
    if (io !== null) {
      for (const completion of io) this.runCompletion(completion);
      dispatched += io.length;
    }
    // Poll handles' descriptors, which readiness workers watched.
    dispatched += this.poller.dispatchSources();
    if (this.poller.takeAsyncWakeup()) {
      dispatched++;
      // The async list, walked as rule 5.3 says: each handle decides itself.
      this.walkRequeueing(this.asyncQueue);
    }
    const late = this.poller.takeLateBatch();
    if (late !== null) {
      for (const completion of late) this.runCompletion(completion);
      dispatched += late.length;
    }
    if (this.tracer !== null) this.trace({ type: 'poll-end', dispatched, now: this.cachedNow });
    return dispatched;
  }

  private runCompletion(completion: () => void): void {
    try {
      completion();
    } catch (error) {
      this.reportCallbackError(error);
    }
  }

  /**
   * CLOSING: the queue is detached and finished newest-first, so close
   * callbacks run in reverse order of their `close()` calls (rule 6.4).
   * Handles closed from a close callback land in the new queue.
   */
  protected runClosing(): void {
    this.enterPhase('closing');
    const closing = this.closingQueue;
    if (closing.length === 0) return;
    this.closingQueue = [];
    for (let index = closing.length - 1; index >= 0; index--) {
      (closing[index] as ClosableHandle).finishClose();
    }
  }
}
