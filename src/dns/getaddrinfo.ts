/**
 * `getaddrinfo` (`uv_getaddrinfo`): host and service to addresses, as a
 * thread-pool request, or synchronously without a callback.
 *
 * The request is a slow-I/O pool job (`work/pool-request.ts`): it waits for
 * a slot, at most half of the slots resolve names at once, `cancel()` works
 * until a slot takes it (the callback then gets EAI_CANCELED), and the
 * callback runs in POLL. The answer is computed as glibc computes it
 * (`addrinfo.ts`); only the addresses of names come from Node's
 * `dns.lookup`.
 *
 * @module
 */
import dns from 'node:dns';
import { StatusCode, UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { PoolRequest } from '../work/index.js';
import type { WorkKind } from '../work/index.js';
import { answerQuery, checkQuery, lookupOptions, planQuery } from './addrinfo.js';
import type { AddrInfo, AddrInfoPlan, AddrInfoQuery, NameAnswer } from './addrinfo.js';
import { askSynchronously } from './sync-resolver.js';

/**
 * The callback of a getaddrinfo request: the request, the answers (null on
 * error), and the error (`null` on success; a `UVError` whose code is an
 * `EAI_*` code, EAI_CANCELED after `cancel()`).
 */
export type GetAddrInfoCallback = (
  request: GetAddrInfoRequest,
  result: AddrInfo[] | null,
  error: UVError | null,
) => void;

/** Turns Node's lookup failure into the errno libuv would report (Node's errno is libuv's). */
function nameFailure(error: NodeJS.ErrnoException): NameAnswer {
  return { errno: typeof error.errno === 'number' ? error.errno : StatusCode.EAI_FAIL };
}

/** A getaddrinfo request (`uv_getaddrinfo_t`); made by {@link getaddrinfo}. */
export class GetAddrInfoRequest extends PoolRequest {
  /** Always `'getaddrinfo'`. */
  readonly type = 'getaddrinfo';
  /** @internal Name resolution is slow I/O: at most half of the pool's slots. */
  readonly workKind: WorkKind = 'slow-io';
  /** The answers, once the callback has run successfully (uv-cffi's `addrinfo`). */
  addrinfo: AddrInfo[] | null = null;
  private readonly query: AddrInfoQuery;
  private readonly callback: GetAddrInfoCallback;
  private plan: AddrInfoPlan | null = null;
  private named: NameAnswer | null = null;

  /** @internal Use {@link getaddrinfo}. */
  constructor(loop: Loop, query: AddrInfoQuery, callback: GetAddrInfoCallback) {
    super(loop);
    this.query = query;
    this.callback = callback;
    this.submit();
  }

  /** The host asked about (null: none). */
  get host(): string | null {
    return this.query.host;
  }

  /** The service asked about (null: none). */
  get service(): string | null {
    return this.query.service;
  }

  protected runJob(done: () => void): void {
    const plan = planQuery(this.query);
    this.plan = plan;
    const name = plan.failure === null ? plan.name : null;
    if (name === null) {
      // Nothing to resolve (a literal, or an error found without a
      // resolver): the job ends at once, as it would on a libuv thread,
      // even while this thread is busy.
      done();
      return;
    }
    dns.lookup(
      name,
      { all: true, verbatim: true, ...lookupOptions(this.query) },
      (error, addresses) => {
        this.named = error ? nameFailure(error) : addresses;
        done();
      },
    );
  }

  protected deliver(canceled: boolean): void {
    let result: AddrInfo[] | null = null;
    let error: UVError | null = null;
    if (canceled) {
      error = this.loop.errors.status(StatusCode.EAI_CANCELED, 'getaddrinfo');
    } else {
      try {
        result = answerQuery(this.query, this.plan ?? planQuery(this.query), this.named);
        this.addrinfo = result;
      } catch (failure) {
        if (!(failure instanceof UVError)) throw failure;
        error = this.loop.errors.status(failure.errno, 'getaddrinfo');
      }
    }
    this.invokeCallback('getaddrinfo', () => this.callback(this, result, error));
  }
}

/**
 * Resolves `host` and `port` to addresses (`uv_getaddrinfo`), with pyuv's
 * arguments: `port` is a port number or a service name (`'http'`), and
 * `family`, `socktype`, `protocol` and `flags` are the hints (see
 * `AddressFamily`, `SocketType`, `Protocol`, `AddrInfoFlags`; 0: any).
 *
 * With a callback it returns a {@link GetAddrInfoRequest}, and the callback
 * runs in POLL with the answers in glibc's order: for each address, one
 * entry per socket type and protocol (TCP, UDP, raw without hints).
 * Without one it blocks until the answer is there and returns it, or throws
 * the `UVError`.
 *
 * Throws `UVError` EINVAL synchronously without host and port, or for an
 * empty host or one longer than 255 bytes; TypeError for arguments of the
 * wrong type. Every other failure is an `EAI_*` code in the callback (or
 * thrown by the synchronous form). `canonname` is the host as given, not the
 * resolver's canonical name (docs/deviations.md, D1).
 */
export function getaddrinfo(
  loop: Loop,
  callback: GetAddrInfoCallback,
  host: string | null,
  port?: number | string | null,
  family?: number,
  socktype?: number,
  protocol?: number,
  flags?: number,
): GetAddrInfoRequest;
export function getaddrinfo(
  loop: Loop | null,
  callback: null | undefined,
  host: string | null,
  port?: number | string | null,
  family?: number,
  socktype?: number,
  protocol?: number,
  flags?: number,
): AddrInfo[];
export function getaddrinfo(
  loop: Loop | null,
  callback: GetAddrInfoCallback | null | undefined,
  host: string | null,
  port: number | string | null = null,
  family = 0,
  socktype = 0,
  protocol = 0,
  flags = 0,
): GetAddrInfoRequest | AddrInfo[] {
  if (callback !== null && callback !== undefined && typeof callback !== 'function')
    throw new TypeError('getaddrinfo callback must be a function');
  const query = checkQuery(host, port, family, socktype, protocol, flags);
  if (typeof callback === 'function') {
    if (loop === null) throw new TypeError('getaddrinfo with a callback needs a loop');
    return new GetAddrInfoRequest(loop, query, callback);
  }
  const plan = planQuery(query);
  let named: NameAnswer | null = null;
  if (plan.failure === null && plan.name !== null) {
    const answer = askSynchronously({ op: 'lookup', host: plan.name, ...lookupOptions(query) });
    named = answer.ok ? (answer.addresses ?? []) : { errno: answer.errno };
  }
  return answerQuery(query, plan, named);
}
