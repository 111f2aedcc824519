/**
 * The fs functions on open files: open, close, read, write, fsync,
 * fdatasync, ftruncate, fstat, fchmod, fchown.
 *
 * Reads and writes always go through Node's vectored calls (`readv`,
 * `writev`), which reach libuv's `uv_fs_read`/`uv_fs_write` with the
 * caller's buffers as they are: one buffer is `read`/`pread`, several are
 * `readv`/`preadv`, exactly as libuv issues them. Node's plain `read`
 * answers a zero-length read itself (0, even for a closed descriptor),
 * where libuv asks the kernel.
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import { StatusCode } from '../errors/index.js';
import { toBuffers } from '../errors/internal.js';
import type { WriteData } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import {
  toFd,
  toId,
  toLength,
  toMode,
  toOpenFlags,
  toPath,
  toPosition,
  toReadBuffers,
} from './arguments.js';
import type { OpenFlags } from './arguments.js';
import type { FSCallback, FSRequest } from './fs-request.js';
import { descriptorFunction, performNode } from './fs-request.js';
import type { DescriptorFunction } from './fs-request.js';
import type { Stat } from './stat.js';
import { toStat } from './stat.js';

const BIGINT = { bigint: true } as const;

/**
 * Opens a file (`uv_fs_open`) and gives its descriptor. `flags` are the
 * `O_*` constants (or a string such as `'r'`, `'w+'`); `mode` is used when
 * the file is created. libuv always adds `O_CLOEXEC`.
 */
export function open(loop: Loop, path: string, flags: OpenFlags, mode: number): number;
export function open(
  loop: Loop,
  path: string,
  flags: OpenFlags,
  mode: number,
  callback: FSCallback<number>,
): FSRequest<number>;
export function open(
  loop: Loop,
  path: unknown,
  flags: unknown,
  mode: unknown,
  callback?: unknown,
): number | FSRequest<number> {
  const file = toPath(path, 'path', 'open');
  const how = toOpenFlags(flags);
  const perm = toMode(mode);
  return performNode(
    loop,
    'open',
    callback,
    { path: file },
    () => nodeFs.openSync(file, how, perm),
    (done) => nodeFs.open(file, how, perm, done),
  );
}

/** Closes a descriptor (`uv_fs_close`). */
export const close: DescriptorFunction<void> = descriptorFunction(
  'close',
  (fd) => nodeFs.closeSync(fd),
  (fd, done) => nodeFs.close(fd, done),
);

/**
 * Reads from a descriptor (`uv_fs_read`), at `offset`, or at the
 * descriptor's position (which then advances) when `offset` is negative.
 *
 * With a length it reads into a new buffer and gives the bytes read (a
 * shorter buffer at the end of the file, an empty one at the end); with a
 * `Uint8Array`, or an array of them (vectored), it reads into those and
 * gives the number of bytes read (0 at the end of the file). An empty
 * array is EINVAL, thrown by both forms, as libuv returns it.
 */
export function read(loop: Loop, fd: number, length: number, offset: number): Buffer;
export function read(
  loop: Loop,
  fd: number,
  length: number,
  offset: number,
  callback: FSCallback<Buffer>,
): FSRequest<Buffer>;
export function read(
  loop: Loop,
  fd: number,
  buffers: Uint8Array | readonly Uint8Array[],
  offset: number,
): number;
export function read(
  loop: Loop,
  fd: number,
  buffers: Uint8Array | readonly Uint8Array[],
  offset: number,
  callback: FSCallback<number>,
): FSRequest<number>;
export function read(
  loop: Loop,
  fd: unknown,
  target: unknown,
  offset: unknown,
  callback?: unknown,
): Buffer | number | FSRequest<Buffer> | FSRequest<number> {
  const file = toFd(fd);
  const position = toPosition(offset);
  if (typeof target === 'number') {
    const fresh = Buffer.alloc(toLength(target, 'length', 'read'));
    return performNode<number, Buffer>(
      loop,
      'read',
      callback,
      { fd: file },
      () => nodeFs.readvSync(file, [fresh], position ?? undefined),
      (done) => nodeFs.readv(file, [fresh], position, done),
      (count: number) => fresh.subarray(0, count),
    );
  }
  const buffers = toReadBuffers(target, 'read');
  return performNode<number>(
    loop,
    'read',
    callback,
    { fd: file },
    () => nodeFs.readvSync(file, buffers, position ?? undefined),
    (done) => nodeFs.readv(file, buffers, position, done),
  );
}

/**
 * Writes to a descriptor (`uv_fs_write`), at `offset`, or at the
 * descriptor's position when `offset` is negative, and gives the number of
 * bytes written. `data` is what stream writes take: bytes, a string
 * (UTF-8), or an array of them (vectored; an empty array is EINVAL).
 */
