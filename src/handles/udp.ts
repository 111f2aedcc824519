/**
 * `UDP` (`uv_udp_t`): datagrams over `node:dgram`.
 *
 * libuv creates the socket lazily: `bind()` creates and binds it, and a
 * send with an address, `startRecv()`, `connect()` or `setMembership()` on
 * a handle without one binds it first to the unspecified address and port 0
 * (rules 8.2, 8.3, 8.5). Every one of these calls answers synchronously,
 * errors included; platform/dgram.ts makes Node's socket do the same. The
 * socket exists from then on, so getsockname(), the options and fileno()
 * work; before it they fail with EBADF, as libuv's do.
 *
 * Sending is udp-sender.ts (libuv's send queue and when each datagram goes
 * out), receiving is udp-receiver.ts (the datagrams Node reads, kept until
 * the handle receives, and the readiness rounds). The handle is active
 * while it receives or has datagrams to send, and its Node socket is
 * unref'd like every Node object of a handle (docs/architecture.md), so an
 * unref'd receiving handle does not keep the loop alive.
 *
 * `new UDP(loop, family)` is `uv_udp_init_ex` with a family, whose socket
 * libuv creates at once. Node cannot create a socket before binding it, so
 * such a handle records the options set before `bind()` and applies them
 * when it binds; `getsockname()` answers the unspecified address, port 0,
 * until then (docs/deviations.md U5).
 *
 * @module
 */
import type dgram from 'node:dgram';
import { StatusCode, UVError } from '../errors/index.js';
import { byteLength, requireFunction, toBuffers, type WriteData } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import {
  bindNow,
  connectNow,
  createDgramSocket,
  nodeAddress,
  sendNow,
  type DgramOptions,
} from '../platform/dgram.js';
import { checkAddress, socketAddress, type SocketAddress } from '../platform/net-address.js';
import { findUdpDescriptor } from '../platform/socket-fd.js';
import {
  UDPSendRequest,
  type Destination,
  type UDPSendCallback,
} from '../requests/udp-send-request.js';
import { Handle } from './handle.js';
import { PARTIAL, SUGGESTED_SIZE, UdpReceiver, type RecvCallback } from './udp-receiver.js';
import { UdpSender } from './udp-sender.js';
import { UdpOptions } from './udp-options.js';

/** A UDP family as accepted by `new UDP(loop, family)`: `'IPv4'` or `'IPv6'`. */
export type UDPFamily = 'IPv4' | 'IPv6';

/** `uv_membership`: join or leave a multicast group. */
export type Membership = typeof UDP.JOIN_GROUP | typeof UDP.LEAVE_GROUP;

const IPV6ONLY = 1;
const REUSEADDR = 4;
const LINUX_RECVERR = 32;
const REUSEPORT = 64;

/** @internal A datagram Node read from a socket before a handle took it over. */
export type EarlyDatagram = readonly [data: Buffer, info: dgram.RemoteInfo];

/** The parts of a `send()`/`trySend()` call, whichever form it took. */
interface SendArguments<H> {
  readonly destination: { readonly ip: string; readonly port: number } | null;
  readonly buffers: Buffer[];
  readonly callback: UDPSendCallback<H> | null;
}

/** A UDP handle (`uv_udp_t`). */
export class UDP extends Handle {
  /** `bind()` flag: IPv6 only, no dual stack (`UV_UDP_IPV6ONLY`). */
  static readonly IPV6ONLY = IPV6ONLY;
  /** Receive flag: the datagram was truncated to the buffer (`UV_UDP_PARTIAL`). */
  static readonly PARTIAL = PARTIAL;
  /** `bind()` flag: share the address (`UV_UDP_REUSEADDR`, SO_REUSEADDR). */
  static readonly REUSEADDR = REUSEADDR;
  /** `bind()` flag libuv knows on Linux (`UV_UDP_LINUX_RECVERR`); Node cannot set it: ENOTSUP. */
  static readonly LINUX_RECVERR = LINUX_RECVERR;
  /** `bind()` flag of libuv 1.49+ (`UV_UDP_REUSEPORT`); Node 20 cannot set it: ENOTSUP (EINVAL in profile 1.44). */
  static readonly REUSEPORT = REUSEPORT;
  /** `setMembership()`: leave the group (`UV_LEAVE_GROUP`). */
  static readonly LEAVE_GROUP = 0;
  /** `setMembership()`: join the group (`UV_JOIN_GROUP`). */
  static readonly JOIN_GROUP = 1;
  /** Always `'udp'`. */
  readonly type = 'udp';

