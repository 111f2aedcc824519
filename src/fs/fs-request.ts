/**
 * `FSRequest` (`uv_fs_t`) and `perform()`, which decides between the
 * synchronous and the asynchronous form of an fs function, and the
 * factories of the functions that are one Node call.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { requireFunction } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import { PoolRequest } from '../work/index.js';
import type { WorkKind } from '../work/index.js';
import type { FsType } from './constants.js';
import { badDescriptor, toFd, toPath } from './arguments.js';
import type { FsJob, NodeCallback } from './operation.js';
import { fsError, nodeJob, requireLoop, runSync } from './operation.js';

/** How an operation ended: with a failure (a Node error or an errno), or with its value. */
type Outcome<R> = { readonly failure: unknown } | { readonly value: R | undefined };

/** A Node call made while its request waited in the queue. */
interface EarlyCall<R> {
  /** Its answer, once Node has given it. */
  outcome: Outcome<R> | null;
  /** Set when a slot takes the request before the answer is here: ends the job. */
  taken: (() => void) | null;
}

/**
 * The operations that only look at the file system and change nothing in
 * it (not even a file position), whose Node call may therefore be made
 * before the request has a slot: a cancelled one leaves no trace.
 */
const LOOKING_ONLY: ReadonlySet<FsType> = new Set<FsType>([
  'stat',
  'lstat',
  'fstat',
  'access',
  'readlink',
  'realpath',
  'statfs',
]);

function toOutcome<R>(error: unknown, value: R | undefined): Outcome<R> {
  return error === null || error === undefined ? { value } : { failure: error };
}

/**
 * The callback of an asynchronous fs function: the request, the result
 * (`undefined` when the operation failed, or for operations without one),
 * and the error (`null` on success).
 */
export type FSCallback<R> = (
  request: FSRequest<R>,
  result: R | undefined,
  error: UVError | null,
) => void;

/**
 * An fs request (`uv_fs_t`): what an fs function returns when it is given
 * a callback. It is a job of the loop's thread pool (`work/`): it waits
 * for one of the `UV_THREADPOOL_SIZE` slots, then runs on Node's
 * asynchronous fs API, holding its slot until Node answers, so a busy pool
 * delays it and `cancel()` works exactly until a slot takes it (0 while
 * queued, and the callback later gets ECANCELED; EBUSY once started;
 * docs/semantics.md rule 8.38). Its callback runs in POLL, in completion
 * order, before the user's async callbacks of the same wake-up (rule
 * 8.36), and the request keeps the loop alive until it starts (rule 2.3).
 *
 * An operation that only looks (stat, access, readlink, …; see
 * `LOOKING_ONLY`) and that must wait behind other fs jobs makes its Node
 * call as soon as it is queued, and keeps the answer until a slot takes
 * it; `cancel()` while it waits drops the answer, which no one can tell
 * from a call never made, since the call changed nothing. Without this,
 * Node's pool would get one call per slot and sleep between them (the
 * slot is freed only when the answer has crossed to this thread), where
 * libuv's threads take the next job at once; with it, each call still runs
 * on Node's pool when one of the jobs ahead of it frees a thread, which is
 * when a libuv thread would have taken it (`ThreadPool.fullOfFastIo`;
 * docs/deviations.md F10, docs/benchmarks.md fs_stat).
 */
export class FSRequest<R = unknown> extends PoolRequest {
  /** Always `'fs'`. */
  readonly type = 'fs';
  /** @internal fs jobs are fast I/O: the slow-I/O limit does not apply. */
  readonly workKind: WorkKind = 'fast-io';
  /** Which operation this is (`uv_fs_get_type`). */
  readonly fsType: FsType;
  /** The operation's result once the callback has run (libuv's `req->ptr` / `req->result`). */
  result: R | undefined = undefined;
  /** The operation's error once the callback has run; `null` on success. */
  error: UVError | null = null;
  private readonly job: FsJob<R>;
  private readonly callback: FSCallback<R>;
  private outcome: Outcome<R> | null = null;
  /** The answer of a call made while the request was queued, if one was made. */
  private early: EarlyCall<R> | null = null;

  /** @internal Use the fs functions. */
  constructor(loop: Loop, fsType: FsType, fsJob: FsJob<R>, callback: FSCallback<R>) {
    super(loop);
    this.fsType = fsType;
    this.job = fsJob;
    this.callback = callback;
    if (LOOKING_ONLY.has(fsType) && fsJob.failure === 0 && this.wouldWaitBehindFastIo()) {
      this.callEarly();
    }
    this.submit();
  }

  /**
   * The request's path (`uv_fs_get_path`); for mkdtemp and mkstemp the
   * name they made, or `''` once they failed. `null` for operations on a
   * descriptor.
   */
  get path(): string | null {
    return this.job.path;
  }

  /**
   * `uv_fs_get_system_error`: the positive errno of a failed request, 0
   * otherwise (and before the callback).
   */
  get systemError(): number {
    return this.error === null ? 0 : -this.error.errno;
  }

