/**
 * Time utilities: `hrtime()` (`uv_hrtime`) and `sleep()` (`uv_sleep`).
 *
 * @module
 */

/** One shared word to block on; nothing ever notifies it, so a wait always times out. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * The monotonic clock in nanoseconds (`uv_hrtime`): the same clock the loop's
 * `now()` is derived from, so `hrtime() / 1e6 >= loop.now()` always holds.
 */
export function hrtime(): bigint {
  return process.hrtime.bigint();
}

/**
 * Blocks the calling thread for `ms` milliseconds (`uv_sleep`), like libuv's
 * tests do to simulate long callbacks. Nothing else runs meanwhile.
 */
export function sleep(ms: number): void {
  if (typeof ms !== 'number') throw new TypeError(`sleep() needs a number, got ${typeof ms}`);
  if (!(ms > 0)) return;
  Atomics.wait(sleeper, 0, 0, ms);
}
