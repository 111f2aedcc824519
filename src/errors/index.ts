/**
 * uvts's errors: libuv's status-code table, `uv_strerror`/`uv_err_name`, and
 * the `UVError` class family that turns status codes into exceptions.
 *
 * @module
 */

export {
  DEFAULT_PROFILE,
  ERROR_TABLE,
  StatusCode,
  errName,
  lookupError,
  lookupErrorByName,
  strerror,
} from './codes.js';
export type { AddedIn, ErrorTableEntry, Profile, StatusCodeName } from './codes.js';
export { UV_ERROR_BRAND } from './brand.js';
// Every error class, `ERROR_CLASSES`, `errorClassFor` and `isUVError`: the
// module exports nothing else, so its class list is the only one.
export * from './uv-error.js';
export type { UVErrorClass, UVErrorCode, UVErrorOptions } from './types.js';
export { fromNodeError } from './node-error.js';
