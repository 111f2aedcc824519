/**
 * `node:dgram` made synchronous where libuv's UDP calls are.
 *
 * libuv binds, connects and sends inside the call and returns the error
 * there (docs/semantics.md rules 8.2, 8.5, 8.7). A `dgram.Socket` does all
 * three inside the call too, once its `lookup` option answers IP literals
 * synchronously (`literalLookup`, docs/node.md Q9): what it does not do is
 * *say* so synchronously. It reports each outcome through
 * `process.nextTick`:
 *
 * - `bind()` emits `'listening'` or `'error'` inside the call, so a
 *   temporary `'error'` listener catches a failure;
 * - `send()` schedules its callback with `process.nextTick(callback, error,
 *   bytes)` when the datagram went to the kernel (or was refused) inside
 *   the call, and calls it later, from Node's own loop, only when the
 *   kernel's buffer was full and Node had to queue it;
 * - `connect()` schedules `emit('connect')` or `emit('error', error)` with
 *   `process.nextTick`.
 *
 * So for the duration of one `send()` or `connect()` call `process.nextTick`
 * is replaced by a function that keeps back what the call schedules
 * (everything else goes to the real one) and puts the real one back in a
 * `finally`; nothing else can run inside the call. That turns Node's
 * deferred report into the synchronous answer libuv gives. The same
 * pattern as `listenNow()` (net-address.ts), applied to `process.nextTick`
 * instead of `dns.lookup`.
 *
 * @module
 */
import dgram from 'node:dgram';
import { literalLookup } from './net-address.js';

/** The family of a UDP socket. */
export type UdpFamily = 'IPv4' | 'IPv6';

/** @internal Options of {@link createDgramSocket}. */
export interface DgramOptions {
  /** `SO_REUSEADDR` (libuv's `UV_UDP_REUSEADDR`). */
  readonly reuseAddr: boolean;
  /** `IPV6_V6ONLY` (libuv's `UV_UDP_IPV6ONLY`). */
  readonly ipv6Only: boolean;
}

/** @internal A `dgram.Socket` of `family` whose lookups of IP literals are synchronous. */
export function createDgramSocket(family: UdpFamily, options: DgramOptions): dgram.Socket {
  return dgram.createSocket({
    type: family === 'IPv6' ? 'udp6' : 'udp4',
    reuseAddr: options.reuseAddr,
    ipv6Only: options.ipv6Only,
    lookup: literalLookup as unknown as dgram.SocketOptions['lookup'],
  });
}

/**
 * @internal The address Node needs to reach `ip` from a socket of
 * `family`: an IPv6 socket reaches an IPv4 address through its v4-mapped
 * form, as the kernel does when libuv passes it a `sockaddr_in`; Node
 * would refuse the IPv4 literal with EINVAL.
 */
export function nodeAddress(family: UdpFamily, ip: string): string {
  return family === 'IPv6' && !ip.includes(':') ? `::ffff:${ip}` : ip;
}

/**
 * @internal Binds `socket` to `ip:port` inside the call. Returns Node's
 * error (EADDRINUSE, EADDRNOTAVAIL, EACCES …) or `null` once bound.
 */
export function bindNow(socket: dgram.Socket, ip: string, port: number): Error | null {
  let failure: Error | null = null;
  const onError = (error: Error): void => {
    failure = error;
  };
  socket.once('error', onError);
  try {
    socket.bind({ address: ip, port, exclusive: true });
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  } finally {
    socket.removeListener('error', onError);
  }
  return failure;
}

/**
 * Runs `call` with `process.nextTick` replaced by `keep`, which sees every
 * callback the call schedules and says whether it took it; the others go
 * to the real `process.nextTick`. See the module comment.
 */
function withTicksKept(
  keep: (callback: (...args: never[]) => void, args: unknown[]) => boolean,
  call: () => void,
): void {
  const original = process.nextTick;
  const replacement = (callback: (...args: never[]) => void, ...args: unknown[]): void => {
    if (!keep(callback, args)) original.call(process, callback as () => void, ...args);
  };
  process.nextTick = replacement as typeof process.nextTick;
  try {
    call();
  } finally {
    process.nextTick = original;
  }
}

/** @internal What a `send()` did inside the call. */
export type SendOutcome =
  /** The datagram went to the kernel. */
  | { readonly sync: true; readonly error: null }
  /** The kernel (or Node) refused it. */
  | { readonly sync: true; readonly error: Error }
  /** Node queued it; `callback` reports the outcome later, from Node's loop. */
  | { readonly sync: false };

const SENT: SendOutcome = Object.freeze({ sync: true, error: null });
const QUEUED: SendOutcome = Object.freeze({ sync: false });

/** The real `process.nextTick`, which the send's replacement forwards to. */
const realNextTick = process.nextTick;
/** The send callback the current `sendNow()` watches for, and what it learnt. */
let watched: ((error: Error | null) => void) | null = null;
let outcome: SendOutcome = QUEUED;

/**
 * `process.nextTick` during a `sendNow()`: keeps the send's own callback
 * (recording the outcome), forwards everything else. One function for
 * every send: a datagram costs no closure.
 */
function keepSendTick(callback: (...args: never[]) => void, ...args: unknown[]): void {
  if (callback !== (watched as unknown)) {
    realNextTick.call(process, callback as () => void, ...args);
    return;
  }
  const error = args[0];
  outcome = error instanceof Error ? { sync: true, error } : SENT;
}

/**
 * @internal Sends one datagram made of `buffers` to `destination` (`null`:
 * the connected peer). `callback` is called later only when the outcome is
 * `{ sync: false }`.
 */
export function sendNow(
  socket: dgram.Socket,
  buffers: readonly Buffer[],
  destination: { readonly ip: string; readonly port: number } | null,
  callback: (error: Error | null) => void,
): SendOutcome {
  outcome = QUEUED;
  watched = callback;
  process.nextTick = keepSendTick as typeof process.nextTick;
  try {
    const list = buffers as Buffer[];
    if (destination === null) socket.send(list, callback);
    else socket.send(list, destination.port, destination.ip, callback);
  } finally {
    process.nextTick = realNextTick;
    watched = null;
  }
  return outcome;
}

/**
 * @internal Connects `socket` to `ip:port` inside the call. Returns Node's
 * error or `null` once connected. Node reports either with an event on the
 * next tick; the failure is taken from that event at once (the kept tick
 * is run with a listener in place), the success event is dropped, as
 * nothing listens for it.
 */
export function connectNow(socket: dgram.Socket, ip: string, port: number): Error | null {
  const kept: (() => void)[] = [];
  try {
    withTicksKept(
      (scheduled) => {
        kept.push(scheduled as () => void);
        return true;
      },
      () => socket.connect(port, ip),
    );
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
  if (isConnected(socket)) return null;
  let failure: Error | null = null;
  const onError = (error: Error): void => {
    failure = error;
  };
  socket.once('error', onError);
  try {
    for (const tick of kept) tick();
  } finally {
    socket.removeListener('error', onError);
  }
  return failure ?? new Error('connect failed');
}

/** @internal Whether `socket` is connected (`remoteAddress()` answers). */
export function isConnected(socket: dgram.Socket): boolean {
  try {
    socket.remoteAddress();
    return true;
  } catch {
    return false;
  }
}
