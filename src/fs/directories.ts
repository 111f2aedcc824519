/**
 * Directory listings: scandir (`uv_fs_scandir`: the whole directory at
 * once, sorted) and the opendir/readdir/closedir stream (`uv_dir_t`: a
 * batch of entries per call, in the kernel's order).
 *
 * scandir sorts by `strcmp` of the names (bytes, so `'B' < 'a' < 'é'`) and
 * skips `.` and `..`; Node's `readdir` calls the same `uv_fs_scandir` and
 * keeps its order. readdir gives at most `nentries` entries per call, in the
 * order `readdir(3)` returns them, and an empty list at the end; Node's
 * `Dir` reads the same way and hands them out one at a time, so a batch is
 * that many reads.
 *
 * Entry types are the kernel's `d_type`. Where a file system leaves it
 * unknown, libuv reports `UV_DIRENT_UNKNOWN` and Node finds the type with
 * lstat (its `getDirent`), so uvts reports the real type there
 * (docs/deviations.md, F1). Names are decoded as UTF-8 (F9).
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import type { Dirent } from 'node:fs';
import { StatusCode } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { toInteger, toPath } from './arguments.js';
import {
  UV_DIRENT_BLOCK,
  UV_DIRENT_CHAR,
  UV_DIRENT_DIR,
  UV_DIRENT_FIFO,
  UV_DIRENT_FILE,
  UV_DIRENT_LINK,
  UV_DIRENT_SOCKET,
  UV_DIRENT_UNKNOWN,
} from './constants.js';
import type { FSCallback, FSRequest } from './fs-request.js';
import { perform, performNode } from './fs-request.js';
import { requireLoop } from './operation.js';
import type { StepAlgorithm } from './steps.js';
import { step, stepsJob } from './steps.js';

/** A directory entry (`uv_dirent_t`): its name and its `UV_DIRENT_*` type. */
export interface DirEntry {
  /** The entry's name (not a path). */
  readonly name: string;
  /** One of the `UV_DIRENT_*` constants. */
  readonly type: number;
}

function entryType(entry: Dirent): number {
  if (entry.isFile()) return UV_DIRENT_FILE;
  if (entry.isDirectory()) return UV_DIRENT_DIR;
  if (entry.isSymbolicLink()) return UV_DIRENT_LINK;
  if (entry.isFIFO()) return UV_DIRENT_FIFO;
  if (entry.isSocket()) return UV_DIRENT_SOCKET;
  if (entry.isCharacterDevice()) return UV_DIRENT_CHAR;
  if (entry.isBlockDevice()) return UV_DIRENT_BLOCK;
  return UV_DIRENT_UNKNOWN;
}

function toEntry(entry: Dirent): DirEntry {
  return { name: entry.name, type: entryType(entry) };
}

/**
 * An open directory stream (`uv_dir_t`), from {@link opendir}; read it with
 * {@link readdir}, release it with {@link closedir}.
 */
export class Dir {
  /** The path it was opened with. */
  readonly path: string;
  /** @internal Node's directory stream; null once closed. */
  stream: nodeFs.Dir | null;

  /** @internal */
  constructor(path: string, stream: nodeFs.Dir) {
    this.path = path;
    this.stream = stream;
  }

  /** True once {@link closedir} has run (or started). */
  get closed(): boolean {
    return this.stream === null;
  }
}

const BATCH_BUFFER = 32;

/**
 * Lists a directory (`uv_fs_scandir`): every entry but `.` and `..`,
 * sorted by name as `strcmp` sorts them, with its type.
 */
export function scandir(loop: Loop, path: string): DirEntry[];
export function scandir(
  loop: Loop,
  path: string,
  callback: FSCallback<DirEntry[]>,
): FSRequest<DirEntry[]>;
export function scandir(
  loop: Loop,
  path: unknown,
  callback?: unknown,
): DirEntry[] | FSRequest<DirEntry[]> {
  const dir = toPath(path, 'path', 'scandir');
  const options = { withFileTypes: true } as const;
  return performNode(
    loop,
    'scandir',
    callback,
    { path: dir },
    () => nodeFs.readdirSync(dir, options),
    (done) => nodeFs.readdir(dir, options, done),
    (entries: Dirent[]) => entries.map(toEntry),
  );
}

