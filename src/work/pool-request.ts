/**
 * `PoolRequest`: the loop side of every thread-pool request — work, fs,
 * getaddrinfo, getnameinfo (libuv's `struct uv__work` inside each of them).
 *
 * A pool request goes through four states, and `cancel()` answers from
 * them exactly as `uv_cancel` does (docs/semantics.md rule 8.38):
 *
 * | state | how it got there | `cancel()` |
 * | --- | --- | --- |
 * | queued | `submit()` | returns: taken out of the queue, callback later in POLL with ECANCELED (EAI_CANCELED for DNS) |
 * | running | a slot took it (`ThreadPool`) | throws EBUSY |
 * | done | its job called `done()`, or it was cancelled; it waits in its loop's done list | EBUSY, or for a cancelled one: returns, and it moves to the end of the done list (libuv does the same) |
 * | finished | its callback has started | EBUSY |
 *
 * A subclass supplies the job and the callback:
 *
 * - `runJob(done)` starts the job when a slot is free, on Node's asynchronous
 *   APIs or a worker thread, and calls `done()` once, when it is over. Until
 *   then the request holds its slot, exactly like a libuv thread busy with
 *   it, so saturation and cancellation are exact.
 * - `deliver(canceled)` runs in POLL, after the request has stopped counting
 *   toward its loop's liveness, and calls the user's callback.
 *
 * The request keeps its loop alive from construction until `deliver` runs
 * (rule 2.3): the base class `Request` registers it.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import { QueueNode } from '../loop/queue.js';
import { Request } from '../requests/request.js';
import { ThreadPool } from './thread-pool.js';
import type { JobState, QueueEntry, WorkKind } from './thread-pool.js';
import { WorkDone } from './work-done.js';
import type { DoneEntry } from './work-done.js';

// PoolRequest has the shape of the pool's PoolJob and of the done list's
// DoneEntry (checked where submit, jobDone and push take it) but names them in
// no `implements` clause: they are internal, and the published declarations
// would then name types they do not contain.
/** The base class of thread-pool requests; see the module comment. */
export abstract class PoolRequest extends Request {
  /** @internal How the job counts against the pool's limits (DNS is slow I/O). */
  abstract readonly workKind: WorkKind;
  /** @internal The request's link in the pool's queues. */
  readonly poolNode: QueueNode<QueueEntry> = new QueueNode<QueueEntry>(this);
  /** @internal The request's link in its loop's done list. */
  readonly doneNode: QueueNode<DoneEntry> = new QueueNode<DoneEntry>(this);
  /** @internal Maintained by the pool. */
  poolState: JobState = 'queued';
  /** True if `cancel()` took the request out of the queue before it ran. */
  private wasCanceled = false;
  /**
   * What `runJob` threw, if it threw instead of starting the job; the
   * request then ends at once, and `deliver` should report it.
   */
  protected startError: unknown = null;
  /**
   * @internal Whether the job's end reaches the loop only through a Node
   * callback (fs and DNS, on Node's asynchronous APIs). POLL gives Node a
   * turn while such jobs run (loop/poller.ts). A work job ends on a worker
   * thread, whose result the pool catches up with at once (`catchUp`).
   */
  protected readonly endsInNodeCallback: boolean = true;

  /** Registers the request with `loop`; call {@link submit} once it is ready to run. */
  protected constructor(loop: Loop) {
    super(loop);
  }

  /** True if the request was cancelled (its callback gets ECANCELED or EAI_CANCELED). */
  get canceled(): boolean {
    return this.wasCanceled;
  }

  /**
   * Cancels the request (`uv_cancel`) if it has not started: it leaves the
   * queue, and its callback still runs, later, in POLL, with ECANCELED
   * (EAI_CANCELED for getaddrinfo/getnameinfo). Throws `UVError` EBUSY if it
   * is running or has run, even if its callback has not run yet.
   */
  override cancel(): void {
    ThreadPool.catchUp();
    const workDone = WorkDone.of(this.loop);
    if (this.poolState === 'queued' && ThreadPool.existing()?.cancel(this) === true) {
      this.wasCanceled = true;
      workDone.push(this);
      return;
    }
    if (this.wasCanceled && this.doneNode.linked) {
      workDone.push(this);
      return;
    }
    throw this.loop.errors.error(StatusCode.EBUSY, 'uv_cancel');
  }

  /**
   * Puts the request in the thread pool's queue (`uv__work_submit`); it
   * starts when a slot is free. Call once, when the request is ready to run.
   */
  protected submit(): void {
    WorkDone.of(this.loop);
    this.pool().submit(this);
  }

  /**
   * True when this request, submitted now, would wait in the queue behind
   * fast-I/O jobs only (`ThreadPool.fullOfFastIo`).
   */
  protected wouldWaitBehindFastIo(): boolean {
    return this.pool().fullOfFastIo;
  }

  private pool(): ThreadPool {
    return ThreadPool.current(this.loop.behaviour.longThreadpoolSizeUnset);
  }

  /**
   * Starts the job in its slot; call `done()` exactly once when it is over
   * (from the Node callback or worker message that ends it). Results are
   * the subclass's to keep until {@link deliver}.
   */
  protected abstract runJob(done: () => void): void;

  /**
   * Runs in POLL, once, after the request stopped counting toward its
   * loop's liveness: calls the user's callback. `canceled` is true when
   * `cancel()` took the request out of the queue before it ran.
   */
  protected abstract deliver(canceled: boolean): void;

  /**
   * Calls `call` (which calls the user's callback) the way the loop calls
   * every callback: traced, as a callback of kind `kind` of the loop's
   * internal async handle (libuv calls it from `uv__work_done`), and with a
   * throw routed to the loop's excepthook.
   */
  protected invokeCallback(kind: string, call: () => void): void {
    this.loop.invoke(WorkDone.of(this.loop), kind, call);
  }

  /** @internal Called by the pool when a slot takes the request. */
  startJob(pool: ThreadPool): void {
    // While the job runs, its end comes from a Node event (a callback of
    // Node's API, a worker's message): the loop watches it like a Node
    // object, so that POLL gives Node its turns even when it would not block.
    const watcher = new NodeWatcher<PoolRequest>(this.loop);
    watcher.attach(this);
    const poller = this.loop.poller;
    const inNode = this.endsInNodeCallback;
    if (inNode) poller.poolJobsInNode++;
    let ended = false;
    const done = (): void => {
      if (ended) return;
      ended = true;
      watcher.detach();
      if (inNode) poller.poolJobsInNode--;
      pool.jobDone(this);
    };
    try {
      this.runJob(done);
    } catch (error) {
      this.startError = error;
      done();
    }
  }

  /** @internal Called by the pool when the job is over: on to the loop's done list. */
  jobFinished(): void {
    WorkDone.of(this.loop).push(this);
  }

  /** @internal Called by the loop's done list in POLL (`uv__work_done`). */
  complete(): void {
    if (!this.finish()) return;
    this.deliver(this.wasCanceled);
  }
}
