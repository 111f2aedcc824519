/**
 * What `getaddrinfo` answers, computed the way glibc computes it, around the
 * one thing uvts asks Node: the addresses of a name.
 *
 * Node's `dns.lookup` runs glibc's getaddrinfo, but always for TCP
 * (`SOCK_STREAM`), without a service, without canonical names, and answers
 * IP literals itself without looking at the family hint (docs/node.md;
 * measured: `127.0.0.1` with family 6 comes back as IPv4). So uvts takes
 * only the addresses of *names* from Node and does the rest itself, in
 * glibc's order of checks (each checked against luv 1.44.2 and 1.52.1):
 *
 * 1. flags (`EAI_BADFLAGS`: unknown bits, or `CANONNAME` without a host),
 *    family (`EAI_FAMILY`), socket type and protocol (`EAI_SOCKTYPE`);
 * 2. the service: a number as `strtoul` reads it, else a name from
 *    `/etc/services` for each protocol (`EAI_SERVICE`; `EAI_NONAME` with
 *    `NUMERICSERV`);
 * 3. the addresses: without a host, the loopback or (`PASSIVE`) wildcard
 *    addresses; an IPv4 literal in any `inet_aton` form or an IPv6 literal,
 *    checked against the family (`EAI_ADDRFAMILY`, or an IPv4-mapped address
 *    with `V4MAPPED`); otherwise a name, resolved by Node (`EAI_NONAME` with
 *    `NUMERICHOST`);
 * 4. one entry per address and per socket type/protocol pair, addresses
 *    first: glibc's list for no hints is TCP, UDP, raw.
 *
 * @module
 */
import net from 'node:net';
import os from 'node:os';
import { domainToASCII } from 'node:url';
import { StatusCode, UVError } from '../errors/index.js';
import type { SocketAddress } from '../platform/net-address.js';
import { AddrInfoFlags, AddressFamily, Protocol, SocketType } from './constants.js';
import { portOfService } from './services.js';

/** One answer of `getaddrinfo` (`struct addrinfo`). */
export interface AddrInfo {
  /** `AddressFamily.INET` or `AddressFamily.INET6`. */
  readonly family: number;
  /** The socket type (`SocketType`). */
  readonly socktype: number;
  /** The protocol (`Protocol`). */
  readonly protocol: number;
  /** With `AddrInfoFlags.CANONNAME`, on the first answer: the host's canonical name; else null. */
  readonly canonname: string | null;
  /** The address and port. */
  readonly address: SocketAddress;
}

/** @internal A checked getaddrinfo call, ready to be answered. */
export interface AddrInfoQuery {
  /** The host as given (null: none). */
  readonly host: string | null;
  /** The host in ASCII (IDNA), as the resolver gets it. */
  readonly asciiHost: string | null;
  /** The service as given (null: none). */
  readonly service: string | null;
  readonly family: number;
  readonly socktype: number;
  readonly protocol: number;
  readonly flags: number;
}

/** @internal The addresses of a name, as Node's `dns.lookup({ all: true })` gives them. */
export interface LookupAddress {
  readonly address: string;
  readonly family: number;
}

/** @internal Node's answer for a name: addresses, or the errno of its failure. */
export type NameAnswer = LookupAddress[] | { readonly errno: number };

const KNOWN_FLAGS = Object.values(AddrInfoFlags).reduce((all, flag) => all | flag, 0);

/** The longest host name libuv accepts: its IDNA buffer holds 256 bytes with the NUL. */
const MAX_HOST_LENGTH = 255;

/** Throws a TypeError unless `value` is an integer (a family, type, protocol or flags). */
function integer(value: unknown, what: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`${what} must be an integer, got ${String(value)}`);
  return value;
}

/**
 * @internal Checks the arguments as `uv_getaddrinfo` does before it queues
 * anything: TypeError for wrong types; `UVError` EINVAL without host and
 * service, and for a host that is empty or longer than 255 bytes in ASCII.
 */