  /** Makes the Node call now, while the request waits in the queue. */
  private callEarly(): void {
    const early: EarlyCall<R> = { outcome: null, taken: null };
    this.early = early;
    this.job.runAsync((error, value) => {
      early.outcome = toOutcome(error, value);
      early.taken?.();
    });
  }

  protected runJob(done: () => void): void {
    const early = this.early;
    if (early !== null) {
      const finish = (): void => {
        this.outcome = early.outcome;
        done();
      };
      // An answer already here ends the job after the call that gave it a
      // slot, never inside it (the pool is filling its slots then).
      if (early.outcome !== null) queueMicrotask(finish);
      else early.taken = finish;
      return;
    }
    const failure = this.job.failure;
    if (failure !== 0) {
      // The system call would fail at once in the worker; the job still
      // ends after the call that queued it, never inside it.
      queueMicrotask(() => {
        this.outcome = { failure };
        done();
      });
      return;
    }
    this.job.runAsync((error, value) => {
      this.outcome = toOutcome(error, value);
      done();
    });
  }

  protected deliver(canceled: boolean): void {
    const loop = this.loop as Loop;
    const outcome = this.outcome;
    let error: UVError | null = null;
    if (canceled) error = fsError(StatusCode.ECANCELED, this.fsType, this.job, loop);
    else if (this.startError !== null)
      error = fsError(this.startError, this.fsType, this.job, loop);
    else if (outcome !== null && 'failure' in outcome)
      error = fsError(outcome.failure, this.fsType, this.job, loop);
    this.error = error;
    this.result =
      error === null && outcome !== null && 'value' in outcome ? outcome.value : undefined;
    const callback = this.callback;
    this.invokeCallback('fs', () => callback(this, this.result, error));
  }
}

/**
 * @internal Runs `fsJob` synchronously when `callback` is `undefined` or
 * `null`, and otherwise submits it as an {@link FSRequest}.
 */
export function perform<R>(
  loop: Loop,
  type: FsType,
  fsJob: FsJob<R>,
  callback: unknown,
): R | FSRequest<R> {
  requireLoop(loop);
  if (callback === undefined || callback === null) return runSync(loop, type, fsJob);
  requireFunction(callback, 'callback');
  return new FSRequest(loop, type, fsJob, callback as FSCallback<R>);
}

/** What one Node call works on: the request's paths, or a descriptor, and an errno it would fail with. */
export interface NodeCallTarget {
  /** libuv's `req->path`. */
  readonly path?: string;
  /** libuv's `req->new_path`. */
  readonly dest?: string;
  /** A descriptor: one that cannot be open fails with EBADF, as the system call does. */
  readonly fd?: number;
  /** An errno the system call would give for these arguments (see `FsJob.failure`). */
  readonly failure?: number;
}

/**
 * @internal `perform()` for the common case: one Node fs function, called
 * in its synchronous or asynchronous form, whose result `map` converts.
 */
export function performNode<T, R = T>(
  loop: Loop,
  type: FsType,
  callback: unknown,
  target: NodeCallTarget,
  callSync: () => T,
  callAsync: (callback: NodeCallback<T>) => void,
  map?: (value: T) => R,
): R | FSRequest<R> {
  const failure = target.failure || (target.fd === undefined ? 0 : badDescriptor(target.fd));
  return perform(
    loop,
    type,
    nodeJob(target.path ?? null, target.dest ?? null, callSync, callAsync, map, failure),
    callback,
  );
}

/**
 * An fs function of one path (stat, unlink, readlink, …): with a callback
 * it returns the request; without one it returns the result.
 */
export interface PathFunction<R> {
  (loop: Loop, path: string): R;
  (loop: Loop, path: string, callback: FSCallback<R>): FSRequest<R>;
}

/** An fs function of one descriptor (close, fsync, fstat, …), in both forms. */
export interface DescriptorFunction<R> {
  (loop: Loop, fd: number): R;
  (loop: Loop, fd: number, callback: FSCallback<R>): FSRequest<R>;
}

/** @internal Makes a {@link PathFunction} from one Node fs function in its two forms. */
export function pathFunction<T, R = T>(
  type: FsType,
  callSync: (path: string) => T,
  callAsync: (path: string, callback: NodeCallback<T>) => void,
  map?: (value: T) => R,
): PathFunction<R> {
  return ((loop: Loop, path: unknown, callback?: unknown) => {
    const file = toPath(path, 'path', type);
    return performNode(
      loop,
      type,
      callback,
      { path: file },
      () => callSync(file),
      (done) => callAsync(file, done),
      map,
    );
  }) as PathFunction<R>;
}

/** @internal Makes a {@link DescriptorFunction} from one Node fs function in its two forms. */
export function descriptorFunction<T, R = T>(
  type: FsType,
  callSync: (fd: number) => T,
  callAsync: (fd: number, callback: NodeCallback<T>) => void,
  map?: (value: T) => R,
): DescriptorFunction<R> {
  return ((loop: Loop, fd: unknown, callback?: unknown) => {
    const file = toFd(fd);
    return performNode(
      loop,
      type,
      callback,
      { fd: file },
      () => callSync(file),
      (done) => callAsync(file, done),
      map,
    );
  }) as DescriptorFunction<R>;
}
