/**
 * IP addresses between text, bytes and socket addresses: `uv_ip4_addr`,
 * `uv_ip6_addr`, `uv_ip4_name`, `uv_ip6_name`, `uv_ip_name`,
 * `uv_inet_pton` and `uv_inet_ntop`.
 *
 * Which texts are addresses is decided by Node's `net.isIPv4` and
 * `net.isIPv6`, which accept exactly what libuv's `inet_pton4` and
 * `inet_pton6` (src/inet.c) accept: dotted quads without leading zeros,
 * groups of one to four hex digits, one `::`, a dotted quad only as the
 * last 32 bits. libuv's IPv6 parser first cuts the text at its first `%`
 * (a zone, whatever follows it, is ignored), and so does this module
 * before asking Node. The bytes are computed here, and the text of an
 * IPv6 address is formatted as libuv's `inet_ntop6` formats it (which is
 * also what Node's `getsockname()` prints, Node calling the same code).
 *
 * @module
 */
import net from 'node:net';
import os from 'node:os';
import { StatusCode, UVError } from '../errors/index.js';
import type { SocketAddress } from '../platform/net-address.js';
import { readUint64 } from './proc-files.js';

/**
 * An address family for {@link inetPton} and {@link inetNtop}: Linux's
 * `AF_INET` (2) or `AF_INET6` (10), as `AddressFamily.INET` and
 * `AddressFamily.INET6` name them, or Node's `'IPv4'` and `'IPv6'`.
 * Any other number is EAFNOSUPPORT, as in libuv.
 */
export type InetFamily = number | 'IPv4' | 'IPv6';

/** Linux's `AF_INET` and `AF_INET6` (the values of `AddressFamily` in dns/constants.ts). */
const AF_INET = 2;
const AF_INET6 = 10;

/** Linux's `IFNAMSIZ`: an interface name has at most 15 characters. */
const IFNAMSIZ = 16;

/**
 * `uv_ip6_addr` copies at most this many characters of the address in
 * front of a `%` (its `address_part[40]` buffer, src/uv-common.c).
 */
const ZONED_ADDRESS_LIMIT = 39;

function requireString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string')
    throw new TypeError(`${what} must be a string, got ${typeof value}`);
}

