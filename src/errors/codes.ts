/**
 * libuv's status codes: the table of `UV_ERRNO_MAP`, and the two functions
 * that read it, `uv_strerror` and `uv_err_name`.
 *
 * The values are the Linux ones (uvts follows libuv's Unix behaviour on
 * Linux only), so they are the same numbers Node puts in `err.errno`.
 *
 * @module
 */

/**
 * A libuv version whose behaviour a loop reproduces. `'1.52'` is current
 * libuv (the default); `'1.44'` is libuv 1.44.2, the version Debian bookworm
 * ships. For errors the only difference is that 1.44.2 lacks the codes added
 * later (`ENODATA`, `EUNATCH`, `ENOEXEC`).
 */
export type Profile = '1.52' | '1.44';

/** The profile used when none is given: current libuv. */
export const DEFAULT_PROFILE: Profile = '1.52';

/**
 * @internal Whether `value` names a profile: the one validity check, used
 * by the error functions here and by `new Loop()` (which answers EINVAL).
 */
export function isProfile(value: unknown): value is Profile {
  return (PROFILES as readonly unknown[]).includes(value);
}

/** Every profile, newest first. */
const PROFILES: readonly Profile[] = ['1.52', '1.44'];

/**
 * Every libuv status code, by name (without libuv's `UV_` prefix), mapped to
 * its value on Linux. Errors are negative: a negated Linux `errno` for codes
 * that have one, libuv's own numbers otherwise (`EOF`, `UNKNOWN`, `ECHARSET`,
 * `EFTYPE`, and the `EAI_*` codes of `getaddrinfo` in the -3000 range).
 *
 * The keys are in libuv's map order: the alphabetical block first, then the
 * codes added over the years in the order they were added.
 *
 * @example
 * ```ts
 * StatusCode.EINVAL; // -22
 * StatusCode.EOF; // -4095
 * ```
 *
 * @enum
 */
export const StatusCode = Object.freeze({
  E2BIG: -7,
  EACCES: -13,
  EADDRINUSE: -98,
  EADDRNOTAVAIL: -99,
  EAFNOSUPPORT: -97,
  EAGAIN: -11,
  EAI_ADDRFAMILY: -3000,
  EAI_AGAIN: -3001,
  EAI_BADFLAGS: -3002,
  EAI_BADHINTS: -3013,
  EAI_CANCELED: -3003,
  EAI_FAIL: -3004,
  EAI_FAMILY: -3005,
  EAI_MEMORY: -3006,
  EAI_NODATA: -3007,
  EAI_NONAME: -3008,
  EAI_OVERFLOW: -3009,
  EAI_PROTOCOL: -3014,
  EAI_SERVICE: -3010,
  EAI_SOCKTYPE: -3011,
  EALREADY: -114,
  EBADF: -9,
  EBUSY: -16,
  ECANCELED: -125,
  ECHARSET: -4080,
  ECONNABORTED: -103,
  ECONNREFUSED: -111,
  ECONNRESET: -104,
  EDESTADDRREQ: -89,
  EEXIST: -17,
  EFAULT: -14,
  EFBIG: -27,
  EHOSTUNREACH: -113,
  EINTR: -4,
  EINVAL: -22,
  EIO: -5,
  EISCONN: -106,
  EISDIR: -21,
  ELOOP: -40,
  EMFILE: -24,
  EMSGSIZE: -90,
  ENAMETOOLONG: -36,
  ENETDOWN: -100,
  ENETUNREACH: -101,
  ENFILE: -23,
  ENOBUFS: -105,
  ENODEV: -19,
  ENOENT: -2,
  ENOMEM: -12,
  ENONET: -64,
  ENOPROTOOPT: -92,
  ENOSPC: -28,
  ENOSYS: -38,
  ENOTCONN: -107,
  ENOTDIR: -20,
  ENOTEMPTY: -39,
  ENOTSOCK: -88,
  ENOTSUP: -95,
  EOVERFLOW: -75,
  EPERM: -1,
  EPIPE: -32,
  EPROTO: -71,
  EPROTONOSUPPORT: -93,
  EPROTOTYPE: -91,
  ERANGE: -34,
  EROFS: -30,
  ESHUTDOWN: -108,
  ESPIPE: -29,
  ESRCH: -3,
  ETIMEDOUT: -110,
  ETXTBSY: -26,
  EXDEV: -18,
  UNKNOWN: -4094,
  EOF: -4095,
  ENXIO: -6,
  EMLINK: -31,
  EHOSTDOWN: -112,
  EREMOTEIO: -121,
  ENOTTY: -25,
  EFTYPE: -4028,
  EILSEQ: -84,
  ESOCKTNOSUPPORT: -94,
  ENODATA: -61,
  EUNATCH: -49,
  ENOEXEC: -8,
} as const);

