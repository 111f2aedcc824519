// Tests for src/errors: the status-code table, uv_strerror/uv_err_name, and
// the UVError class family. The expected table below is written out by hand
// from docs/semantics.md §9 (libuv's UV_ERRNO_MAP), so it checks the source
// independently instead of re-reading the same data.
//
// Boolean checks use assert.equal(x, true) or pass a message to assert.ok:
// a failing assert.ok without a message makes Node re-parse this file to
// describe the expression, which can hang on TypeScript syntax.
import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'node:test';
import util from 'node:util';

import {
  AddressDataError,
  AddressError,
  AddressFamilyError,
  AddressFlagsError,
  AddressHintsError,
  AddressInUseError,
  AddressNameError,
  AddressProtocolError,
  AddressServiceError,
  AddressSocketTypeError,
  AddressUnavailableError,
  ArgumentError,
  BadFileDescriptorError,
  BrokenPipeError,
  BufferSpaceError,
  CanceledError,
  CharsetError,
  ClosedStructureError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionInProgressError,
  ConnectionRefusedError,
  ConnectionResetError,
  CrossDeviceError,
  DataNotFoundError,
  DEFAULT_PROFILE,
  DestinationAddressError,
  DeviceNotFoundError,
  EOFError,
  ERROR_CLASSES,
  ERROR_TABLE,
  errName,
  errorClassFor,
  FileExistsError,
  FileFormatError,
  FileNotFoundError,
  FileTableOverflowError,
  FileTooLargeError,
  HandleClosedError,
  HostUnreachableError,
  InterruptedError,
  IOError,
  IsADirectoryError,
  IsConnectedError,
  isUVError,
  lookupError,
  lookupErrorByName,
  LoopClosedError,
  MemoryError,
  MessageTooLongError,
  NameTooLongError,
  NetworkDownError,
  NetworkError,
  NetworkUnreachableError,
  NoNetworkError,
  NoSpaceError,
  NotADirectoryError,
  NotConnectedError,
  NotEmptyError,
  NotFoundError,
  NotImplementedError,
  NotSocketError,
  NotSupportedError,
  PermanentError,
  PermissionError,
  ProcessLookupError,
  ProtocolError,
  ProtocolNoOptionError,
  ProtocolNotSupportedError,
  ProtocolTypeError,
  ResourceBusyError,
  ResultTooLargeError,
  SeekError,
  StatusCode,
  strerror,
  SystemFailureError,
  TemporaryUnavailableError,
  TimeoutError,
  TooManyLinksError,
  TooManyOpenFilesError,
  TooManySymbolicLinksError,
  UnsupportedOperationError,
  UV_ERROR_BRAND,
  UVError,
} from '../src/errors/index.js';
import type { Profile, StatusCodeName, UVErrorClass } from '../src/errors/index.js';
import type * as UvErrorModule from '../src/errors/uv-error.js';

