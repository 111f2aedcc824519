/**
 * The process's paths: the working directory (`uv_cwd`, `uv_chdir`) and
 * the executable (`uv_exepath`).
 *
 * `process.cwd()` is not what `uv_cwd` is: Node's main thread remembers
 * the directory after the first call, so it keeps answering with a
 * directory that has since been removed, where getcwd(2) fails with
 * ENOENT; and a worker's `process.cwd()` is a copy the main thread sends
 * it. `cwd()` asks the kernel each time instead, through realpath(3) of
 * `.`, which glibc answers with getcwd(2) itself.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fromNodeError, StatusCode, UVError } from '../errors/index.js';

/** `error` as a `UVError` whose `syscall` is libuv's function, not the system call Node names. */
function asUVError(error: unknown, syscall: string, path?: string): UVError {
  const translated = fromNodeError(error);
  return UVError.from(translated.errno, {
    syscall,
    ...(path === undefined ? {} : { path }),
    cause: error,
  });
}

/**
 * The current working directory (`uv_cwd`), without a trailing slash
 * unless it is `/`. `UVError` ENOENT when the directory has been removed.
 */
export function cwd(): string {
  try {
    return realpathSync.native('.');
  } catch (error) {
    throw asUVError(error, 'uv_cwd');
  }
}

/**
 * Changes the current working directory (`uv_chdir`): `UVError` ENOENT
 * for a missing directory, ENOTDIR for a file, EACCES without search
 * permission. In a worker thread, where Node refuses to change the
 * process's directory, ENOTSUP (docs/deviations.md X8).
 */
export function chdir(path: string): void {
  if (typeof path !== 'string') throw new TypeError(`path must be a string, got ${typeof path}`);
  try {
    process.chdir(path);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_WORKER_UNSUPPORTED_OPERATION')
      throw new UVError(StatusCode.ENOTSUP, { syscall: 'uv_chdir', path, cause: error });
    throw asUVError(error, 'uv_chdir', path);
  }
}

/**
 * The absolute path of the running executable (`uv_exepath`): Node's own
 * binary, as libuv reads it from /proc/self/exe (Node asks libuv at
 * start-up; setting the process title does not change it).
 */
export function exepath(): string {
  return process.execPath;
}