  private readonly watcher: NodeWatcher<dgram.Socket>;
  private readonly sender: UdpSender<UDP>;
  private readonly receiver: UdpReceiver<UDP>;
  private readonly options: UdpOptions;
  private readonly requestedFamily: UDPFamily | null;
  /** The family of the Node socket, once there is one. */
  private socketFamily: UDPFamily | null = null;
  private peer: SocketAddress | null = null;
  /** The last destination address a send parsed, and its family (see `sendArguments`). */
  private lastDestination: string | null = null;
  private lastFamily: UDPFamily = 'IPv4';

  /**
   * Creates a UDP handle (`uv_udp_init`; with a family, `uv_udp_init_ex`:
   * the handle then has a socket of that family from the start).
   */
  constructor(loop?: Loop, family?: UDPFamily) {
    // Checked before the handle exists: a failed init leaves nothing in the
    // loop's handle list (rule 2.9).
    if (family !== undefined && family !== 'IPv4' && family !== 'IPv6') {
      throw new UVError(StatusCode.EINVAL, { syscall: 'uv_udp_init_ex' });
    }
    super(loop);
    this.requestedFamily = family ?? null;
    this.watcher = new NodeWatcher<dgram.Socket>(this.loop, () => this.sender.onPending());
    this.sender = new UdpSender(this.loop, this, this.watcher);
    this.receiver = new UdpReceiver(this.loop, this, this.watcher);
    this.options = new UdpOptions(this.loop.errors);
  }

  /** The socket's family: given at creation, or the bound one; `null` before either. */
  get family(): UDPFamily | null {
    return this.socketFamily ?? this.requestedFamily;
  }

  /** Requests whose callback has not run yet (`uv_udp_get_send_queue_count`). */
  get sendQueueCount(): number {
    return this.sender.count;
  }

  /** Bytes of those requests (`uv_udp_get_send_queue_size`). */
  get sendQueueSize(): number {
    return this.sender.size;
  }

  /**
   * Datagrams that arrived while the receive buffer was full and were
   * dropped, as the kernel drops them (uvts only; see udp-receiver.ts).
   * The kernel's own drops show in /proc/net/udp.
   */
  get droppedDatagrams(): number {
    return this.receiver.dropped;
  }

  /** libuv's `uv_udp_using_recvmmsg`: always false, uvts has no recvmmsg. */
  usingRecvmmsg(): boolean {
    return false;
  }

  // ------------------------------------------------------------------ socket

  /**
   * Binds to `ip:port` (`uv_udp_bind`), synchronously: EADDRINUSE,
   * EADDRNOTAVAIL and EACCES are thrown here, unlike TCP. EINVAL for a bad
   * address or flag, `IPV6ONLY` with IPv4, a family other than the one
   * given at creation, or a handle that already has a socket.
   */
  bind(ip: string, port: number, flags = 0): void {
    this.assertOpen('bind');
    const errors = this.loop.errors;
    const family = checkAddress(ip, port, 'uv_udp_bind', errors);
    if (typeof flags !== 'number' || !Number.isInteger(flags))
      throw new TypeError('flags must be an integer');
    let known = IPV6ONLY | REUSEADDR | LINUX_RECVERR;
    if (this.loop.behaviour.udpReusePortFlag) known |= REUSEPORT;
    if ((flags & ~known) !== 0) throw errors.error(StatusCode.EINVAL, 'uv_udp_bind');
    if ((flags & IPV6ONLY) !== 0 && family !== 'IPv6')
      throw errors.error(StatusCode.EINVAL, 'uv_udp_bind');
    if (this.requestedFamily !== null && this.requestedFamily !== family)
      throw errors.error(StatusCode.EINVAL, 'uv_udp_bind');
    if (this.watcher.current !== null) throw errors.error(StatusCode.EINVAL, 'uv_udp_bind');
    if ((flags & (LINUX_RECVERR | REUSEPORT)) !== 0)
      throw errors.error(StatusCode.ENOTSUP, 'uv_udp_bind');
    this.createSocket(family, ip, port, {
      reuseAddr: (flags & REUSEADDR) !== 0,
      ipv6Only: (flags & IPV6ONLY) !== 0,
    });
  }

