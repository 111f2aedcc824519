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

/**
 * The monotonic clock in nanoseconds as a number (pyuv's `util.hrtime()`):
 * exact while the clock is below 2^53 ns (104 days of uptime), a few
 * nanoseconds off after that. {@link hrtime} gives the exact bigint.
 */
export function hrtimeNumber(): number {
  return Number(process.hrtime.bigint());
}

/** The wall-clock time (`uv_gettimeofday`'s `uv_timeval64_t`). */
export interface TimeOfDay {
  /** Seconds since the Unix epoch. */
  readonly sec: number;
  /** Microseconds, 0..999999. */
  readonly usec: number;
}

/**
 * The current wall-clock time in microseconds (`uv_gettimeofday`). Node has
 * no microsecond wall clock: it is the process's start time plus the
 * monotonic time elapsed since, which follows the real clock to well
 * under a millisecond unless the clock is set while the process runs
 * (docs/deviations.md X2).
 */
export function gettimeofday(): TimeOfDay {
  const microseconds = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return { sec: Math.floor(microseconds / 1e6), usec: microseconds % 1e6 };
}
