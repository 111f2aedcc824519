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
import { fstatSync, readFileSync, readSync, writevSync } from 'node:fs';
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

/** O_NONBLOCK in the `flags` of /proc/self/fdinfo (octal 04000 on Linux). */
const O_NONBLOCK = 0o4000;

/**
 * @internal Whether `fd` is in non-blocking mode, from /proc/self/fdinfo;
 * false when that cannot be read (so nothing is ever written to a
 * descriptor that might block).
 */
export function isNonBlocking(fd: number): boolean {
  try {
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    const match = /^flags:\s*([0-7]+)$/m.exec(info);
    return match !== null && (Number.parseInt(match[1] as string, 8) & O_NONBLOCK) !== 0;
  } catch {
    return false;
  }
}

/**
 * @internal Writes `buffers` to the non-blocking descriptor `fd` with one
 * `writev(2)`, as `uv_try_write` does, and returns how many bytes the
 * kernel took (possibly fewer than given). Node's error (`EAGAIN` when the
 * kernel takes nothing, `EPIPE`, …) is thrown as it is.
 */
export function writeNow(fd: number, buffers: readonly Buffer[]): number {
  return writevSync(fd, buffers as Buffer[]);
}

/** What `drainNow` found: the bytes, then how the descriptor ended. */
export interface Drained {
  /** The bytes read, in order. */
  readonly chunks: Buffer[];
  /** `'eof'`: the peer closed; `'again'`: nothing more for now; or Node's read error. */
  readonly end: 'eof' | 'again' | Error;
}

/**
 * @internal Reads everything the kernel holds for the non-blocking
 * descriptor `fd` right now, as a read loop of libuv's would, stopping at
 * end of file, EAGAIN or an error. For a socket Node is about to destroy
 * (see stream-reader.ts): what libuv would still read from it.
 */
export function drainNow(fd: number): Drained {
  const chunks: Buffer[] = [];
  for (;;) {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    let count: number;
    try {
      count = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        chunks,
        end: code === 'EAGAIN' || code === 'EWOULDBLOCK' ? 'again' : (error as Error),
      };
    }
    if (count === 0) return { chunks, end: 'eof' };
    chunks.push(buffer.subarray(0, count));
  }
}
