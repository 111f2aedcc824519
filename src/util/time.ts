/**
 * Time utilities: `hrtime()` (`uv_hrtime`), `sleep()` (`uv_sleep`),
 * `gettimeofday()` (`uv_gettimeofday`) and `clockGettime()`
 * (`uv_clock_gettime`).
 *
 * @module
 */
import { StatusCode, UVError } from '../errors/index.js';

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

/** `uv_clock_gettime`'s monotonic clock (`UV_CLOCK_MONOTONIC`): {@link hrtime}'s clock. */
export const CLOCK_MONOTONIC = 0;
/** `uv_clock_gettime`'s wall clock (`UV_CLOCK_REALTIME`): time since the Unix epoch. */
export const CLOCK_REALTIME = 1;

/** A clock reading (`uv_clock_gettime`'s `uv_timespec64_t`). */
export interface TimeSpec {
  /** Whole seconds. */
  readonly sec: number;
  /** Nanoseconds, 0..999999999. */
  readonly nsec: number;
}

const NANOSECONDS = 1_000_000_000n;

/**
 * The wall clock at `performance.timeOrigin`, in nanoseconds since the
 * epoch, minus the monotonic clock at that moment: adding the monotonic
 * clock gives the wall clock with nanosecond steps. The double
 * `timeOrigin` holds the start time to a fraction of a microsecond, which
 * is the accuracy of the sum (docs/deviations.md X6).
 */
const realtimeOffset =
  BigInt(Math.round(performance.timeOrigin * 1e6)) -
  (process.hrtime.bigint() - BigInt(Math.round(performance.now() * 1e6)));

/**
 * Reads clock `clock` (`uv_clock_gettime`, libuv 1.45 and later; also in
 * profile 1.44, docs/deviations.md X5): {@link CLOCK_MONOTONIC} counts
 * from an arbitrary point and never goes back, {@link CLOCK_REALTIME}
 * counts from the Unix epoch. Both have nanosecond resolution; the wall
 * clock is derived from the monotonic one as {@link gettimeofday}'s is
 * (docs/deviations.md X6). `UVError` EINVAL for any other clock id.
 */
export function clockGettime(clock: number): TimeSpec {
  if (typeof clock !== 'number') throw new TypeError(`clock must be a number, got ${typeof clock}`);
  let now: bigint;
  if (clock === CLOCK_MONOTONIC) now = process.hrtime.bigint();
  else if (clock === CLOCK_REALTIME) now = process.hrtime.bigint() + realtimeOffset;
  else throw new UVError(StatusCode.EINVAL, { syscall: 'uv_clock_gettime' });
  return { sec: Number(now / NANOSECONDS), nsec: Number(now % NANOSECONDS) };
}