/** The name of a libuv status code, without the `UV_` prefix (`'EINVAL'`). */
export type StatusCodeName = keyof typeof StatusCode;

/** The libuv releases that added a status code after 1.44. */
export type AddedIn = '1.45' | '1.46' | '1.50';

/** One row of {@link ERROR_TABLE}. */
export interface ErrorTableEntry {
  /** The code's name without the `UV_` prefix, as `uv_err_name` returns it. */
  readonly name: StatusCodeName;
  /** The code's value on Linux: a negative number. */
  readonly errno: number;
  /** libuv's text for the code, as `uv_strerror` returns it. */
  readonly message: string;
  /** The libuv release that added the code; absent for codes 1.44.2 has. */
  readonly since?: AddedIn;
}

// libuv's messages are lower case and terse; they are reproduced exactly,
// because programs (and our conformance traces) compare them as strings.
// Typing this as a Record over every name lets the compiler refuse a table
// with a code left out.
const MESSAGES: Readonly<Record<StatusCodeName, string>> = {
  E2BIG: 'argument list too long',
  EACCES: 'permission denied',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available',
  EAFNOSUPPORT: 'address family not supported',
  EAGAIN: 'resource temporarily unavailable',
  EAI_ADDRFAMILY: 'address family not supported',
  EAI_AGAIN: 'temporary failure',
  EAI_BADFLAGS: 'bad ai_flags value',
  EAI_BADHINTS: 'invalid value for hints',
  EAI_CANCELED: 'request canceled',
  EAI_FAIL: 'permanent failure',
  EAI_FAMILY: 'ai_family not supported',
  EAI_MEMORY: 'out of memory',
  EAI_NODATA: 'no address',
  EAI_NONAME: 'unknown node or service',
  EAI_OVERFLOW: 'argument buffer overflow',
  EAI_PROTOCOL: 'resolved protocol is unknown',
  EAI_SERVICE: 'service not available for socket type',
  EAI_SOCKTYPE: 'socket type not supported',
  EALREADY: 'connection already in progress',
  EBADF: 'bad file descriptor',
  EBUSY: 'resource busy or locked',
  ECANCELED: 'operation canceled',
  ECHARSET: 'invalid Unicode character',
  ECONNABORTED: 'software caused connection abort',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EDESTADDRREQ: 'destination address required',
  EEXIST: 'file already exists',
  EFAULT: 'bad address in system call argument',
  EFBIG: 'file too large',
  EHOSTUNREACH: 'host is unreachable',
  EINTR: 'interrupted system call',
  EINVAL: 'invalid argument',
  EIO: 'i/o error',
  EISCONN: 'socket is already connected',
  EISDIR: 'illegal operation on a directory',
  ELOOP: 'too many symbolic links encountered',
  EMFILE: 'too many open files',
  EMSGSIZE: 'message too long',
  ENAMETOOLONG: 'name too long',
  ENETDOWN: 'network is down',
  ENETUNREACH: 'network is unreachable',
  ENFILE: 'file table overflow',
  ENOBUFS: 'no buffer space available',
  ENODEV: 'no such device',
  ENOENT: 'no such file or directory',
  ENOMEM: 'not enough memory',
  ENONET: 'machine is not on the network',
  ENOPROTOOPT: 'protocol not available',
  ENOSPC: 'no space left on device',
  ENOSYS: 'function not implemented',
  ENOTCONN: 'socket is not connected',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  ENOTSOCK: 'socket operation on non-socket',
  ENOTSUP: 'operation not supported on socket',
  EOVERFLOW: 'value too large for defined data type',
  EPERM: 'operation not permitted',
  EPIPE: 'broken pipe',
  EPROTO: 'protocol error',
  EPROTONOSUPPORT: 'protocol not supported',
  EPROTOTYPE: 'protocol wrong type for socket',
  ERANGE: 'result too large',
  EROFS: 'read-only file system',
  ESHUTDOWN: 'cannot send after transport endpoint shutdown',
  ESPIPE: 'invalid seek',
  ESRCH: 'no such process',
  ETIMEDOUT: 'connection timed out',
  ETXTBSY: 'text file is busy',
  EXDEV: 'cross-device link not permitted',
  UNKNOWN: 'unknown error',
  EOF: 'end of file',
  ENXIO: 'no such device or address',
  EMLINK: 'too many links',
  EHOSTDOWN: 'host is down',
  EREMOTEIO: 'remote I/O error',
  ENOTTY: 'inappropriate ioctl for device',
  EFTYPE: 'inappropriate file type or format',
  EILSEQ: 'illegal byte sequence',
  ESOCKTNOSUPPORT: 'socket type not supported',
  ENODATA: 'no data available',
  EUNATCH: 'protocol driver not attached',
  ENOEXEC: 'exec format error',
};

