/**
 * The thread pool's scheduler: libuv's one FIFO of jobs and its
 * `UV_THREADPOOL_SIZE` worker threads (src/threadpool.c), as slots.
 *
 * uvts does not need a thread per slot: an fs or DNS job runs on Node's
 * asynchronous API, and only a `queueWork` job needs a worker thread (see
 * `workers.ts`). What must be exact is *when* each job starts, because that
 * is what `cancel()`, saturation and the slow-I/O limit observe. So this
 * scheduler keeps libuv's queue and starts a job exactly when one of
 * libuv's threads would take it: when a slot is free. A job that has not
 * started is still in this queue, which is precisely libuv's "cancellable"
 * (docs/semantics.md rule 8.38).
 *
 * The queue follows libuv's worker loop step by step:
 *
 * - CPU and fast-I/O jobs (work, fs) enter the FIFO. Slow-I/O jobs (DNS)
 *   enter a queue of their own, and the FIFO holds one *marker* standing
 *   for them, appended when the first one arrives.
 * - A free slot takes the head of the FIFO. If that is the marker: when
 *   `(size + 1) / 2` slow jobs already run, the marker goes back to the tail
 *   (so every other job queued meanwhile runs first) and, if nothing else
 *   is queued, the slot waits; otherwise the slot takes the first slow job,
 *   and the marker goes back to the tail if more slow jobs wait (rule 8.35).
 *
 * There is one pool per JavaScript thread (libuv has one per process),
 * shared by every loop of the thread, sized at its first job.
 *
 * @module
 */
import { Queue, QueueNode } from '../loop/queue.js';
import { parseThreadpoolSize, slowIoThreshold } from './pool-size.js';

/**
 * libuv's `uv__work_kind`: how a job counts against the pool's limits. Only
 * slow I/O is limited, to half of the slots.
 */
export type WorkKind = 'cpu' | 'fast-io' | 'slow-io';

/** Where a job is: queued (cancellable), running, or done (its result waits for its loop). */
export type JobState = 'queued' | 'running' | 'done';

/** What stands for the slow-I/O queue in the FIFO (libuv's `run_slow_work_message`). */
const SLOW_MARKER = Symbol('slow I/O');

/** @internal An element of the pool's queues: a job, or the slow-I/O marker. */
export type QueueEntry = PoolJob | typeof SLOW_MARKER;

/**
 * @internal What the scheduler needs of a job; `PoolRequest` implements it.
 */
export interface PoolJob {
  /** How the job counts against the pool's limits. */
  readonly workKind: WorkKind;
  /** The job's link in the FIFO or the slow-I/O queue. */
  readonly poolNode: QueueNode<QueueEntry>;
  /** Maintained by the scheduler. */
  poolState: JobState;
  /**
   * Starts the job in its slot. The job calls `pool.jobDone(job)` exactly
   * once when it is over (later, from a Node callback or a worker's message).
   */
  startJob(pool: ThreadPool): void;
  /** Called by `jobDone()`: the job ran; hand its outcome to its loop. */
  jobFinished(): void;
}

/**
 * @internal The pool of the current JavaScript thread. Use
 * {@link ThreadPool.current}.
 */
export class ThreadPool {
  private static instance: ThreadPool | null = null;

  /** The number of slots (libuv's threads). */
  readonly size: number;
  /** How many slow-I/O jobs may run at once. */
  readonly slowIoLimit: number;
  /** Jobs that occupy a slot now. */
  running = 0;
  private slowRunning = 0;
  private readonly queue = new Queue<QueueEntry>();
  private readonly slowQueue = new Queue<QueueEntry>();
  /** The marker's link: in the FIFO while slow jobs wait. */
  private readonly slowMarker = new QueueNode<QueueEntry>(SLOW_MARKER);
  /** Slow jobs running, by job, to release their count when they end. */
  private readonly slowJobs = new Set<PoolJob>();
  /** CPU and slow-I/O jobs queued or running (see {@link fullOfFastIo}). */
  private otherJobs = 0;

  /** @internal Use {@link ThreadPool.current}; tests make pools of a given size directly. */
  constructor(size: number) {
    this.size = size;
    this.slowIoLimit = slowIoThreshold(size);
  }

  /**
   * The pool of this thread, created (and `UV_THREADPOOL_SIZE` read, with
   * the rules of the profile of the loop that submits first) on first use.
   */
  static current(longValuesUnset: boolean): ThreadPool {
    if (ThreadPool.instance === null) {
      const size = parseThreadpoolSize(process.env.UV_THREADPOOL_SIZE, longValuesUnset);
      ThreadPool.instance = new ThreadPool(size);
    }
    return ThreadPool.instance;
  }

