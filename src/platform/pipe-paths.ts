/**
 * The file-system side of pipe names, for `pipe.ts`: what the kernel would
 * say about binding or connecting to a name (checked up front, because
 * Node only reports it later or not at all), the names this process has
 * bound but not yet listened on, and the mode bits of a socket file.
 *
 * @module
 */
import { accessSync, chmodSync, constants, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';

/** Paths bound by a uvts pipe that is not listening yet (so the file does not exist). */
const reserved = new Set<string>();

/** The libuv status code of a Node `fs` error (EACCES if it has none). */
function errnoOf(error: unknown): number {
  const errno = (error as { errno?: unknown }).errno;
  return typeof errno === 'number' && errno < 0 ? errno : StatusCode.EACCES;
}

/** The key a path is reserved under: abstract names as they are, file names resolved. */
function reservationKey(name: string): string {
  return name.startsWith('\0') ? name : path.resolve(name);
}

/**
 * What the kernel's `bind()` would say about `name` right now, or `null`
 * if it would succeed: an existing file or socket is EADDRINUSE, a missing
 * directory ENOENT (reported as EACCES, like libuv), a non-directory
 * ENOTDIR, an unwritable directory EACCES.
 */
export function bindError(name: string, errors: ProfileErrors): UVError | null {
  const syscall = 'uv_pipe_bind';
  if (name.startsWith('\0')) {
    return reserved.has(name) ? errors.error(StatusCode.EADDRINUSE, syscall) : null;
  }
  const details = { path: name };
  try {
    lstatSync(name);
    return errors.error(StatusCode.EADDRINUSE, syscall, details);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') {
      return errors.error(errnoOf(error), syscall, details);
    }
  }
  if (reserved.has(reservationKey(name)))
    return errors.error(StatusCode.EADDRINUSE, syscall, details);
  try {
    accessSync(path.dirname(name), constants.W_OK | constants.X_OK);
  } catch (error) {
    const errno = errnoOf(error);
    return errors.error(errno === StatusCode.ENOENT ? StatusCode.EACCES : errno, syscall, details);
  }
  return null;
}

/**
 * What `connect()` would fail with at once for `name`, or `null` if only
 * trying tells: the errors libuv's `uv_pipe_connect` feeds to the pending
 * queue instead of waiting for the socket. An empty name is the caller's
 * to judge: it differs between the profiles (`emptyPipeNameInvalid`).
 */
export function connectError(name: string, errors: ProfileErrors): UVError | null {
  const syscall = 'uv_pipe_connect';
  // A NUL inside the name would silently shorten it; libuv 1.46+ says EINVAL.
  if (name.indexOf('\0', 1) !== -1) return errors.error(StatusCode.EINVAL, syscall);
  if (name.startsWith('\0')) return null;
  try {
    if (!statSync(name).isSocket())
      return errors.error(StatusCode.ECONNREFUSED, syscall, { path: name });
  } catch (error) {
    // ENAMETOOLONG and the like: the kernel truncates long names, let it try.
    const errno = errnoOf(error);
    if (errno === StatusCode.ENOENT || errno === StatusCode.ENOTDIR || errno === StatusCode.EACCES)
      return errors.error(errno, syscall, { path: name });
  }
  return null;
}

/**
 * Adds `bits` to the mode of the socket file `name`, as `uv_pipe_chmod`
 * does: stat, then chmod only if a bit is missing. An abstract name has no
 * file; libuv's `stat()` of it fails with ENOENT, and so does this.
 */
export function addModeBits(name: string, bits: number, errors: ProfileErrors): void {
  const syscall = 'uv_pipe_chmod';
  if (name === '' || name.startsWith('\0'))
    throw errors.error(StatusCode.ENOENT, syscall, { path: name });
  try {
    const mode = statSync(name).mode;
    if ((mode & bits) !== bits) chmodSync(name, (mode | bits) & 0o7777);
  } catch (error) {
    throw errors.error(errnoOf(error), syscall, { path: name });
  }
}

/**
 * The part of `name` that fits in `bytes` bytes of UTF-8, as the kernel's
 * `sun_path` receives it: libuv cuts a longer name (without the
 * `UV_PIPE_NO_TRUNCATE` flag, which uvts does not offer), and the socket
 * is known by the cut name from then on.
 */
export function truncatePipeName(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let end = Math.min(name.length, bytes);
  while (Buffer.byteLength(name.slice(0, end)) > bytes) end--;
  return name.slice(0, end);
}

/** Checks a name's type, and that no NUL hides inside it (EINVAL). */
export function checkName(name: unknown, syscall: string, errors: ProfileErrors): string {
  if (typeof name !== 'string') throw new TypeError(`name must be a string, got ${typeof name}`);
  // A NUL inside the name would silently shorten it (libuv 1.46+ says EINVAL).
  if (name.indexOf('\0', 1) !== -1) throw errors.error(StatusCode.EINVAL, syscall);
  return name;
}

/**
 * Reserves `name` for a pipe that is bound but not listening, so that a
 * second bind of it in this process is EADDRINUSE; returns the key to
 * release it with.
 */
export function reserveName(name: string): string {
  const key = reservationKey(name);
  reserved.add(key);
  return key;
}

/** Releases a name reserved by {@link reserveName}. */
export function releaseName(key: string): void {
  reserved.delete(key);
}
