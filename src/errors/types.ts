/**
 * The types that describe uvts errors, kept apart from the classes so the
 * class module stays about behaviour.
 *
 * @module
 */

import type { Profile, StatusCodeName } from './codes.js';
import type { UVError } from './uv-error.js';

/**
 * The `code` of a {@link UVError}: a status code name such as
 * `'ECONNREFUSED'`, or, for a number libuv does not know, libuv's
 * `"Unknown system error N"`. The odd intersection keeps editor completion
 * for the known names while still accepting any string.
 */
export type UVErrorCode = StatusCodeName | (string & Record<never, never>);

/** What can be said about an error besides its status code. */
export interface UVErrorOptions {
  /** The operation that failed, e.g. `'connect'` or `'uv_timer_start'`. */
  syscall?: string;
  /** The file the operation was about (fs operations). */
  path?: string;
  /** The second file of an operation that has two (rename, link, copy). */
  dest?: string;
  /** Replaces libuv's message. Rarely right: programs compare messages. */
  message?: string;
  /**
   * The libuv release whose table names the code; codes a release lacks are
   * unknown to it. Defaults to current libuv (`'1.52'`).
   */
  profile?: Profile;
  /** The error that caused this one, e.g. the Node error it translates. */
  cause?: unknown;
}

/**
 * A constructor of {@link UVError} or of one of the subclasses that status
 * codes map to; every class in `ERROR_CLASSES` has this shape.
 */
export type UVErrorClass = new (errno: number, options?: UVErrorOptions) => UVError;
