/**
 * The poller: how the POLL phase waits for completions.
 *
 * The design's one rule is that a Node event never calls user code. A Node
 * object's listener only records a *completion* — a closure — here, and wakes
 * the waiting POLL phase if there is one. The loop then dispatches the
 * recorded completions in arrival order, in POLL, exactly where libuv runs
 * the callbacks of the events `epoll_wait` returned.
 *
 * Three kinds of sources can end a wait:
 *
 * - Node's own event loop (sockets, child processes, fs.watch, …): their
 *   listeners call `enqueue()`, which ends the pending wait once Node's
 *   poll phase is over (see `enqueue`).
 * - Other threads (`Async.send` from a worker, thread-pool results): they
 *   bump a shared 32-bit *doorbell* word and `Atomics.notify` it. The loop
 *   watches the word with `Atomics.waitAsync`, keeping at most one such
 *   waiter armed at a time (a waiter per poll would pile up forever).
 * - The poll timeout: one Node timer. It is also what keeps the Node
 *   process alive while the loop waits, because a pending `waitAsync` does
 *   not (docs/node.md Q1). The loop waits with a non-zero timeout only
 *   while it is alive, so the process stays exactly as long as the loop.
 *
 *   The timer outlives the wait it was armed for. Arming and clearing a
 *   Node timer on every wait cost about a tenth of a ping-pong round trip
 *   (docs/benchmarks.md, Streams), and most waits end early, on I/O, with
 *   the next wait aiming at the same deadline (the loop's next timer). So a
 *   wait reuses the armed timer whenever it fires no later than the new
 *   deadline; an earlier firing is harmless, because the loop waits again
 *   for the rest of its timeout when it wakes with nothing to do (rule
 *   1.17). Between runs the timer is unreferenced, so an idle loop holds
 *   nothing of the process.
 *
 * - Readiness sources (`ReadinessSource`, loop/types.ts): `Poll` handles,
 *   whose descriptors readiness workers watch. POLL asks each source what
 *   it needs to know (`beginPoll`), a wait also ends when a source's bell
 *   rings, and before dispatching POLL lets each source collect the
 *   answers it asked for (`settle`), so that a descriptor that is ready
 *   is reported in this POLL even when POLL does not block (rule 8.24).
 *
 * One more kind of completion needs no outside source: readiness the loop
 * knows by itself, like the writability of a UDP socket with datagrams
 * queued, or datagrams Node handed over earlier that are still to be read
 * (`enqueueKnown`). libuv learns it from the same `epoll_wait` that reports
 * the other descriptors, so it must not make POLL skip Node's turn: with
 * only such completions ready, POLL still gives Node its zero-timeout turn
 * (below) and then dispatches everything in one batch. Otherwise a loop
 * kept busy by its own sends would never see a datagram arrive.
 *
 * When the timeout is 0, POLL must not block, but ready Node I/O should still
 * be seen: the poller then yields one `setImmediate` turn — but only while a
 * Node-backed watcher exists (`nodeWatchers > 0`). With none, nothing outside
 * the thread can have completed, so the poll stays fully synchronous and a
 * busy loop (an idle watcher) costs no Node turn per iteration. Cross-thread
 * doorbells are read synchronously with `Atomics.load`, so they need no turn.
 *
 * When something is ready already, POLL dispatches without a Node turn, with
 * one exception: while thread-pool jobs of the loop run on Node's
 * asynchronous APIs (fs, DNS; counted in `poolJobsInNode`), POLL first gives
 * Node one turn. Such a job may have ended while the loop's thread was busy
 * (a long callback), and a libuv worker would have put it on the done list
 * by then, so that POLL delivers it before the user's async callbacks of the
 * same wake-up (rule 8.36); Node calls its callback only in its own poll
 * phase (docs/deviations.md F8). Other Node objects do not get this turn,
 * so a loop kept busy by its own async sends pays none for them.
 *
 * @module
 */

import type { ReadinessSource } from './types.js';

/** Node's setTimeout accepts at most 2^31-1 ms; the poll re-waits past that. */
const MAX_WAIT_MS = 2147483647;

/** A recorded completion: a closure that runs the user-visible consequence. */
export type Completion = () => void;

