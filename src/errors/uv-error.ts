/**
 * `UVError` and its subclasses: libuv's status codes as JavaScript errors.
 *
 * The hierarchy follows uv-cffi's (`uv.error`); `hierarchy.ts` lists which
 * class each status code becomes and why. All classes live in this one
 * module so that a second copy of it (another installed version of uvts) is
 * a complete, independent set of classes; the brand from `brand.ts` keeps
 * `instanceof` working between such copies.
 *
 * @module
 */

import { defineKinds, hasKind, kindChain, kindOf, UV_ERROR_BRAND } from './brand.js';
import { DEFAULT_PROFILE, errName, lookupError, StatusCode, strerror } from './codes.js';
import type { Profile, StatusCodeName } from './codes.js';
import { KIND_OF_CODE } from './hierarchy.js';
import { withoutStackTrace } from './stack.js';
import type { UVErrorClass, UVErrorCode, UVErrorOptions } from './types.js';

/**
 * An error reported by libuv, i.e. a negative status code.
 *
 * - `errno` is libuv's number, the same one Node puts in `err.errno`.
 * - `code` is `uv_err_name(errno)`, e.g. `'ECONNREFUSED'`.
 * - `message` is exactly `uv_strerror(errno)`, e.g. `'connection refused'`.
 *   The failing operation is not folded into it (as Node does with
 *   `'connect ECONNREFUSED ...'`): it is in `syscall`, and `path`/`dest`
 *   name the files involved, each present only when given.
 * - `name` is the class name, so a stack trace starts with
 *   `ConnectionRefusedError: connection refused`.
 *
 * Constructing a class with a code picks the most specific class for that
 * code within the class's own family, as uv-cffi's `UVError(code)` does:
 * `new UVError(StatusCode.ENOENT)` and `new NotFoundError(StatusCode.ENOENT)`
 * both give a `FileNotFoundError`, while `new ConnectionError(StatusCode.EINVAL)`
 * stays a `ConnectionError`. {@link UVError.from} says the same thing more
 * visibly. `instanceof` works with errors made by another copy of uvts too.
 *
 * @example
 * ```ts
 * const err = new UVError(StatusCode.ECONNREFUSED, { syscall: 'connect' });
 * err instanceof ConnectionRefusedError; // true
 * err.code; // 'ECONNREFUSED'
 * ```
 */
export class UVError extends Error {
  // The fields are `declare`d and assigned in the constructor, because the
  // constructor may hand back a more specific error instead of `this`.

  /** libuv's status code: a negative number. */
  declare readonly errno: number;
  /** libuv's name for the code, without `UV_` (see {@link UVErrorCode}). */
  declare readonly code: UVErrorCode;
  /** The operation that failed, when known. */
  declare readonly syscall?: string;
  /** The file the operation was about, when there is one. */
  declare readonly path?: string;
  /** The second file of a two-file operation, when there is one. */
  declare readonly dest?: string;
  /** The error's class kinds, most general first; see `UV_ERROR_BRAND`. */
  declare readonly [UV_ERROR_BRAND]: readonly string[];

  /**
   * @param errno - a negative libuv status code, e.g. `StatusCode.EINVAL`;
   *   numbers libuv does not know are accepted and named as libuv names them
   * @param options - the failing operation, files, and so on
   * @throws TypeError when `errno` is not an integer or the profile is unknown
   * @throws RangeError when `errno` is not negative (0 means success) or does
   *   not fit in a C `int`
   */
  constructor(errno: number, options: UVErrorOptions = {}) {
    const profile = options.profile ?? DEFAULT_PROFILE;
    // errName validates errno and profile, so it runs before anything else
    // looks at them.
    const code = errName(errno, profile);
    if (errno >= 0) {
      throw new RangeError(`UVError: errno must be negative (0 is success), got ${errno}`);
    }
    const specific = errorClassFor(errno, profile);
    if (specific !== new.target && isSubclass(specific, new.target)) {
      // The stack is captured once, at our caller, so that it does not show
      // this detour: the inner construction skips the capture, which costs
      // more than everything else here together.
      const error = withoutStackTrace(() => new specific(errno, options));
      Error.captureStackTrace(error, new.target);
      return error;
    }
    super(
      options.message ?? strerror(errno, profile),
      'cause' in options ? { cause: options.cause } : undefined,
    );
    this.errno = errno;
    this.code = code;
    // Absent details stay absent rather than becoming `undefined` own
    // properties, so printed and compared errors show only what is known.
    if (options.syscall !== undefined) this.syscall = options.syscall;
    if (options.path !== undefined) this.path = options.path;
    if (options.dest !== undefined) this.dest = options.dest;
    Object.defineProperty(this, UV_ERROR_BRAND, { value: kindChain(new.target) });
  }

