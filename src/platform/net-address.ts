/**
 * Socket addresses for TCP and UDP: validation with libuv's error codes,
 * the synchronous checks libuv's `bind()` makes, and a synchronous
 * `listen()`.
 *
 * Why `listenNow()` exists: libuv binds and listens synchronously, so the
 * everyday pattern `bind(ip, 0); listen(cb); getsockname().port` yields the
 * real port at once, and a taken port fails `uv_listen` with EADDRINUSE
 * right there. Node's `server.listen({ host })` resolves `host` with
 * `dns.lookup()` first — even an IP literal — and so binds a tick later
 * (docs/node.md Q2). `net` calls `dns.lookup` through the `dns` module
 * object at call time, so for the duration of one synchronous `listen()`
 * call we answer that lookup with the IP literal itself, synchronously.
 * Nothing else can run inside that call, and the original function is put
 * back in a `finally`. The listen then happens inside `server.listen()`,
 * and `server.listening` tells us at once whether it failed.
 *
 * @module
 */
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { StatusCode } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';

/** A socket address (`struct sockaddr_in` / `sockaddr_in6`). */
export interface SocketAddress {
  /** The IP address as text. */
  readonly address: string;
  /** The port. */
  readonly port: number;
  /** The address family. */
  readonly family: 'IPv4' | 'IPv6';
  /** IPv6 flow information (IPv6 only). */
  readonly flowinfo?: number;
  /** IPv6 scope id (IPv6 only). */
  readonly scopeId?: number;
}

/**
 * @internal Validates `ip` and `port` the way `uv_ip4_addr`/`uv_ip6_addr`
 * plus a port check would: wrong types are TypeErrors, an unparsable IP or
 * a port outside 0..65535 is EINVAL. Returns the family.
 */
export function checkAddress(
  ip: unknown,
  port: unknown,
  syscall: string,
  errors: ProfileErrors,
): 'IPv4' | 'IPv6' {
  if (typeof ip !== 'string') throw new TypeError(`ip must be a string, got ${typeof ip}`);
  if (typeof port !== 'number') throw new TypeError(`port must be a number, got ${typeof port}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw errors.error(StatusCode.EINVAL, syscall);
  const version = net.isIP(ip);
  if (version === 0) throw errors.error(StatusCode.EINVAL, syscall);
  return version === 4 ? 'IPv4' : 'IPv6';
}

/** @internal Builds a {@link SocketAddress} from Node's address fields. */
export function socketAddress(address: string, port: number, family: string): SocketAddress {
  if (family === 'IPv6' || family === '6' || net.isIPv6(address)) {
    return { address, port, family: 'IPv6', flowinfo: 0, scopeId: 0 };
  }
  return { address, port, family: 'IPv4' };
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`,
 * also spelt `::ffff:7f00:1`), or `null` for any other address.
 */
function mappedIPv4(ip: string): string | null {
  // The URL parser spells every IPv6 address one way: `[::ffff:7f00:1]`.
  const match = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(
    new URL(`http://[${ip}]/`).hostname,
  );
  if (match === null) return null;
  const high = Number.parseInt(match[1] as string, 16);
  const low = Number.parseInt(match[2] as string, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function isLocalAddress(ip: string, family: 'IPv4' | 'IPv6'): boolean {
  if (family === 'IPv4' ? ip === '0.0.0.0' || ip.startsWith('127.') : ip === '::' || ip === '::1')
    return true;
  // Linux binds an IPv4-mapped address when its IPv4 address is local (luv shows it).
  const mapped = family === 'IPv6' ? mappedIPv4(ip) : null;
  if (mapped !== null) return isLocalAddress(mapped, 'IPv4');
  const wanted =
    family === 'IPv4' ? ip : new net.SocketAddress({ address: ip, family: 'ipv6' }).address;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const entry of list ?? []) if (entry.address === wanted) return true;
  }
  return false;
}

function lowestUnprivilegedPort(): number {
  try {
    return Number.parseInt(
      readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'),
      10,
    );
  } catch {
    return 1024;
  }
}

/**
 * @internal The errors `bind()` itself reports in libuv (EADDRINUSE is
 * deferred, rule 7.27): EADDRNOTAVAIL for an address that is not this
 * machine's, EACCES for a privileged port without the privilege.
 */
export function checkBindable(
  ip: string,
  port: number,
  family: 'IPv4' | 'IPv6',
  syscall: string,
  errors: ProfileErrors,
): void {
  if (!isLocalAddress(ip, family)) throw errors.error(StatusCode.EADDRNOTAVAIL, syscall);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (port > 0 && !root && port < lowestUnprivilegedPort())
    throw errors.error(StatusCode.EACCES, syscall);
}

/**
 * @internal Answers an IP-literal lookup synchronously; see the module
 * comment. `dgram` sockets take it as their `lookup` option (dgram.ts).
 */
export function literalLookup(hostname: string, options: unknown, callback?: unknown): object {
  const done = (typeof options === 'function' ? options : callback) as (
    error: Error | null,
    address: string,
    family: number,
  ) => void;
  // A UDP socket looks its destination up for every datagram, usually the
  // same one: the last answer is kept.
  if (hostname !== lastLookup) {
    lastLookup = hostname;
    lastFamily = net.isIP(hostname);
  }
  done(null, hostname, lastFamily);
  return EMPTY_REQUEST;
}

const EMPTY_REQUEST = {};
let lastLookup = '';
let lastFamily = 0;

/**
 * @internal Listens on `server` synchronously. Returns true if the server
 * is listening when the call returns; false if the bind or listen failed
 * (Node then emits the error on the next tick: the caller must have an
 * 'error' listener on `server`).
 */
export function listenNow(server: net.Server, options: net.ListenOptions): boolean {
  if (options.host === undefined || net.isIP(options.host) === 0) {
    server.listen(options);
    return server.listening;
  }
  const original = dns.lookup;
  (dns as { lookup: unknown }).lookup = literalLookup;
  try {
    server.listen(options);
  } finally {
    (dns as { lookup: unknown }).lookup = original;
  }
  return server.listening;
}
