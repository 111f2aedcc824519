/**
 * How one fs function runs: synchronously when it gets no callback,
 * otherwise as an `FSRequest` (libuv's `uv_fs_*` with and without `cb`).
 *
 * Every function turns its arguments into an {@link FsJob}: the request's
 * paths and two ways of doing the work — on the calling thread (the
 * synchronous form, Node's `fs.*Sync`) and as a job of the thread pool
 * (Node's asynchronous `fs.*`, which the pool starts once the job has a
 * slot, or earlier for an operation that only looks; see fs-request.ts).
 * `perform()` picks the form. So each operation is written once, and both
 * forms report libuv's result shapes and codes.
 *
 * Errors: the synchronous form throws a `UVError` built with the loop's
 * profile (1.44.2 names codes it lacks "Unknown system error N"); the
 * asynchronous one hands the same error to its callback. `syscall` is the
 * operation's `uv_fs_type` name and `path`/`dest` are the request's
 * (libuv's `req->path` and `req->new_path`), whatever Node called them.
 *
 * @module
 */
import { StatusCode, UVError } from '../errors/index.js';
import { Loop } from '../loop/loop.js';
import type { FsType } from './constants.js';

/** What Node's asynchronous fs functions call back with. */
export type NodeCallback<T> = (error: NodeJS.ErrnoException | null, value?: T) => void;

/** How an asynchronous run ends: with an error, or with the result. */
export type JobDone<R> = (error: unknown, result?: R) => void;

/**
 * One fs operation, ready to run in either form.
 * @internal
 */
export interface FsJob<R> {
  /** libuv's `req->path` (mkdtemp and mkstemp replace it with the name they made). */
  path: string | null;
  /** libuv's `req->new_path`: the second path of rename, link, symlink, copyfile. */
  readonly dest: string | null;
  /**
   * An errno the operation's system call would return for these arguments
   * (EBADF for a negative descriptor, for example) without asking Node,
   * which rejects such values with errors of its own; 0 when there is none.
   */
  readonly failure: number;
  /** Does the work on the calling thread; throws what Node throws. */
  runSync(): R;
  /** Does the work through Node's asynchronous API and calls `done` once. */
  runAsync(done: JobDone<R>): void;
}

/** @internal A job from its parts; `failure` defaults to 0. */
export function job<R>(
  path: string | null,
  dest: string | null,
  runSync: () => R,
  runAsync: (done: JobDone<R>) => void,
  failure = 0,
): FsJob<R> {
  return { path, dest, failure, runSync, runAsync };
}

/**
 * @internal A job made of one Node fs function in its two forms, whose
 * result `map` turns into the operation's (identity when omitted).
 */
export function nodeJob<T, R = T>(
  path: string | null,
  dest: string | null,
  runSync: () => T,
  runAsync: (callback: NodeCallback<T>) => void,
  map?: (value: T) => R,
  failure = 0,
): FsJob<R> {
  const convert = map ?? ((value: T) => value as unknown as R);
  return job(
    path,
    dest,
    () => convert(runSync()),
    (done) =>
      runAsync((error, value) => {
        if (error !== null && error !== undefined) done(error);
        else done(null, convert(value as T));
      }),
    failure,
  );
}

/** Node's own error codes that fs calls can raise, and libuv's code for the same situation. */
const NODE_CODES: Readonly<Record<string, number>> = Object.freeze({
  ERR_DIR_CLOSED: StatusCode.EINVAL,
  ERR_DIR_CONCURRENT_OPERATION: StatusCode.EBUSY,
  ERR_FS_FILE_TOO_LARGE: StatusCode.EFBIG,
  ERR_OUT_OF_RANGE: StatusCode.EINVAL,
  ERR_INVALID_ARG_VALUE: StatusCode.EINVAL,
});

/**
 * @internal The `UVError` an fs operation reports for `error` (a Node error,
 * a `UVError` or an errno), with the operation's name and paths.
 */
export function fsError(
  error: unknown,
  type: FsType,
  fsJob: Pick<FsJob<unknown>, 'path' | 'dest'>,
  loop: Loop,
): UVError {
  let errno: number = StatusCode.UNKNOWN;
  if (typeof error === 'number') {
    errno = error;
  } else if (error instanceof UVError) {
    errno = error.errno;
  } else if (typeof error === 'object' && error !== null) {
    const fields = error as { errno?: unknown; code?: unknown };
    if (typeof fields.errno === 'number' && fields.errno < 0) errno = fields.errno;
    else if (typeof fields.code === 'string') errno = NODE_CODES[fields.code] ?? errno;
  }
  return loop.errors.error(errno, type, {
    ...(fsJob.path === null ? {} : { path: fsJob.path }),
    ...(fsJob.dest === null ? {} : { dest: fsJob.dest }),
    ...(typeof error === 'object' && error !== null ? { cause: error } : {}),
  });
}

/** @internal Throws a TypeError unless `value` is a Loop. */
export function requireLoop(value: unknown): asserts value is Loop {
  if (!(value instanceof Loop)) throw new TypeError('the first argument must be a Loop');
}

/**
 * @internal Runs `fsJob` on the calling thread, as libuv runs an fs
 * function given no callback: the result, or a thrown `UVError`.
 */
export function runSync<R>(loop: Loop, type: FsType, fsJob: FsJob<R>): R {
  if (fsJob.failure !== 0) throw fsError(fsJob.failure, type, fsJob, loop);
  try {
    return fsJob.runSync();
  } catch (error) {
    throw fsError(error, type, fsJob, loop);
  }
}