  /**
   * Functions that bring the pool up to date with jobs that have ended
   * but whose end this thread has not heard of yet (the worker threads'
   * results; see `WorkerSet.catchUp`).
   */
  private static readonly catchUps: (() => void)[] = [];

  /** @internal Registers a {@link catchUp} function. */
  static onCatchUp(catchUp: () => void): void {
    ThreadPool.catchUps.push(catchUp);
  }

  /**
   * @internal Ends the jobs that have ended on other threads, which frees
   * their slots and starts the jobs queued behind them, as libuv's threads
   * would have done meanwhile.
   */
  static catchUp(): void {
    for (const catchUp of ThreadPool.catchUps) catchUp();
  }

  /** Functions to call when the last open loop that used the pool closes. */
  private static readonly lastLoopHooks: (() => void)[] = [];

  /** @internal Registers a function for {@link lastLoopClosed}. */
  static onLastLoopClosed(hook: () => void): void {
    ThreadPool.lastLoopHooks.push(hook);
  }

  /** @internal No open loop of this thread uses the pool any more (the worker threads may end). */
  static lastLoopClosed(): void {
    for (const hook of ThreadPool.lastLoopHooks) hook();
  }

  /** The pool of this thread if one has been created, else null. */
  static existing(): ThreadPool | null {
    return ThreadPool.instance;
  }

  /** Queues `job` (`uv__work_submit` / `post`) and starts it if a slot is free. */
  submit(job: PoolJob): void {
    job.poolState = 'queued';
    if (job.workKind !== 'fast-io') this.otherJobs++;
    if (job.workKind === 'slow-io') {
      this.slowQueue.insertTail(job.poolNode);
      if (!this.slowMarker.linked) this.queue.insertTail(this.slowMarker);
    } else {
      this.queue.insertTail(job.poolNode);
    }
    this.fillSlots();
  }

  /**
   * Takes `job` out of the queue if it has not started (`uv__work_cancel`):
   * true if it was queued. A marker left without slow jobs is skipped when
   * it comes up, as libuv's worker does.
   */
  cancel(job: PoolJob): boolean {
    if (job.poolState !== 'queued') return false;
    job.poolNode.remove();
    job.poolState = 'done';
    if (job.workKind !== 'fast-io') this.otherJobs--;
    return true;
  }

  /**
   * True when a fast-I/O job submitted now would wait behind fast-I/O jobs
   * only: every slot is taken and no CPU or slow-I/O job is queued or
   * running. Then every slot's job is a call into Node's own pool, which has
   * as many threads as there are slots (both read `UV_THREADPOOL_SIZE`), so
   * a call handed to Node now runs when one of those jobs frees a Node
   * thread: when a libuv thread would have taken it. fs-request.ts uses
   * this to make the calls of operations that change nothing early.
   */
  get fullOfFastIo(): boolean {
    return this.running >= this.size && this.otherJobs === 0;
  }

  /** True while jobs wait or run. */
  get busy(): boolean {
    return this.running > 0 || !this.queue.isEmpty();
  }

  /**
   * A job's end: frees its slot, starts the next queued jobs, and hands the
   * job's outcome to its loop. Called once per started job.
   */
  jobDone(job: PoolJob): void {
    if (job.poolState !== 'running') return;
    job.poolState = 'done';
    this.running--;
    if (this.slowJobs.delete(job)) this.slowRunning--;
    if (job.workKind !== 'fast-io') this.otherJobs--;
    // libuv's worker posts the completion, then takes the next job.
    job.jobFinished();
    this.fillSlots();
  }

  /** Gives every free slot the job libuv's worker loop would take next. */
  private fillSlots(): void {
    while (this.running < this.size) {
      const head = this.queue.first();
      if (head === null) return;
      let job: PoolJob;
      if (head === SLOW_MARKER) {
        const marker = this.slowMarker;
        marker.remove();
        if (this.slowRunning >= this.slowIoLimit) {
          // At the limit: the marker goes behind everything else queued,
          // and if nothing else is, the free slots wait for a slow job to end.
          const alone = this.queue.isEmpty();
          this.queue.insertTail(marker);
          if (alone) return;
          continue;
        }
        const slow = this.slowQueue.first();
        if (slow === null || slow === SLOW_MARKER) continue; // its slow jobs were cancelled
        job = slow;
        job.poolNode.remove();
        this.slowRunning++;
        this.slowJobs.add(job);
        if (!this.slowQueue.isEmpty()) this.queue.insertTail(marker);
      } else {
        job = head;
        job.poolNode.remove();
      }
      job.poolState = 'running';
      this.running++;
      job.startJob(this);
    }
  }
}
