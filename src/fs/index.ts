/**
 * uvts's fs module: libuv's `uv_fs_*` functions with pyuv's `fs` API in
 * camelCase.
 *
 * Every function takes the loop first. Without a callback it runs
 * synchronously and returns its result or throws a `UVError`; with one it
 * returns an {@link FSRequest}, and the callback gets `(request, result,
 * error)` in the loop's POLL phase, as a job of the loop's thread pool.
 *
 * ```ts
 * import { Loop, fs } from 'uvts';
 * const loop = new Loop();
 * const st = fs.stat(loop, '/etc/hostname');            // synchronous
 * fs.stat(loop, '/etc/hostname', (req, result, error) => {
 *   console.log(error ?? result?.size);                 // in POLL
 * });
 * await loop.run();
 * ```
 *
 * @module
 */
export * from './constants.js';
export type { OpenFlags, PathArgument } from './arguments.js';
export { FSRequest } from './fs-request.js';
export type { DescriptorFunction, FSCallback, PathFunction } from './fs-request.js';
export { Stat } from './stat.js';
export type { StatFs, Timespec } from './stat.js';
export {
  close,
  fchmod,
  fchown,
  fdatasync,
  fstat,
  fsync,
  ftruncate,
  getOsfhandle,
  open,
  openOsfhandle,
  read,
  write,
} from './files.js';
export {
  access,
  chmod,
  chown,
  copyfile,
  lchown,
  link,
  lstat,
  mkdir,
  readlink,
  realpath,
  rename,
  rmdir,
  stat,
  statfs,
  symlink,
  unlink,
} from './paths.js';
export { futime, lutime, utime } from './times.js';
export { mkdtemp, mkstemp } from './temp.js';
export type { TempFile } from './temp.js';
export { Dir, closedir, opendir, readdir, scandir } from './directories.js';
export type { DirEntry } from './directories.js';
export { sendfile } from './sendfile.js';
export type { ModeFunction, OwnerFunction, TwoPathFunction } from './paths.js';
export type { TimesFunction } from './times.js';
export { FSPoll } from './fs-poll.js';
export type { FSPollCallback } from './fs-poll.js';
export { FSEvent } from '../handles/fs-event.js';
export type { FSEventCallback } from '../handles/fs-event.js';
