/**
 * `TCP` (`uv_tcp_t`): a TCP stream or server over `node:net`.
 *
 * libuv binds eagerly but reports EADDRINUSE late (rule 7.27): `bind()`
 * here validates, checks what libuv's `bind()` would reject at once
 * (EADDRNOTAVAIL, EACCES) and records the address; `listen()` binds and
 * listens synchronously (see `net-address.ts`) and throws EADDRINUSE there;
 * `connect()` passes the recorded address to Node as the local address, so
 * a taken one reaches the connect callback as EADDRINUSE, as in libuv.
 *
 * Node has no way to create a socket before it connects or listens, so
 * between `bind()` and `listen()`/`connect()` `getsockname()` answers from
 * the recorded address (port 0 stays 0 until then; docs/deviations.md).
 *
 * @module
 */
import { fstatSync } from 'node:fs';
import net from 'node:net';
import { StatusCode, UVError } from '../errors/index.js';
import { requireFd, requireFunction } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import {
  checkAddress,
  checkBindable,
  socketAddress,
  type SocketAddress,
} from '../platform/net-address.js';
import { findTcpDescriptor } from '../platform/socket-fd.js';
import type { ConnectRequest, StreamRequestCallback } from '../requests/stream-requests.js';
import { Stream } from './stream.js';

/** A TCP family as accepted by `new TCP(loop, family)`. */
export type TCPFamily = 'IPv4' | 'IPv6';

/** The kernel's largest TCP_KEEPIDLE, in seconds (Linux's MAX_TCP_KEEPIDLE). */
const MAX_KEEPALIVE_DELAY = 32767;

interface BoundAddress {
  readonly address: string;
  readonly port: number;
  readonly family: TCPFamily;
  readonly ipv6Only: boolean;
}

/** A TCP handle (`uv_tcp_t`). */
export class TCP extends Stream {
  /** `bind()` flag: listen on IPv6 only (`UV_TCP_IPV6ONLY`). */
  static readonly IPV6ONLY = 1;
  /** Always `'tcp'`. */
  readonly type = 'tcp';

  private readonly requestedFamily: TCPFamily | null;
  private bound: BoundAddress | null = null;
  private noDelay: boolean | null = null;
  private keepAlive: { enable: boolean; delay: number } | null = null;
  private resetOnClose = false;

  /**
   * Creates a TCP handle (`uv_tcp_init`, or `uv_tcp_init_ex` with a family:
   * then only addresses of that family are accepted).
   */
  constructor(loop?: Loop, family?: TCPFamily) {
    // Checked before the handle exists: a failed uv_tcp_init_ex leaves
    // nothing in the loop's handle list (rule 2.9).
    if (family !== undefined && family !== 'IPv4' && family !== 'IPv6') {
      throw new UVError(StatusCode.EINVAL, { syscall: 'uv_tcp_init_ex' });
    }
    super(loop);
    this.requestedFamily = family ?? null;
  }

  /** The family given at creation, or the one of the bound/connected address; `null` before either. */
  get family(): TCPFamily | null {
    return this.requestedFamily ?? this.bound?.family ?? null;
  }

  /**
   * Binds to `ip:port` (`uv_tcp_bind`). Throws EINVAL for a bad address, a
   * family mismatch, `IPV6ONLY` with IPv4, or a second bind;
   * EADDRNOTAVAIL/EACCES as the kernel would. A taken port is reported by
   * `listen()` or the connect callback (EADDRINUSE), as libuv does.
   */
  bind(ip: string, port: number, flags = 0): void {
    this.assertOpen('bind');
    const errors = this.loop.errors;
    const family = checkAddress(ip, port, 'uv_tcp_bind', errors);
    if (typeof flags !== 'number') throw new TypeError('flags must be a number');
    const ipv6Only = (flags & TCP.IPV6ONLY) !== 0;
    if (
      (ipv6Only && family !== 'IPv6') ||
      (this.requestedFamily !== null && this.requestedFamily !== family)
    ) {
      throw errors.error(StatusCode.EINVAL, 'uv_tcp_bind');
    }
    if (this.bound !== null || this.socket !== null || this.server !== null) {
      throw errors.error(StatusCode.EINVAL, 'uv_tcp_bind');
    }
    checkBindable(ip, port, family, 'uv_tcp_bind', errors);
    this.bound = { address: ip, port, family, ipv6Only };
  }