  /**
   * libuv's `uv__udp_maybe_deferred_bind`: a handle without a socket binds
   * to the unspecified address of `family`, port 0.
   */
  private ensureSocket(family: UDPFamily, reuseAddr: boolean): dgram.Socket {
    const existing = this.watcher.current;
    if (existing !== null) return existing;
    const own = this.requestedFamily ?? family;
    return this.createSocket(own, own === 'IPv6' ? '::' : '0.0.0.0', 0, {
      reuseAddr,
      ipv6Only: false,
    });
  }

  private createSocket(
    family: UDPFamily,
    ip: string,
    port: number,
    options: DgramOptions,
  ): dgram.Socket {
    const errors = this.loop.errors;
    const socket = createDgramSocket(family, options);
    const failure = bindNow(socket, ip, port);
    if (failure !== null) {
      socket.close();
      throw errors.fromNode(failure, 'uv_udp_bind');
    }
    this.adopt(socket, family);
    return socket;
  }

  /** Makes `socket`, bound, this handle's socket: its datagrams, errors and options. */
  private adopt(socket: dgram.Socket, family: UDPFamily): void {
    const errors = this.loop.errors;
    this.socketFamily = family;
    this.watcher.attach(socket);
    const receiver = this.receiver;
    socket.on(
      'message',
      this.watcher.guard(socket, (data: Buffer, info: dgram.RemoteInfo) =>
        receiver.onMessage(data, info),
      ),
    );
    socket.on(
      'error',
      this.watcher.guard(socket, (error: Error) =>
        receiver.onError(errors.fromNode(error, 'uv_udp_recv')),
      ),
    );
    receiver.capacity = socket.getRecvBufferSize();
    this.options.applyTo(socket, family);
  }

  /**
   * @internal The Node socket `Pipe.write2()` sends with its bytes
   * (`uv_write2` with a UDP handle): EBADF for a handle without a socket,
   * which libuv has no descriptor to send for.
   */
  travelling(): dgram.Socket {
    const socket = this.watcher.current;
    if (socket === null || this.closing)
      throw this.loop.errors.error(StatusCode.EBADF, 'uv_write2');
    return socket;
  }

  /**
   * @internal Takes a socket that came over an IPC pipe (`accept()` of a
   * pending UDP handle), as `uv_udp_open` takes the received descriptor:
   * EBUSY if this handle has a socket already. The datagrams Node read
   * before (`kept.early`, until `kept.release()`) wait for `startRecv()`,
   * like any that come later.
   */
  adoptTravelled(
    socket: dgram.Socket,
    kept: { readonly early: readonly EarlyDatagram[]; release(): void },
  ): void {
    if (this.hasDescriptor()) throw this.loop.errors.error(StatusCode.EBUSY, 'uv_accept');
    kept.release();
    this.adopt(socket, socket.address().family === 'IPv6' ? 'IPv6' : 'IPv4');
    for (const [data, info] of kept.early) this.receiver.onMessage(data, info);
  }

  /** Whether libuv would have a descriptor: a Node socket, or a family given at creation. */
  private hasDescriptor(): boolean {
    return this.watcher.current !== null || this.requestedFamily !== null;
  }

