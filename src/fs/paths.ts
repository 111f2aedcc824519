/**
 * The fs functions on paths: stat, lstat, statfs, access, unlink, mkdir,
 * rmdir, rename, chmod, chown, lchown, link, symlink, readlink, realpath,
 * copyfile. Each is one Node call that reaches the same `uv_fs_*` function
 * (and so the same system call) as libuv's; what is left to do here is
 * libuv's result shapes and the checks libuv makes itself.
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import { StatusCode } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { toFlags, toId, toInteger, toMode, toPath } from './arguments.js';
import {
  UV_FS_COPYFILE_EXCL,
  UV_FS_COPYFILE_FICLONE,
  UV_FS_COPYFILE_FICLONE_FORCE,
} from './constants.js';
import type { FSCallback, FSRequest } from './fs-request.js';
import { pathFunction, performNode } from './fs-request.js';
import type { PathFunction } from './fs-request.js';
import { requireLoop } from './operation.js';
import type { NodeCallback } from './operation.js';
import type { Stat, StatFs } from './stat.js';
import { toStat, toStatFs } from './stat.js';

const BIGINT = { bigint: true } as const;
const COPYFILE_FLAGS = UV_FS_COPYFILE_EXCL | UV_FS_COPYFILE_FICLONE | UV_FS_COPYFILE_FICLONE_FORCE;

/** The status of a file, following symbolic links (`uv_fs_stat`). */
export const stat: PathFunction<Stat> = pathFunction(
  'stat',
  (file) => nodeFs.statSync(file, BIGINT),
  (file, done) => nodeFs.stat(file, BIGINT, done),
  toStat,
);

/** The status of a file, or of a symbolic link itself (`uv_fs_lstat`). */
export const lstat: PathFunction<Stat> = pathFunction(
  'lstat',
  (file) => nodeFs.lstatSync(file, BIGINT),
  (file, done) => nodeFs.lstat(file, BIGINT, done),
  toStat,
);

/** The status of the file system holding `path` (`uv_fs_statfs`). */
export function statfs(loop: Loop, path: string): StatFs;
export function statfs(loop: Loop, path: string, callback: FSCallback<StatFs>): FSRequest<StatFs>;
export function statfs(loop: Loop, path: unknown, callback?: unknown): StatFs | FSRequest<StatFs> {
  requireLoop(loop);
  const file = toPath(path, 'path', 'statfs');
  const withFrsize = loop.behaviour.statfsFrsize;
  return performNode(
    loop,
    'statfs',
    callback,
    { path: file },
    () => nodeFs.statfsSync(file),
    (done) => nodeFs.statfs(file, done),
    (stats: nodeFs.StatsFs) => toStatFs(stats, withFrsize),
  );
}

/**
 * Checks the caller's access to a file (`uv_fs_access`): `mode` is `F_OK`
 * or a combination of `R_OK`, `W_OK`, `X_OK`. Denied access is the error
 * (EACCES); any other mode is EINVAL, as the kernel answers.
 */
export function access(loop: Loop, path: string, mode: number): void;
export function access(
  loop: Loop,
  path: string,
  mode: number,
  callback: FSCallback<void>,
): FSRequest<void>;
export function access(
  loop: Loop,
  path: unknown,
  mode: unknown,
  callback?: unknown,
): void | FSRequest<void> {
  const file = toPath(path, 'path', 'access');
  const how = toInteger(mode, 'mode');
  return performNode(
    loop,
    'access',
    callback,
    { path: file, failure: how < 0 || how > 7 ? StatusCode.EINVAL : 0 },
    () => nodeFs.accessSync(file, how),
    (done) => nodeFs.access(file, how, done),
  );
}

/** Removes a name from the file system (`uv_fs_unlink`). */
export const unlink: PathFunction<void> = pathFunction(
  'unlink',
  (file) => nodeFs.unlinkSync(file),
  (file, done) => nodeFs.unlink(file, done),
);