// "NAME VALUE MESSAGE", in libuv's map order; "@1.45" marks the release that
// added the code.
const EXPECTED_TABLE = `
E2BIG -7 argument list too long
EACCES -13 permission denied
EADDRINUSE -98 address already in use
EADDRNOTAVAIL -99 address not available
EAFNOSUPPORT -97 address family not supported
EAGAIN -11 resource temporarily unavailable
EAI_ADDRFAMILY -3000 address family not supported
EAI_AGAIN -3001 temporary failure
EAI_BADFLAGS -3002 bad ai_flags value
EAI_BADHINTS -3013 invalid value for hints
EAI_CANCELED -3003 request canceled
EAI_FAIL -3004 permanent failure
EAI_FAMILY -3005 ai_family not supported
EAI_MEMORY -3006 out of memory
EAI_NODATA -3007 no address
EAI_NONAME -3008 unknown node or service
EAI_OVERFLOW -3009 argument buffer overflow
EAI_PROTOCOL -3014 resolved protocol is unknown
EAI_SERVICE -3010 service not available for socket type
EAI_SOCKTYPE -3011 socket type not supported
EALREADY -114 connection already in progress
EBADF -9 bad file descriptor
EBUSY -16 resource busy or locked
ECANCELED -125 operation canceled
ECHARSET -4080 invalid Unicode character
ECONNABORTED -103 software caused connection abort
ECONNREFUSED -111 connection refused
ECONNRESET -104 connection reset by peer
EDESTADDRREQ -89 destination address required
EEXIST -17 file already exists
EFAULT -14 bad address in system call argument
EFBIG -27 file too large
EHOSTUNREACH -113 host is unreachable
EINTR -4 interrupted system call
EINVAL -22 invalid argument
EIO -5 i/o error
EISCONN -106 socket is already connected
EISDIR -21 illegal operation on a directory
ELOOP -40 too many symbolic links encountered
EMFILE -24 too many open files
EMSGSIZE -90 message too long
ENAMETOOLONG -36 name too long
ENETDOWN -100 network is down
ENETUNREACH -101 network is unreachable
ENFILE -23 file table overflow
ENOBUFS -105 no buffer space available
ENODEV -19 no such device
ENOENT -2 no such file or directory
ENOMEM -12 not enough memory
ENONET -64 machine is not on the network
ENOPROTOOPT -92 protocol not available
ENOSPC -28 no space left on device
ENOSYS -38 function not implemented
ENOTCONN -107 socket is not connected
ENOTDIR -20 not a directory
ENOTEMPTY -39 directory not empty
ENOTSOCK -88 socket operation on non-socket
ENOTSUP -95 operation not supported on socket
EOVERFLOW -75 value too large for defined data type
EPERM -1 operation not permitted
EPIPE -32 broken pipe
EPROTO -71 protocol error
EPROTONOSUPPORT -93 protocol not supported
EPROTOTYPE -91 protocol wrong type for socket
ERANGE -34 result too large
EROFS -30 read-only file system
ESHUTDOWN -108 cannot send after transport endpoint shutdown
ESPIPE -29 invalid seek
ESRCH -3 no such process
ETIMEDOUT -110 connection timed out
ETXTBSY -26 text file is busy
EXDEV -18 cross-device link not permitted
UNKNOWN -4094 unknown error
EOF -4095 end of file
ENXIO -6 no such device or address
EMLINK -31 too many links
EHOSTDOWN -112 host is down
EREMOTEIO -121 remote I/O error
ENOTTY -25 inappropriate ioctl for device
EFTYPE -4028 inappropriate file type or format
EILSEQ -84 illegal byte sequence
ESOCKTNOSUPPORT -94 socket type not supported
ENODATA -61 no data available @1.45
EUNATCH -49 protocol driver not attached @1.46
ENOEXEC -8 exec format error @1.50
`;

interface Expected {
  name: string;
  errno: number;
  message: string;
  since?: string;
}

const EXPECTED: readonly Expected[] = EXPECTED_TABLE.trim()
  .split('\n')
  .map((line) => {
    const match = /^(\w+) (-\d+) (.+?)(?: @(1\.\d+))?$/.exec(line);
    assert.ok(match, `bad expected line: ${line}`);
    const [, name = '', errno = '', message = '', since] = match;
    const row: Expected = { name, errno: Number(errno), message };
    if (since !== undefined) row.since = since;
    return row;
  });

const NEWER_THAN_1_44 = new Set(['ENODATA', 'EUNATCH', 'ENOEXEC']);

