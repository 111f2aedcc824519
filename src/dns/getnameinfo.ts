/**
 * `getnameinfo` (`uv_getnameinfo`): an address and port to a host name and
 * a service name, as a thread-pool request, or synchronously without a
 * callback.
 *
 * glibc answers with names where it finds them and with the numbers
 * otherwise: `192.0.2.99:80` gives `('192.0.2.99', 'http')` (luv 1.44.2 and
 * 1.52.1). Node's `dns.lookupService` always passes `NI_NAMEREQD`, so it
 * fails (ENOTFOUND) where glibc falls back to the number. uvts therefore
 * asks Node only for the host name, falls back to the numeric host itself
 * unless `NameInfoFlags.NAMEREQD` is given, and takes the service name from
 * `/etc/services` (`services.ts`), as glibc's `getservbyport` does.
 *
 * @module
 */
import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import { StatusCode, UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { PoolRequest } from '../work/index.js';
import type { WorkKind } from '../work/index.js';
import { NameInfoFlags } from './constants.js';
import { serviceOfPort } from './services.js';
import { askSynchronously } from './sync-resolver.js';

/**
 * The callback of a getnameinfo request: the request, the host name and
 * the service name (null on error), and the error (`null` on success; a
 * `UVError` with an `EAI_*` code, EAI_CANCELED after `cancel()`).
 */
export type GetNameInfoCallback = (
  request: GetNameInfoRequest,
  host: string | null,
  service: string | null,
  error: UVError | null,
) => void;

/** The address a getnameinfo call is about. */
export interface NameInfoAddress {
  /** An IPv4 or IPv6 address. */
  readonly address: string;
  /** The port, 0 to 65535. */
  readonly port: number;
}

/** What a host lookup gave: a name, or the errno of its failure. */
type HostAnswer = { readonly host: string } | { readonly errno: number };

interface NameQuery {
  readonly address: string;
  readonly port: number;
  readonly flags: number;
}

/** Checks the arguments: TypeError for wrong types, EINVAL for values no `sockaddr` can hold. */
function checkNameQuery(address: unknown, flags: unknown): NameQuery {
  if (typeof address !== 'object' || address === null)
    throw new TypeError('getnameinfo needs an address { address, port }');
  const { address: ip, port } = address as Partial<NameInfoAddress>;
  if (typeof ip !== 'string') throw new TypeError('the address must be a string');
  if (typeof port !== 'number') throw new TypeError('the port must be a number');
  if (typeof flags !== 'number' || !Number.isInteger(flags))
    throw new TypeError('getnameinfo flags must be an integer');
  if (net.isIP(ip) === 0 || !Number.isInteger(port) || port < 0 || port > 0xffff)
    throw new UVError(StatusCode.EINVAL, { syscall: 'getnameinfo' });
  return { address: ip, port, flags };
}

/** The numeric host as `inet_ntop` writes it. */
function numericHost(address: string): string {
  return net.isIPv6(address) ? new net.SocketAddress({ address, family: 'ipv6' }).address : address;
}

/** `NI_NOFQDN`: a name in the machine's own domain loses the domain. */
function withoutLocalDomain(host: string): string {
  const localName = os.hostname();
  const dot = localName.indexOf('.');
  if (dot < 0) return host;
  const domain = localName.slice(dot);
  return host.endsWith(domain) ? host.slice(0, -domain.length) : host;
}

/** The whole answer, from the host lookup's result (null: NUMERICHOST, none was made). */
function answerName(query: NameQuery, looked: HostAnswer | null): [string, string] {
  const { flags, port } = query;
  let host: string;
  if (looked === null) {
    host = numericHost(query.address);
  } else if ('host' in looked) {
    host = (flags & NameInfoFlags.NOFQDN) !== 0 ? withoutLocalDomain(looked.host) : looked.host;
  } else if ((flags & NameInfoFlags.NAMEREQD) !== 0) {
    throw new UVError(looked.errno, { syscall: 'getnameinfo' });
  } else {
    host = numericHost(query.address);
  }
  const numericService = (flags & NameInfoFlags.NUMERICSERV) !== 0;
  const protocol = (flags & NameInfoFlags.DGRAM) !== 0 ? 'udp' : 'tcp';
  const service = (numericService ? null : serviceOfPort(port, protocol)) ?? String(port);
  return [host, service];
}

function needsLookup(query: NameQuery): boolean {
  return (query.flags & NameInfoFlags.NUMERICHOST) === 0;
}

/** A getnameinfo request (`uv_getnameinfo_t`); made by {@link getnameinfo}. */
export class GetNameInfoRequest extends PoolRequest {
  /** Always `'getnameinfo'`. */
  readonly type = 'getnameinfo';
  /** @internal Name resolution is slow I/O: at most half of the pool's slots. */
  readonly workKind: WorkKind = 'slow-io';
  /** The host name, once the callback has run successfully. */
  host: string | null = null;
  /** The service name, once the callback has run successfully. */
  service: string | null = null;
  private readonly query: NameQuery;
  private readonly callback: GetNameInfoCallback;
  private looked: HostAnswer | null = null;

  /** @internal Use {@link getnameinfo}. */
  constructor(loop: Loop, query: NameQuery, callback: GetNameInfoCallback) {
    super(loop);
    this.query = query;
    this.callback = callback;
    this.submit();
  }

  protected runJob(done: () => void): void {
    if (!needsLookup(this.query)) {
      done(); // nothing to look up: the job ends at once, as on a libuv thread
      return;
    }
    dns.lookupService(this.query.address, this.query.port, (error, host) => {
      this.looked = error
        ? { errno: typeof error.errno === 'number' ? error.errno : StatusCode.EAI_FAIL }
        : { host };
      done();
    });
  }

  protected deliver(canceled: boolean): void {
    let error: UVError | null = null;
    if (canceled) {
      error = this.loop.errors.status(StatusCode.EAI_CANCELED, 'getnameinfo');
    } else {
      try {
        [this.host, this.service] = answerName(this.query, this.looked);
      } catch (failure) {
        if (!(failure instanceof UVError)) throw failure;
        error = this.loop.errors.status(failure.errno, 'getnameinfo');
      }
    }
    this.invokeCallback('getnameinfo', () => this.callback(this, this.host, this.service, error));
  }
}

/** The answer of the synchronous {@link getnameinfo}. */
export interface NameInfo {
  /** The host name, or the numeric address. */
  readonly host: string;
  /** The service name, or the port number as text. */
  readonly service: string;
}

/**
 * Finds the host name and service name of an address and port
 * (`uv_getnameinfo`), with pyuv's arguments; `flags` are `NameInfoFlags`.
 * Where no name exists the answer is the number (unless
 * `NameInfoFlags.NAMEREQD`), as glibc answers.
 *
 * With a callback it returns a {@link GetNameInfoRequest} and the callback
 * runs in POLL; without one it blocks until the answer is there and returns
 * it (or throws the `UVError`). TypeError for arguments of the wrong type,
 * `UVError` EINVAL for an address that is not an IP address or a port
 * outside 0–65535.
 */
export function getnameinfo(
  loop: Loop,
  callback: GetNameInfoCallback,
  address: NameInfoAddress,
  flags?: number,
): GetNameInfoRequest;
export function getnameinfo(
  loop: Loop | null,
  callback: null | undefined,
  address: NameInfoAddress,
  flags?: number,
): NameInfo;
export function getnameinfo(
  loop: Loop | null,
  callback: GetNameInfoCallback | null | undefined,
  address: NameInfoAddress,
  flags = 0,
): GetNameInfoRequest | NameInfo {
  if (callback !== null && callback !== undefined && typeof callback !== 'function')
    throw new TypeError('getnameinfo callback must be a function');
  const query = checkNameQuery(address, flags);
  if (typeof callback === 'function') {
    if (loop === null) throw new TypeError('getnameinfo with a callback needs a loop');
    return new GetNameInfoRequest(loop, query, callback);
  }
  let looked: HostAnswer | null = null;
  if (needsLookup(query)) {
    const answer = askSynchronously({
      op: 'lookupService',
      address: query.address,
      port: query.port,
    });
    looked = answer.ok ? { host: answer.host ?? '' } : { errno: answer.errno };
  }
  const [host, service] = answerName(query, looked);
  return { host, service };
}