  /**
   * Connects to `ip:port` (`uv_tcp_connect`); `callback(handle, error)`
   * runs in POLL once connected or failed. Writes issued meanwhile are
   * queued. Throws EALREADY while connecting, EISCONN once connected or
   * listening.
   */
  connect(ip: string, port: number, callback?: StreamRequestCallback<this>): ConnectRequest<this> {
    this.assertOpen('connect');
    const errors = this.loop.errors;
    const family = checkAddress(ip, port, 'uv_tcp_connect', errors);
    if (callback !== undefined) requireFunction(callback, 'connect callback');
    // The socket exists already (created with a family, or bound): connect(2)
    // refuses an address of the other family at once — an IPv4 socket with
    // EAFNOSUPPORT, an IPv6 one with EINVAL (as libuv 1.44 answers via luv).
    const socketFamily = this.requestedFamily ?? this.bound?.family ?? null;
    if (socketFamily !== null && socketFamily !== family) {
      const errno = socketFamily === 'IPv4' ? StatusCode.EAFNOSUPPORT : StatusCode.EINVAL;
      throw errors.error(errno, 'uv_tcp_connect');
    }
    if (this.connectRequest !== null) throw errors.error(StatusCode.EALREADY, 'uv_tcp_connect');
    // A listening socket is "already connected" for connect(2) too.
    if (this.socket !== null || this.server !== null)
      throw errors.error(StatusCode.EISCONN, 'uv_tcp_connect');
    const bound = this.bound;
    return this.connectTo(
      {
        host: ip,
        port,
        family: family === 'IPv4' ? 4 : 6,
        ...(bound === null ? {} : { localAddress: bound.address, localPort: bound.port }),
      },
      callback,
    );
  }

  /** Wraps an existing connected socket descriptor (`uv_tcp_open`). */
  open(fd: number): void {
    this.assertOpen('open');
    requireFd(fd);
    let isSocket: boolean;
    try {
      isSocket = fstatSync(fd).isSocket();
    } catch {
      throw this.loop.errors.error(StatusCode.EBADF, 'uv_tcp_open');
    }
    if (!isSocket) throw this.loop.errors.error(StatusCode.ENOTSOCK, 'uv_tcp_open');
    const socket = new net.Socket({ fd, allowHalfOpen: true, readable: true, writable: true });
    this.adoptFd(fd, socket, true, true);
  }

  /**
   * Every connection this handle gets — connected, opened or accepted —
   * takes the nodelay/keepalive settings made before it existed, as
   * uv__stream_open applies them to a new descriptor.
   */
  protected override adoptSocket(socket: net.Socket, readable: boolean, writable: boolean): void {
    super.adoptSocket(socket, readable, writable);
    this.applyOptions(socket);
  }