// Which class each code becomes: uv-cffi's assignment plus the codes it lacks
// (see src/errors/hierarchy.ts). Every code of the table appears once.
const EXPECTED_CLASSES: ReadonlyArray<readonly [UVErrorClass, readonly StatusCodeName[]]> = [
  [UVError, ['UNKNOWN']],
  [ArgumentError, ['E2BIG', 'EAI_OVERFLOW', 'EFAULT', 'EINVAL']],
  [IsConnectedError, ['EISCONN']],
  [TemporaryUnavailableError, ['EAGAIN', 'EAI_AGAIN']],
  [CanceledError, ['ECANCELED', 'EAI_CANCELED']],
  [PermanentError, ['EAI_FAIL']],
  [PermissionError, ['EACCES', 'EPERM', 'EROFS']],
  [BadFileDescriptorError, ['EBADF']],
  [ResourceBusyError, ['EBUSY', 'ETXTBSY']],
  [CharsetError, ['ECHARSET', 'EILSEQ']],
  [FileExistsError, ['EEXIST']],
  [FileTooLargeError, ['EFBIG']],
  [InterruptedError, ['EINTR']],
  [IOError, ['EIO', 'EREMOTEIO']],
  [IsADirectoryError, ['EISDIR']],
  [NotADirectoryError, ['ENOTDIR']],
  [NotEmptyError, ['ENOTEMPTY']],
  [MessageTooLongError, ['EMSGSIZE']],
  [NameTooLongError, ['ENAMETOOLONG']],
  [BufferSpaceError, ['ENOBUFS']],
  [NoSpaceError, ['ENOSPC']],
  [NotImplementedError, ['ENOSYS']],
  [NotConnectedError, ['ENOTCONN']],
  [HostUnreachableError, ['EHOSTUNREACH', 'EHOSTDOWN']],
  [ResultTooLargeError, ['ERANGE', 'EOVERFLOW']],
  [SeekError, ['ESPIPE']],
  [ProcessLookupError, ['ESRCH']],
  [TimeoutError, ['ETIMEDOUT']],
  [CrossDeviceError, ['EXDEV']],
  [EOFError, ['EOF']],
  [FileFormatError, ['EFTYPE', 'ENOEXEC']],
  [NotSocketError, ['ENOTSOCK']],
  [NotSupportedError, ['ENOTSUP', 'ENOTTY', 'ESOCKTNOSUPPORT']],
  [ProtocolError, ['EPROTO', 'EUNATCH']],
  [ProtocolNoOptionError, ['ENOPROTOOPT']],
  [ProtocolNotSupportedError, ['EPROTONOSUPPORT']],
  [ProtocolTypeError, ['EPROTOTYPE']],
  [AddressUnavailableError, ['EADDRNOTAVAIL']],
  [AddressInUseError, ['EADDRINUSE']],
  [AddressFamilyError, ['EAFNOSUPPORT', 'EAI_ADDRFAMILY', 'EAI_FAMILY']],
  [AddressFlagsError, ['EAI_BADFLAGS']],
  [AddressHintsError, ['EAI_BADHINTS']],
  [AddressDataError, ['EAI_NODATA']],
  [AddressNameError, ['EAI_NONAME']],
  [AddressProtocolError, ['EAI_PROTOCOL']],
  [AddressServiceError, ['EAI_SERVICE']],
  [AddressSocketTypeError, ['EAI_SOCKTYPE']],
  [DestinationAddressError, ['EDESTADDRREQ']],
  [BrokenPipeError, ['EPIPE', 'ESHUTDOWN']],
  [ConnectionAbortedError, ['ECONNABORTED']],
  [ConnectionRefusedError, ['ECONNREFUSED']],
  [ConnectionResetError, ['ECONNRESET']],
  [ConnectionInProgressError, ['EALREADY']],
  [DeviceNotFoundError, ['ENODEV', 'ENXIO']],
  [FileNotFoundError, ['ENOENT']],
  [DataNotFoundError, ['ENODATA']],
  [NetworkDownError, ['ENETDOWN']],
  [NetworkUnreachableError, ['ENETUNREACH']],
  [NoNetworkError, ['ENONET']],
  [MemoryError, ['ENOMEM', 'EAI_MEMORY']],
  [TooManyLinksError, ['EMLINK']],
  [TooManySymbolicLinksError, ['ELOOP']],
  [TooManyOpenFilesError, ['EMFILE']],
  [FileTableOverflowError, ['ENFILE']],
];

// Every class and its direct parent: the shape of the hierarchy.
const EXPECTED_PARENTS: ReadonlyArray<readonly [object, object]> = [
  [ArgumentError, UVError],
  [IsConnectedError, ArgumentError],
  ...[TemporaryUnavailableError, CanceledError, PermanentError, PermissionError].map(
    (c) => [c, UVError] as const,
  ),
  ...[BadFileDescriptorError, ResourceBusyError, CharsetError, FileExistsError].map(
    (c) => [c, UVError] as const,
  ),
  ...[FileTooLargeError, InterruptedError, IOError, IsADirectoryError].map(
    (c) => [c, UVError] as const,
  ),
  ...[NotADirectoryError, NotEmptyError, MessageTooLongError, NameTooLongError].map(
    (c) => [c, UVError] as const,
  ),
  ...[BufferSpaceError, NoSpaceError, NotImplementedError, NotConnectedError].map(
    (c) => [c, UVError] as const,
  ),
  ...[HostUnreachableError, ResultTooLargeError, SeekError, ProcessLookupError].map(
    (c) => [c, UVError] as const,
  ),
  ...[TimeoutError, CrossDeviceError, EOFError, FileFormatError].map((c) => [c, UVError] as const),
  [UnsupportedOperationError, UVError],
  [NotSocketError, UnsupportedOperationError],
  [NotSupportedError, UnsupportedOperationError],
  [ClosedStructureError, UnsupportedOperationError],
  [HandleClosedError, ClosedStructureError],
  [LoopClosedError, ClosedStructureError],
  ...[ProtocolError, ProtocolNoOptionError, ProtocolNotSupportedError, ProtocolTypeError].map(
    (c) => [c, UVError] as const,
  ),
  [AddressError, UVError],
  [AddressUnavailableError, AddressError],
  [AddressInUseError, AddressUnavailableError],
  ...[AddressFamilyError, AddressFlagsError, AddressHintsError, AddressDataError].map(
    (c) => [c, AddressError] as const,
  ),
  ...[AddressNameError, AddressProtocolError, AddressServiceError].map(
    (c) => [c, AddressError] as const,
  ),
  [AddressSocketTypeError, AddressError],
  [DestinationAddressError, AddressError],
  [ConnectionError, UVError],
  ...[BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError].map(
    (c) => [c, ConnectionError] as const,
  ),
  [ConnectionResetError, ConnectionError],
  [ConnectionInProgressError, ConnectionError],
  [NotFoundError, UVError],
  ...[DeviceNotFoundError, FileNotFoundError, DataNotFoundError].map(
    (c) => [c, NotFoundError] as const,
  ),
  [NetworkError, UVError],
  ...[NetworkDownError, NetworkUnreachableError, NoNetworkError].map(
    (c) => [c, NetworkError] as const,
  ),
  [SystemFailureError, UVError],
  [MemoryError, SystemFailureError],
  [TooManyLinksError, SystemFailureError],
  [TooManySymbolicLinksError, TooManyLinksError],
  [TooManyOpenFilesError, SystemFailureError],
  [FileTableOverflowError, SystemFailureError],
];

