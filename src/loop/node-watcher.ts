/**
 * The Node-object watcher: uvts's `uv__io_t`.
 *
 * In libuv every handle that owns a file descriptor embeds one `uv__io_t`:
 * the loop starts and stops it, epoll reports its readiness, and its link
 * in the pending queue lets the handle defer work to the next PENDING
 * phase (`uv__io_feed`). In uvts a handle owns a Node object instead — a
 * `net.Socket`, a `net.Server`, a `dgram.Socket`, a `ChildProcess`, an
 * `fs.FSWatcher`, a worker — and a `NodeWatcher` is what ties that object
 * to the loop:
 *
 * - `attach(object)` makes it the watched object: it is unref'd in Node
 *   (the poller holds the process exactly while the loop is alive and
 *   waiting; docs/architecture.md) and counted as a Node-backed watcher, so
 *   that a zero-timeout POLL still gives Node the turn in which its events
 *   arrive (poller.ts). `detach()` undoes both and hands the object back
 *   for the handle to destroy, close or keep.
 * - `guard(object, listener)` wraps a Node listener so that events of an
 *   object that is no longer attached (the handle closed or replaced it)
 *   are dropped: the one stale-event check (rule 6.2).
 * - `report(completion)` records a completion for POLL, in arrival order;
 *   `reportLate(completion)` one that POLL runs after all others, as libuv
 *   reads its signal pipe and reaps children last (rule 1.20).
 * - `feed()` queues the watcher for the next PENDING phase, at most once
 *   (`uv__io_feed`, rule 1.22); the phase calls the handle's `onPending`.
 *
 * No user callback runs from a Node event (docs/architecture.md, the one
 * rule): a listener only records state and reports a completion, and the
 * loop's phases decide when the callback runs.
 *
 * The watched object can be anything a handle owns. Objects with an
 * `unref()` method have it called; others (a signal's process-wide
 * listener, a worker's message port that is unref'd differently) are only
 * counted. A handle with two Node objects (a stream that listens, a
 * process with its child) holds one watcher per object.
 *
 * @module
 */
import type { LoopState } from './loop-state.js';
import type { Completion } from './poller.js';
import { QueueNode } from './queue.js';
import type { PendingWatcher } from './types.js';

/** Something a Node object may offer: `unref()`, which the watcher calls at `attach()`. */
interface Unreferenceable {
  unref(): unknown;
}

function hasUnref(value: object): value is Unreferenceable {
  return typeof (value as Partial<Unreferenceable>).unref === 'function';
}

function nothingPending(): void {}

/** @internal One handle's watcher of one Node object; see the module comment. */
export class NodeWatcher<T extends object = object> implements PendingWatcher {
  /** This watcher's link in the loop's pending queue. */
  readonly pendingNode: QueueNode<PendingWatcher> = new QueueNode<PendingWatcher>(this);
  private attached: T | null = null;

  /**
   * @param loop The loop the handle belongs to.
   * @param onPending What the PENDING phase runs after `feed()` (libuv calls
   *   the watcher's I/O callback there).
   */
  constructor(
    private readonly loop: LoopState,
    private readonly onPending: () => void = nothingPending,
  ) {}

  /** The attached Node object, or `null`. */
  get current(): T | null {
    return this.attached;
  }

  /** Whether `object` is the attached Node object. */
  isCurrent(object: T): boolean {
    return this.attached === object;
  }

  /** Watches `object`: unrefs it and counts it; a previously attached object is detached first. */
  attach(object: T): void {
    if (this.attached !== null) this.detach();
    this.attached = object;
    this.loop.poller.nodeWatchers++;
    if (hasUnref(object)) object.unref();
  }

  /**
   * Stops watching: the object is no longer counted, and its events are
   * dropped from now on (see `guard`). Returns it, for the handle to
   * destroy or keep; `null` if nothing was attached.
   */
  detach(): T | null {
    const object = this.attached;
    if (object === null) return null;
    this.attached = null;
    this.loop.poller.nodeWatchers--;
    return object;
  }

  /**
   * Wraps a listener for an event of `object` so that it runs only while
   * `object` is attached. Every Node listener of a handle goes through
   * this: an event that arrives after `close()` (or after the object was
   * replaced) never reaches the handle. Node's events carry at most two
   * arguments (a UDP message and its sender, a child's exit code and
   * signal); a fixed arity keeps the hot path free of rest arrays.
   */
  guard<A = void, B = void>(object: T, listener: (a: A, b: B) => void): (a: A, b: B) => void {
    return (a: A, b: B): void => {
      if (this.attached === object) listener(a, b);
    };
  }

  /** Records a completion; POLL runs it in arrival order (poller.ts). */
  report(completion: Completion): void {
    this.loop.poller.enqueue(completion);
  }

  /**
   * Records readiness the loop knows without Node, such as a UDP socket's
   * writability or datagrams still to be read (see `Poller.enqueueKnown`);
   * POLL runs it in arrival order with the rest.
   */
  reportKnown(completion: Completion): void {
    this.loop.poller.enqueueKnown(completion);
  }

  /** Takes back a completion `report()` recorded and POLL has not run (see `Poller.withdraw`). */
  withdraw(completion: Completion): boolean {
    return this.loop.poller.withdraw(completion);
  }

  /** Records a completion that POLL runs after all others: signals, child exits (rule 1.20). */
  reportLate(completion: Completion): void {
    this.loop.poller.enqueueLate(completion);
  }

  /** Queues this watcher for the next PENDING phase, once (`uv__io_feed`, rule 1.22). */
  feed(): void {
    this.loop.feedPending(this);
  }

  /** Takes the watcher off the pending queue (the handle is closing). */
  unfeed(): void {
    this.pendingNode.remove();
  }

  /** @internal Called by the PENDING phase. */
  runPending(): void {
    this.onPending();
  }
}
