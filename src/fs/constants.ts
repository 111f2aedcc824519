/**
 * The fs module's constants, by libuv's names (as pyuv's `fs` module keeps
 * them): open flags, access modes, symlink and copyfile flags, directory
 * entry types, the fs event bits and the two special `utime` values.
 *
 * The open flags and the access modes are Linux's numbers (uvts follows
 * libuv on Linux), read from Node's `fs.constants`, which carries the same
 * values libuv's `UV_FS_O_*` macros expand to there.
 *
 * @module
 */
import { constants as nodeConstants } from 'node:fs';

/** `UV_FS_SYMLINK_DIR`: the link names a directory (meaningful on Windows only; ignored on Linux). */
export const UV_FS_SYMLINK_DIR = 1;
/** `UV_FS_SYMLINK_JUNCTION`: make a junction (Windows only; ignored on Linux). */
export const UV_FS_SYMLINK_JUNCTION = 2;

/** `UV_FS_COPYFILE_EXCL`: fail with EEXIST if the destination exists. */
export const UV_FS_COPYFILE_EXCL = 1;
/** `UV_FS_COPYFILE_FICLONE`: try a copy-on-write clone, fall back to copying. */
export const UV_FS_COPYFILE_FICLONE = 2;
/** `UV_FS_COPYFILE_FICLONE_FORCE`: clone or fail (ENOTSUP where the file system cannot). */
export const UV_FS_COPYFILE_FICLONE_FORCE = 4;

/** `uv_dirent_type_t`: the type of a directory entry is not known. */
export const UV_DIRENT_UNKNOWN = 0;
/** A regular file. */
export const UV_DIRENT_FILE = 1;
/** A directory. */
export const UV_DIRENT_DIR = 2;
/** A symbolic link. */
export const UV_DIRENT_LINK = 3;
/** A FIFO (named pipe). */
export const UV_DIRENT_FIFO = 4;
/** A Unix domain socket. */
export const UV_DIRENT_SOCKET = 5;
/** A character device. */
export const UV_DIRENT_CHAR = 6;
/** A block device. */
export const UV_DIRENT_BLOCK = 7;

/** `uv_fs_event`: an entry appeared, disappeared or was renamed. */
export const UV_RENAME = 1;
/** `uv_fs_event`: an entry's content or attributes changed. */
export const UV_CHANGE = 2;

/** `UV_FS_EVENT_WATCH_ENTRY` (start flag; libuv ignores it on Linux). */
export const UV_FS_EVENT_WATCH_ENTRY = 1;
/** `UV_FS_EVENT_STAT` (start flag; libuv ignores it on Linux). */
export const UV_FS_EVENT_STAT = 2;
/** `UV_FS_EVENT_RECURSIVE` (start flag; libuv ignores it on Linux). */
export const UV_FS_EVENT_RECURSIVE = 4;

/**
 * `UV_FS_UTIME_NOW` (libuv 1.51+): as a time for `utime`, `futime` or
 * `lutime`, "the current time". A loop of profile 1.44 answers EINVAL, as
 * libuv 1.44.2 does for a time that is not finite.
 */
export const UV_FS_UTIME_NOW = Infinity;
/**
 * `UV_FS_UTIME_OMIT` (libuv 1.51+): as a time for `utime`, `futime` or
 * `lutime`, "leave this time as it is". EINVAL on a loop of profile 1.44.
 */
export const UV_FS_UTIME_OMIT = NaN;

/** `F_OK` for `access`: the file exists. */
export const F_OK = 0;
/** `R_OK` for `access`: readable. */
export const R_OK = 4;
/** `W_OK` for `access`: writable. */
export const W_OK = 2;
/** `X_OK` for `access`: executable (searchable, for a directory). */
export const X_OK = 1;