// Only three codes are younger than libuv 1.44.2; every other code exists in
// both profiles.
const ADDED_IN: Readonly<Partial<Record<StatusCodeName, AddedIn>>> = {
  ENODATA: '1.45',
  EUNATCH: '1.46',
  ENOEXEC: '1.50',
};

function makeEntry(name: StatusCodeName): ErrorTableEntry {
  const since = ADDED_IN[name];
  const entry: ErrorTableEntry =
    since === undefined
      ? { name, errno: StatusCode[name], message: MESSAGES[name] }
      : { name, errno: StatusCode[name], message: MESSAGES[name], since };
  return Object.freeze(entry);
}

/**
 * libuv's error table in libuv's own map order: every status code with its
 * Linux value, libuv's message, and (for the three codes 1.44.2 lacks) the
 * release that added it. The array and its entries are frozen.
 */
export const ERROR_TABLE: readonly ErrorTableEntry[] = Object.freeze(
  (Object.keys(StatusCode) as StatusCodeName[]).map(makeEntry),
);

// Built once so that every lookup is a single hash probe.
const ENTRY_BY_ERRNO: ReadonlyMap<number, ErrorTableEntry> = new Map(
  ERROR_TABLE.map((entry) => [entry.errno, entry]),
);

const ENTRY_BY_NAME: ReadonlyMap<string, ErrorTableEntry> = new Map(
  ERROR_TABLE.map((entry) => [entry.name, entry]),
);

/**
 * Throws unless `errno` could be a C `int`, the type libuv's functions take.
 * Anything else is a bug in the caller, so it is reported rather than being
 * turned into an "unknown error" text.
 */
function checkErrno(errno: unknown, fn: string): asserts errno is number {
  if (typeof errno !== 'number' || !Number.isInteger(errno)) {
    throw new TypeError(`${fn}: errno must be an integer, got ${describe(errno)}`);
  }
  if (errno < -0x80000000 || errno > 0x7fffffff) {
    throw new RangeError(`${fn}: errno must fit in a 32-bit signed integer, got ${errno}`);
  }
}

