/**
 * What `stat`, `lstat`, `fstat` and `statfs` return: libuv's `uv_stat_t`
 * and `uv_statfs_t`.
 *
 * Times keep libuv's nanoseconds. Node gives them only through its BigInt
 * stats (`atimeNs` and so on; the plain stats round them to a double of
 * milliseconds), so every stat is asked for with `bigint: true` and turned
 * into small numbers here. A time before 1970 keeps libuv's form: whole
 * seconds rounded down and a non-negative nanosecond part (-0.25 s is
 * `{ sec: -1, nsec: 750000000 }`).
 *
 * On Linux libuv fills `flags` and `gen` with 0 and takes the birth time
 * from `statx` (0 where the file system does not keep one), which is what
 * Node's own libuv does as well.
 *
 * @module
 */
import type { BigIntStats, StatsFs } from 'node:fs';

/** A point in time as libuv gives it (`uv_timespec_t`): seconds and nanoseconds since 1970. */
export interface Timespec {
  /** Whole seconds (rounded down: negative before 1970). */
  readonly sec: number;
  /** Nanoseconds within the second, 0 to 999,999,999. */
  readonly nsec: number;
}

const NS_PER_SECOND = 1_000_000_000n;
const ZERO_TIME: Timespec = Object.freeze({ sec: 0, nsec: 0 });

function timespec(ns: bigint): Timespec {
  let sec = ns / NS_PER_SECOND;
  let rest = ns - sec * NS_PER_SECOND;
  // BigInt division truncates toward zero; libuv's seconds round down.
  if (rest < 0n) {
    sec -= 1n;
    rest += NS_PER_SECOND;
  }
  return { sec: Number(sec), nsec: Number(rest) };
}

/**
 * The result of `stat`, `lstat` and `fstat` (`uv_stat_t`), with libuv's
 * field names (without the `st_` prefix). Numbers are exact up to 2^53.
 */
export class Stat {
  /** ID of the device holding the file. */
  readonly dev: number;
  /** File type and permission bits (`S_IFMT` masks the type). */
  readonly mode: number;
  /** Number of hard links. */
  readonly nlink: number;
  /** Owner's user ID. */
  readonly uid: number;
  /** Owner's group ID. */
  readonly gid: number;
  /** Device ID, for a device file. */
  readonly rdev: number;
  /** Inode number. */
  readonly ino: number;
  /** Size in bytes (a symbolic link: the length of its target). */
  readonly size: number;
  /** Preferred I/O block size. */
  readonly blksize: number;
  /** Number of 512-byte blocks allocated. */
  readonly blocks: number;
  /** User-defined flags (always 0 on Linux). */
  readonly flags: number;
  /** Generation number (always 0 on Linux). */
  readonly gen: number;
  /** Last access. */
  readonly atime: Timespec;
  /** Last modification of the content. */
  readonly mtime: Timespec;
  /** Last change of the inode (content or attributes). */
  readonly ctime: Timespec;
  /** Creation, where the file system records it (0 otherwise). */
  readonly birthtime: Timespec;

  /** @internal Made from Node's BigInt stats, or all zeros without them. */
  constructor(stats: BigIntStats | null) {
    if (stats === null) {
      this.dev = this.mode = this.nlink = this.uid = this.gid = this.rdev = 0;
      this.ino = this.size = this.blksize = this.blocks = 0;
      this.atime = this.mtime = this.ctime = this.birthtime = ZERO_TIME;
    } else {
      this.dev = Number(stats.dev);
      this.mode = Number(stats.mode);
      this.nlink = Number(stats.nlink);
      this.uid = Number(stats.uid);
      this.gid = Number(stats.gid);
      this.rdev = Number(stats.rdev);
      this.ino = Number(stats.ino);
      this.size = Number(stats.size);
      this.blksize = Number(stats.blksize);
      this.blocks = Number(stats.blocks);
      this.atime = timespec(stats.atimeNs);
      this.mtime = timespec(stats.mtimeNs);
      this.ctime = timespec(stats.ctimeNs);
      this.birthtime = timespec(stats.birthtimeNs);
    }
    this.flags = 0;
    this.gen = 0;
  }

  /** A stat with every field 0: what fs_poll reports for "no stat". */
  static zero(): Stat {
    return new Stat(null);
  }
}

/** @internal Turns Node's BigInt stats into a {@link Stat}. */
export function toStat(stats: BigIntStats): Stat {
  return new Stat(stats);
}

/**
 * The result of `statfs` (`uv_statfs_t`). `frsize` exists from libuv 1.52
 * on, so a loop of profile 1.44 leaves it out.
 */
export interface StatFs {
  /** File system type (the `f_type` magic number). */
  readonly type: number;
  /** Block size for I/O. */
  readonly bsize: number;
  /** Total data blocks. */
  readonly blocks: number;
  /** Free blocks. */
  readonly bfree: number;
  /** Free blocks available to an unprivileged user. */
  readonly bavail: number;
  /** Total inodes. */
  readonly files: number;
  /** Free inodes. */
  readonly ffree: number;
  /**
   * Fragment size (libuv 1.52+). Node does not report it; uvts gives
   * `bsize`, which is what Linux reports for every common file system
   * (docs/deviations.md, F3).
   */
  readonly frsize?: number;
}

/** @internal Turns Node's statfs result into a {@link StatFs}, with `frsize` when the loop's libuv has it. */
export function toStatFs(stats: StatsFs, withFrsize: boolean): StatFs {
  const base = {
    type: stats.type,
    bsize: stats.bsize,
    blocks: stats.blocks,
    bfree: stats.bfree,
    bavail: stats.bavail,
    files: stats.files,
    ffree: stats.ffree,
  };
  return withFrsize ? { ...base, frsize: stats.bsize } : base;
}
