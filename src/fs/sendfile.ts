/**
 * sendfile (`uv_fs_sendfile`): copy up to `length` bytes from `inFd`,
 * starting at `inOffset`, to `outFd` at its current position, and give the
 * number of bytes copied. `inFd`'s own position does not move.
 *
 * On Linux libuv asks the kernel to copy (`copy_file_range`, then
 * `sendfile(2)`, then its own read/write loop); Node has none of these, so
 * uvts runs the loop: positional reads from `inFd` (sequential reads when
 * it cannot seek, as libuv's fallback does) and writes to `outFd`, 64 KiB
 * at a time, until `length` bytes, the end of the input, or an error. The
 * count and the files' final state are the same for regular files; the
 * difference is in partial results, which follow `sendfile(2)`: an error
 * after some bytes were copied ends the copy with that count (a
 * non-blocking output that is full: EAGAIN then, or the count), an error
 * before any is the result (docs/deviations.md, F4).
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import { StatusCode } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { badDescriptor, toFd, toInteger, toLength } from './arguments.js';
import type { FSCallback, FSRequest } from './fs-request.js';
import { perform } from './fs-request.js';
import type { StepAlgorithm } from './steps.js';
import { step, stepsJob } from './steps.js';

const CHUNK = 64 * 1024;

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** The copy loop (see the module comment). */
function* copy(outFd: number, inFd: number, offset: number, length: number): StepAlgorithm<number> {
  const chunk = Buffer.allocUnsafe(Math.min(length, CHUNK));
  let sent = 0;
  let positional = true;
  while (sent < length) {
    const want = Math.min(chunk.length, length - sent);
    let got: number;
    try {
      got = (yield step(
        () => nodeFs.readSync(inFd, chunk, 0, want, positional ? offset + sent : null),
        (done) => nodeFs.read(inFd, chunk, 0, want, positional ? offset + sent : null, done),
      )) as number;
    } catch (error) {
      // libuv's fallback reads sequentially from what cannot seek (a pipe).
      if (positional && sent === 0 && errorCode(error) === 'ESPIPE') {
        positional = false;
        continue;
      }
      if (sent > 0) return sent;
      throw error;
    }
    if (got === 0) break;
    let written = 0;
    while (written < got) {
      try {
        written += (yield step(
          () => nodeFs.writeSync(outFd, chunk, written, got - written, null),
          (done) => nodeFs.write(outFd, chunk, written, got - written, null, done),
        )) as number;
      } catch (error) {
        if (errorCode(error) === 'EAGAIN' && sent + written > 0) return sent + written;
        throw error;
      }
    }
    sent += got;
  }
  return sent;
}

/**
 * Copies up to `length` bytes from `inFd` at `inOffset` to `outFd`
 * (`uv_fs_sendfile`) and gives the number copied (fewer at the end of the
 * input). A negative offset is EINVAL, as the kernel answers.
 */
export function sendfile(
  loop: Loop,
  outFd: number,
  inFd: number,
  inOffset: number,
  length: number,
): number;
export function sendfile(
  loop: Loop,
  outFd: number,
  inFd: number,
  inOffset: number,
  length: number,
  callback: FSCallback<number>,
): FSRequest<number>;
export function sendfile(
  loop: Loop,
  outFd: unknown,
  inFd: unknown,
  inOffset: unknown,
  length: unknown,
  callback?: unknown,
): number | FSRequest<number> {
  const output = toFd(outFd);
  const input = toFd(inFd);
  const offset = toInteger(inOffset, 'inOffset');
  const count = toLength(length, 'length', 'sendfile');
  const failure =
    badDescriptor(output) || badDescriptor(input) || (offset < 0 ? StatusCode.EINVAL : 0);
  return perform(
    loop,
    'sendfile',
    stepsJob(null, null, () => copy(output, input, offset, count), failure),
    callback,
  );
}