export function write(loop: Loop, fd: number, data: WriteData, offset: number): number;
export function write(
  loop: Loop,
  fd: number,
  data: WriteData,
  offset: number,
  callback: FSCallback<number>,
): FSRequest<number>;
export function write(
  loop: Loop,
  fd: unknown,
  data: unknown,
  offset: unknown,
  callback?: unknown,
): number | FSRequest<number> {
  const file = toFd(fd);
  const buffers = toBuffers(data, 'write');
  const position = toPosition(offset);
  return performNode(
    loop,
    'write',
    callback,
    { fd: file },
    () => nodeFs.writevSync(file, buffers, position ?? undefined),
    (done) => nodeFs.writev(file, buffers, position, done),
  );
}

/** Flushes a file's data and metadata to the device (`uv_fs_fsync`). */
export const fsync: DescriptorFunction<void> = descriptorFunction(
  'fsync',
  (fd) => nodeFs.fsyncSync(fd),
  (fd, done) => nodeFs.fsync(fd, done),
);

/** Flushes a file's data (not all its metadata) to the device (`uv_fs_fdatasync`). */
export const fdatasync: DescriptorFunction<void> = descriptorFunction(
  'fdatasync',
  (fd) => nodeFs.fdatasyncSync(fd),
  (fd, done) => nodeFs.fdatasync(fd, done),
);

/**
 * Truncates (or extends with zeros) a file to `offset` bytes
 * (`uv_fs_ftruncate`). A negative length is EINVAL, from the kernel, as
 * in libuv (Node would quietly use 0).
 */
export function ftruncate(loop: Loop, fd: number, offset: number): void;
export function ftruncate(
  loop: Loop,
  fd: number,
  offset: number,
  callback: FSCallback<void>,
): FSRequest<void>;
export function ftruncate(
  loop: Loop,
  fd: unknown,
  offset: unknown,
  callback?: unknown,
): void | FSRequest<void> {
  const file = toFd(fd);
  const length = toPosition(offset);
  return performNode(
    loop,
    'ftruncate',
    callback,
    // The kernel checks the length before the descriptor.
    { fd: file, failure: length === null ? StatusCode.EINVAL : 0 },
    () => nodeFs.ftruncateSync(file, length ?? 0),
    (done) => nodeFs.ftruncate(file, length ?? 0, done),
  );
}

/** The status of an open file (`uv_fs_fstat`). */
export const fstat: DescriptorFunction<Stat> = descriptorFunction(
  'fstat',
  (fd) => nodeFs.fstatSync(fd, BIGINT),
  (fd, done) => nodeFs.fstat(fd, BIGINT, done),
  toStat,
);

/** Changes an open file's permission bits (`uv_fs_fchmod`). */
export function fchmod(loop: Loop, fd: number, mode: number): void;
export function fchmod(
  loop: Loop,
  fd: number,
  mode: number,
  callback: FSCallback<void>,
): FSRequest<void>;
export function fchmod(
  loop: Loop,
  fd: unknown,
  mode: unknown,
  callback?: unknown,
): void | FSRequest<void> {
  const file = toFd(fd);
  const perm = toMode(mode);
  return performNode(
    loop,
    'fchmod',
    callback,
    { fd: file },
    () => nodeFs.fchmodSync(file, perm),
    (done) => nodeFs.fchmod(file, perm, done),
  );
}

/** Changes an open file's owner and group (`uv_fs_fchown`); -1 leaves one as it is. */
export function fchown(loop: Loop, fd: number, uid: number, gid: number): void;
export function fchown(
  loop: Loop,
  fd: number,
  uid: number,
  gid: number,
  callback: FSCallback<void>,
): FSRequest<void>;
export function fchown(
  loop: Loop,
  fd: unknown,
  uid: unknown,
  gid: unknown,
  callback?: unknown,
): void | FSRequest<void> {
  const file = toFd(fd);
  const user = toId(uid, 'uid');
  const group = toId(gid, 'gid');
  return performNode(
    loop,
    'fchown',
    callback,
    { fd: file },
    () => nodeFs.fchownSync(file, user, group),
    (done) => nodeFs.fchown(file, user, group, done),
  );
}

/**
 * The operating system's handle of a descriptor (`uv_get_osfhandle`): on
 * Unix, the descriptor itself.
 */
export function getOsfhandle(fd: number): number {
  return toFd(fd);
}

/**
 * The descriptor of an operating system handle (`uv_open_osfhandle`): on
 * Unix, the handle itself.
 */
export function openOsfhandle(handle: number): number {
  return toFd(handle);
}
