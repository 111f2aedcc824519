/**
 * Translation of Node's errors into libuv's.
 *
 * Node's system errors already carry libuv's number: `err.errno` is the
 * negative status code Node got from its own libuv (e.g. -111 for
 * ECONNREFUSED), and `err.code` its name. Node's own errors (`ERR_*`) have
 * no libuv counterpart; the few that reach uvts are mapped to the status
 * code libuv would have returned in that situation.
 *
 * @module
 */
import { StatusCode } from './codes.js';
import type { Profile, StatusCodeName } from './codes.js';
import { UVError } from './uv-error.js';

/** Node's own error codes that can surface through sockets, and their libuv meaning. */
const NODE_CODES: Readonly<Record<string, number>> = Object.freeze({
  // A write or end on a socket that was destroyed under it (peer reset).
  ERR_STREAM_DESTROYED: StatusCode.EPIPE,
  ERR_STREAM_WRITE_AFTER_END: StatusCode.EPIPE,
  ERR_SOCKET_CLOSED: StatusCode.EBADF,
  ERR_INVALID_FD_TYPE: StatusCode.EINVAL,
});

/**
 * Returns `error` as a `UVError`: a `UVError` as is; a Node system error by
 * its `errno` (or `code`); a Node `ERR_*` error by its libuv meaning; anything
 * else as `UNKNOWN`. The original error is kept as `cause`. `profile` names
 * the libuv release whose error table applies (current libuv by default): a
 * code that release lacks becomes its "Unknown system error N".
 */
export function fromNodeError(error: unknown, syscall?: string, profile?: Profile): UVError {
  if (error instanceof UVError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    errno?: unknown;
    code?: unknown;
    syscall?: unknown;
    path?: unknown;
  };
  const options = {
    syscall: typeof fields.syscall === 'string' ? fields.syscall : syscall,
    ...(typeof fields.path === 'string' ? { path: fields.path } : {}),
    ...(profile === undefined ? {} : { profile }),
    cause: error,
  };
  if (typeof fields.errno === 'number' && fields.errno < 0)
    return UVError.from(fields.errno, options);
  if (typeof fields.code === 'string') {
    if (Object.hasOwn(StatusCode, fields.code)) {
      return UVError.from(StatusCode[fields.code as StatusCodeName], options);
    }
    const mapped = NODE_CODES[fields.code];
    if (mapped !== undefined) return UVError.from(mapped, options);
  }
  return UVError.from(StatusCode.UNKNOWN, options);
}