/** @internal */
export class Poller {
  /** Completions recorded from Node events, in arrival order. */
  private ioQueue: Completion[] = [];
  /** The completions of `ioQueue` that `enqueueKnown` recorded. */
  private readonly loopKnown = new Set<Completion>();
  /** Signal and child-exit completions, dispatched after everything else in POLL (rule 1.20). */
  private lateQueue: Completion[] = [];
  /** Number of live Node objects that can produce completions. */
  nodeWatchers = 0;
  /**
   * Number of this loop's thread-pool jobs that run on Node's asynchronous
   * APIs and end in a Node callback (see the module comment).
   */
  poolJobsInNode = 0;
  /** Set by a same-thread `Async.send()`: the async list must be examined. */
  asyncSignalled = false;
  /** The shared doorbell word other threads ring; see the module comment. */
  readonly doorbell = new Int32Array(new SharedArrayBuffer(4));
  /** The readiness sources of this loop (see the module comment). */
  readonly sources = new Set<ReadinessSource>();
  /** The bells a wait is armed on, so that one wait arms each at most once. */
  private readonly armedBells = new Set<Int32Array>();
  /** Set once anything has been handed to another thread; before that the doorbell cannot ring. */
  crossThread = false;
  private doorbellSeen = 0;
  private doorbellArmed = false;
  /** The loop runs inside one of our immediates, i.e. in Node's check phase. */
  private inCheckPhase = false;
  /** What to call when the pending wait ends; null while the loop is not waiting. */
  private waitEnd: (() => void) | null = null;
  /** A `wake()` has queued its microtask and it has not run yet. */
  private wakeQueued = false;
  /** `interrupt()` ended the wait: POLL must return, though nothing completed. */
  private interrupted = false;
  /** The poll timer, armed or null once it has fired; see the module comment. */
  private waitTimer: NodeJS.Timeout | null = null;
  /** When `waitTimer` fires, in loop time. */
  private waitTimerDue = 0;
  /** Whether `waitTimer` currently holds the process. */
  private waitTimerHeld = false;
  private waitImmediate: NodeJS.Immediate | null = null;
  private readonly onWaitEnd = (): void => {
    // Whatever the loop does next runs inside Node's check phase.
    this.inCheckPhase = true;
    try {
      this.endWait();
    } finally {
      this.inCheckPhase = false;
    }
  };
  private readonly onWaitTimer = (): void => {
    this.waitTimer = null;
    this.waitTimerHeld = false;
    this.endWait();
  };
  private readonly onWakeMicrotask = (): void => {
    this.wakeQueued = false;
    this.endWait();
  };
  private readonly onFirstTurn = (): void => {
    this.waitImmediate = setImmediate(this.onWaitEnd);
  };

  /**
   * Records a completion from a Node event and ends a pending wait — at the
   * end of Node's current poll phase, not at once. Node emits every event
   * its own `epoll_wait` returned in one poll phase, with a microtask
   * checkpoint after each; resuming the loop in the first checkpoint would
   * cut that batch into several POLLs. An immediate runs in Node's check
   * phase, right after the poll phase, when the whole batch is recorded
   * (rules 1.17, 1.19).
   */
  enqueue(completion: Completion): void {
    this.ioQueue.push(completion);
    this.wakeAfterNodePoll();
  }

  /**
   * Takes back a recorded completion that has not run: the readiness it
   * stood for is gone before POLL (a UDP handle's writability interest,
   * dropped when its queue empties, as libuv stops watching POLLOUT), so
   * it must neither run nor keep POLL from waiting. Returns whether it was
   * still recorded.
   */
  withdraw(completion: Completion): boolean {
    const index = this.ioQueue.lastIndexOf(completion);
    if (index < 0) return false;
    this.ioQueue.splice(index, 1);
    this.loopKnown.delete(completion);
    return true;
  }

  /**
   * Records readiness the loop knows without Node (see the module comment):
   * it ends a pending wait like a completion, but does not spare POLL
   * Node's turn.
   */
  enqueueKnown(completion: Completion): void {
    this.ioQueue.push(completion);
    this.loopKnown.add(completion);
    this.wakeAfterNodePoll();
  }

  /** Whether something from outside the loop (not `enqueueKnown`) is ready. */
  hasOutsideReady(): boolean {
    return this.readyWith(this.ioQueue.length - this.loopKnown.size);
  }

  /** Records a completion that POLL must run after all others (signals, child exits). */
  enqueueLate(completion: Completion): void {
    this.lateQueue.push(completion);
    this.wakeAfterNodePoll();
  }

