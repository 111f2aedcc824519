/**
 * `queueWork` and `WorkRequest` (`uv_queue_work`, `uv_work_t`): run a
 * function on a worker thread of the pool, then a callback on the loop's
 * thread.
 *
 * The function runs in a worker of the pool (`workers.ts`), so it cannot
 * share the caller's variables: it is either a self-contained function,
 * sent as source, or a module export `{ module, name }`; arguments and the
 * result are structured-cloned, thread primitives arrive as the same lock
 * (`thread/work-protocol.ts`). A `WorkRequest` is a pool request
 * (`pool-request.ts`): it waits for a free slot like fs and DNS requests,
 * `cancel()` works until a slot takes it, and `afterWork` runs in POLL.
 *
 * @module
 */
import type { TransferListItem } from 'node:worker_threads';
import { StatusCode } from '../errors/index.js';
import { Loop } from '../loop/loop.js';
import { describeWork, findPrimitives, reviveError } from '../thread/work-protocol.js';
import type { PrimitivePlace, WorkFunction, WorkFunctionSpec } from '../thread/work-protocol.js';
import { PoolRequest } from './pool-request.js';
import { ThreadPool } from './thread-pool.js';
import type { WorkKind } from './thread-pool.js';
import type { JobOutcome } from './workers.js';
import { WorkerSet } from './workers.js';

/**
 * The callback of a work request, on the loop's thread: the request, the
 * work function's result (undefined on error), and the error (`null` on
 * success; the error the function threw, revived on this side; `UVError`
 * ECANCELED after `cancel()`).
 */
export type AfterWorkCallback<R = unknown> = (
  request: WorkRequest<R>,
  result: R | undefined,
  error: Error | null,
) => void;

/** Options of {@link queueWork}. */
export interface QueueWorkOptions {
  /** The arguments the work function is called with (structured-cloned; default none). */
  readonly args?: readonly unknown[];
  /** Objects among `args` to move instead of copy (`ArrayBuffer`s, `MessagePort`s). */
  readonly transfer?: readonly TransferListItem[];
}

/** The worker threads shared by the work requests of this thread. */
let workers: WorkerSet | null = null;

/** @internal The worker threads of this thread's pool (made on first use). */
export function poolWorkers(): WorkerSet {
  if (workers === null) {
    const created = new WorkerSet();
    ThreadPool.onCatchUp(() => created.catchUp());
    ThreadPool.onLastLoopClosed(() => created.endIdle());
    workers = created;
  }
  return workers;
}

/** A work request (`uv_work_t`); made by {@link queueWork}. */
export class WorkRequest<R = unknown> extends PoolRequest {
  /** Always `'work'`. */
  readonly type = 'work';
  /** @internal Work jobs are CPU jobs: not limited like slow I/O. */
  readonly workKind: WorkKind = 'cpu';
  /** @internal A work job ends on a worker thread, which the pool catches up with. */
  protected override readonly endsInNodeCallback = false;
  private readonly work: WorkFunctionSpec;
  private readonly args: readonly unknown[];
  private readonly primitives: readonly PrimitivePlace[];
  private readonly transfer: readonly TransferListItem[];
  private readonly afterWork: AfterWorkCallback<R> | null;
  private outcome: JobOutcome | null = null;

  /** @internal Use {@link queueWork}. */
  constructor(
    loop: Loop,
    work: WorkFunction,
    afterWork: AfterWorkCallback<R> | null,
    options: QueueWorkOptions,
  ) {
    const spec = describeWork(work);
    if (afterWork !== null && typeof afterWork !== 'function')
      throw new TypeError('afterWork must be a function');
    if (typeof options !== 'object' || options === null)
      throw new TypeError('queueWork options must be an object');
    const args = options.args ?? [];
    if (!Array.isArray(args)) throw new TypeError('queueWork args must be an array');
    super(loop);
    this.work = spec;
    this.args = args;
    this.primitives = findPrimitives(args);
    this.transfer = options.transfer ?? [];
    this.afterWork = afterWork;
    this.submit();
  }

  protected runJob(done: () => void): void {
    const job = { work: this.work, args: this.args, primitives: this.primitives };
    poolWorkers().run(job, this.transfer, (outcome) => {
      this.outcome = outcome;
      done();
    });
  }

  protected deliver(canceled: boolean): void {
    const afterWork = this.afterWork;
    if (afterWork === null) return;
    const outcome = this.outcome;
    let result: R | undefined;
    let error: Error | null = null;
    if (canceled) error = this.loop.errors.status(StatusCode.ECANCELED, 'uv_queue_work');
    else if (this.startError !== null) error = toError(this.startError);
    else if (outcome !== null && outcome.ok) result = outcome.value as R;
    else if (outcome !== null && !outcome.ok) error = reviveError(outcome.error);
    this.invokeCallback('after_work', () => afterWork(this, result, error));
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Runs `work` on a worker thread of the loop's thread pool and then
 * `afterWork` on the loop's thread, in POLL (`uv_queue_work`).
 *
 * **`work` runs in another thread and keeps no closure.** Pass either:
 *
 * - a *self-contained* function: it is sent as its source text and
 *   compiled again in the worker, where it sees only its arguments and the
 *   worker's globals (`require`, `process`, `Atomics`, …) — never the
 *   variables around the place it was written. Using one fails with a
 *   `ReferenceError` that says so;
 * - a module export, `{ module: new URL('./jobs.js', import.meta.url), name: 'resize' }`:
 *   the worker imports the module and calls the named export.
 *
 * `options.args` are structured-cloned (thread primitives such as a
 * `Mutex` arrive as the same lock; `options.transfer` moves buffers
 * instead of copying them). The function may be `async`; its result (or
 * resolved value) is structured-cloned back, and a thrown error comes back
 * as `afterWork`'s error. To move a large result instead of copying it,
 * return `transferResult(value, [buffer])`.
 *
 * The request waits in the pool's queue until one of its
 * `UV_THREADPOOL_SIZE` slots is free, and keeps the loop alive until
 * `afterWork` has run. `request.cancel()` before it starts makes `afterWork`
 * run with ECANCELED.
 *
 * @example
 * ```ts
 * queueWork(loop, (n: number) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s; },
 *   (request, sum, error) => console.log(sum), { args: [1e8] });
 * ```
 */
export function queueWork<R = unknown>(
  loop: Loop,
  work: WorkFunction,
  afterWork?: AfterWorkCallback<R> | null,
  options: QueueWorkOptions = {},
): WorkRequest<R> {
  return new WorkRequest<R>(loop, work, afterWork ?? null, options);
}

declare module '../loop/loop.js' {
  interface Loop {
    /**
     * Runs `work` on a worker thread of the thread pool, then `afterWork`
     * on this loop's thread, in POLL (`uv_queue_work`): the same as
     * {@link queueWork}`(loop, work, afterWork, options)`, whose notes apply
     * (**`work` keeps no closure**: a self-contained function or a module
     * export `{ module, name }`).
     */
    queueWork<R = unknown>(
      work: WorkFunction,
      afterWork?: AfterWorkCallback<R> | null,
      options?: QueueWorkOptions,
    ): WorkRequest<R>;
  }
}

// `loop.queueWork()` is pyuv's spelling. The method is added here rather than
// in loop.ts because the loop layer may not know the thread pool, which sits
// above it (docs/architecture.md, layers).
Loop.prototype.queueWork = function queueWorkMethod<R = unknown>(
  this: Loop,
  work: WorkFunction,
  afterWork?: AfterWorkCallback<R> | null,
  options?: QueueWorkOptions,
): WorkRequest<R> {
  return queueWork<R>(this, work, afterWork, options);
};
