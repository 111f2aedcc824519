/**
 * Error construction without a stack trace, for the errors that are
 * outcomes rather than failures (see `statusError` in `internal.ts`) and
 * for `UVError`'s own detour to a more specific class.
 *
 * @module
 */

/** @internal Runs `make` with stack capture switched off: errors it creates have no frames. */
export function withoutStackTrace<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
