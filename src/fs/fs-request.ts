/**
 * `FSRequest` (`uv_fs_t`) and `perform()`, which decides between the
 * synchronous and the asynchronous form of an fs function.
 *
 * @module
 */
import { StatusCode, UVError } from '../errors/index.js';
import { requireFunction } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import { Request } from '../requests/request.js';
import type { FsType } from './constants.js';
import { badDescriptor, toFd, toPath } from './arguments.js';
import type { FsJob, NodeCallback } from './operation.js';
import { nodeJob, requireLoop, runSync } from './operation.js';

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

/** An fs request (`uv_fs_t`): what an fs function returns when it is given a callback. */
export class FSRequest<R = unknown> extends Request {
  /** Always `'fs'`. */
  readonly type = 'fs';
  /** Which operation this is (`uv_fs_get_type`). */
  readonly fsType: FsType;
  /** @internal */
  readonly job: FsJob<R>;
  /** @internal */
  readonly callback: FSCallback<R>;

  /** @internal */
  constructor(loop: Loop, fsType: FsType, fsJob: FsJob<R>, callback: FSCallback<R>) {
    super(loop);
    this.fsType = fsType;
    this.job = fsJob;
    this.callback = callback;
  }

  /**
   * The request's path (`uv_fs_get_path`); for mkdtemp and mkstemp the
   * name they made, or `''` once they failed. `null` for operations on a
   * descriptor.
   */
  get path(): string | null {
    return this.job.path;
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
  throw new UVError(StatusCode.ENOSYS, {
    syscall: type,
    message: 'the asynchronous fs functions arrive with the thread pool',
  });
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
