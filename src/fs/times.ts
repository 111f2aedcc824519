/**
 * The utime family: utime (`uv_fs_utime`, follows symbolic links), lutime
 * (`uv_fs_lutime`, the link itself) and futime (`uv_fs_futime`, an open
 * descriptor). Times are seconds since 1970, fractions allowed, negative
 * allowed.
 *
 * Node reaches the same `utimensat`/`futimens` call, with two detours that
 * uvts steers around:
 *
 * - Node turns a negative number into "now" (`toUnixTimestamp` in its
 *   `lib/internal/fs/utils.js`) but passes a numeric *string* through as
 *   it is, so every time goes to Node as a string.
 * - Node 20's libuv (1.46) keeps microseconds, like libuv 1.44.2. libuv
 *   1.52 keeps the nanoseconds a double carries; on a 1.52 loop the digits
 *   below the microsecond are lost (docs/deviations.md, F2).
 *
 * libuv 1.51 added two special times, `UV_FS_UTIME_NOW` (an infinity) and
 * `UV_FS_UTIME_OMIT` (NaN). Node 20 has neither, so a 1.52 loop reads the
 * current time itself for NOW, and for OMIT first reads the time it must
 * keep (stat, lstat or fstat) and sets it again: the same final state,
 * except that the kept time loses its nanoseconds and a change made in
 * between is overwritten (docs/deviations.md, F2). Like the kernel, with
 * both times omitted utime and lutime succeed without looking at the path,
 * and futime only checks the descriptor. A 1.44 loop passes those values
 * on as libuv 1.44.2 does, and the kernel refuses them (EINVAL) once it has
 * found the file.
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import type { BigIntStats } from 'node:fs';
import type { Loop } from '../loop/loop.js';
import { badDescriptor, toFd, toPath, toSeconds } from './arguments.js';
import type { FSCallback, FSRequest } from './fs-request.js';
import { perform } from './fs-request.js';
import { requireLoop } from './operation.js';
import type { FsJob } from './operation.js';
import type { Step, StepAlgorithm } from './steps.js';
import { step, stepsJob } from './steps.js';

const BIGINT = { bigint: true } as const;

/** What the three functions differ in: how they read the current times and how they set new ones. */
interface TimesTarget {
  readonly path: string | null;
  readonly omitBoth: 'nothing' | 'check';
  current(): Step<BigIntStats>;
  set(atime: string, mtime: string): Step<void>;
}

function seconds(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}

/**
 * What libuv 1.44.2 gives the kernel for a time that is not finite: its
 * conversion to a `timespec` turns infinity and NaN alike into the same
 * out-of-range value, which the kernel refuses with EINVAL once it has
 * found the file (a missing path is still ENOENT). Node's libuv (1.46)
 * converts the same way, and Node passes the string "Infinity" through as
 * the number, so that is how such a time reaches it.
 */
const UNCONVERTIBLE = 'Infinity';

/** A time for Node: its shortest exact decimal (see the module comment). */
function timeString(seconds: number): string {
  return Number.isFinite(seconds) ? String(seconds) : UNCONVERTIBLE;
}

/** Sets the times, resolving libuv 1.52's NOW and OMIT first (see the module comment). */
function* setTimes(
  target: TimesTarget,
  atime: number,
  mtime: number,
  special: boolean,
): StepAlgorithm<void> {
  let access = atime;
  let modification = mtime;
  if (special && (Number.isNaN(access) || Number.isNaN(modification))) {
    if (Number.isNaN(access) && Number.isNaN(modification) && target.omitBoth === 'nothing') return;
    const stats = (yield target.current()) as BigIntStats;
    if (Number.isNaN(access) && Number.isNaN(modification)) return;
    if (Number.isNaN(access)) access = seconds(stats.atimeNs);
    if (Number.isNaN(modification)) modification = seconds(stats.mtimeNs);
  }
  if (special) {
    const now = Date.now() / 1000;
    if (!Number.isFinite(access)) access = now;
    if (!Number.isFinite(modification)) modification = now;
  }
  yield target.set(timeString(access), timeString(modification));
}

/**
 * The job for one of the three functions. `badTarget` is the errno of an
 * impossible descriptor.
 */
function timesJob(
  loop: Loop,
  target: TimesTarget,
  atime: unknown,
  mtime: unknown,
  badTarget = 0,
): FsJob<void> {
  requireLoop(loop);
  const access = toSeconds(atime, 'atime');
  const modification = toSeconds(mtime, 'mtime');
  const special = loop.behaviour.utimeSpecialTimes;
  return stepsJob(
    target.path,
    null,
    () => setTimes(target, access, modification, special),
    badTarget,
  );
}

/** utime or lutime: a path and two times, in both forms. */
export interface TimesFunction {
  (loop: Loop, path: string, atime: number, mtime: number): void;
  (
    loop: Loop,
    path: string,
    atime: number,
    mtime: number,
    callback: FSCallback<void>,
  ): FSRequest<void>;
}

function pathTimesFunction(
  type: 'utime' | 'lutime',
  current: (file: string) => Step<BigIntStats>,
  set: (file: string, atime: string, mtime: string) => Step<void>,
): TimesFunction {
  return ((loop: Loop, path: unknown, atime: unknown, mtime: unknown, callback?: unknown) => {
    const file = toPath(path, 'path', type);
    const target: TimesTarget = {
      path: file,
      omitBoth: 'nothing',
      current: () => current(file),
      set: (a, m) => set(file, a, m),
    };
    return perform(loop, type, timesJob(loop, target, atime, mtime), callback);
  }) as TimesFunction;
}

/** Sets a file's access and modification times (`uv_fs_utime`), following symbolic links. */
export const utime: TimesFunction = pathTimesFunction(
  'utime',
  (file) =>
    step(
      () => nodeFs.statSync(file, BIGINT),
      (done) => nodeFs.stat(file, BIGINT, done),
    ),
  (file, a, m) =>
    step(
      () => nodeFs.utimesSync(file, a, m),
      (done) => nodeFs.utimes(file, a, m, done),
    ),
);

/** Sets the access and modification times of a symbolic link itself (`uv_fs_lutime`). */
export const lutime: TimesFunction = pathTimesFunction(
  'lutime',
  (file) =>
    step(
      () => nodeFs.lstatSync(file, BIGINT),
      (done) => nodeFs.lstat(file, BIGINT, done),
    ),
  (file, a, m) =>
    step(
      () => nodeFs.lutimesSync(file, a, m),
      (done) => nodeFs.lutimes(file, a, m, done),
    ),
);

/** Sets an open file's access and modification times (`uv_fs_futime`). */
export function futime(loop: Loop, fd: number, atime: number, mtime: number): void;
export function futime(
  loop: Loop,
  fd: number,
  atime: number,
  mtime: number,
  callback: FSCallback<void>,
): FSRequest<void>;
export function futime(
  loop: Loop,
  fd: unknown,
  atime: unknown,
  mtime: unknown,
  callback?: unknown,
): void | FSRequest<void> {
  const file = toFd(fd);
  const target: TimesTarget = {
    path: null,
    omitBoth: 'check',
    current: () =>
      step(
        () => nodeFs.fstatSync(file, BIGINT),
        (done) => nodeFs.fstat(file, BIGINT, done),
      ),
    set: (a, m) =>
      step(
        () => nodeFs.futimesSync(file, a, m),
        (done) => nodeFs.futimes(file, a, m, done),
      ),
  };
  return perform(
    loop,
    'futime',
    timesJob(loop, target, atime, mtime, badDescriptor(file)),
    callback,
  );
}
