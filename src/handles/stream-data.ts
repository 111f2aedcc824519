/**
 * What a stream accepts as data to write, turned into Buffers once, at the
 * API boundary, so that everything below deals with one type.
 *
 * @module
 */
import { StatusCode, UVError } from '../errors/index.js';

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
    `write data must be a Buffer, Uint8Array, string or an array of them, got ${piece === null ? 'null' : typeof piece}`,
  );
}

/**
 * @internal Normalizes write data to a list of Buffers. An empty array is
 * libuv's `nbufs < 1`: EINVAL (1.52; 1.44 asserts). `syscall` names the
 * operation in the error.
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