function code(name: StatusCodeName): number {
  return StatusCode[name];
}

describe('ERROR_TABLE', () => {
  it('has all 85 codes of libuv 1.52, in map order, with exact values and messages', () => {
    assert.equal(ERROR_TABLE.length, 85);
    assert.deepEqual(
      ERROR_TABLE.map((entry) => ({ ...entry })),
      EXPECTED.map((row) => ({ ...row })),
    );
  });

  it('marks exactly ENODATA, EUNATCH and ENOEXEC with the release that added them', () => {
    const marked = ERROR_TABLE.filter((entry) => 'since' in entry);
    assert.deepEqual(
      marked.map((entry) => [entry.name, entry.since]),
      [
        ['ENODATA', '1.45'],
        ['EUNATCH', '1.46'],
        ['ENOEXEC', '1.50'],
      ],
    );
  });

  it('has unique names and values, all negative', () => {
    assert.equal(new Set(ERROR_TABLE.map((entry) => entry.name)).size, 85);
    assert.equal(new Set(ERROR_TABLE.map((entry) => entry.errno)).size, 85);
    for (const entry of ERROR_TABLE) assert.ok(entry.errno < 0, entry.name);
  });

  it('is frozen, entries included', () => {
    assert.equal(Object.isFrozen(ERROR_TABLE), true);
    for (const entry of ERROR_TABLE) assert.ok(Object.isFrozen(entry), entry.name);
    assert.throws(() => {
      (ERROR_TABLE as unknown as unknown[]).push({});
    }, TypeError);
  });

  it('uses the negated Linux errno, except for libuv-only codes (rule 9.1)', (t) => {
    if (process.platform !== 'linux') return t.skip('Linux values only');
    const libuvOnly = new Set(['EOF', 'UNKNOWN', 'ECHARSET', 'EFTYPE']);
    const linux: Readonly<Record<string, number | undefined>> = os.constants.errno;
    let compared = 0;
    for (const entry of ERROR_TABLE) {
      const value = linux[entry.name];
      if (entry.name.startsWith('EAI_')) {
        assert.ok(entry.errno <= -3000 && entry.errno > -3100, entry.name);
      } else if (libuvOnly.has(entry.name)) {
        assert.ok(entry.errno <= -4000, entry.name);
      } else if (value !== undefined) {
        // Node lists only the errno names it knows (no ENONET, for one).
        assert.equal(entry.errno, -value, entry.name);
        compared += 1;
      }
    }
    assert.ok(compared >= 60, `only ${compared} codes compared`);
  });

  it('agrees with the libuv bundled in Node (util.getSystemErrorMap)', (t) => {
    if (process.platform !== 'linux') return t.skip('Linux values only');
    const [major = 0, minor = 0] = process.versions.uv.split('.').map(Number);
    const nodeMap = util.getSystemErrorMap();
    for (const [errno, [name, message]] of nodeMap) {
      const ours = lookupError(errno);
      if (ours === undefined && (major > 1 || minor > 52)) continue; // newer libuv than ours
      assert.deepEqual(ours && [ours.name, ours.message], [name, message], `errno ${errno}`);
    }
    // Codes Node's libuv lacks must be the ones added after it.
    for (const entry of ERROR_TABLE) {
      if (nodeMap.has(entry.errno)) continue;
      assert.ok(entry.since !== undefined, `${entry.name} missing from Node's libuv`);
      const [, addedMinor = 0] = entry.since.split('.').map(Number);
      assert.ok(addedMinor > minor, `${entry.name} (since ${entry.since}) vs libuv ${minor}`);
    }
  });
});