  /**
   * Connects to `ip:port` (`uv_udp_connect`), synchronously: datagrams go
   * there without an address, and only datagrams from there arrive. EISCONN
   * if already connected; EAFNOSUPPORT for an IPv6 address on an IPv4
   * socket. A handle without a socket is bound first.
   */
  connect(ip: string, port: number): void {
    this.assertOpen('connect');
    const errors = this.loop.errors;
    const family = checkAddress(ip, port, 'uv_udp_connect', errors);
    if (this.peer !== null) throw errors.error(StatusCode.EISCONN, 'uv_udp_connect');
    if (this.family === 'IPv4' && family === 'IPv6')
      throw errors.error(StatusCode.EAFNOSUPPORT, 'uv_udp_connect');
    // Node refuses port 0; libuv lets the kernel accept it (docs/deviations.md U7).
    if (port === 0) throw errors.error(StatusCode.EINVAL, 'uv_udp_connect');
    const socket = this.ensureSocket(family, false);
    const failure = connectNow(socket, nodeAddress(this.socketFamily as UDPFamily, ip), port);
    if (failure !== null) throw errors.fromNode(failure, 'uv_udp_connect');
    const remote = socket.remoteAddress();
    this.peer = socketAddress(remote.address, remote.port, remote.family);
  }

  /** Dissolves the connection (`uv_udp_connect(handle, NULL)`); ENOTCONN when not connected. */
  disconnect(): void {
    this.assertOpen('disconnect');
    const socket = this.watcher.current;
    if (this.peer === null || socket === null)
      throw this.loop.errors.error(StatusCode.ENOTCONN, 'uv_udp_connect');
    socket.disconnect();
    this.peer = null;
  }

  /**
   * The local address (`uv_udp_getsockname`); EBADF without a socket. A
   * handle created with a family answers the unspecified address, port 0,
   * until it binds.
   */
  getsockname(): SocketAddress {
    this.assertOpen('getsockname', StatusCode.EBADF);
    const socket = this.watcher.current;
    if (socket !== null) {
      const local = socket.address();
      return socketAddress(local.address, local.port, local.family);
    }
    const family = this.requestedFamily;
    if (family === null) throw this.loop.errors.error(StatusCode.EBADF, 'uv_udp_getsockname');
    return socketAddress(family === 'IPv6' ? '::' : '0.0.0.0', 0, family);
  }

  /** The connected peer (`uv_udp_getpeername`): EBADF without a socket, ENOTCONN when not connected. */
  getpeername(): SocketAddress {
    this.assertOpen('getpeername', StatusCode.EBADF);
    if (this.peer === null) {
      const errno = this.hasDescriptor() ? StatusCode.ENOTCONN : StatusCode.EBADF;
      throw this.loop.errors.error(errno, 'uv_udp_getpeername');
    }
    return this.peer;
  }

  /**
   * The socket's descriptor (`uv_fileno`), found through /proc; EBADF
   * without a socket, ENOTSUP where it cannot be found (two sockets that
   * share their address, or no /proc; docs/deviations.md U8).
   */
  fileno(): number {
    this.assertOpen('fileno', StatusCode.EBADF);
    const socket = this.watcher.current;
    if (socket === null) throw this.loop.errors.error(StatusCode.EBADF, 'uv_fileno');
    const local = socket.address();
    const found = findUdpDescriptor(local, this.peer);
    if (found === null) throw this.loop.errors.error(StatusCode.ENOTSUP, 'uv_fileno');
    return found;
  }

