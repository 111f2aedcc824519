/**
 * `random` and `RandomRequest` (`uv_random`, `uv_random_t`): fill a buffer
 * with bytes from the system's random source, as a thread-pool request or
 * synchronously without a callback.
 *
 * libuv's src/random.c (docs/semantics.md rule 8.41) checks the length
 * (above 2^31 - 1 bytes: E2BIG) before the flags (anything but 0: EINVAL),
 * fills the buffer on the calling thread when there is no callback, and
 * otherwise submits a CPU job to the pool, 0 bytes included, whose
 * callback gets the same buffer and length back in POLL, with ECANCELED
 * when `uv_cancel` took it out of the queue. Here the job
 * is Node's `crypto.randomFill`, started when a slot takes the request
 * (`pool-request.ts`), so a saturated pool delays it and `cancel()` works
 * until then, as in libuv.
 *
 * @module
 */
import crypto from 'node:crypto';
import { StatusCode, UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { PoolRequest } from './pool-request.js';
import type { WorkKind } from './thread-pool.js';

/** libuv's limit: `uv_random` refuses more than this many bytes with E2BIG. */
const MAX_RANDOM_BYTES = 0x7fffffff;

/**
 * The callback of a random request: the request, the buffer it filled (the
 * one passed to {@link random}; left as it was on error), and the error
 * (`null` on success; `UVError` ECANCELED after `cancel()`).
 */
export type RandomCallback = (
  request: RandomRequest,
  buffer: NodeJS.ArrayBufferView,
  error: UVError | null,
) => void;

/** A random request (`uv_random_t`); made by {@link random}. */
export class RandomRequest extends PoolRequest {
  /** Always `'random'`. */
  readonly type = 'random';
  /** @internal libuv submits random requests as CPU work (UV__WORK_CPU). */
  readonly workKind: WorkKind = 'cpu';
  /** The buffer being filled (libuv's `buf` and `buflen`). */
  readonly buffer: NodeJS.ArrayBufferView;
  private readonly callback: RandomCallback;
  private failure: Error | null = null;

  /** @internal Use {@link random}. */
  constructor(loop: Loop, buffer: NodeJS.ArrayBufferView, callback: RandomCallback) {
    super(loop);
    this.buffer = buffer;
    this.callback = callback;
    this.submit();
  }

  protected runJob(done: () => void): void {
    crypto.randomFill(this.buffer, (error) => {
      this.failure = error;
      done();
    });
  }

  protected deliver(canceled: boolean): void {
    let error: UVError | null = null;
    if (canceled) error = this.loop.errors.status(StatusCode.ECANCELED, 'uv_random');
    else if (this.startError !== null)
      error = this.loop.errors.fromNode(this.startError, 'uv_random');
    else if (this.failure !== null) error = this.loop.errors.fromNode(this.failure, 'uv_random');
    this.invokeCallback('random', () => this.callback(this, this.buffer, error));
  }
}

/**
 * Fills `buffer` with random bytes from the system's source
 * (`uv_random`; Node's `crypto.randomFill`, which reads the same kernel
 * source libuv reads).
 *
 * With a callback it returns a {@link RandomRequest}: the bytes are
 * written on the thread pool (a CPU job, behind whatever the pool is busy
 * with; `cancel()` works while it is queued) and the callback runs in POLL
 * with the same buffer. Without one it fills the buffer on the calling
 * thread and returns it; `loop` may then be null.
 *
 * Throws `UVError` E2BIG for a buffer longer than 2^31 - 1 bytes, then
 * EINVAL for `flags` other than 0 (libuv's order; no flag is defined), and
 * TypeError when `buffer` is not a typed array or `DataView`.
 */
export function random(
  loop: Loop,
  buffer: NodeJS.ArrayBufferView,
  flags: number,
  callback: RandomCallback,
): RandomRequest;
export function random(
  loop: Loop | null,
  buffer: NodeJS.ArrayBufferView,
  flags?: number,
  callback?: null,
): NodeJS.ArrayBufferView;
export function random(
  loop: Loop | null,
  buffer: NodeJS.ArrayBufferView,
  flags = 0,
  callback: RandomCallback | null = null,
): RandomRequest | NodeJS.ArrayBufferView {
  if (!ArrayBuffer.isView(buffer))
    throw new TypeError('random: buffer must be a typed array or a DataView');
  if (typeof flags !== 'number') throw new TypeError('random: flags must be a number');
  if (callback !== null && callback !== undefined && typeof callback !== 'function')
    throw new TypeError('random: callback must be a function');
  if (buffer.byteLength > MAX_RANDOM_BYTES)
    throw new UVError(StatusCode.E2BIG, { syscall: 'uv_random' });
  if (flags !== 0) throw new UVError(StatusCode.EINVAL, { syscall: 'uv_random' });
  if (typeof callback === 'function') {
    if (loop === null) throw new TypeError('random with a callback needs a loop');
    return new RandomRequest(loop, buffer, callback);
  }
  crypto.randomFillSync(buffer);
  return buffer;
}