/** `UV_FS_O_RDONLY`: open for reading. */
export const O_RDONLY: number = nodeConstants.O_RDONLY;
/** `UV_FS_O_WRONLY`: open for writing. */
export const O_WRONLY: number = nodeConstants.O_WRONLY;
/** `UV_FS_O_RDWR`: open for reading and writing. */
export const O_RDWR: number = nodeConstants.O_RDWR;
/** `UV_FS_O_CREAT`: create the file if it does not exist. */
export const O_CREAT: number = nodeConstants.O_CREAT;
/** `UV_FS_O_EXCL`: with `O_CREAT`, fail with EEXIST if the file exists. */
export const O_EXCL: number = nodeConstants.O_EXCL;
/** `UV_FS_O_TRUNC`: truncate an existing file to length 0. */
export const O_TRUNC: number = nodeConstants.O_TRUNC;
/** `UV_FS_O_APPEND`: every write goes to the end of the file. */
export const O_APPEND: number = nodeConstants.O_APPEND;
/** `UV_FS_O_NOCTTY`: a terminal does not become the controlling terminal. */
export const O_NOCTTY: number = nodeConstants.O_NOCTTY;
/** `UV_FS_O_NONBLOCK`: non-blocking I/O (FIFOs, devices). */
export const O_NONBLOCK: number = nodeConstants.O_NONBLOCK;
/** `UV_FS_O_DIRECTORY`: fail with ENOTDIR unless the path is a directory. */
export const O_DIRECTORY: number = nodeConstants.O_DIRECTORY;
/** `UV_FS_O_NOFOLLOW`: fail with ELOOP if the path is a symbolic link. */
export const O_NOFOLLOW: number = nodeConstants.O_NOFOLLOW;
/** `UV_FS_O_NOATIME`: do not update the access time. */
export const O_NOATIME: number = nodeConstants.O_NOATIME ?? 0;
/** `UV_FS_O_SYNC`: writes wait for data and metadata to reach the device. */
export const O_SYNC: number = nodeConstants.O_SYNC;
/** `UV_FS_O_DSYNC`: writes wait for the data to reach the device. */
export const O_DSYNC: number = nodeConstants.O_DSYNC;
/** `UV_FS_O_DIRECT`: bypass the page cache. */
export const O_DIRECT: number = nodeConstants.O_DIRECT ?? 0;

/** The `uv_fs_type` of a request, by the lower-case name of libuv's `UV_FS_*` value. */
export type FsType =
  | 'open'
  | 'close'
  | 'read'
  | 'write'
  | 'sendfile'
  | 'stat'
  | 'lstat'
  | 'fstat'
  | 'ftruncate'
  | 'utime'
  | 'futime'
  | 'access'
  | 'chmod'
  | 'fchmod'
  | 'fsync'
  | 'fdatasync'
  | 'unlink'
  | 'rmdir'
  | 'mkdir'
  | 'mkdtemp'
  | 'rename'
  | 'scandir'
  | 'link'
  | 'symlink'
  | 'readlink'
  | 'chown'
  | 'fchown'
  | 'realpath'
  | 'copyfile'
  | 'lchown'
  | 'opendir'
  | 'readdir'
  | 'closedir'
  | 'statfs'
  | 'mkstemp'
  | 'lutime';

/** `uv_fs_type`'s numbers (`uv_fs_get_type`), by {@link FsType} name. */
export const FsTypeCode: Readonly<Record<FsType, number>> = Object.freeze({
  open: 1,
  close: 2,
  read: 3,
  write: 4,
  sendfile: 5,
  stat: 6,
  lstat: 7,
  fstat: 8,
  ftruncate: 9,
  utime: 10,
  futime: 11,
  access: 12,
  chmod: 13,
  fchmod: 14,
  fsync: 15,
  fdatasync: 16,
  unlink: 17,
  rmdir: 18,
  mkdir: 19,
  mkdtemp: 20,
  rename: 21,
  scandir: 22,
  link: 23,
  symlink: 24,
  readlink: 25,
  chown: 26,
  fchown: 27,
  realpath: 28,
  copyfile: 29,
  lchown: 30,
  opendir: 31,
  readdir: 32,
  closedir: 33,
  statfs: 34,
  mkstemp: 35,
  lutime: 36,
});