  /** `uv_udp_open`: Node cannot adopt a socket descriptor, so this throws ENOTSUP (docs/deviations.md U4). */
  open(fd: number): void {
    this.assertOpen('open');
    if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0)
      throw new TypeError('fd must be a non-negative integer');
    throw this.loop.errors.error(StatusCode.ENOTSUP, 'uv_udp_open');
  }

  // ------------------------------------------------------------------ sending

  /**
   * Sends one datagram (`uv_udp_send`): `send(ip, port, data, callback?)`,
   * or `send(data, callback?)` on a connected handle. `data` is a Buffer,
   * Uint8Array or string, or an array of them sent as one datagram.
   * `callback(handle, error)` runs once the datagram went out or failed,
   * never from inside this call. Throws EISCONN for an address on a
   * connected handle, EDESTADDRREQ for none on an unconnected one, and the
   * errors of the implicit bind.
   */
  send(
    ip: string,
    port: number,
    data: WriteData,
    callback?: UDPSendCallback<this>,
  ): UDPSendRequest<this>;
  send(data: WriteData, callback?: UDPSendCallback<this>): UDPSendRequest<this>;
  send(first: unknown, second?: unknown, third?: unknown, fourth?: unknown): UDPSendRequest<this> {
    this.assertOpen('send', StatusCode.EBADF);
    const parsed = this.sendArguments(first, second, third, fourth, 'uv_udp_send');
    this.ensureSocket(this.destinationFamily(parsed), false);
    const request = new UDPSendRequest<this>(
      this.loop,
      this,
      parsed.buffers,
      byteLength(parsed.buffers),
      this.nodeDestination(parsed),
      parsed.callback,
    );
    request.refusal = this.refusal(parsed);
    this.sender.send(request as unknown as UDPSendRequest<UDP>);
    return request;
  }

  /**
   * Sends one datagram now or not at all (`uv_udp_try_send`), with the same
   * two forms as `send()`; returns the number of bytes sent. Throws EAGAIN
   * while send requests are queued, and the kernel's refusal (EMSGSIZE for
   * a datagram too long…) at once.
   */
  trySend(ip: string, port: number, data: WriteData): number;
  trySend(data: WriteData): number;
  trySend(first: unknown, second?: unknown, third?: unknown): number {
    this.assertOpen('trySend', StatusCode.EBADF);
    const errors = this.loop.errors;
    if (typeof second !== 'number' && second !== undefined)
      throw new TypeError('trySend() takes no callback');
    const parsed = this.sendArguments(first, second, third, undefined, 'uv_udp_try_send');
    if (this.sender.busy) throw errors.error(StatusCode.EAGAIN, 'uv_udp_try_send');
    const socket = this.ensureSocket(this.destinationFamily(parsed), false);
    const pending = this.receiver.takeSocketError();
    if (pending !== null) throw pending;
    const refusal = this.refusal(parsed);
    if (refusal !== 0) throw errors.error(refusal, 'uv_udp_try_send');
    // A datagram Node had to queue (the kernel's buffer was full) still goes
    // out, later: libuv would have said EAGAIN (docs/deviations.md U3).
    const outcome = sendNow(socket, parsed.buffers, this.nodeDestination(parsed), ignore);
    if (outcome.sync && outcome.error !== null)
      throw errors.fromNode(outcome.error, 'uv_udp_try_send');
    return byteLength(parsed.buffers);
  }

  /**
   * Sorts out the two forms of `send()`/`trySend()` (`ip, port, data,
   * callback` or `data, callback`: a number second means the first) and
   * libuv's checks on them. Plain parameters rather than a rest array: this
   * runs for every datagram.
   */
  private sendArguments(
    first: unknown,
    second: unknown,
    third: unknown,
    fourth: unknown,
    syscall: string,
  ): SendArguments<this> {
    const errors = this.loop.errors;
    let destination: SendArguments<this>['destination'] = null;
    let data = first;
    let callback = second;
    if (typeof second === 'number') {
      // Parsing an address is the dearest part of a send; a program usually
      // sends to the same one again.
      if (
        first !== this.lastDestination ||
        !Number.isInteger(second) ||
        second < 0 ||
        second > 65535
      )
        this.lastFamily = checkAddress(first, second, syscall, errors);
      this.lastDestination = first as string;
      destination = { ip: first as string, port: second };
      data = third;
      callback = fourth;
    }
    const buffers = toBuffers(data, syscall);
    if (callback !== undefined && callback !== null) requireFunction(callback, 'send callback');
    if (destination !== null && this.peer !== null) throw errors.error(StatusCode.EISCONN, syscall);
    if (destination === null && this.peer === null)
      throw errors.error(StatusCode.EDESTADDRREQ, syscall);
    return { destination, buffers, callback: (callback as UDPSendCallback<this>) ?? null };
  }

  /** The family an implicit bind for this send uses: the destination's. */
  private destinationFamily(parsed: SendArguments<this>): UDPFamily {
    return parsed.destination !== null ? this.lastFamily : 'IPv4';
  }

  /** Where Node sends the datagram (see platform/dgram.ts, `nodeAddress`); `null` for the peer. */
  private nodeDestination(parsed: SendArguments<this>): Destination | null {
    const target = parsed.destination;
    if (target === null) return null;
    return { ip: nodeAddress(this.socketFamily as UDPFamily, target.ip), port: target.port };
  }

  /** The kernel's answer to a destination Node would refuse otherwise (see `UDPSendRequest.refusal`). */
  private refusal(parsed: SendArguments<this>): number {
    const target = parsed.destination;
    if (target === null) return 0;
    if (this.socketFamily === 'IPv4' && this.lastFamily === 'IPv6') return StatusCode.EAFNOSUPPORT;
    if (target.port === 0) return StatusCode.EINVAL;
    return 0;
  }

  // ------------------------------------------------------------------ receiving

  /** True while the handle receives. */
  get receiving(): boolean {
    return this.receiver.receiving;
  }

  /**
   * Starts receiving (`uv_udp_recv_start`). `callback(handle, address,
   * flags, data, error)` runs for each datagram (a zero-length one has an
   * empty buffer), and once after each batch with `null` address and data
   * and no error: libuv's "nothing more to read" call, which pyuv hides
   * and uvts passes on, as libuv and luv do. `bufferSize` is the receive
   * buffer libuv's `alloc_cb` would give: a longer datagram is truncated
   * and flagged `UDP.PARTIAL`; 0 makes every read fail with ENOBUFS.
   * Throws EALREADY while receiving. A handle without a socket is bound to
   * 0.0.0.0, port 0.
   */
  startRecv(callback: RecvCallback<this>, bufferSize = SUGGESTED_SIZE): void {
    this.assertOpen('startRecv');
    requireFunction(callback, 'receive callback');
    if (typeof bufferSize !== 'number') throw new TypeError('bufferSize must be a number');
    if (!Number.isInteger(bufferSize) || bufferSize < 0)
      throw this.loop.errors.error(StatusCode.EINVAL, 'uv_udp_recv_start');
    if (this.receiver.receiving)
      throw this.loop.errors.error(StatusCode.EALREADY, 'uv_udp_recv_start');
    this.ensureSocket('IPv4', false);
    this.receiver.start(callback as unknown as RecvCallback<UDP>, bufferSize);
    this.activate();
  }

  /** Stops receiving (`uv_udp_recv_stop`); datagrams that arrive meanwhile wait for the next `startRecv()`. */
  stopRecv(): void {
    this.assertOpen('stopRecv');
    this.receiver.stop();
    if (!this.sender.writing) this.deactivate();
  }

  // ------------------------------------------------------------------ options

  /** Sets the unicast TTL (`uv_udp_set_ttl`): 1..255, else EINVAL; EBADF without a socket. */
  setTtl(ttl: number): void {
    this.assertOpen('setTtl');
    this.options.set(this.watcher.current, this.requestedFamily !== null, 'ttl', ttl);
  }

  /** Sets the multicast TTL (`uv_udp_set_multicast_ttl`): 0..255, else EINVAL; EBADF without a socket. */
  setMulticastTtl(ttl: number): void {
    this.assertOpen('setMulticastTtl');
    this.options.set(this.watcher.current, this.requestedFamily !== null, 'multicastTtl', ttl);
  }

  /** Enables or disables SO_BROADCAST (`uv_udp_set_broadcast`); EBADF without a socket. */
  setBroadcast(on: boolean): void {
    this.assertOpen('setBroadcast');
    this.options.set(this.watcher.current, this.requestedFamily !== null, 'broadcast', on);
  }

  /** Whether multicast datagrams loop back to local sockets (`uv_udp_set_multicast_loop`); EBADF without a socket. */
  setMulticastLoop(on: boolean): void {
    this.assertOpen('setMulticastLoop');
    this.options.set(this.watcher.current, this.requestedFamily !== null, 'multicastLoop', on);
  }

  /**
   * The interface multicast datagrams leave by (`uv_udp_set_multicast_interface`):
   * an address of that interface, or `null` for the default. EINVAL for
   * something that is not an address; EBADF without a socket.
   */
  setMulticastInterface(interfaceAddress: string | null): void {
    this.assertOpen('setMulticastInterface');
    this.options.set(
      this.watcher.current,
      this.requestedFamily !== null,
      'multicastInterface',
      interfaceAddress,
      this.family,
    );
  }

  /**
   * Joins or leaves a multicast group (`uv_udp_set_membership`):
   * `membership` is `UDP.JOIN_GROUP` or `UDP.LEAVE_GROUP`; `interfaceAddress`
   * the local interface, or `null` for the default one. A handle without a
   * socket is bound first (unspecified address, port 0, REUSEADDR).
   */
  setMembership(
    multicastAddress: string,
    interfaceAddress: string | null,
    membership: Membership,
  ): void {
    this.assertOpen('setMembership');
    const family = this.options.groupFamily(multicastAddress, 'uv_udp_set_membership');
    const socket = this.ensureSocket(family, true);
    this.options.membership(socket, multicastAddress, interfaceAddress, null, membership);
  }

  /**
   * Joins or leaves a source-specific multicast group
   * (`uv_udp_set_source_membership`): datagrams of `multicastAddress` sent
   * by `sourceAddress` only. Like {@link setMembership} otherwise.
   */
  setSourceMembership(
    multicastAddress: string,
    interfaceAddress: string | null,
    sourceAddress: string,
    membership: Membership,
  ): void {
    this.assertOpen('setSourceMembership');
    const family = this.options.groupFamily(multicastAddress, 'uv_udp_set_source_membership');
    const socket = this.ensureSocket(family, true);
    this.options.membership(socket, multicastAddress, interfaceAddress, sourceAddress, membership);
  }

  /** SO_SNDBUF (`uv_send_buffer_size`; Linux reports twice the size set); EBADF without a socket. */
  get sendBufferSize(): number {
    return this.options.bufferSize(this.socketFor('sendBufferSize'), 'send');
  }

  /** Sets SO_SNDBUF (`uv_send_buffer_size` with a size): a positive integer, else EINVAL; EBADF without a socket. */
  set sendBufferSize(size: number) {
    this.options.setBufferSize(this.socketFor('sendBufferSize'), 'send', size);
  }

  /** SO_RCVBUF (`uv_recv_buffer_size`; Linux reports twice the size set); EBADF without a socket. */
  get receiveBufferSize(): number {
    return this.options.bufferSize(this.socketFor('receiveBufferSize'), 'receive');
  }

  /** Sets SO_RCVBUF (`uv_recv_buffer_size` with a size): a positive integer, else EINVAL; EBADF without a socket. */
  set receiveBufferSize(size: number) {
    const socket = this.socketFor('receiveBufferSize');
    this.options.setBufferSize(socket, 'receive', size);
    this.receiver.capacity = socket.getRecvBufferSize();
  }

  private socketFor(operation: string): dgram.Socket {
    this.assertOpen(operation, StatusCode.EBADF);
    const socket = this.watcher.current;
    if (socket === null) throw this.loop.errors.error(StatusCode.EBADF, `uv_${operation}`);
    return socket;
  }

  // ------------------------------------------------------------------ the sender's and receiver's host

  /** @internal Takes the socket's pending error (udp-receiver.ts). */
  takeSocketError(): UVError | null {
    return this.receiver.takeSocketError();
  }

  /** @internal `uv__handle_start` / `uv__handle_stop`, for the sender. */
  setActive(active: boolean): void {
    if (active) this.activate();
    else this.deactivate();
  }

  // ------------------------------------------------------------------ close

  /** Stops receiving and releases the socket at once (`uv_close`, rule 8.8). */
  protected closeResources(): void {
    this.receiver.clear();
    this.watcher.unfeed();
    this.watcher.detach()?.close();
  }

  /** In CLOSING: every send request is called back, in order (rule 8.8). */
  protected override afterClose(): void {
    this.sender.cancelAll();
  }
}

function ignore(): void {}