describe('StatusCode', () => {
  it('maps every name of the table to its value, in map order', () => {
    assert.deepEqual(
      Object.keys(StatusCode),
      ERROR_TABLE.map((entry) => entry.name),
    );
    for (const entry of ERROR_TABLE) assert.equal(StatusCode[entry.name], entry.errno);
  });

  it('has the documented values', () => {
    assert.equal(StatusCode.EINVAL, -22);
    assert.equal(StatusCode.EOF, -4095);
    assert.equal(StatusCode.UNKNOWN, -4094);
    assert.equal(StatusCode.EAI_CANCELED, -3003);
    assert.equal(StatusCode.ECANCELED, -125);
    assert.equal(StatusCode.ECHARSET, -4080);
    assert.equal(StatusCode.EFTYPE, -4028);
    assert.equal(StatusCode.ENOEXEC, -8);
  });

  it('is frozen and typed with literal numbers', () => {
    assert.equal(Object.isFrozen(StatusCode), true);
    // Compile-time checks: the values are literal types and the keys exact.
    const einval: -22 = StatusCode.EINVAL;
    const eof: -4095 = StatusCode.EOF;
    assert.equal(einval + eof, -4117);
    // @ts-expect-error: names carry no UV_ prefix.
    assert.equal(StatusCode.UV_EINVAL, undefined);
  });
});

describe('strerror and errName', () => {
  it("return libuv's message and name for every code", () => {
    for (const row of EXPECTED) {
      assert.equal(strerror(row.errno), row.message, row.name);
      assert.equal(errName(row.errno), row.name, row.name);
      assert.equal(strerror(row.errno, '1.52'), row.message, row.name);
      assert.equal(errName(row.errno, '1.52'), row.name, row.name);
    }
    assert.equal(DEFAULT_PROFILE, '1.52');
  });

  it('under profile 1.44 know every code except ENODATA, EUNATCH and ENOEXEC', () => {
    for (const row of EXPECTED) {
      const unknown = `Unknown system error ${row.errno}`;
      const newer = NEWER_THAN_1_44.has(row.name);
      assert.equal(strerror(row.errno, '1.44'), newer ? unknown : row.message, row.name);
      assert.equal(errName(row.errno, '1.44'), newer ? unknown : row.name, row.name);
    }
    assert.equal(errName(-61, '1.44'), 'Unknown system error -61');
    assert.equal(strerror(-49, '1.44'), 'Unknown system error -49');
    assert.equal(errName(-8, '1.44'), 'Unknown system error -8');
  });

  it('answer "Unknown system error N" for numbers libuv does not know', () => {
    for (const n of [-10, -9999, -4096, -3012, 0, 5, 22, 2147483647, -2147483648]) {
      assert.equal(strerror(n), `Unknown system error ${n}`);
      assert.equal(errName(n), `Unknown system error ${n}`);
    }
    // C's %d has no negative zero.
    assert.equal(strerror(-0), 'Unknown system error 0');
  });

  it('throw TypeError for anything but an integer', () => {
    const bad: unknown[] = [1.5, -22.5, NaN, Infinity, -Infinity, '-22', -22n, null, undefined];
    for (const value of [...bad, {}, [], Object.create(null), Symbol('x'), () => -22]) {
      assert.throws(() => strerror(value as number), TypeError, String(typeof value));
      assert.throws(() => errName(value as number), TypeError, String(typeof value));
    }
  });

  it('throw RangeError for integers a C int cannot hold', () => {
    for (const value of [2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -(2 ** 53)]) {
      assert.throws(() => strerror(value), RangeError);
      assert.throws(() => errName(value), RangeError);
    }
  });

  it('throw TypeError for an unknown profile', () => {
    for (const profile of ['1.48', '', 'HEAD', 1.52, null]) {
      assert.throws(() => strerror(-22, profile as Profile), TypeError);
      assert.throws(() => errName(-22, profile as Profile), TypeError);
    }
    // @ts-expect-error: only the two profiles exist.
    assert.throws(() => errName(-22, '1.50'), TypeError);
  });
});

