/**
 * Argument validators shared by every layer: a wrong *type* is a
 * `TypeError` (a bug in the caller), a value of the right type that libuv
 * would refuse is a `UVError` with libuv's code. They live at the bottom of
 * the layer table (docs/architecture.md) so that handles, requests, the
 * thread primitives and the fs functions all use the same ones.
 *
 * @module
 */
import { StatusCode } from './codes.js';
import { UVError } from './uv-error.js';

/** Names a rejected value's type without converting it (conversion can throw). */
function typeOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** @internal Throws a TypeError unless `value` is a function. */
export function requireFunction(value: unknown, what: string): void {
  if (typeof value !== 'function') {
    throw new TypeError(`${what} must be a function, got ${typeOf(value)}`);
  }
}

/**
 * @internal Validates a duration in milliseconds (a uint64 in libuv):
 * a non-number is a TypeError; NaN or a negative number is EINVAL;
 * fractions are rounded down; Infinity stands for "the largest value".
 */
export function toMilliseconds(value: unknown, what: string, syscall: string): number {
  if (typeof value !== 'number')
    throw new TypeError(`${what} must be a number, got ${typeof value}`);
  if (Number.isNaN(value) || value < 0) throw new UVError(StatusCode.EINVAL, { syscall });
  return Math.floor(value);
}

/**
 * @internal Checks a value libuv takes as a C `int` (a listen backlog): a
 * TypeError unless it is an integer, EINVAL outside the `int` range rather
 * than a value wrapped as C would wrap it.
 */
export function requireCInt(
  value: unknown,
  what: string,
  syscall: string,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`${what} must be an integer, got ${typeOf(value)}`);
  if (value < -0x80000000 || value > 0x7fffffff) throw new UVError(StatusCode.EINVAL, { syscall });
}

/** @internal Throws a TypeError unless `fd` is a non-negative integer (a descriptor number). */
export function requireFd(fd: unknown): asserts fd is number {
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0)
    throw new TypeError('fd must be a non-negative integer');
}

/** Data for `write()`: bytes, a string (written as UTF-8), or an array of them written in order. */
export type WriteData = string | Uint8Array | readonly (string | Uint8Array)[];

function toBuffer(piece: unknown): Buffer {
  if (typeof piece === 'string') return Buffer.from(piece, 'utf8');
  if (piece instanceof Uint8Array) {
    return Buffer.isBuffer(piece)
      ? piece
      : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
  }
  throw new TypeError(
    `write data must be a Buffer, Uint8Array, string or an array of them, got ${typeOf(piece)}`,
  );
}

/**
 * @internal Normalizes write data to a list of Buffers, once, at the API
 * boundary, so that everything below deals with one type. An empty array
 * is libuv's `nbufs < 1`: EINVAL (1.50+; 1.44 asserts, so uvts answers
 * EINVAL in both profiles). `syscall` names the operation in the error.
 */
export function toBuffers(data: unknown, syscall: string): Buffer[] {
  if (Array.isArray(data)) {
    if (data.length === 0) throw new UVError(StatusCode.EINVAL, { syscall });
    return data.map(toBuffer);
  }
  return [toBuffer(data)];
}

/** @internal The total byte count of a list of Buffers. */
export function byteLength(buffers: readonly Buffer[]): number {
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  return total;
}