  /**
   * Makes the error for `errno`, as an instance of the most specific class
   * for that code (see `ERROR_CLASSES`); codes the profile does not know give
   * a plain `UVError`.
   *
   * @param errno - a negative libuv status code
   * @param options - the failing operation, files, profile, and so on
   * @throws TypeError when `errno` is not an integer or the profile is unknown
   * @throws RangeError when `errno` is not negative or does not fit in an `int`
   */
  static from(errno: number, options?: UVErrorOptions): UVError {
    const ErrorClass = errorClassFor(errno, options?.profile);
    return new ErrorClass(errno, options);
  }

  /**
   * `value instanceof C` for uvts's error classes: true when `C.prototype`
   * is on the prototype chain of `value` (the usual rule), or when `value`
   * carries the uvts brand listing `C`'s kind, which is how errors made by
   * another copy of uvts are recognised. Subclasses inherit this method;
   * for classes written outside uvts only the usual rule applies.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kind = kindOf(this);
    return kind !== undefined && hasKind(value, kind);
  }
}

// Asked of the prototype chain directly: the `instanceof` hook above is
// about instances, and this question is about two classes of this module.
function isSubclass(candidate: { prototype: object }, base: { prototype: object }): boolean {
  return Object.prototype.isPrototypeOf.call(base.prototype, candidate.prototype);
}

/** `EINVAL`, `E2BIG`, `EFAULT`, `EAI_OVERFLOW`: an argument is invalid. */
export class ArgumentError extends UVError {}
/** `EISCONN`: the socket is already connected. */
export class IsConnectedError extends ArgumentError {}
/** `EAGAIN`, `EAI_AGAIN`: the resource is temporarily unavailable. */
export class TemporaryUnavailableError extends UVError {}
/** `ECANCELED`, `EAI_CANCELED`: the request was canceled. */
export class CanceledError extends UVError {}
/** `EAI_FAIL`: name resolution failed permanently. */
export class PermanentError extends UVError {}
/** `EACCES`, `EPERM`, `EROFS`: permission denied. */
export class PermissionError extends UVError {}
/** `EBADF`: bad file descriptor. */
export class BadFileDescriptorError extends UVError {}
/** `EBUSY`, `ETXTBSY`: the resource is busy or locked. */
export class ResourceBusyError extends UVError {}
/** `ECHARSET`, `EILSEQ`: invalid character or byte sequence. */
export class CharsetError extends UVError {}
/** `EEXIST`: the file already exists. */
export class FileExistsError extends UVError {}
/** `EFBIG`: the file is too large. */
export class FileTooLargeError extends UVError {}
/** `EINTR`: interrupted system call. */
export class InterruptedError extends UVError {}
/** `EIO`, `EREMOTEIO`: input/output error. */
export class IOError extends UVError {}
/** `EISDIR`: illegal operation on a directory. */
export class IsADirectoryError extends UVError {}
/** `ENOTDIR`: not a directory. */
export class NotADirectoryError extends UVError {}
/** `ENOTEMPTY`: the directory is not empty. */
export class NotEmptyError extends UVError {}
/** `EMSGSIZE`: the message is too long. */
export class MessageTooLongError extends UVError {}
/** `ENAMETOOLONG`: the name is too long. */
export class NameTooLongError extends UVError {}
/** `ENOBUFS`: no buffer space available. */
export class BufferSpaceError extends UVError {}
/** `ENOSPC`: no space left on the device. */
export class NoSpaceError extends UVError {}
/** `ENOSYS`: the function is not implemented. */
export class NotImplementedError extends UVError {}
/** `ENOTCONN`: the socket is not connected. */
export class NotConnectedError extends UVError {}
/** `EHOSTUNREACH`, `EHOSTDOWN`: the host cannot be reached. */
export class HostUnreachableError extends UVError {}
/** `ERANGE`, `EOVERFLOW`: a result does not fit. */
export class ResultTooLargeError extends UVError {}
/** `ESPIPE`: invalid seek. */
export class SeekError extends UVError {}
/** `ESRCH`: no such process. */
export class ProcessLookupError extends UVError {}
/** `ETIMEDOUT`: the operation timed out. */
export class TimeoutError extends UVError {}
/** `EXDEV`: cross-device link not permitted. */
export class CrossDeviceError extends UVError {}
/** `EOF`: end of file. */
export class EOFError extends UVError {}
/** `EFTYPE`, `ENOEXEC`: the file's type or format is wrong for the operation. */
export class FileFormatError extends UVError {}

/** Base of the errors for operations that are not possible on the target. */
export class UnsupportedOperationError extends UVError {}
/** `ENOTSOCK`: socket operation on something that is not a socket. */
export class NotSocketError extends UnsupportedOperationError {}
/** `ENOTSUP`, `ENOTTY`, `ESOCKTNOSUPPORT`: the operation is not supported. */
export class NotSupportedError extends UnsupportedOperationError {}

/**
 * Base of {@link HandleClosedError} and {@link LoopClosedError}: an operation
 * on something already closed. No status code maps to it; uvts throws it.
 *
 * Its `errno` is `EINVAL` unless another is given: that is libuv's answer for
 * most operations on a closing handle (`uv_timer_start`, `uv_read_start`,
 * `uv_listen`, ...), and uv-cffi's choice too. Where libuv answers an
 * operation differently (e.g. `EBADF` for a write, `ENOTCONN` for a
 * shutdown), pass that code, so `errno` and `code` always say what libuv
 * would have returned. The message stays libuv's text for the code; the
 * class name says what went wrong.
 *
 * @example
 * ```ts
 * throw new HandleClosedError(StatusCode.EINVAL, { syscall: 'uv_timer_start' });
 * throw new HandleClosedError(StatusCode.EBADF, { syscall: 'uv_write' });
 * ```
 */
export class ClosedStructureError extends UnsupportedOperationError {
  /**
   * @param errno - the code libuv returns for the refused operation; `EINVAL`
   *   by default
   * @param options - the refused operation (`syscall`) and the usual details
   */
  constructor(errno: number = StatusCode.EINVAL, options?: UVErrorOptions) {
    super(errno, options);
  }
}
/** An operation on a handle that is closing or closed; see {@link ClosedStructureError}. */
export class HandleClosedError extends ClosedStructureError {}
/**
 * An operation on a loop that has been closed. libuv cannot report this (a
 * closed loop's memory is gone); uvts reports it as `EINVAL`, like uv-cffi,
 * unless told otherwise. See {@link ClosedStructureError}.
 */
export class LoopClosedError extends ClosedStructureError {}

/** `EPROTO`, `EUNATCH`: protocol error. */
export class ProtocolError extends UVError {}
/** `ENOPROTOOPT`: the protocol option is not available. */
export class ProtocolNoOptionError extends UVError {}
/** `EPROTONOSUPPORT`: the protocol is not supported. */
export class ProtocolNotSupportedError extends UVError {}
/** `EPROTOTYPE`: protocol of the wrong type for the socket. */
export class ProtocolTypeError extends UVError {}

/** Base of the errors about addresses and name resolution. */
export class AddressError extends UVError {}
/** `EADDRNOTAVAIL`: the address is not available. */
export class AddressUnavailableError extends AddressError {}
/** `EADDRINUSE`: the address is already in use. */
export class AddressInUseError extends AddressUnavailableError {}
/** `EAFNOSUPPORT`, `EAI_ADDRFAMILY`, `EAI_FAMILY`: address family not supported. */
export class AddressFamilyError extends AddressError {}
/** `EAI_BADFLAGS`: bad `ai_flags` value. */
export class AddressFlagsError extends AddressError {}
/** `EAI_BADHINTS`: invalid value for hints. */
export class AddressHintsError extends AddressError {}
/** `EAI_NODATA`: the name has no address. */
export class AddressDataError extends AddressError {}
/** `EAI_NONAME`: unknown node or service. */
export class AddressNameError extends AddressError {}
/** `EAI_PROTOCOL`: the resolved protocol is unknown. */
export class AddressProtocolError extends AddressError {}
/** `EAI_SERVICE`: service not available for the socket type. */
export class AddressServiceError extends AddressError {}
/** `EAI_SOCKTYPE`: socket type not supported by name resolution. */
export class AddressSocketTypeError extends AddressError {}
/** `EDESTADDRREQ`: a destination address is required. */
export class DestinationAddressError extends AddressError {}

/** Base of the errors that end or prevent a connection. */
export class ConnectionError extends UVError {}
/** `EPIPE`, `ESHUTDOWN`: writing to a connection that can no longer send. */
export class BrokenPipeError extends ConnectionError {}
/** `ECONNABORTED`: software caused connection abort. */
export class ConnectionAbortedError extends ConnectionError {}
/** `ECONNREFUSED`: connection refused. */
export class ConnectionRefusedError extends ConnectionError {}
/** `ECONNRESET`: connection reset by peer. */
export class ConnectionResetError extends ConnectionError {}
/** `EALREADY`: a connection is already in progress. */
export class ConnectionInProgressError extends ConnectionError {}

/** Base of the errors for things that do not exist. */
export class NotFoundError extends UVError {}
/** `ENODEV`, `ENXIO`: no such device (or address). */
export class DeviceNotFoundError extends NotFoundError {}
/** `ENOENT`: no such file or directory. */
export class FileNotFoundError extends NotFoundError {}
/** `ENODATA`: no data available. */
export class DataNotFoundError extends NotFoundError {}

/** Base of the errors about the network itself. */
export class NetworkError extends UVError {}
/** `ENETDOWN`: the network is down. */
export class NetworkDownError extends NetworkError {}
/** `ENETUNREACH`: the network is unreachable. */
export class NetworkUnreachableError extends NetworkError {}
/** `ENONET`: the machine is not on the network. */
export class NoNetworkError extends NetworkError {}

/** Base of the errors for exhausted system resources and limits. */
export class SystemFailureError extends UVError {}
/** `ENOMEM`, `EAI_MEMORY`: out of memory. */
export class MemoryError extends SystemFailureError {}
/** `EMLINK`: too many links. */
export class TooManyLinksError extends SystemFailureError {}
/** `ELOOP`: too many symbolic links encountered. */
export class TooManySymbolicLinksError extends TooManyLinksError {}
/** `EMFILE`: too many open files in the process. */
export class TooManyOpenFilesError extends SystemFailureError {}
/** `ENFILE`: too many open files in the system. */
export class FileTableOverflowError extends SystemFailureError {}

// Every class, under the kind its brand uses. The keys are written out here,
// rather than read from `constructor.name`, so that renaming by a minifier
// cannot change them.
const CLASSES = {
  UVError,
  ArgumentError,
  IsConnectedError,
  TemporaryUnavailableError,
  CanceledError,
  PermanentError,
  PermissionError,
  BadFileDescriptorError,
  ResourceBusyError,
  CharsetError,
  FileExistsError,
  FileTooLargeError,
  InterruptedError,
  IOError,
  IsADirectoryError,
  NotADirectoryError,
  NotEmptyError,
  MessageTooLongError,
  NameTooLongError,
  BufferSpaceError,
  NoSpaceError,
  NotImplementedError,
  NotConnectedError,
  HostUnreachableError,
  ResultTooLargeError,
  SeekError,
  ProcessLookupError,
  TimeoutError,
  CrossDeviceError,
  EOFError,
  FileFormatError,
  UnsupportedOperationError,
  NotSocketError,
  NotSupportedError,
  ClosedStructureError,
  HandleClosedError,
  LoopClosedError,
  ProtocolError,
  ProtocolNoOptionError,
  ProtocolNotSupportedError,
  ProtocolTypeError,
  AddressError,
  AddressUnavailableError,
  AddressInUseError,
  AddressFamilyError,
  AddressFlagsError,
  AddressHintsError,
  AddressDataError,
  AddressNameError,
  AddressProtocolError,
  AddressServiceError,
  AddressSocketTypeError,
  DestinationAddressError,
  ConnectionError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
  ConnectionInProgressError,
  NotFoundError,
  DeviceNotFoundError,
  FileNotFoundError,
  DataNotFoundError,
  NetworkError,
  NetworkDownError,
  NetworkUnreachableError,
  NoNetworkError,
  SystemFailureError,
  MemoryError,
  TooManyLinksError,
  TooManySymbolicLinksError,
  TooManyOpenFilesError,
  FileTableOverflowError,
} as const satisfies Record<string, abstract new (...args: never[]) => UVError>;
defineKinds(CLASSES);

/**
 * The name of one of uvts's error classes, as used in the brand.
 * @useDeclaredType
 */
export type ErrorKind = keyof typeof CLASSES;

/**
 * The class {@link UVError.from} uses for each status code: exactly one per
 * code of the table. `UNKNOWN` maps to `UVError` itself.
 */
export const ERROR_CLASSES: Readonly<Record<StatusCodeName, UVErrorClass>> = classesByCode();

function classesByCode(): Readonly<Record<StatusCodeName, UVErrorClass>> {
  const byCode: Partial<Record<StatusCodeName, UVErrorClass>> = {};
  for (const name of Object.keys(KIND_OF_CODE) as StatusCodeName[]) {
    byCode[name] = CLASSES[KIND_OF_CODE[name]];
  }
  // Complete by construction: KIND_OF_CODE is checked to cover every name.
  return Object.freeze(byCode as Record<StatusCodeName, UVErrorClass>);
}

/**
 * The class for `errno` under the given profile: the entry of
 * {@link ERROR_CLASSES}, or `UVError` for a code the profile does not know.
 *
 * @param errno - a libuv status code
 * @param profile - the libuv release to answer for; current libuv by default
 * @throws TypeError when `errno` is not an integer or `profile` is unknown
 * @throws RangeError when `errno` does not fit in a C `int`
 */
export function errorClassFor(errno: number, profile: Profile = DEFAULT_PROFILE): UVErrorClass {
  const entry = lookupError(errno, profile);
  return entry === undefined ? UVError : ERROR_CLASSES[entry.name];
}

/**
 * Whether `value` is a uvts error, including one made by another copy of
 * uvts. Same as `value instanceof UVError`, usable as a type guard.
 */
export function isUVError(value: unknown): value is UVError {
  return value instanceof UVError;
}
