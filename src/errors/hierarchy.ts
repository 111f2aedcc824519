/**
 * Which error class each libuv status code becomes.
 *
 * The assignment is uv-cffi's (`uv.error`): every code uv-cffi maps goes to
 * the class uv-cffi puts it in, under uv-cffi's class name, except for
 * these renames: `UnsupportedOperation` → `UnsupportedOperationError` (to
 * end in `Error` like the rest), the misspelt `MassageTooLongError` →
 * `MessageTooLongError`, and `ClosedHandleError`/`ClosedLoopError` →
 * `HandleClosedError`/`LoopClosedError` (the names uvts documents).
 *
 * Two differences from uv-cffi are forced by JavaScript's single
 * inheritance. uv-cffi's `AddressFlagsError`, `AddressHintsError` and
 * `AddressDataError` are both an `ArgumentError` and an `AddressError`, and
 * its `AddressProtocolError` both an `AddressError` and a `ProtocolError`;
 * here each extends `AddressError` only, because all of them are
 * `getaddrinfo` failures and are caught as such.
 *
 * uv-cffi gives no class to eleven codes of the table (most are younger than
 * it). They go to the uv-cffi class that already holds their closest
 * sibling, so that code catching a family keeps working when libuv uses the
 * newer code; two small classes are added where no family fits:
 *
 * | code | class | because |
 * | --- | --- | --- |
 * | `EOVERFLOW` | `ResultTooLargeError` | a value does not fit, as `ERANGE` |
 * | `EHOSTDOWN` | `HostUnreachableError` | one more reason a host is unreachable |
 * | `EREMOTEIO` | `IOError` | an I/O error on the remote side |
 * | `ENOTTY` | `NotSupportedError` | the operation does not apply to the device |
 * | `EILSEQ` | `CharsetError` | an invalid byte sequence, as `ECHARSET` |
 * | `ESOCKTNOSUPPORT` | `NotSupportedError` | a socket type the system does not support |
 * | `EUNATCH` | `ProtocolError` | a protocol failure (no driver attached) |
 * | `EFTYPE`, `ENOEXEC` | `FileFormatError` (new) | no uv-cffi class is about file formats |
 * | `ENODATA` | `DataNotFoundError` (new) | a "not found", beside `FileNotFoundError` |
 * | `UNKNOWN` | `UVError` | nothing more specific is known (uv-cffi does the same) |
 *
 * @module
 */

import type { StatusCodeName } from './codes.js';
import type { ErrorKind } from './uv-error.js';

/**
 * The error class kind for every status code, in libuv's map order. The
 * `satisfies` clause makes the compiler reject a missing code or a class
 * name that does not exist.
 *
 * @internal
 */
export const KIND_OF_CODE = Object.freeze({
  E2BIG: 'ArgumentError',
  EACCES: 'PermissionError',
  EADDRINUSE: 'AddressInUseError',
  EADDRNOTAVAIL: 'AddressUnavailableError',
  EAFNOSUPPORT: 'AddressFamilyError',
  EAGAIN: 'TemporaryUnavailableError',
  EAI_ADDRFAMILY: 'AddressFamilyError',
  EAI_AGAIN: 'TemporaryUnavailableError',
  EAI_BADFLAGS: 'AddressFlagsError',
  EAI_BADHINTS: 'AddressHintsError',
  EAI_CANCELED: 'CanceledError',
  EAI_FAIL: 'PermanentError',
  EAI_FAMILY: 'AddressFamilyError',
  EAI_MEMORY: 'MemoryError',
  EAI_NODATA: 'AddressDataError',
  EAI_NONAME: 'AddressNameError',
  EAI_OVERFLOW: 'ArgumentError',
  EAI_PROTOCOL: 'AddressProtocolError',
  EAI_SERVICE: 'AddressServiceError',
  EAI_SOCKTYPE: 'AddressSocketTypeError',
  EALREADY: 'ConnectionInProgressError',
  EBADF: 'BadFileDescriptorError',
  EBUSY: 'ResourceBusyError',
  ECANCELED: 'CanceledError',
  ECHARSET: 'CharsetError',
  ECONNABORTED: 'ConnectionAbortedError',
  ECONNREFUSED: 'ConnectionRefusedError',
  ECONNRESET: 'ConnectionResetError',
  EDESTADDRREQ: 'DestinationAddressError',
  EEXIST: 'FileExistsError',
  EFAULT: 'ArgumentError',
  EFBIG: 'FileTooLargeError',
  EHOSTUNREACH: 'HostUnreachableError',
  EINTR: 'InterruptedError',
  EINVAL: 'ArgumentError',
  EIO: 'IOError',
  EISCONN: 'IsConnectedError',
  EISDIR: 'IsADirectoryError',
  ELOOP: 'TooManySymbolicLinksError',
  EMFILE: 'TooManyOpenFilesError',
  EMSGSIZE: 'MessageTooLongError',
  ENAMETOOLONG: 'NameTooLongError',
  ENETDOWN: 'NetworkDownError',
  ENETUNREACH: 'NetworkUnreachableError',
  ENFILE: 'FileTableOverflowError',
  ENOBUFS: 'BufferSpaceError',
  ENODEV: 'DeviceNotFoundError',
  ENOENT: 'FileNotFoundError',
  ENOMEM: 'MemoryError',
  ENONET: 'NoNetworkError',
  ENOPROTOOPT: 'ProtocolNoOptionError',
  ENOSPC: 'NoSpaceError',
  ENOSYS: 'NotImplementedError',
  ENOTCONN: 'NotConnectedError',
  ENOTDIR: 'NotADirectoryError',
  ENOTEMPTY: 'NotEmptyError',
  ENOTSOCK: 'NotSocketError',
  ENOTSUP: 'NotSupportedError',
  EOVERFLOW: 'ResultTooLargeError',
  EPERM: 'PermissionError',
  EPIPE: 'BrokenPipeError',
  EPROTO: 'ProtocolError',
  EPROTONOSUPPORT: 'ProtocolNotSupportedError',
  EPROTOTYPE: 'ProtocolTypeError',
  ERANGE: 'ResultTooLargeError',
  EROFS: 'PermissionError',
  ESHUTDOWN: 'BrokenPipeError',
  ESPIPE: 'SeekError',
  ESRCH: 'ProcessLookupError',
  ETIMEDOUT: 'TimeoutError',
  ETXTBSY: 'ResourceBusyError',
  EXDEV: 'CrossDeviceError',
  UNKNOWN: 'UVError',
  EOF: 'EOFError',
  ENXIO: 'DeviceNotFoundError',
  EMLINK: 'TooManyLinksError',
  EHOSTDOWN: 'HostUnreachableError',
  EREMOTEIO: 'IOError',
  ENOTTY: 'NotSupportedError',
  EFTYPE: 'FileFormatError',
  EILSEQ: 'CharsetError',
  ESOCKTNOSUPPORT: 'NotSupportedError',
  ENODATA: 'DataNotFoundError',
  EUNATCH: 'ProtocolError',
  ENOEXEC: 'FileFormatError',
} as const satisfies Record<StatusCodeName, ErrorKind>);