export function checkQuery(
  host: unknown,
  port: unknown,
  family: unknown,
  socktype: unknown,
  protocol: unknown,
  flags: unknown,
): AddrInfoQuery {
  if (host !== null && host !== undefined && typeof host !== 'string')
    throw new TypeError(`host must be a string or null, got ${typeof host}`);
  let service: string | null = null;
  if (typeof port === 'number') {
    if (!Number.isInteger(port)) throw new TypeError(`port must be an integer, got ${port}`);
    service = String(port);
  } else if (typeof port === 'string') {
    service = port;
  } else if (port !== null && port !== undefined) {
    throw new TypeError(`port must be a number, a service name or null, got ${typeof port}`);
  }
  const name = host ?? null;
  if (name === null && service === null)
    throw new UVError(StatusCode.EINVAL, { syscall: 'getaddrinfo' });
  const asciiHost = name === null ? null : toAscii(name);
  return {
    host: name,
    asciiHost,
    service,
    family: integer(family, 'family'),
    socktype: integer(socktype, 'socktype'),
    protocol: integer(protocol, 'protocol'),
    flags: integer(flags, 'flags'),
  };
}

/** A character outside ASCII. */
const NON_ASCII = /[^\p{ASCII}]/u;

/**
 * libuv's IDNA step: labels with non-ASCII characters become `xn--` labels
 * (libuv's own punycode; here Node's `domainToASCII`), ASCII labels stay as
 * they are. Empty, unconvertible or too long: EINVAL.
 */
function toAscii(host: string): string {
  const invalid = (): UVError => new UVError(StatusCode.EINVAL, { syscall: 'getaddrinfo' });
  if (host === '' || host.includes('\0')) throw invalid();
  let ascii = host;
  if (NON_ASCII.test(host)) {
    ascii = host
      .split('.')
      .map((label) => {
        if (!NON_ASCII.test(label)) return label;
        const converted = domainToASCII(label);
        if (converted === '') throw invalid();
        return converted;
      })
      .join('.');
  }
  if (Buffer.byteLength(ascii) > MAX_HOST_LENGTH) throw invalid();
  return ascii;
}

/** An `EAI_*` failure of the query. */
function eai(code: number): UVError {
  return new UVError(code, { syscall: 'getaddrinfo' });
}

interface SocketEntry {
  readonly socktype: number;
  readonly protocol: number;
  /** The protocol's name in /etc/services; null for raw sockets, which take no service. */
  readonly serviceProtocol: string | null;
}

/** glibc's table of socket type/protocol pairs (`gaih_inet_typeproto`), in its order. */
const TYPE_PROTOCOLS: readonly SocketEntry[] = [
  { socktype: SocketType.STREAM, protocol: Protocol.TCP, serviceProtocol: 'tcp' },
  { socktype: SocketType.DGRAM, protocol: Protocol.UDP, serviceProtocol: 'udp' },
  { socktype: SocketType.DGRAM, protocol: Protocol.UDPLITE, serviceProtocol: 'udplite' },
  { socktype: SocketType.STREAM, protocol: Protocol.SCTP, serviceProtocol: 'sctp' },
  { socktype: SocketType.SEQPACKET, protocol: Protocol.SCTP, serviceProtocol: 'sctp' },
];

/**
 * The socket type/protocol pairs of the answer. No hints: TCP, UDP, raw.
 * A protocol: its first pair, else a raw socket of that protocol. A type:
 * its first pair (raw: protocol 0). Both: the pair if it exists, or a raw
 * socket of the protocol; any other mix is EAI_SOCKTYPE.
 */
function socketEntries(socktype: number, protocol: number): SocketEntry[] {
  const raw = (proto: number): SocketEntry => ({
    socktype: SocketType.RAW,
    protocol: proto,
    serviceProtocol: null,
  });
  if (socktype === 0 && protocol === 0)
    return [TYPE_PROTOCOLS[0] as SocketEntry, TYPE_PROTOCOLS[1] as SocketEntry, raw(0)];
  if (socktype === SocketType.RAW) return [raw(protocol)];
  const match = TYPE_PROTOCOLS.find(
    (entry) =>
      (socktype === 0 || entry.socktype === socktype) &&
      (protocol === 0 || entry.protocol === protocol),
  );
  if (match !== undefined) return [match];
  if (socktype === 0) return [raw(protocol)];
  throw eai(StatusCode.EAI_SOCKTYPE);
}

/**
 * glibc's reading of a numeric service: `strtoul` (leading blanks, a sign,
 * decimal digits, saturating at 2^64 - 1) stored in an int. A negative int
 * means "not a number", so `-1` or `4294967294` are looked up as names.
 * Returns the port, or null for a name.
 */