  /**
   * Marks the async list as needing a walk (a same-thread send) and ends a
   * pending wait after Node's poll phase, like a completion: a send from a
   * Node callback must not cut that phase's events into two POLLs.
   */
  signalAsync(): void {
    this.asyncSignalled = true;
    this.wakeAfterNodePoll();
  }

  /** True while POLL is waiting (between `wait()` and the end of the wait). */
  get waiting(): boolean {
    return this.waitEnd !== null;
  }

  /**
   * Ends the pending wait and makes POLL return, as an async wake-up
   * does, though nothing completed: the loop's state changed under it
   * (see `LoopState.noteChange`). Consumed by `takeInterrupt()`.
   */
  interrupt(): void {
    this.interrupted = true;
    // After Node's poll phase, like a completion, so that the events of
    // that phase still come in one POLL.
    this.wakeAfterNodePoll();
  }

  /** Consumes an `interrupt()`: true if there was one since the last call. */
  takeInterrupt(): boolean {
    const interrupted = this.interrupted;
    this.interrupted = false;
    return interrupted;
  }

  /** True when something is ready to dispatch without waiting. */
  hasReady(): boolean {
    return this.readyWith(this.ioQueue.length);
  }

  /** Whether anything is ready, counting `completions` of the recorded ones. */
  private readyWith(completions: number): boolean {
    if (
      this.interrupted ||
      completions > 0 ||
      this.lateQueue.length > 0 ||
      this.asyncSignalled ||
      (this.crossThread && Atomics.load(this.doorbell, 0) !== this.doorbellSeen)
    )
      return true;
    for (const source of this.sources) if (source.hasReady()) return true;
    return false;
  }

  /** POLL begins: each readiness source asks for what this POLL must know. */
  beginPoll(): void {
    for (const source of this.sources) source.beginPoll();
  }

  /** Before the dispatch: each readiness source collects the answers it asked for. */
  settle(): void {
    for (const source of this.sources) source.settle();
  }

  /** POLL's dispatch of the readiness sources; returns how many callbacks ran. */
  dispatchSources(): number {
    let dispatched = 0;
    for (const source of this.sources) dispatched += source.dispatch();
    return dispatched;
  }

  /** Whether a zero-timeout poll should still give Node one turn. */
  needsTurn(): boolean {
    return this.nodeWatchers > 0;
  }

  /**
   * Whether a poll that finds something ready should still give Node one
   * turn before it dispatches: while pool jobs run on Node's APIs (see the
   * module comment).
   */
  needsTurnWhenReady(): boolean {
    return this.poolJobsInNode > 0;
  }

  /**
   * Waits until something is ready or `timeout` ms have passed since `now`
   * (the loop's time; -1: no limit; 0: one `setImmediate` turn), then calls
   * `onEnd` — always later, from a Node callback or a microtask, never from
   * inside this call. The caller decides from `hasReady()` and the clock
   * whether to wait again.
   *
   * A callback rather than a promise: the loop resumes directly in the Node
   * callback that ended the wait, which saves the promise and the async
   * function resumptions of every wake-up (about 2 µs of a ping-pong round
   * trip, docs/benchmarks.md).
   */
  wait(timeout: number, now: number, onEnd: () => void): void {
    this.waitEnd = onEnd;
    if (timeout === 0) {
      // One immediate is not always enough: requested from Node's poll
      // phase (an I/O callback, or a microtask after one) it runs in the
      // check phase right after, with no poll phase in between, and ready
      // I/O would go unseen. An immediate requested from an immediate
      // always has a poll phase before it, so when the loop itself runs in
      // one of ours (the usual case while it spins) one is enough: that
      // halves the cost of a zero-timeout turn.
      this.waitImmediate = setImmediate(this.inCheckPhase ? this.onWaitEnd : this.onFirstTurn);
    } else {
      this.armTimer(timeout < 0 || timeout > MAX_WAIT_MS ? MAX_WAIT_MS : timeout, now);
    }
    if (this.crossThread) this.armDoorbell();
    for (const source of this.sources) this.armBell(source);
  }

  /** Ends the wait when `source`'s bell rings (or has rung since it was last looked at). */
  private armBell(source: ReadinessSource): void {
    const bell = source.bell;
    if (this.armedBells.has(bell)) return;
    const result = Atomics.waitAsync(bell, 0, source.bellSeen);
    if (!result.async) {
      this.wake();
      return;
    }
    this.armedBells.add(bell);
    void result.value.then(() => {
      this.armedBells.delete(bell);
      this.endWait();
    });
  }