function checkPort(port: unknown, syscall: string): number {
  if (typeof port !== 'number') throw new TypeError(`port must be a number, got ${typeof port}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UVError(StatusCode.EINVAL, { syscall });
  return port;
}

function familyOf(family: unknown, syscall: string): 4 | 6 {
  if (typeof family !== 'number' && typeof family !== 'string')
    throw new TypeError(`family must be a number or a string, got ${typeof family}`);
  if (family === AF_INET || family === 'IPv4') return 4;
  if (family === AF_INET6 || family === 'IPv6') return 6;
  throw new UVError(StatusCode.EAFNOSUPPORT, { syscall });
}

/** The four bytes of a dotted quad that `net.isIPv4` accepted. */
function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

/** The 16-bit words of one side of an IPv6 text's `::` (or of the whole text). */
function ipv6Words(part: string): number[] {
  if (part === '') return [];
  const words: number[] = [];
  for (const piece of part.split(':')) {
    if (piece.includes('.')) {
      const [a, b, c, d] = ipv4Bytes(piece) as [number, number, number, number];
      words.push((a << 8) | b, (c << 8) | d);
    } else {
      words.push(Number.parseInt(piece, 16));
    }
  }
  return words;
}

/** The 16 bytes of an IPv6 text (without a zone) that `net.isIPv6` accepted. */
function ipv6Bytes(text: string): Uint8Array {
  const gap = text.indexOf('::');
  let words: number[];
  if (gap < 0) {
    words = ipv6Words(text);
  } else {
    const front = ipv6Words(text.slice(0, gap));
    const back = ipv6Words(text.slice(gap + 2));
    words = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  }
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 text as `inet_pton4` does, or throws EINVAL. */
function parse4(text: string, syscall: string): Uint8Array {
  if (!net.isIPv4(text)) throw new UVError(StatusCode.EINVAL, { syscall });
  return Uint8Array.from(ipv4Bytes(text));
}

/** Parses an IPv6 text as `uv_inet_pton(AF_INET6)` does: a zone is cut off first. */
function parse6(text: string, syscall: string): Uint8Array {
  const zone = text.indexOf('%');
  const address = zone < 0 ? text : text.slice(0, zone);
  if (!net.isIPv6(address)) throw new UVError(StatusCode.EINVAL, { syscall });
  return ipv6Bytes(address);
}

function format4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join('.');
}

/** The longest run of zero words (the first of equal ones), if at least two long. */
function longestZeroRun(words: readonly number[]): { base: number; length: number } | null {
  let best: { base: number; length: number } | null = null;
  let base = -1;
  for (let i = 0; i <= words.length; i++) {
    if (i < words.length && words[i] === 0) {
      if (base < 0) base = i;
      continue;
    }
    if (base >= 0 && (best === null || i - base > best.length)) best = { base, length: i - base };
    base = -1;
  }
  return best !== null && best.length >= 2 ? best : null;
}

/**
 * Formats 16 bytes as libuv's `inet_ntop6` does: lowercase hex without
 * leading zeros, the longest run of two or more zero words as `::`, and
 * the last 32 bits as a dotted quad for an IPv4-compatible (`::a.b.c.d`)
 * or IPv4-mapped (`::ffff:a.b.c.d`) address. (libuv's test for a run of
 * seven zero words before a last word other than 1 never holds: word 6 is
 * inside that run, so such an address prints as `::` and one hex word.)
 */
function format6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2)
    words.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  const run = longestZeroRun(words);
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (run !== null && i >= run.base && i < run.base + run.length) {
      if (i === run.base) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    if (
      i === 6 &&
      run?.base === 0 &&
      (run.length === 6 || (run.length === 5 && words[5] === 0xffff))
    ) {
      return text + format4(bytes.subarray(12));
    }
    text += (words[i] as number).toString(16);
  }
  if (run !== null && run.base + run.length === 8) text += ':';
  return text;
}

/**
 * The index of network interface `name` (`if_nametoindex(3)`), or 0 when
 * there is none by that name. Linux publishes it in /sys/class/net; where
 * /sys is not mounted, an interface's IPv6 link-local address carries its
 * index as scope id, which is the only other place Node shows it.
 */
function interfaceIndex(name: string): number {
  // Names Linux never gives an interface, which would also leave /sys/class/net.
  if (name.length === 0 || name.length >= IFNAMSIZ || name.includes('/') || /^\.\.?$/.test(name))
    return 0;
  const index = Number(readUint64(`/sys/class/net/${name}/ifindex`));
  if (index > 0) return index;
  for (const entry of os.networkInterfaces()[name] ?? []) {
    if (entry.family === 'IPv6' && entry.address.startsWith('fe80:') && entry.scopeid)
      return entry.scopeid;
  }
  return 0;
}

/**
 * The IPv4 socket address of `ip` and `port` (`uv_ip4_addr`). `UVError`
 * EINVAL for a text that is not a dotted quad, and (unlike libuv, whose
 * `htons` wraps it; docs/deviations.md X7) for a port outside 0..65535.
 */
export function ip4Addr(ip: string, port: number): SocketAddress {
  requireString(ip, 'ip');
  checkPort(port, 'uv_ip4_addr');
  return { address: format4(parse4(ip, 'uv_ip4_addr')), port, family: 'IPv4' };
}

/**
 * The IPv6 socket address of `ip` and `port` (`uv_ip6_addr`). A zone
 * (`fe80::1%eth0`) names an interface; its index becomes `scopeId`, and
 * an unknown name gives 0, as libuv's `if_nametoindex` does (a number is
 * a name too on Linux, so `%2` is 0 unless an interface is called `2`).
 * `UVError` EINVAL for a text that is not an IPv6 address and for a port
 * outside 0..65535 (docs/deviations.md X7).
 */
export function ip6Addr(ip: string, port: number): SocketAddress {
  requireString(ip, 'ip');
  checkPort(port, 'uv_ip6_addr');
  const zone = ip.indexOf('%');
  let scopeId = 0;
  let address = ip;
  if (zone >= 0) {
    // libuv copies at most 39 characters of the address into its buffer.
    address = ip.slice(0, Math.min(zone, ZONED_ADDRESS_LIMIT));
    scopeId = interfaceIndex(ip.slice(zone + 1));
  }
  const bytes = parse6(address, 'uv_ip6_addr');
  return { address: format6(bytes), port, family: 'IPv6', flowinfo: 0, scopeId };
}

function requireAddress(addr: unknown): asserts addr is SocketAddress {
  if (typeof addr !== 'object' || addr === null)
    throw new TypeError(
      `addr must be a socket address, got ${addr === null ? 'null' : typeof addr}`,
    );
  requireString((addr as { address?: unknown }).address, 'addr.address');
}

/**
 * The text of an IPv4 socket address (`uv_ip4_name`), as libuv prints it.
 * `UVError` EINVAL when `addr` is not an IPv4 address.
 */
export function ip4Name(addr: SocketAddress): string {
  requireAddress(addr);
  if (addr.family !== 'IPv4') throw new UVError(StatusCode.EINVAL, { syscall: 'uv_ip4_name' });
  return format4(parse4(addr.address, 'uv_ip4_name'));
}

/**
 * The text of an IPv6 socket address (`uv_ip6_name`), as libuv prints it
 * (without a zone, as libuv's `inet_ntop` leaves it out). `UVError`
 * EINVAL when `addr` is not an IPv6 address.
 */
export function ip6Name(addr: SocketAddress): string {
  requireAddress(addr);
  if (addr.family !== 'IPv6') throw new UVError(StatusCode.EINVAL, { syscall: 'uv_ip6_name' });
  return format6(parse6(addr.address, 'uv_ip6_name'));
}

/**
 * The text of an IPv4 or IPv6 socket address (`uv_ip_name`); `UVError`
 * EAFNOSUPPORT for any other family, as libuv answers for `AF_UNIX`.
 */
export function ipName(addr: SocketAddress): string {
  requireAddress(addr);
  const family: unknown = addr.family;
  if (family === 'IPv4') return ip4Name(addr);
  if (family === 'IPv6') return ip6Name(addr);
  throw new UVError(StatusCode.EAFNOSUPPORT, { syscall: 'uv_ip_name' });
}

/**
 * The bytes of an address text (`uv_inet_pton`): 4 for IPv4, 16 for IPv6
 * (where a `%zone` is ignored, as libuv ignores it). `UVError` EINVAL for
 * a text that is not an address of the family, EAFNOSUPPORT for a family
 * other than IPv4 and IPv6.
 */
export function inetPton(family: InetFamily, text: string): Uint8Array {
  const version = familyOf(family, 'uv_inet_pton');
  requireString(text, 'text');
  return version === 4 ? parse4(text, 'uv_inet_pton') : parse6(text, 'uv_inet_pton');
}

/**
 * The text of an address's bytes (`uv_inet_ntop`), as libuv formats it:
 * `bytes` holds 4 bytes for IPv4, 16 for IPv6. `UVError` EINVAL for
 * another length (libuv reads a fixed-size structure, which cannot be
 * short), EAFNOSUPPORT for a family other than IPv4 and IPv6.
 */
export function inetNtop(family: InetFamily, bytes: Uint8Array): string {
  const version = familyOf(family, 'uv_inet_ntop');
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`bytes must be a Uint8Array, got ${typeof bytes}`);
  if (bytes.length !== (version === 4 ? 4 : 16))
    throw new UVError(StatusCode.EINVAL, { syscall: 'uv_inet_ntop' });
  return version === 4 ? format4(bytes) : format6(bytes);
}