function numericService(service: string): number | null {
  const match = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(service);
  if (service === '') return 0;
  if (match === null) return null;
  const ULONG_MAX = (1n << 64n) - 1n;
  let value = BigInt(match[2] ?? '0');
  if (value > ULONG_MAX) value = ULONG_MAX;
  if (match[1] === '-') value = BigInt.asUintN(64, -value);
  const stored = Number(BigInt.asIntN(32, value));
  return stored < 0 ? null : stored & 0xffff;
}

interface PortedEntry extends SocketEntry {
  readonly port: number;
}

/** Step 2: the service's port for each pair, dropping pairs the service does not exist for. */
function applyService(query: AddrInfoQuery, entries: SocketEntry[]): PortedEntry[] {
  if (query.service === null) return entries.map((entry) => ({ ...entry, port: 0 }));
  const port = numericService(query.service);
  if (port !== null) return entries.map((entry) => ({ ...entry, port }));
  if ((query.flags & AddrInfoFlags.NUMERICSERV) !== 0) throw eai(StatusCode.EAI_NONAME);
  const ported: PortedEntry[] = [];
  for (const entry of entries) {
    if (entry.serviceProtocol === null) continue;
    const found = portOfService(query.service, entry.serviceProtocol);
    if (found !== null) ported.push({ ...entry, port: found });
  }
  if (ported.length === 0) throw eai(StatusCode.EAI_SERVICE);
  return ported;
}

/** Step 1: the checks glibc makes before looking anything up. */
function checkHints(query: AddrInfoQuery): void {
  if ((query.flags & ~KNOWN_FLAGS) !== 0) throw eai(StatusCode.EAI_BADFLAGS);
  if ((query.flags & AddrInfoFlags.CANONNAME) !== 0 && query.host === null)
    throw eai(StatusCode.EAI_BADFLAGS);
  const family = query.family;
  if (
    family !== AddressFamily.UNSPEC &&
    family !== AddressFamily.INET &&
    family !== AddressFamily.INET6
  )
    throw eai(StatusCode.EAI_FAMILY);
}

/**
 * An IPv4 address in any form `inet_aton` accepts (`127.1`, `0x7f.1`,
 * `1.2.3` → `1.2.0.3`), as dotted decimal; null if it is not one.
 */
export function parseInetAton(text: string): string | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(part))
      value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9]\d*$/.test(part)) value = Number(part);
    else return null;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((value) => value > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  let address = last;
  values.forEach((value, index) => {
    address += value * 2 ** (8 * (3 - index));
  });
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** The machine's non-loopback families (`AI_ADDRCONFIG`; glibc asks netlink, uvts Node). */
function configuredFamilies(): { v4: boolean; v6: boolean } {
  let v4 = false;
  let v6 = false;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.internal) continue;
      if (entry.family === 'IPv4') v4 = true;
      else if (!/^fe[89ab]/i.test(entry.address)) v6 = true;
    }
  }
  return { v4, v6 };
}

/** A v4 literal as the family asks for it: itself, IPv4-mapped, or EAI_ADDRFAMILY. */
function v4For(query: AddrInfoQuery, address: string): LookupAddress {
  if (query.family !== AddressFamily.INET6) return { address, family: 4 };
  if ((query.flags & AddrInfoFlags.V4MAPPED) !== 0)
    return { address: `::ffff:${address}`, family: 6 };
  throw eai(StatusCode.EAI_ADDRFAMILY);
}

/**
 * Step 3 for everything but names: the addresses of a missing host or of a
 * literal; null when the host is a name that must be resolved.
 */