/** mkdir or chmod: a path and a mode, in both forms. */
export interface ModeFunction {
  (loop: Loop, path: string, mode: number): void;
  (loop: Loop, path: string, mode: number, callback: FSCallback<void>): FSRequest<void>;
}

function modeFunction(
  type: 'mkdir' | 'chmod',
  callSync: (file: string, mode: number) => void,
  callAsync: (file: string, mode: number, callback: NodeCallback<void>) => void,
): ModeFunction {
  return ((loop: Loop, path: unknown, mode: unknown, callback?: unknown) => {
    const file = toPath(path, 'path', type);
    const perm = toMode(mode);
    return performNode(
      loop,
      type,
      callback,
      { path: file },
      () => callSync(file, perm),
      (done) => callAsync(file, perm, done),
    );
  }) as ModeFunction;
}

/** Creates a directory (`uv_fs_mkdir`); `mode` is reduced by the umask. */
export const mkdir: ModeFunction = modeFunction(
  'mkdir',
  (file, mode) => void nodeFs.mkdirSync(file, { mode }),
  (file, mode, done) => nodeFs.mkdir(file, { mode }, (error) => done(error)),
);

/** Changes a file's permission bits (`uv_fs_chmod`). */
export const chmod: ModeFunction = modeFunction(
  'chmod',
  (file, mode) => nodeFs.chmodSync(file, mode),
  (file, mode, done) => nodeFs.chmod(file, mode, done),
);

/** Removes an empty directory (`uv_fs_rmdir`). */
export const rmdir: PathFunction<void> = pathFunction(
  'rmdir',
  (file) => nodeFs.rmdirSync(file),
  (file, done) => nodeFs.rmdir(file, done),
);

/** An fs function of two paths without a result (rename, link), in both forms. */
export interface TwoPathFunction {
  (loop: Loop, path: string, newPath: string): void;
  (loop: Loop, path: string, newPath: string, callback: FSCallback<void>): FSRequest<void>;
}

function twoPathFunction(
  type: 'rename' | 'link',
  callSync: (from: string, to: string) => void,
  callAsync: (from: string, to: string, callback: NodeCallback<void>) => void,
): TwoPathFunction {
  return ((loop: Loop, path: unknown, newPath: unknown, callback?: unknown) => {
    const from = toPath(path, 'path', type);
    const to = toPath(newPath, 'newPath', type);
    return performNode(
      loop,
      type,
      callback,
      { path: from, dest: to },
      () => callSync(from, to),
      (done) => callAsync(from, to, done),
    );
  }) as TwoPathFunction;
}

/** Renames a file or directory, replacing `newPath` if it exists (`uv_fs_rename`). */
export const rename: TwoPathFunction = twoPathFunction(
  'rename',
  (from, to) => nodeFs.renameSync(from, to),
  (from, to, done) => nodeFs.rename(from, to, done),
);

/** Makes `newPath` a hard link to `path` (`uv_fs_link`). */
export const link: TwoPathFunction = twoPathFunction(
  'link',
  (from, to) => nodeFs.linkSync(from, to),
  (from, to, done) => nodeFs.link(from, to, done),
);

/** chown or lchown: a path, a user ID and a group ID (-1 keeps one), in both forms. */
export interface OwnerFunction {
  (loop: Loop, path: string, uid: number, gid: number): void;
  (loop: Loop, path: string, uid: number, gid: number, callback: FSCallback<void>): FSRequest<void>;
}

function ownerFunction(
  type: 'chown' | 'lchown',
  callSync: (file: string, uid: number, gid: number) => void,
  callAsync: (file: string, uid: number, gid: number, callback: NodeCallback<void>) => void,
): OwnerFunction {
  return ((loop: Loop, path: unknown, uid: unknown, gid: unknown, callback?: unknown) => {
    const file = toPath(path, 'path', type);
    const user = toId(uid, 'uid');
    const group = toId(gid, 'gid');
    return performNode(
      loop,
      type,
      callback,
      { path: file },
      () => callSync(file, user, group),
      (done) => callAsync(file, user, group, done),
    );
  }) as OwnerFunction;
}