describe('lookupError and lookupErrorByName', () => {
  it('find table entries by value and by name, profile-aware', () => {
    const einval = ERROR_TABLE.find((entry) => entry.name === 'EINVAL');
    assert.equal(lookupError(-22), einval);
    assert.equal(lookupErrorByName('EINVAL'), einval);
    assert.equal(lookupError(-61)?.name, 'ENODATA');
    assert.equal(lookupError(-61, '1.44'), undefined);
    assert.equal(lookupErrorByName('ENOEXEC', '1.44'), undefined);
    assert.equal(lookupErrorByName('ENOEXEC', '1.52')?.errno, -8);
  });

  it('return undefined for unknown values and names', () => {
    assert.equal(lookupError(-9999), undefined);
    assert.equal(lookupError(0), undefined);
    for (const name of ['einval', 'UV_EINVAL', 'toString', '__proto__', 'constructor', '']) {
      assert.equal(lookupErrorByName(name), undefined, name);
    }
    assert.throws(() => lookupError(0.5), TypeError);
  });
});

describe('UVError', () => {
  it("carries errno, code, libuv's message and the class name", () => {
    const err = new UVError(StatusCode.ETIMEDOUT);
    assert.equal(err.errno, -110);
    assert.equal(err.code, 'ETIMEDOUT');
    assert.equal(err.message, 'connection timed out');
    assert.equal(err.name, 'TimeoutError');
    assert.equal(String(err), 'TimeoutError: connection timed out');
    assert.equal(err instanceof Error, true);
    assert.match(err.stack ?? '', /^TimeoutError: connection timed out\n/);
  });

  it('keeps syscall, path and dest apart from the message, and only when given', () => {
    const bare = new UVError(StatusCode.ENOENT);
    assert.deepEqual(Object.keys(bare), ['errno', 'code']);
    assert.equal('syscall' in bare, false);
    assert.equal('path' in bare, false);
    assert.equal('dest' in bare, false);

    const err = new UVError(StatusCode.EXDEV, { syscall: 'rename', path: '/a', dest: '/b' });
    assert.equal(err.message, 'cross-device link not permitted');
    assert.deepEqual(Object.keys(err), ['errno', 'code', 'syscall', 'path', 'dest']);
    assert.deepEqual(
      { syscall: err.syscall, path: err.path, dest: err.dest },
      { syscall: 'rename', path: '/a', dest: '/b' },
    );
    assert.equal(
      JSON.stringify(err),
      '{"errno":-18,"code":"EXDEV","syscall":"rename","path":"/a","dest":"/b"}',
    );
  });

  it('accepts a replacement message and a cause', () => {
    const cause = new Error('node said no');
    const err = new UVError(StatusCode.EBUSY, { message: 'loop is running', cause });
    assert.equal(err.message, 'loop is running');
    assert.equal(err.code, 'EBUSY');
    assert.equal(err.cause, cause);
    assert.equal('cause' in new UVError(StatusCode.EBUSY), false);
  });

  it('names unknown numbers as libuv does and stays a plain UVError', () => {
    const err = new UVError(-9999);
    assert.equal(err.constructor, UVError);
    assert.equal(err.name, 'UVError');
    assert.equal(err.code, 'Unknown system error -9999');
    assert.equal(err.message, 'Unknown system error -9999');
  });

  it('follows the profile: 1.44 does not know ENODATA', () => {
    const err = new UVError(StatusCode.ENODATA, { profile: '1.44' });
    assert.equal(err.constructor, UVError);
    assert.equal(err.code, 'Unknown system error -61');
    assert.equal(err.message, 'Unknown system error -61');
    const current = new UVError(StatusCode.ENODATA);
    assert.equal(current instanceof DataNotFoundError, true);
    assert.equal(current.message, 'no data available');
  });

  it('refuses success and non-errors', () => {
    assert.throws(() => new UVError(0), RangeError);
    assert.throws(() => new UVError(22), RangeError);
    assert.throws(() => new UVError(-22.5), TypeError);
    assert.throws(() => new UVError('EINVAL' as unknown as number), TypeError);
    assert.throws(() => new UVError(-22, { profile: '1.0' as Profile }), TypeError);
    assert.throws(() => new ConnectionRefusedError(0), RangeError);
  });

  it('picks the most specific class within the family it is constructed as', () => {
    const viaBase = new UVError(StatusCode.ENOENT, { syscall: 'open', path: '/x' });
    assert.equal(viaBase.constructor, FileNotFoundError);
    assert.equal(viaBase.path, '/x');
    assert.equal(new NotFoundError(StatusCode.ENOENT).constructor, FileNotFoundError);
    assert.equal(new AddressError(StatusCode.EADDRINUSE).constructor, AddressInUseError);
    // Outside the family, the class asked for is kept.
    assert.equal(new ConnectionError(StatusCode.EINVAL).constructor, ConnectionError);
    assert.equal(new ConnectionRefusedError(StatusCode.ECONNRESET).code, 'ECONNRESET');
    // The stack starts at the caller, not inside the constructor.
    assert.doesNotMatch(viaBase.stack ?? '', /new UVError/);
    assert.match((viaBase.stack ?? '').split('\n')[1] ?? '', /errors\.test\.ts/);
  });

  it('brands each instance with its kind chain, out of sight', () => {
    const err = new UVError(StatusCode.EADDRINUSE);
    assert.equal(UV_ERROR_BRAND, Symbol.for('uvts.UVError'));
    assert.deepEqual(err[UV_ERROR_BRAND], [
      'UVError',
      'AddressError',
      'AddressUnavailableError',
      'AddressInUseError',
    ]);
    assert.equal(Object.isFrozen(err[UV_ERROR_BRAND]), true);
    const descriptor = Object.getOwnPropertyDescriptor(err, UV_ERROR_BRAND);
    assert.equal(descriptor?.enumerable, false);
    assert.equal(descriptor.writable, false);
  });

  it('lets users subclass without being re-classified', () => {
    class AppError extends ConnectionRefusedError {}
    const err = new AppError(StatusCode.ECONNREFUSED, { syscall: 'connect' });
    assert.equal(err.constructor, AppError);
    assert.equal(err instanceof ConnectionRefusedError && err instanceof ConnectionError, true);
    assert.equal(new AppError(StatusCode.EINVAL).constructor, AppError);
    // A user class has no kind, so only real instances pass its instanceof.
    assert.equal(new ConnectionRefusedError(StatusCode.ECONNREFUSED) instanceof AppError, false);
    assert.deepEqual(err[UV_ERROR_BRAND], ['UVError', 'ConnectionError', 'ConnectionRefusedError']);
  });
});