function checkProfile(profile: unknown, fn: string): asserts profile is Profile {
  if (!isProfile(profile)) {
    throw new TypeError(`${fn}: profile must be '1.52' or '1.44', got ${describe(profile)}`);
  }
}

// Describes a rejected argument without converting it, since conversion can
// itself throw (a symbol, an object without a prototype).
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The table entry for `errno` as the given libuv release knows it, or
 * `undefined` when that release has no such code.
 *
 * @param errno - a libuv status code (negative for errors)
 * @param profile - the libuv release to answer for; current libuv by default
 * @throws TypeError when `errno` is not an integer or `profile` is unknown
 * @throws RangeError when `errno` does not fit in a C `int`
 */
export function lookupError(
  errno: number,
  profile: Profile = DEFAULT_PROFILE,
): ErrorTableEntry | undefined {
  checkErrno(errno, 'lookupError');
  checkProfile(profile, 'lookupError');
  return known(ENTRY_BY_ERRNO.get(errno), profile);
}

/**
 * The table entry for a code name such as `'ECONNREFUSED'` (without `UV_`)
 * as the given libuv release knows it, or `undefined` for any other string.
 * Useful to translate the `code` of an error Node raised.
 *
 * @param name - a code name; matched exactly, case included
 * @param profile - the libuv release to answer for; current libuv by default
 * @throws TypeError when `profile` is unknown
 */
export function lookupErrorByName(
  name: string,
  profile: Profile = DEFAULT_PROFILE,
): ErrorTableEntry | undefined {
  checkProfile(profile, 'lookupErrorByName');
  return known(ENTRY_BY_NAME.get(name), profile);
}

// A profile must answer as its libuv release does, where the codes added
// later simply do not exist.
function known(entry: ErrorTableEntry | undefined, profile: Profile): ErrorTableEntry | undefined {
  if (entry === undefined || entry.since === undefined) return entry;
  return minorVersion(entry.since) <= minorVersion(profile) ? entry : undefined;
}

/** The minor number of a `1.N` release name. */
function minorVersion(release: string): number {
  return Number(release.slice(release.indexOf('.') + 1));
}

function unknownText(errno: number): string {
  // libuv formats the number with "%d", so -0 prints as 0, as it does here.
  return `Unknown system error ${errno}`;
}

/**
 * libuv's `uv_strerror`: the message for a status code, e.g.
 * `strerror(-111) === 'connection refused'`. A code the release does not
 * know gives `"Unknown system error N"`, N being `errno` as given.
 *
 * @param errno - a libuv status code (negative for errors)
 * @param profile - the libuv release to answer for; current libuv by default
 * @throws TypeError when `errno` is not an integer or `profile` is unknown
 * @throws RangeError when `errno` does not fit in a C `int`
 */
export function strerror(errno: number, profile: Profile = DEFAULT_PROFILE): string {
  checkErrno(errno, 'strerror');
  checkProfile(profile, 'strerror');
  return known(ENTRY_BY_ERRNO.get(errno), profile)?.message ?? unknownText(errno);
}

/**
 * libuv's `uv_err_name`: the name of a status code without the `UV_`
 * prefix, e.g. `errName(-111) === 'ECONNREFUSED'`. A code the release does
 * not know gives `"Unknown system error N"`, exactly as libuv does.
 *
 * @param errno - a libuv status code (negative for errors)
 * @param profile - the libuv release to answer for; current libuv by default
 * @throws TypeError when `errno` is not an integer or `profile` is unknown
 * @throws RangeError when `errno` does not fit in a C `int`
 */
export function errName(errno: number, profile: Profile = DEFAULT_PROFILE): string {
  checkErrno(errno, 'errName');
  checkProfile(profile, 'errName');
  return known(ENTRY_BY_ERRNO.get(errno), profile)?.name ?? unknownText(errno);
}