/** Changes a file's owner and group, following symbolic links (`uv_fs_chown`); -1 keeps one. */
export const chown: OwnerFunction = ownerFunction(
  'chown',
  (file, uid, gid) => nodeFs.chownSync(file, uid, gid),
  (file, uid, gid, done) => nodeFs.chown(file, uid, gid, done),
);

/** Changes the owner and group of a symbolic link itself (`uv_fs_lchown`); -1 keeps one. */
export const lchown: OwnerFunction = ownerFunction(
  'lchown',
  (file, uid, gid) => nodeFs.lchownSync(file, uid, gid),
  (file, uid, gid, done) => nodeFs.lchown(file, uid, gid, done),
);

/**
 * Makes `newPath` a symbolic link whose target is `path` (`uv_fs_symlink`).
 * `flags` (`UV_FS_SYMLINK_DIR`, `UV_FS_SYMLINK_JUNCTION`) matter on Windows
 * only; on Linux libuv ignores them, whatever their value.
 */
export function symlink(loop: Loop, path: string, newPath: string, flags: number): void;
export function symlink(
  loop: Loop,
  path: string,
  newPath: string,
  flags: number,
  callback: FSCallback<void>,
): FSRequest<void>;
export function symlink(
  loop: Loop,
  path: unknown,
  newPath: unknown,
  flags: unknown,
  callback?: unknown,
): void | FSRequest<void> {
  const target = toPath(path, 'path', 'symlink');
  const name = toPath(newPath, 'newPath', 'symlink');
  toFlags(flags);
  return performNode(
    loop,
    'symlink',
    callback,
    { path: target, dest: name },
    () => nodeFs.symlinkSync(target, name),
    (done) => nodeFs.symlink(target, name, done),
  );
}

/** The target of a symbolic link (`uv_fs_readlink`); EINVAL for anything else. */
export const readlink: PathFunction<string> = pathFunction(
  'readlink',
  (file) => nodeFs.readlinkSync(file),
  (file, done) => nodeFs.readlink(file, done),
);

/**
 * The canonical absolute path of `path`, every symbolic link resolved
 * (`uv_fs_realpath`: the C library's `realpath`, which Node's
 * `realpath.native` calls).
 */
export const realpath: PathFunction<string> = pathFunction(
  'realpath',
  (file) => nodeFs.realpathSync.native(file),
  (file, done) => nodeFs.realpath.native(file, done),
);

/**
 * Copies a file (`uv_fs_copyfile`): content and mode; `flags` combine
 * `UV_FS_COPYFILE_EXCL` (EEXIST if `newPath` exists), `_FICLONE` (clone
 * if the file system can) and `_FICLONE_FORCE` (clone or fail). Any other
 * bit is EINVAL, thrown by both forms, as libuv returns it before queueing.
 */
export function copyfile(loop: Loop, path: string, newPath: string, flags: number): void;
export function copyfile(
  loop: Loop,
  path: string,
  newPath: string,
  flags: number,
  callback: FSCallback<void>,
): FSRequest<void>;
export function copyfile(
  loop: Loop,
  path: unknown,
  newPath: unknown,
  flags: unknown,
  callback?: unknown,
): void | FSRequest<void> {
  const from = toPath(path, 'path', 'copyfile');
  const to = toPath(newPath, 'newPath', 'copyfile');
  const how = toFlags(flags);
  if ((how & ~COPYFILE_FLAGS) !== 0) {
    requireLoop(loop);
    throw loop.errors.error(StatusCode.EINVAL, 'copyfile');
  }
  return performNode(
    loop,
    'copyfile',
    callback,
    { path: from, dest: to },
    () => nodeFs.copyFileSync(from, to, how),
    (done) => nodeFs.copyFile(from, to, how, done),
  );
}