/** Opens a directory stream (`uv_fs_opendir`). */
export function opendir(loop: Loop, path: string): Dir;
export function opendir(loop: Loop, path: string, callback: FSCallback<Dir>): FSRequest<Dir>;
export function opendir(loop: Loop, path: unknown, callback?: unknown): Dir | FSRequest<Dir> {
  const dir = toPath(path, 'path', 'opendir');
  const options = { bufferSize: BATCH_BUFFER } as const;
  return performNode(
    loop,
    'opendir',
    callback,
    { path: dir },
    () => nodeFs.opendirSync(dir, options),
    (done) => nodeFs.opendir(dir, options, done),
    (stream: nodeFs.Dir) => new Dir(dir, stream),
  );
}

function* readBatch(stream: nodeFs.Dir, count: number): StepAlgorithm<DirEntry[]> {
  const entries: DirEntry[] = [];
  while (entries.length < count) {
    const entry = (yield step(
      () => stream.readSync(),
      (done) => stream.read(done),
    )) as Dirent | null;
    if (entry === null) break;
    entries.push(toEntry(entry));
  }
  return entries;
}

function requireDir(value: unknown): asserts value is Dir {
  if (!(value instanceof Dir)) throw new TypeError('dir must be a Dir from opendir()');
}

/**
 * The Node stream of a directory that is still open. A closed one is
 * EINVAL from the call itself, as libuv's uv_fs_readdir answers for a
 * `uv_dir_t` without its `DIR*`.
 */
function openStream(loop: Loop, dir: Dir, syscall: 'readdir' | 'closedir'): nodeFs.Dir {
  requireLoop(loop);
  if (dir.stream === null) throw loop.errors.error(StatusCode.EINVAL, syscall);
  return dir.stream;
}

/**
 * Reads the next entries of a directory stream (`uv_fs_readdir`): at most
 * `nentries` (libuv's `dir->nentries`), in the kernel's order, without `.`
 * and `..`; an empty list at the end. A closed stream or `nentries` < 1 is
 * EINVAL, thrown by both forms.
 */
export function readdir(loop: Loop, dir: Dir, nentries: number): DirEntry[];
export function readdir(
  loop: Loop,
  dir: Dir,
  nentries: number,
  callback: FSCallback<DirEntry[]>,
): FSRequest<DirEntry[]>;
export function readdir(
  loop: Loop,
  dir: unknown,
  nentries: unknown,
  callback?: unknown,
): DirEntry[] | FSRequest<DirEntry[]> {
  requireDir(dir);
  const count = toInteger(nentries, 'nentries');
  const stream = openStream(loop, dir, 'readdir');
  // libuv's uv_fs_readdir refuses a buffer for no entries before queueing.
  if (count < 1) throw loop.errors.error(StatusCode.EINVAL, 'readdir');
  return perform(
    loop,
    'readdir',
    stepsJob(null, null, () => readBatch(stream, count)),
    callback,
  );
}

/** Closes a directory stream (`uv_fs_closedir`); EINVAL, thrown by both forms, if it is already closed. */
export function closedir(loop: Loop, dir: Dir): void;
export function closedir(loop: Loop, dir: Dir, callback: FSCallback<void>): FSRequest<void>;
export function closedir(loop: Loop, dir: unknown, callback?: unknown): void | FSRequest<void> {
  requireDir(dir);
  const stream = openStream(loop, dir, 'closedir');
  // The stream counts as closed from here on, so that a readdir issued
  // after this call is refused however long the close waits for the pool.
  dir.stream = null;
  return performNode(
    loop,
    'closedir',
    callback,
    {},
    () => stream.closeSync(),
    (done) => stream.close(done),
  );
}
