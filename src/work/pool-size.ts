/**
 * How many threads libuv's pool has: `UV_THREADPOOL_SIZE`, read once, with
 * libuv's own parsing (src/threadpool.c, `init_threads`).
 *
 * libuv reads the variable with `atoi` into an unsigned count: leading
 * blanks and a sign are accepted, parsing stops at the first non-digit, and
 * anything unparsable is 0. Then 0 becomes 1, and anything above
 * `MAX_THREADPOOL_SIZE` (1024) becomes 1024 — including negative numbers,
 * which wrap around to huge unsigned values. Profile 1.52 reads the
 * variable through `uv_os_getenv` into a 16-byte buffer first: a value of
 * 16 characters or more does not fit, and counts as unset (4). Measured
 * with luv 1.44.2 and 1.52.1 (docs/semantics.md rule 8.34).
 *
 * @module
 */

/** libuv's `MAX_THREADPOOL_SIZE`. */
export const MAX_THREADPOOL_SIZE = 1024;

/** The size without the variable: libuv's four `default_threads`. */
export const DEFAULT_THREADPOOL_SIZE = 4;

/**
 * The pool size libuv gives for the value `raw` of `UV_THREADPOOL_SIZE`
 * (undefined: not set). `longValuesUnset` is profile 1.52's 16-byte buffer.
 */
export function parseThreadpoolSize(raw: string | undefined, longValuesUnset: boolean): number {
  if (raw === undefined || (longValuesUnset && raw.length >= 16)) return DEFAULT_THREADPOOL_SIZE;
  const match = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(raw);
  const digits = match?.[2] ?? '';
  if (digits === '') return 1;
  // glibc's atoi is (int)strtol: a long that saturates at 2^63 - 1, then
  // truncated to 32 bits (4294967297 gives 1); then libuv stores it in an
  // unsigned int, so every negative int is a huge count.
  const LONG_MAX = (1n << 63n) - 1n;
  let long = BigInt(digits);
  if (match?.[1] === '-') long = -long;
  if (long > LONG_MAX) long = LONG_MAX;
  if (long < -LONG_MAX - 1n) long = -LONG_MAX - 1n;
  const count = Number(BigInt.asIntN(32, long));
  if (count < 0) return MAX_THREADPOOL_SIZE;
  if (count === 0) return 1;
  return Math.min(count, MAX_THREADPOOL_SIZE);
}

/** The slow-I/O limit: at most `(threads + 1) / 2` DNS jobs run at once (rule 8.35). */
export function slowIoThreshold(size: number): number {
  return (size + 1) >> 1;
}