describe('the class for each code', () => {
  it('covers every code of the table exactly once', () => {
    const listed = EXPECTED_CLASSES.flatMap(([, names]) => names);
    assert.equal(listed.length, 85);
    assert.deepEqual(new Set(listed), new Set(Object.keys(StatusCode)));
    assert.deepEqual(Object.keys(ERROR_CLASSES), Object.keys(StatusCode));
    assert.equal(Object.isFrozen(ERROR_CLASSES), true);
  });

  it('is the expected class, through ERROR_CLASSES, errorClassFor, from and new', () => {
    for (const [ErrorClass, names] of EXPECTED_CLASSES) {
      for (const name of names) {
        const errno = code(name);
        assert.equal(ERROR_CLASSES[name], ErrorClass, name);
        assert.equal(errorClassFor(errno), ErrorClass, name);
        for (const err of [UVError.from(errno, { syscall: 'x' }), new UVError(errno)]) {
          assert.equal(err.constructor, ErrorClass, name);
          assert.equal(err.name, ErrorClass.name, name);
          assert.equal(err.code, name);
          assert.equal(err.errno, errno);
          assert.equal(err.message, strerror(errno));
          assert.ok(err instanceof UVError && isUVError(err), name);
        }
      }
    }
  });

  it('is plain UVError for the newer codes under profile 1.44', () => {
    for (const name of NEWER_THAN_1_44) {
      const errno = code(name as StatusCodeName);
      assert.equal(errorClassFor(errno, '1.44'), UVError);
      assert.equal(UVError.from(errno, { profile: '1.44' }).constructor, UVError);
    }
    assert.equal(errorClassFor(StatusCode.EINVAL, '1.44'), ArgumentError);
  });

  it('sits in the expected place of the hierarchy', () => {
    assert.equal(Object.getPrototypeOf(UVError), Error);
    assert.equal(EXPECTED_PARENTS.length, 72);
    for (const [child, parent] of EXPECTED_PARENTS) {
      assert.equal(Object.getPrototypeOf(child), parent, (child as { name: string }).name);
    }
  });

  it('makes family checks work', () => {
    assert.equal(UVError.from(StatusCode.ELOOP) instanceof TooManyLinksError, true);
    assert.equal(UVError.from(StatusCode.ELOOP) instanceof SystemFailureError, true);
    assert.equal(UVError.from(StatusCode.EISCONN) instanceof ArgumentError, true);
    assert.equal(UVError.from(StatusCode.EAI_NONAME) instanceof AddressError, true);
    assert.equal(UVError.from(StatusCode.ESHUTDOWN) instanceof ConnectionError, true);
    assert.equal(UVError.from(StatusCode.ENOTTY) instanceof UnsupportedOperationError, true);
    assert.equal(UVError.from(StatusCode.ECONNREFUSED) instanceof NetworkError, false);
    assert.equal(UVError.from(StatusCode.EINVAL) instanceof ClosedStructureError, false);
  });
});

