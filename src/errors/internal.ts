/**
 * The errors layer as uvts's own layers use it: the argument validators
 * and the builders that the public facade (`index.ts`) does not export.
 * Other folders import from `errors/` through this module or `index.ts`
 * only (test/layers.test.ts).
 *
 * @module
 */
import type { Profile } from './codes.js';
import { HandleClosedError, UVError } from './uv-error.js';
import type { UVErrorOptions } from './types.js';
import { fromNodeError } from './node-error.js';
import { withoutStackTrace } from './stack.js';

/** @internal */
export { isProfile } from './codes.js';
/** @internal */
export {
  byteLength,
  requireCInt,
  requireFd,
  requireFunction,
  toBuffers,
  toMilliseconds,
} from './validate.js';
export type { WriteData } from './validate.js';

/**
 * Makes the error for an expected status (`EOF` at the end of a stream,
 * `ECANCELED` for requests a close cancelled) without a stack trace.
 * These are outcomes, not failures, and their stack would only show the
 * loop's internals; capturing one deoptimizes the frames it describes and
 * costs tens of microseconds, which on a busy server is a measurable share
 * of every connection (docs/benchmarks.md, Streams).
 *
 * @internal
 */
export function statusError(errno: number, options: UVErrorOptions): UVError {
  return withoutStackTrace(() => UVError.from(errno, options));
}

/** @internal What an error says besides its code, its operation and its profile. */
export type ErrorDetails = Omit<UVErrorOptions, 'syscall' | 'profile'>;

/**
 * @internal Builds errors as one libuv release reports them: a code that
 * release lacks comes out as its "Unknown system error N" (`ENODATA` on
 * 1.44). Each loop holds the one for its profile (`loop.errors`), so that
 * every error a handle builds carries its loop's profile.
 */
export class ProfileErrors {
  private static readonly byProfile = new Map<Profile, ProfileErrors>();

  /** The shared builder for `profile`. */
  static of(profile: Profile): ProfileErrors {
    let errors = ProfileErrors.byProfile.get(profile);
    if (errors === undefined) {
      errors = new ProfileErrors(profile);
      ProfileErrors.byProfile.set(profile, errors);
    }
    return errors;
  }

  private constructor(readonly profile: Profile) {}

  /** `UVError.from(errno)` for the operation `syscall`. */
  error(errno: number, syscall: string, details?: ErrorDetails): UVError {
    return UVError.from(errno, { ...details, syscall, profile: this.profile });
  }

  /** A Node error (or anything thrown by Node) translated by `fromNodeError`. */
  fromNode(error: unknown, syscall: string): UVError {
    return fromNodeError(error, syscall, this.profile);
  }

  /** An expected status, without a stack trace (see `statusError`). */
  status(errno: number, syscall: string): UVError {
    return statusError(errno, { syscall, profile: this.profile });
  }

  /** The `HandleClosedError` for an operation on a closing or closed handle. */
  closed(errno: number, syscall: string): HandleClosedError {
    return new HandleClosedError(errno, { syscall, profile: this.profile });
  }
}
