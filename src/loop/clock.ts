/**
 * The loop clock: CLOCK_MONOTONIC in whole milliseconds, like libuv's
 * `uv__hrtime(UV_CLOCK_FAST) / 1e6` (rule 1.2). `process.hrtime()` reads the
 * same monotonic clock as `process.hrtime.bigint()` (which `hrtime()` in
 * `util/` exposes), so a timer never fires before `hrtime()` says it is due
 * (libuv's `timer_early_check`). The tuple form avoids a BigInt division on
 * every loop iteration.
 *
 * @module
 */

// Taken once: the global `process` is an accessor property, so reading it
// in the loop's hottest function would call a getter on every clock read.
const hrtime = process.hrtime;

/** Milliseconds since an arbitrary origin (boot), rounded down. @internal */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = hrtime();
  return seconds * 1000 + Math.floor(nanoseconds / 1e6);
}
