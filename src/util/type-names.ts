/**
 * libuv's handle and request type enumerations (`uv_handle_type`,
 * `uv_req_type`, docs/semantics.md §9.B) and their names
 * (`uv_handle_type_name`, `uv_req_type_name`). uvts identifies types by
 * name (`handle.type === 'tcp'`); these tables are for programs and tools
 * that speak libuv's numbers, such as a conformance driver or a port of C
 * code.
 *
 * @module
 */

/**
 * `uv_handle_type`: libuv's handle type numbers.
 * @enum
 */
export const HandleTypeCode = Object.freeze({
  UNKNOWN_HANDLE: 0,
  ASYNC: 1,
  CHECK: 2,
  FS_EVENT: 3,
  FS_POLL: 4,
  HANDLE: 5,
  IDLE: 6,
  NAMED_PIPE: 7,
  POLL: 8,
  PREPARE: 9,
  PROCESS: 10,
  STREAM: 11,
  TCP: 12,
  TIMER: 13,
  TTY: 14,
  UDP: 15,
  SIGNAL: 16,
  FILE: 17,
  HANDLE_TYPE_MAX: 18,
} as const);

/**
 * `uv_req_type` on Unix: libuv's request type numbers.
 * @enum
 */
export const RequestTypeCode = Object.freeze({
  UNKNOWN_REQ: 0,
  REQ: 1,
  CONNECT: 2,
  WRITE: 3,
  SHUTDOWN: 4,
  UDP_SEND: 5,
  FS: 6,
  WORK: 7,
  GETADDRINFO: 8,
  GETNAMEINFO: 9,
  RANDOM: 10,
  REQ_TYPE_MAX: 11,
} as const);

// Index = type number. libuv names NAMED_PIPE "pipe"; UNKNOWN and MAX have no name.
const HANDLE_NAMES: readonly string[] = [
  '',
  'async',
  'check',
  'fs_event',
  'fs_poll',
  'handle',
  'idle',
  'pipe',
  'poll',
  'prepare',
  'process',
  'stream',
  'tcp',
  'timer',
  'tty',
  'udp',
  'signal',
  'file',
];
const REQUEST_NAMES: readonly string[] = [
  '',
  'req',
  'connect',
  'write',
  'shutdown',
  'udp_send',
  'fs',
  'work',
  'getaddrinfo',
  'getnameinfo',
  'random',
];

function nameIn(table: readonly string[], code: number, what: string): string | null {
  if (typeof code !== 'number') throw new TypeError(`${what} must be a number, got ${typeof code}`);
  const name = Number.isInteger(code) ? table[code] : undefined;
  return name === undefined || name === '' ? null : name;
}

/** `uv_handle_type_name`: the name of a handle type number, or `null` for UNKNOWN, MAX and out-of-range values. */
export function handleTypeName(code: number): string | null {
  return nameIn(HANDLE_NAMES, code, 'handle type');
}

/** `uv_req_type_name`: the name of a request type number, or `null` for UNKNOWN, MAX and out-of-range values. */
export function requestTypeName(code: number): string | null {
  return nameIn(REQUEST_NAMES, code, 'request type');
}