  /**
   * The local address (`uv_tcp_getsockname`). Throws EBADF when the handle
   * has no socket yet (neither bound, connected, listening nor created with
   * a family). Between `connect()` and its callback Node has not created the
   * socket yet, so the port is not known: the bound address is returned, or
   * the unspecified address with port 0 (docs/deviations.md).
   */
  getsockname(): SocketAddress {
    this.assertOpen('getsockname', StatusCode.EBADF);
    const info = this.server?.address();
    if (info !== null && typeof info === 'object')
      return socketAddress(info.address, info.port, info.family);
    const socket = this.socket;
    if (socket?.localAddress !== undefined && socket.localPort !== undefined) {
      return socketAddress(socket.localAddress, socket.localPort, socket.localFamily ?? '');
    }
    const bound = this.bound;
    if (bound !== null) return socketAddress(bound.address, bound.port, bound.family);
    if (this.hasDescriptor()) {
      const family = this.family ?? (socket?.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4');
      return socketAddress(family === 'IPv6' ? '::' : '0.0.0.0', 0, family);
    }
    throw this.loop.errors.error(StatusCode.EBADF, 'uv_tcp_getsockname');
  }

  /**
   * The peer's address (`uv_tcp_getpeername`): EBADF when the handle has no
   * socket, ENOTCONN when it has one that is not connected.
   */
  getpeername(): SocketAddress {
    this.assertOpen('getpeername', StatusCode.EBADF);
    const socket = this.socket;
    if (
      this.connectRequest !== null ||
      socket?.remoteAddress === undefined ||
      socket.remotePort === undefined
    ) {
      const errno = this.hasDescriptor() ? StatusCode.ENOTCONN : StatusCode.EBADF;
      throw this.loop.errors.error(errno, 'uv_tcp_getpeername');
    }
    return socketAddress(socket.remoteAddress, socket.remotePort, socket.remoteFamily ?? '');
  }

  /**
   * The descriptor of the connection or listener Node made, found through
   * /proc (see `socket-fd.ts`); a bound handle that is not listening has
   * no socket yet in uvts (docs/deviations.md).
   */
  protected override findDescriptor(): number | null {
    const socket = this.socket;
    if (socket !== null) {
      const local = socket.address();
      const { remoteAddress, remotePort } = socket;
      if (!('port' in local) || remoteAddress === undefined || remotePort === undefined)
        return null;
      return findTcpDescriptor(local, { address: remoteAddress, port: remotePort });
    }
    const address = this.server?.address();
    if (address === null || address === undefined || typeof address === 'string') return null;
    return findTcpDescriptor(address, null);
  }

  /**
   * @internal Whether the kernel has dropped the connection under a socket
   * Node still holds: a reset nobody read, which libuv's shutdown(2) and
   * read(2) would find. getpeername(2) then fails (ENOTCONN) as they do,
   * and Node asks it until it has had an answer. Once Node has one (the
   * user asked for the peer's address), uvts cannot tell: the kernel's
   * socket table would, at the cost of reading it all (tens of
   * milliseconds on a busy machine; docs/deviations.md S15).
   */
  protected override connectionReset(): boolean {
    const socket = this.socket;
    if (socket === null || socket.destroyed || socket.connecting) return false;
    return socket.remoteAddress === undefined;
  }

  /** A bound handle, or one created with a family, has its socket in libuv. */
  protected override hasDescriptor(): boolean {
    return super.hasDescriptor() || this.bound !== null || this.requestedFamily !== null;
  }

  /** Enables or disables Nagle's algorithm (`uv_tcp_nodelay`). */
  nodelay(enable: boolean): void {
    this.assertOpen('nodelay');
    if (typeof enable !== 'boolean') throw new TypeError('nodelay() needs a boolean');
    this.noDelay = enable;
    if (this.socket !== null) this.socket.setNoDelay(enable);
  }

  /**
   * Enables or disables TCP keep-alive with an initial delay in seconds
   * (`uv_tcp_keepalive`). Once the handle has a socket (bound, created
   * with a family, connecting, connected or listening), enabling it with a
   * delay the kernel refuses — 0, or more than 32767 s — is EINVAL, in
   * both profiles: libuv 1.49+ checks 0 itself and 1.44.2 gets EINVAL from
   * the kernel (luv shows both). Before that libuv only records the flag,
   * so any delay is accepted.
   */
  keepalive(enable: boolean, delay: number): void {
    this.assertOpen('keepalive');
    if (typeof enable !== 'boolean') throw new TypeError('keepalive() needs a boolean');
    if (typeof delay !== 'number') throw new TypeError('delay must be a number');
    if (
      !Number.isInteger(delay) ||
      delay < 0 ||
      (enable && this.hasDescriptor() && (delay < 1 || delay > MAX_KEEPALIVE_DELAY))
    ) {
      throw this.loop.errors.error(StatusCode.EINVAL, 'uv_tcp_keepalive');
    }
    this.keepAlive = { enable, delay };
    if (this.socket !== null) this.socket.setKeepAlive(enable, delay * 1000);
  }

  /** Windows-only in libuv (`uv_tcp_simultaneous_accepts`); accepted and ignored on Unix. */
  simultaneousAccepts(enable: boolean): void {
    this.assertOpen('simultaneousAccepts');
    if (typeof enable !== 'boolean') throw new TypeError('simultaneousAccepts() needs a boolean');
  }

  /**
   * `uv_send_buffer_size`. Node exposes SO_SNDBUF for UDP only, so this
   * throws `UVError` ENOTSUP for TCP (docs/deviations.md).
   */
  get sendBufferSize(): number {
    throw this.loop.errors.error(StatusCode.ENOTSUP, 'uv_send_buffer_size');
  }

  /** Setting it throws `UVError` ENOTSUP too. */
  set sendBufferSize(_value: number) {
    throw this.loop.errors.error(StatusCode.ENOTSUP, 'uv_send_buffer_size');
  }

  /** `uv_recv_buffer_size`; throws ENOTSUP for TCP, like {@link sendBufferSize}. */
  get receiveBufferSize(): number {
    throw this.loop.errors.error(StatusCode.ENOTSUP, 'uv_recv_buffer_size');
  }

  /** Setting it throws `UVError` ENOTSUP too. */
  set receiveBufferSize(_value: number) {
    throw this.loop.errors.error(StatusCode.ENOTSUP, 'uv_recv_buffer_size');
  }

  /**
   * Resets the connection and closes the handle (`uv_tcp_close_reset`): the
   * peer sees ECONNRESET. Throws EINVAL while a shutdown is in progress
   * (libuv checks SHUTTING only: once the shutdown callback has run, a
   * reset is allowed again).
   */
  closeReset(callback?: (handle: this) => void): void {
    this.assertOpen('closeReset');
    if (this.shutdownPending) throw this.loop.errors.error(StatusCode.EINVAL, 'uv_tcp_close_reset');
    this.resetOnClose = true;
    this.close(callback);
  }

  protected override releaseSocket(socket: net.Socket): void {
    if (!this.resetOnClose) {
      super.releaseSocket(socket);
    } else if (socket.writableEnded && !socket.writableFinished && !socket.destroyed) {
      // Our shutdown callback ran (in the pending batch, as in libuv) before
      // Node's own shutdown request finished, and Node's reset fails while
      // that request is in flight — leaving its handle open for good. So the
      // reset waits for the shutdown; a socket that errors meanwhile is
      // destroyed by Node anyway.
      socket.once('finish', () => socket.resetAndDestroy());
    } else {
      socket.resetAndDestroy();
    }
  }

  protected startListening(backlog: number): void {
    const bound = this.bound;
    const family = bound?.family ?? this.requestedFamily ?? 'IPv4';
    const listening = this.listenOn({
      host: bound?.address ?? (family === 'IPv4' ? '0.0.0.0' : '::'),
      port: bound?.port ?? 0,
      backlog,
      ipv6Only: bound?.ipv6Only ?? false,
    });
    if (!listening) throw this.loop.errors.error(StatusCode.EADDRINUSE, 'uv_listen');
  }

  private applyOptions(socket: net.Socket): void {
    if (this.noDelay !== null) socket.setNoDelay(this.noDelay);
    if (this.keepAlive !== null)
      socket.setKeepAlive(this.keepAlive.enable, this.keepAlive.delay * 1000);
  }
}