describe('HandleClosedError and LoopClosedError', () => {
  it('default to EINVAL with the usual message', () => {
    for (const ErrorClass of [HandleClosedError, LoopClosedError, ClosedStructureError]) {
      const err = new ErrorClass();
      assert.equal(err.constructor, ErrorClass);
      assert.equal(err.errno, StatusCode.EINVAL);
      assert.equal(err.code, 'EINVAL');
      assert.equal(err.message, 'invalid argument');
      assert.equal(err.name, ErrorClass.name);
      assert.equal(err instanceof ClosedStructureError, true);
      assert.equal(err instanceof UnsupportedOperationError, true);
      assert.equal(err instanceof ArgumentError, false);
    }
    assert.equal(new HandleClosedError() instanceof LoopClosedError, false);
  });

  it('take the code libuv uses for the operation, and the details', () => {
    const err = new HandleClosedError(StatusCode.EBADF, { syscall: 'uv_write' });
    assert.equal(err.constructor, HandleClosedError);
    assert.equal(err.code, 'EBADF');
    assert.equal(err.message, 'bad file descriptor');
    assert.equal(err.syscall, 'uv_write');
    assert.equal(new LoopClosedError(undefined, { syscall: 'run' }).errno, -22);
  });
});

describe('instanceof across copies of the module', async () => {
  const url = new URL('../src/errors/uv-error.ts?copy=2', import.meta.url).href;
  const copy = (await import(url)) as typeof UvErrorModule;

  it('really loads a second, independent copy', () => {
    assert.notEqual(copy.UVError, UVError);
    assert.notEqual(copy.ConnectionRefusedError, ConnectionRefusedError);
    const foreign = new copy.UVError(StatusCode.ECONNREFUSED);
    assert.equal(Object.getPrototypeOf(foreign), copy.ConnectionRefusedError.prototype);
    assert.equal(Object.prototype.isPrototypeOf.call(UVError.prototype, foreign), false);
  });

  it('recognises errors from the other copy by their brand, both ways', () => {
    const foreign = new copy.UVError(StatusCode.ECONNREFUSED);
    assert.equal(foreign instanceof UVError, true);
    assert.equal(foreign instanceof ConnectionError, true);
    assert.equal(foreign instanceof ConnectionRefusedError, true);
    assert.equal(foreign instanceof ConnectionResetError, false);
    assert.equal(foreign instanceof ArgumentError, false);
    assert.equal(isUVError(foreign), true);

    const ours = new UVError(StatusCode.EADDRINUSE);
    assert.equal(ours instanceof copy.AddressUnavailableError, true);
    assert.equal(ours instanceof copy.AddressInUseError, true);
    assert.equal(ours instanceof copy.NetworkError, false);
    assert.equal(copy.isUVError(ours), true);

    const closed = new copy.HandleClosedError();
    assert.equal(
      closed instanceof HandleClosedError && closed instanceof ClosedStructureError,
      true,
    );
    assert.equal(closed instanceof LoopClosedError, false);
  });

  it('checks every class of the other copy against ours', () => {
    for (const [ErrorClass, names] of EXPECTED_CLASSES) {
      for (const name of names) {
        const foreign = copy.UVError.from(code(name));
        assert.ok(foreign instanceof ErrorClass, name);
        assert.ok(foreign instanceof UVError, name);
      }
    }
  });

  it('accepts a hand-made branded object and rejects look-alikes', () => {
    const branded = {
      [Symbol.for('uvts.UVError')]: ['UVError', 'NetworkError', 'NetworkDownError'],
    };
    assert.equal(branded instanceof NetworkDownError, true);
    assert.equal(branded instanceof NetworkError, true);
    assert.equal(branded instanceof NoNetworkError, false);
    assert.equal({ [Symbol.for('uvts.UVError')]: 'UVError' } instanceof UVError, false);
    assert.equal({ errno: -22, code: 'EINVAL' } instanceof UVError, false);
    assert.equal(new Error('x') instanceof UVError, false);
    for (const value of [null, undefined, -22, 'EINVAL', Symbol('x')]) {
      assert.equal(isUVError(value), false);
    }
  });

  it('keeps the ordinary prototype rule', () => {
    const bare: unknown = Object.create(ConnectionResetError.prototype);
    assert.equal(bare instanceof ConnectionResetError, true);
    assert.equal(bare instanceof UVError, true);
    assert.equal(bare instanceof ConnectionRefusedError, false);
  });
});