  /**
   * Makes sure the poll timer fires within `ms` of `now` (the loop's time,
   * which is what its poll timeout counts from, as in libuv) and holds the
   * process: the armed timer is kept if it fires no later than that, else
   * replaced.
   */
  private armTimer(ms: number, now: number): void {
    const due = now + ms;
    if (this.waitTimer !== null && this.waitTimerDue > due) {
      clearTimeout(this.waitTimer);
      this.waitTimer = null;
    }
    if (this.waitTimer === null) {
      this.waitTimer = setTimeout(this.onWaitTimer, ms);
      this.waitTimerDue = due;
      this.waitTimerHeld = true;
    } else if (!this.waitTimerHeld) {
      this.waitTimer.ref();
      this.waitTimerHeld = true;
    }
  }

  /**
   * Lets go of the process when the loop stops running: the armed poll
   * timer stays for the next run, unreferenced (see the module comment).
   */
  release(): void {
    if (this.waitTimerHeld && this.waitTimer !== null) this.waitTimer.unref();
    this.waitTimerHeld = false;
  }

  /** Ends a pending wait once Node's current poll phase is over (see `enqueue`). */
  private wakeAfterNodePoll(): void {
    if (this.waitEnd === null) return;
    if (this.waitImmediate === null) this.waitImmediate = setImmediate(this.onWaitEnd);
  }

  /**
   * Ends a pending wait, if any, in a microtask: safe to call at any time,
   * and the loop never resumes inside the caller. For a doorbell that rang
   * before its waiter could be armed, which `wait()` finds on the stack.
   */
  wake(): void {
    if (this.waitEnd === null || this.wakeQueued) return;
    this.wakeQueued = true;
    queueMicrotask(this.onWakeMicrotask);
  }

  /**
   * Ends the pending wait at once; only the poller's own Node callbacks and
   * microtasks call it, when no loop code is on the stack. A stale call
   * (its wait already ended) does nothing, and one that ends a newer wait
   * early is harmless: the loop waits again when it finds nothing to do.
   */
  private endWait(): void {
    const onEnd = this.waitEnd;
    if (onEnd === null) return;
    this.waitEnd = null;
    if (this.waitImmediate !== null) {
      clearImmediate(this.waitImmediate);
      this.waitImmediate = null;
    }
    onEnd();
  }

  /** Takes the batch of recorded I/O completions (later ones go to the next batch). */
  takeIoBatch(): Completion[] | null {
    if (this.ioQueue.length === 0) return null;
    const batch = this.ioQueue;
    this.ioQueue = [];
    this.loopKnown.clear();
    return batch;
  }

  /** Takes the batch of late completions (signals, child exits). */
  takeLateBatch(): Completion[] | null {
    if (this.lateQueue.length === 0) return null;
    const batch = this.lateQueue;
    this.lateQueue = [];
    return batch;
  }

  /**
   * Consumes the async wake-up: true if a same-thread send or a doorbell
   * ring happened since the last call (like draining libuv's eventfd).
   */
  takeAsyncWakeup(): boolean {
    let rang = this.asyncSignalled;
    this.asyncSignalled = false;
    if (this.crossThread) {
      const value = Atomics.load(this.doorbell, 0);
      if (value !== this.doorbellSeen) {
        this.doorbellSeen = value;
        rang = true;
      }
    }
    return rang;
  }

  /** Releases the doorbell waiter so that nothing of the loop lingers after `close()`. */
  dispose(): void {
    if (this.doorbellArmed) Atomics.notify(this.doorbell, 0);
    for (const bell of this.armedBells) Atomics.notify(bell, 0);
    this.waitEnd = null;
    if (this.waitTimer !== null) clearTimeout(this.waitTimer);
    this.waitTimer = null;
    this.waitTimerHeld = false;
  }

  private armDoorbell(): void {
    if (this.doorbellArmed) return;
    const result = Atomics.waitAsync(this.doorbell, 0, this.doorbellSeen);
    if (!result.async) {
      // The word changed before we could wait: a ring is already there.
      this.wake();
      return;
    }
    this.doorbellArmed = true;
    void result.value.then(() => {
      this.doorbellArmed = false;
      this.endWait();
    });
  }
}
