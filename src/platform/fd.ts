/**
 * File descriptors as streams see them: what kind of thing an fd is, which
 * way it was opened, and the Node object that can read and write it.
 *
 * `guessHandle()` is libuv's `uv_guess_handle`: a terminal is `tty`; a
 * regular file or another character device is `file`; a FIFO or a Unix
 * stream socket is `pipe`; a TCP socket `tcp`, an IP datagram socket
 * `udp`; anything else `unknown`. libuv asks the socket itself
 * (`getsockname`, `getsockopt(SO_TYPE)`), which Node cannot. Linux answers
 * the same question through /proc: `fstat()` of a socket gives its inode,
 * and /proc/net/{unix,tcp,tcp6,udp,udp6} list every socket of each kind by
 * inode (see `socket-fd.ts`).
 *
 * @module
 */
import { fstatSync, readFileSync } from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import type { ProfileErrors } from '../errors/internal.js';
import { socketKindOfInode } from './socket-fd.js';

/** @internal What an fd is, as far as streams care, and which way it can be used. */
export interface FdInfo {
  /** `tty`: a terminal; `stream`: a pipe or socket; `other`: anything Node cannot stream. */
  readonly kind: 'tty' | 'stream' | 'other';
  /** A socket (as opposed to a FIFO or terminal): it has a socket name. */
  readonly socket: boolean;
  /** Not opened write-only. */
  readonly readable: boolean;
  /** Not opened read-only. */
  readonly writable: boolean;
}

/**
 * @internal Classifies `fd` for a stream (libuv's `uv_guess_handle` plus
 * the open mode `fcntl(F_GETFL)` would give). Returns `null` for an fd
 * that is not open.
 */
export function describeFd(fd: number): FdInfo | null {
  let stats;
  try {
    stats = fstatSync(fd);
  } catch {
    return null;
  }
  let kind: FdInfo['kind'] = 'other';
  if (tty.isatty(fd)) kind = 'tty';
  else if (stats.isFIFO() || stats.isSocket()) kind = 'stream';
  const mode = accessMode(fd);
  return { kind, socket: stats.isSocket(), readable: mode !== 1, writable: mode !== 0 };
}

/**
 * @internal O_ACCMODE of `fd`: 0 read-only, 1 write-only, 2 read-write
 * (assumed when unknown), from /proc/self/fdinfo.
 */
export function accessMode(fd: number): number {
  try {
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    const match = /^flags:\s*([0-7]+)$/m.exec(info);
    if (match !== null) return Number.parseInt(match[1] as string, 8) & 3;
  } catch {
    // Not Linux, or no procfs: assume both directions, as a duplex socket.
  }
  return 2;
}

/**
 * @internal Wraps `fd` in the Node object a stream adopts: a paused
 * `tty.ReadStream` for a terminal, else a `net.Socket` that does not start
 * reading until the stream resumes it (so data waits in the kernel until
 * `startRead()`, as it does for libuv). Node's refusal becomes the
 * `UVError` of `syscall`.
 */
export function openFdSocket(
  fd: number,
  info: FdInfo,
  syscall: string,
  errors: ProfileErrors,
): net.Socket {
  try {
    if (info.kind === 'tty') return new tty.ReadStream(fd);
    // `manualStart` (what tty.ReadStream itself passes) keeps Node from
    // reading ahead at construction time.
    const options: net.SocketConstructorOpts & { manualStart: boolean } = {
      fd,
      readable: info.readable,
      writable: info.writable,
      allowHalfOpen: true,
      manualStart: true,
    };
    return new net.Socket(options);
  } catch (error) {
    throw errors.fromNode(error, syscall);
  }
}

/** What `guessHandle()` answers: the `uv_handle_type` name of what an fd is. */
export type GuessedHandle = 'tty' | 'file' | 'pipe' | 'tcp' | 'udp' | 'unknown';

/**
 * @internal libuv's `uv_guess_handle(fd)`; see the module comment. Never
 * throws: a negative or closed fd is `unknown`.
 */
export function guessHandle(fd: number): GuessedHandle {
  if (!Number.isInteger(fd) || fd < 0) return 'unknown';
  let stats;
  try {
    if (tty.isatty(fd)) return 'tty';
    stats = fstatSync(fd);
  } catch {
    return 'unknown';
  }
  if (stats.isFile() || stats.isCharacterDevice()) return 'file';
  if (stats.isFIFO()) return 'pipe';
  if (!stats.isSocket()) return 'unknown';
  switch (socketKindOfInode(stats.ino)) {
    case 'unix-stream':
      return 'pipe';
    case 'tcp':
      return 'tcp';
    case 'udp':
      return 'udp';
    default:
      return 'unknown';
  }
}