function literalAddresses(query: AddrInfoQuery): LookupAddress[] | null {
  const { asciiHost, family, flags } = query;
  if (asciiHost === null) {
    const passive = (flags & AddrInfoFlags.PASSIVE) !== 0;
    let list: LookupAddress[] = passive
      ? [
          { address: '0.0.0.0', family: 4 },
          { address: '::', family: 6 },
        ]
      : [
          { address: '::1', family: 6 },
          { address: '127.0.0.1', family: 4 },
        ];
    if ((flags & AddrInfoFlags.ADDRCONFIG) !== 0) {
      const { v4, v6 } = configuredFamilies();
      list = list.filter((entry) => (entry.family === 4 ? v4 : v6));
    }
    if (family === AddressFamily.INET) list = list.filter((entry) => entry.family === 4);
    if (family === AddressFamily.INET6) list = list.filter((entry) => entry.family === 6);
    return list;
  }
  const v4 = parseInetAton(asciiHost);
  if (v4 !== null) return [v4For(query, v4)];
  if (net.isIPv6(asciiHost)) {
    if (!validScope(asciiHost)) throw eai(StatusCode.EAI_NONAME);
    if (family === AddressFamily.INET) throw eai(StatusCode.EAI_ADDRFAMILY);
    return [{ address: asciiHost, family: 6 }];
  }
  if ((flags & AddrInfoFlags.NUMERICHOST) !== 0) throw eai(StatusCode.EAI_NONAME);
  return null;
}

/** glibc accepts a scope (`%lo`) only on a link-local address and for an interface that exists. */
function validScope(address: string): boolean {
  const percent = address.indexOf('%');
  if (percent < 0) return true;
  const scope = address.slice(percent + 1);
  if (!/^fe[89ab]/i.test(address)) return false;
  return /^\d+$/.test(scope) || scope in os.networkInterfaces();
}

/**
 * @internal Steps 1 to 3 without the resolver: the failure, or the socket
 * entries with their ports and, for a missing host or a literal, the
 * addresses; `name` is what Node must resolve otherwise.
 */
export type AddrInfoPlan =
  | { readonly failure: UVError }
  | {
      readonly failure: null;
      readonly entries: readonly PortedEntry[];
      readonly addresses: readonly LookupAddress[] | null;
      readonly name: string | null;
    };

/** @internal Plans the answer of `query` (see {@link AddrInfoPlan}). */
export function planQuery(query: AddrInfoQuery): AddrInfoPlan {
  try {
    checkHints(query);
    const entries = applyService(query, socketEntries(query.socktype, query.protocol));
    const addresses = literalAddresses(query);
    return { failure: null, entries, addresses, name: addresses === null ? query.asciiHost : null };
  } catch (error) {
    if (error instanceof UVError) return { failure: error };
    throw error;
  }
}

/** @internal The `family` and `hints` of Node's `dns.lookup` for this query. */
export function lookupOptions(query: AddrInfoQuery): { family: 0 | 4 | 6; hints: number } {
  const family =
    query.family === AddressFamily.INET ? 4 : query.family === AddressFamily.INET6 ? 6 : 0;
  const hints =
    query.flags & (AddrInfoFlags.ADDRCONFIG | AddrInfoFlags.V4MAPPED | AddrInfoFlags.ALL);
  return { family, hints };
}

/**
 * @internal The whole answer: the plan (steps 1 to 3) with Node's answer for
 * the name when the plan had one to resolve, then step 4. Throws `UVError`
 * with an `EAI_*` code (or the errno Node reported) on failure.
 */
export function answerQuery(
  query: AddrInfoQuery,
  plan: AddrInfoPlan,
  named: NameAnswer | null,
): AddrInfo[] {
  if (plan.failure !== null) throw plan.failure;
  let addresses = plan.addresses;
  if (addresses === null) {
    if (named === null) throw new Error('uvts: a name was answered without resolving it');
    if (!Array.isArray(named)) throw eai(named.errno);
    addresses = named;
  }
  if (addresses.length === 0) throw eai(StatusCode.EAI_NONAME);
  const canonname = (query.flags & AddrInfoFlags.CANONNAME) !== 0 ? query.host : null;
  const answers: AddrInfo[] = [];
  for (const { address, family } of addresses) {
    for (const entry of plan.entries) {
      const socketAddress: SocketAddress =
        family === 6
          ? {
              address: stripScope(address),
              port: entry.port,
              family: 'IPv6',
              flowinfo: 0,
              scopeId: 0,
            }
          : { address, port: entry.port, family: 'IPv4' };
      answers.push({
        family: family === 6 ? AddressFamily.INET6 : AddressFamily.INET,
        socktype: entry.socktype,
        protocol: entry.protocol,
        canonname: answers.length === 0 ? canonname : null,
        address: socketAddress,
      });
    }
  }
  return answers;
}

function stripScope(address: string): string {
  const percent = address.indexOf('%');
  return percent < 0 ? address : address.slice(0, percent);
}
