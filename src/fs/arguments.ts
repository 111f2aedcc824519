/**
 * The fs functions' argument checks, made once at the API boundary.
 *
 * The rule is the project's: a value of the wrong *type* is a `TypeError`
 * (a C caller could not even pass it), and a value of the right type that
 * libuv would refuse gets libuv's answer. Where that answer comes from the
 * system call, it must arrive where libuv delivers it — thrown by the
 * synchronous form, in the callback of the asynchronous one — so those
 * checks do not throw here: they give the errno that the operation then
 * reports as its result (see `FsJob.failure` in operation.ts). Only what
 * libuv itself checks before queueing anything (an empty buffer list,
 * unknown copyfile flags) is thrown from the call in both forms.
 *
 * Values libuv passes to the kernel as C integers are converted the way C
 * converts them (a mode is masked to its 12 permission bits, a uid of -2
 * wraps to 4294967294), so that the kernel sees what it would see from
 * libuv. Node itself rejects some of those values, which is why they are
 * converted here first.
 *
 * @module
 */
import { StatusCode, UVError } from '../errors/index.js';

/** What the fs functions accept as a path. */
export type PathArgument = string;

/** The open flags as a number, or one of the strings luv and Node accept (`'r'`, `'w+'`, `'ax'`, …). */
export type OpenFlags = number | string;

const OPEN_FLAG_STRINGS = new Set([
  'r',
  'rs',
  'sr',
  'r+',
  'rs+',
  'sr+',
  'w',
  'wx',
  'xw',
  'w+',
  'wx+',
  'xw+',
  'a',
  'ax',
  'xa',
  'as',
  'sa',
  'a+',
  'ax+',
  'xa+',
  'as+',
  'sa+',
]);

/** The largest descriptor a C `int` holds. */
const MAX_FD = 2147483647;

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** @internal A path: a string without NUL bytes (EINVAL: C would cut it short). */
export function toPath(value: unknown, what: string, syscall: string): string {
  if (typeof value !== 'string')
    throw new TypeError(`${what} must be a string, got ${typeName(value)}`);
  if (value.includes('\0')) throw new UVError(StatusCode.EINVAL, { syscall, path: value });
  return value;
}

/** @internal An integer, or a TypeError naming `what`. */
export function toInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${what} must be an integer, got ${typeName(value)}`);
  }
  return value;
}

/**
 * @internal A file descriptor: an integer. One no descriptor can have
 * (negative, or beyond a C `int`) is accepted here and fails as the system
 * call fails, with EBADF; see {@link badDescriptor}.
 */
export function toFd(value: unknown): number {
  return toInteger(value, 'fd');
}

/** @internal EBADF for a descriptor number that cannot be open, else 0. */
export function badDescriptor(fd: number): number {
  return fd < 0 || fd > MAX_FD ? StatusCode.EBADF : 0;
}

/** @internal A mode (`mode_t`): an integer, masked to the 12 bits the kernel keeps. */
export function toMode(value: unknown): number {
  return (toInteger(value, 'mode') >>> 0) & 0o7777;
}

/** @internal Open flags: an integer, or one of the strings in {@link OpenFlags}. */
export function toOpenFlags(value: unknown): number | string {
  if (typeof value === 'string') {
    if (!OPEN_FLAG_STRINGS.has(value)) throw new TypeError(`unknown open flags '${value}'`);
    return value;
  }
  return toInteger(value, 'flags') | 0;
}

/**
 * @internal A user or group ID (`uid_t`): an integer, converted as C
 * converts it to an unsigned 32-bit number; -1 (all bits set) means "leave
 * it as it is".
 */
export function toId(value: unknown, what: string): number {
  const id = toInteger(value, what) >>> 0;
  return id === 0xffffffff ? -1 : id;
}

/**
 * @internal A file offset (`int64_t`): an integer; a negative one means
 * "at the descriptor's current position", which Node spells `null`.
 */
export function toPosition(value: unknown, what = 'offset'): number | null {
  const position = toInteger(value, what);
  return position < 0 ? null : position;
}

/** @internal A byte count: a non-negative integer (EINVAL if negative). */
export function toLength(value: unknown, what: string, syscall: string): number {
  const length = toInteger(value, what);
  if (length < 0) throw new UVError(StatusCode.EINVAL, { syscall });
  return length;
}

/** @internal A time in seconds for the utime family: any number (see utime.ts for the special ones). */
export function toSeconds(value: unknown, what: string): number {
  if (typeof value !== 'number')
    throw new TypeError(`${what} must be a number, got ${typeName(value)}`);
  return value;
}

/** @internal Flags of a function that takes a flag word: an integer. */
export function toFlags(value: unknown, what = 'flags'): number {
  return toInteger(value, what);
}

/**
 * @internal A list of buffers to read into: one `Uint8Array` or an array of
 * them. An empty array is libuv's `nbufs == 0`: EINVAL, before anything is
 * queued.
 */
export function toReadBuffers(value: unknown, syscall: string): Uint8Array[] {
  if (value instanceof Uint8Array) return [value];
  if (!Array.isArray(value)) {
    throw new TypeError(`buffers must be a Uint8Array or an array of them, got ${typeName(value)}`);
  }
  if (value.length === 0) throw new UVError(StatusCode.EINVAL, { syscall });
  for (const buffer of value) {
    if (!(buffer instanceof Uint8Array)) {
      throw new TypeError(`buffers must be Uint8Arrays, got ${typeName(buffer)}`);
    }
  }
  return value as Uint8Array[];
}
