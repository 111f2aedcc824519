/**
 * `Pipe` (`uv_pipe_t`): a Unix domain socket stream or server over
 * `node:net`, or a stream over an inherited pipe/socket fd.
 *
 * Binding: Node binds and listens in one step, so `bind()` checks now what
 * the kernel's `bind()` would reject — an existing path (EADDRINUSE), a
 * missing directory (EACCES: libuv turns ENOENT into EACCES, rule 7.27) —
 * records the path, and reserves it against other uvts pipes of this
 * process; `listen()` creates the socket file, synchronously (unix-path
 * listens are synchronous in Node, docs/node.md Q2). Until then the path
 * does not exist, so a client connecting to a bound pipe that is not
 * listening yet gets ENOENT where libuv gives ECONNREFUSED
 * (docs/deviations.md). Closing a listening pipe removes its socket file,
 * as libuv does (Node's `server.close()` unlinks it synchronously).
 *
 * Connecting: `connect()` never throws for an unreachable path (rule 7.26).
 * Failures that a `stat()` shows — no such path (ENOENT, ENOTDIR), not a
 * socket (ECONNREFUSED), an empty name or a NUL inside it — are delivered
 * at the next pending batch, exactly where libuv delivers its immediate
 * connect errors; failures only the kernel sees (a stale socket file:
 * ECONNREFUSED) come from Node and reach the callback in POLL
 * (docs/deviations.md).
 *
 * Names: Node does not expose the names of Unix sockets, so they are
 * tracked here: a bound or listening pipe and the connections it accepted
 * are named by its path; a client's own name is `''` and its peer is the
 * path it connected to, as libuv reports for unnamed client sockets.
 *
 * IPC: an `ipc` pipe refuses `listen()` with EINVAL, as libuv does. It
 * passes handles (`write2`, `pendingCount`, `pendingType`, `accept`) when
 * it is the IPC channel between a uvts parent and the uvts child it
 * spawned: the parent's `StdIO.CREATE_PIPE` container of an `ipc` pipe,
 * and the child's `open(fd)` of the channel's descriptor (pipe-ipc.ts has
 * how). Any other `ipc` pipe is a plain pipe.
 *
 * @module
 */
import { constants } from 'node:fs';
import type dgram from 'node:dgram';
import type net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { requireFd, requireFunction, toBuffers, type WriteData } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import { describeFd, openFdSocket } from '../platform/fd.js';
import {
  addModeBits,
  bindError,
  checkName,
  connectError,
  releaseName,
  reserveName,
  truncatePipeName,
} from '../platform/pipe-paths.js';
import {
  ConnectRequest,
  type StreamRequestCallback,
  type WriteRequest,
} from '../requests/stream-requests.js';
import { IpcStream, ownChannelAt, type PendingType } from './pipe-ipc.js';
import { Stream } from './stream.js';
import { UDP } from './udp.js';

/** How the pipe came by its connection, for `getsockname()`/`getpeername()`. */
type Origin =
  | { kind: 'connect'; peer: string }
  | { kind: 'accept'; local: string }
  | { kind: 'open'; socket: boolean };

/** A pipe handle (`uv_pipe_t`). */
export class Pipe extends Stream {
  /** Always `'pipe'`. */
  readonly type = 'pipe';

  /** For {@link Pipe.chmod}: everyone may read (`UV_READABLE`). */
  static readonly READABLE = 1;
  /** For {@link Pipe.chmod}: everyone may write (`UV_WRITABLE`). */
  static readonly WRITABLE = 2;

  private readonly ipcPipe: boolean;
  private boundName: string | null = null;
  private reservation: string | null = null;
  private origin: Origin | null = null;
  private failedConnect: UVError | null = null;
  /** libuv made a socket for a connect that failed at once; it stays until close. */
  private connectSocketMade = false;
  /** The parent's end of a pipe to a child (`adoptChildEnd`). */
  private childEnd = false;
  /** The IPC channel, when this `ipc` pipe is one (see pipe-ipc.ts). */
  private channel: IpcStream | null = null;
  /** Mode bits `chmod()` asked for before the socket file existed; applied at `listen()`. */
  private deferredModeBits = 0;

  /**
   * Creates a pipe handle (`uv_pipe_init`).
   *
   * @param ipc Marks the pipe for handle passing. Handle passing is not
   *   implemented yet: an IPC pipe cannot `listen()` (EINVAL, as in libuv)
   *   and otherwise works as a plain pipe.
   */
  constructor(loop?: Loop, ipc = false) {
    if (typeof ipc !== 'boolean') throw new TypeError('ipc must be a boolean');
    super(loop);
    this.ipcPipe = ipc;
  }

  /** Whether the pipe was created for IPC (`uv_pipe_t.ipc`). */
  get ipc(): boolean {
    return this.ipcPipe;
  }

  /**
   * Binds the pipe to a socket path (`uv_pipe_bind`); a leading `'\0'`
   * names a Linux abstract socket. Throws EINVAL if the pipe is already
   * bound, connected or closing, or for an empty name or one with a NUL
   * inside; EADDRINUSE if the path exists; EACCES if its directory does not
   * exist or cannot be written. The socket file appears at `listen()`. A
   * name longer than the kernel takes is cut as libuv cuts it (107 bytes in
   * profile 1.44, 108 in 1.52), and the pipe is named by the cut name.
   */
  bind(name: string): void {
    this.assertOpen('bind');
    const errors = this.loop.errors;
    checkName(name, 'uv_pipe_bind', errors);
    name = truncatePipeName(name, this.loop.behaviour.pipeNameBytes);
    if (name === '' || this.boundName !== null || this.socket !== null || this.server !== null)
      throw errors.error(StatusCode.EINVAL, 'uv_pipe_bind');
    const error = bindError(name, errors);
    if (error !== null) throw error;
    this.reservation = reserveName(name);
    this.boundName = name;
  }

  /**
   * Connects to the socket at `name` (`uv_pipe_connect`);
   * `callback(handle, error)` runs once connected or failed. Every failure
   * to reach the socket (ENOENT, ECONNREFUSED, EACCES…) goes to the
   * callback; only misuse throws: EALREADY while connecting, EISCONN once
   * connected, EINVAL on a listening pipe. A long name is cut as `bind()`
   * cuts it, so a pipe bound by a long name is reached by the same name.
   */
  connect(name: string, callback?: StreamRequestCallback<this>): ConnectRequest<this> {
    this.assertOpen('connect');
    if (typeof name !== 'string') throw new TypeError(`name must be a string, got ${typeof name}`);
    if (callback !== undefined) requireFunction(callback, 'connect callback');
    const errors = this.loop.errors;
    name = truncatePipeName(name, this.loop.behaviour.pipeNameBytes);
    if (this.connectRequest !== null) throw errors.error(StatusCode.EALREADY, 'uv_pipe_connect');
    if (this.socket !== null) throw errors.error(StatusCode.EISCONN, 'uv_pipe_connect');
    if (this.server !== null) throw errors.error(StatusCode.EINVAL, 'uv_pipe_connect');
    this.release();
    // An empty name: libuv 1.46+ rejects it (EINVAL), 1.44 lets connect() refuse it.
    const failure =
      name === ''
        ? errors.error(
            this.loop.behaviour.emptyPipeNameInvalid ? StatusCode.EINVAL : StatusCode.ECONNREFUSED,
            'uv_pipe_connect',
          )
        : connectError(name, errors);
    if (failure !== null) {
      // libuv feeds the handle to the pending queue: the callback runs at
      // the next pending batch, and the stream stays neither readable nor
      // writable.
      const request = new ConnectRequest(this.loop, this, callback ?? null);
      this.connectRequest = request;
      this.failedConnect = failure;
      this.connectSocketMade = true;
      this.connection.feed();
      return request;
    }
    this.origin = { kind: 'connect', peer: name };
    return this.connectTo({ path: name }, callback);
  }

  /**
   * Opens an existing pipe, socket or terminal fd as this pipe
   * (`uv_pipe_open`); it is readable unless opened write-only and writable
   * unless opened read-only. Throws EBADF for an fd that is not open,
   * EINVAL for one Node cannot stream (a regular file, `/dev/null`; libuv
   * would accept it and fail later), EBUSY if the pipe already has one.
   */
  open(fd: number): void {
    this.assertOpen('open');
    requireFd(fd);
    const errors = this.loop.errors;
    if (this.socket !== null || this.server !== null || this.boundName !== null)
      throw errors.error(StatusCode.EBUSY, 'uv_pipe_open');
    const endpoint = this.ipcPipe ? ownChannelAt(fd) : null;
    if (endpoint !== null) {
      // This process's IPC channel: Node reads it itself, uvts through its messages.
      this.adoptChannel(new IpcStream(endpoint));
      this.knownFd = fd;
      return;
    }
    const info = describeFd(fd);
    if (info === null) throw errors.error(StatusCode.EBADF, 'uv_pipe_open');
    if (info.kind === 'other') throw errors.error(StatusCode.EINVAL, 'uv_pipe_open');
    const socket = openFdSocket(fd, info, 'uv_pipe_open', errors);
    this.adoptFd(fd, socket, info.readable, info.writable);
    this.origin = { kind: 'open', socket: info.socket };
  }

  /**
   * @internal Makes `socket`, the parent's end of a pipe Node created for a
   * child (`StdIO.CREATE_PIPE`), this pipe's connection, usable the ways
   * the container's flags say (rule 8.17).
   */
  adoptChildEnd(socket: net.Socket, readable: boolean, writable: boolean): void {
    this.adoptSocket(socket, readable, writable);
    this.origin = { kind: 'open', socket: true };
    this.childEnd = true;
  }

  /** @internal Makes `channel` this `ipc` pipe's connection (a child's IPC channel, from `Process`). */
  adoptChannel(channel: IpcStream): void {
    this.channel = channel;
    this.adoptSocket(channel as unknown as net.Socket, true, true);
    this.origin = { kind: 'open', socket: true };
  }

  /**
   * Writes `data` and sends `handle` with it (`uv_write2`): a TCP or Pipe
   * handle that is connected or listening, or a UDP handle that has a
   * socket. The other side finds it in its `pendingCount` when it reads
   * the data, and takes it with `accept()`; this side keeps its handle.
   * Throws EBADF for a pipe without a connection, EPIPE after a shutdown,
   * EINVAL for a pipe that is not an `ipc` pipe, ENOTSUP for an `ipc` pipe
   * that is not uvts's channel to a child or parent (docs/deviations.md,
   * I1) and for other handle types (a TTY), EBADF for a handle without a
   * connection, server or socket.
   */
  write2(
    data: WriteData,
    handle: Stream | UDP,
    callback?: StreamRequestCallback<this>,
  ): WriteRequest<this> {
    this.assertOpen('write2', StatusCode.EBADF);
    if (!(handle instanceof Stream) && !(handle instanceof UDP))
      throw new TypeError('write2() sends a TCP, Pipe or UDP handle');
    if (callback !== undefined) requireFunction(callback, 'write callback');
    const errors = this.loop.errors;
    // libuv's order of checks (uv_write2): the pipe's descriptor, then
    // whether it may send handles, then the handle's descriptor.
    if (!this.hasDescriptor()) throw errors.error(StatusCode.EBADF, 'uv_write2');
    if (!this.writable) throw errors.error(StatusCode.EPIPE, 'uv_write2');
    if (!this.ipcPipe) throw errors.error(StatusCode.EINVAL, 'uv_write2');
    const channel = this.channel;
    // An IPC pipe over anything but uvts's own channel (docs/deviations.md, I1).
    if (channel === null) throw errors.error(StatusCode.ENOTSUP, 'uv_write2');
    if (handle.type !== 'tcp' && handle.type !== 'pipe' && handle.type !== 'udp')
      throw errors.error(StatusCode.ENOTSUP, 'uv_write2');
    const object = handle.travelling();
    const buffers = toBuffers(data, 'uv_write2');
    channel.attach(buffers[0] as Buffer, { type: handle.type, object });
    return this.write(buffers, callback);
  }

  /** How many received handles wait for `accept()` (`uv_pipe_pending_count`). */
  get pendingCount(): number {
    return this.channel?.pending.length ?? 0;
  }

  /**
   * The type of the next handle `accept()` takes (`uv_pipe_pending_type`):
   * `'tcp'`, `'pipe'` or `'udp'`; `'unknown'` when none waits.
   */
  get pendingType(): PendingType | 'unknown' {
    return this.channel?.pending[0]?.type ?? 'unknown';
  }

  /**
   * A child's end of a socketpair is closed when the child exits, and a
   * closed peer hangs the pair up at once (the kernel marks our end shut
   * both ways), so its EOF carries a hang-up whatever we did (rule 7.7).
   */
  protected override eofWithData(): boolean {
    return this.childEnd ? this.loop.behaviour.eofWithHangup : super.eofWithData();
  }

  /**
   * The pipe's own name (`uv_pipe_getsockname`): the bound path of a
   * server and of the connections it accepted, `''` for a client. Throws
   * EBADF before bind/connect/open and after close, ENOTSOCK for an opened
   * fd that is not a socket.
   */
  getsockname(): string {
    this.assertOpen('getsockname', StatusCode.EBADF);
    if (this.boundName !== null) return this.boundName;
    const origin = this.origin;
    if (origin?.kind === 'accept') return origin.local;
    if (origin?.kind === 'open' && !origin.socket)
      throw this.loop.errors.error(StatusCode.ENOTSOCK, 'uv_pipe_getsockname');
    // A client's socket has no name, also after its connect failed.
    if (this.socket !== null || this.connectRequest !== null || this.connectSocketMade) return '';
    throw this.loop.errors.error(StatusCode.EBADF, 'uv_pipe_getsockname');
  }

  /**
   * The peer's name (`uv_pipe_getpeername`): the path a client connected
   * to (from the moment it starts connecting), `''` for an accepted
   * connection. Throws ENOTCONN for a bound or listening pipe and after a
   * failed connect, EBADF before bind/connect/open and after close.
   */
  getpeername(): string {
    this.assertOpen('getpeername', StatusCode.EBADF);
    const origin = this.origin;
    if (this.socket !== null && origin !== null) {
      if (origin.kind === 'connect') return origin.peer;
      if (origin.kind === 'open' && !origin.socket)
        throw this.loop.errors.error(StatusCode.ENOTSOCK, 'uv_pipe_getpeername');
      return '';
    }
    if (this.boundName !== null || this.connectRequest !== null || this.connectSocketMade)
      throw this.loop.errors.error(StatusCode.ENOTCONN, 'uv_pipe_getpeername');
    throw this.loop.errors.error(StatusCode.EBADF, 'uv_pipe_getpeername');
  }

  /**
   * Makes the pipe's socket file readable and/or writable by everyone
   * (`uv_pipe_chmod`): `mode` is `Pipe.READABLE`, `Pipe.WRITABLE` or both
   * OR'ed. Bits are only added, never taken away. Throws EBADF for a pipe
   * without a socket (or closed), EINVAL for another `mode`, and what
   * `stat`/`chmod` of the pipe's name say: ENOENT for a client (its socket
   * has no name) or an abstract name, ENOTSOCK for an opened non-socket.
   *
   * A pipe that is bound but not listening has no socket file yet in uvts
   * (docs/deviations.md); the bits are then applied when `listen()`
   * creates it, so nobody sees the file without them.
   */
  chmod(mode: number): void {
    this.assertOpen('chmod', StatusCode.EBADF);
    if (typeof mode !== 'number' || !Number.isInteger(mode))
      throw new TypeError('mode must be Pipe.READABLE, Pipe.WRITABLE or both');
    const errors = this.loop.errors;
    if (!this.hasDescriptor()) throw errors.error(StatusCode.EBADF, 'uv_pipe_chmod');
    const { READABLE, WRITABLE } = Pipe;
    if (mode !== READABLE && mode !== WRITABLE && mode !== (READABLE | WRITABLE))
      throw errors.error(StatusCode.EINVAL, 'uv_pipe_chmod');
    let bits = 0;
    if ((mode & READABLE) !== 0) bits |= constants.S_IRUSR | constants.S_IRGRP | constants.S_IROTH;
    if ((mode & WRITABLE) !== 0) bits |= constants.S_IWUSR | constants.S_IWGRP | constants.S_IWOTH;
    if (this.boundName !== null && this.server === null) {
      this.deferredModeBits |= bits;
      return;
    }
    addModeBits(this.getsockname(), bits, errors);
  }

  /**
   * Sets the number of pending pipe instances of a server
   * (`uv_pipe_pending_instances`). Windows only: on Unix it is accepted
   * and has no effect, as in libuv.
   */
  pendingInstances(count: number): void {
    this.assertOpen('pendingInstances');
    if (typeof count !== 'number' || !Number.isInteger(count))
      throw new TypeError('count must be an integer');
  }

  /**
   * A bound pipe, and one whose connect failed at once, have a socket in
   * libuv (`uv_pipe_bind` and `uv_pipe_connect` create it first), so a
   * write on them is EPIPE rather than EBADF.
   */
  protected override hasDescriptor(): boolean {
    return super.hasDescriptor() || this.boundName !== null || this.connectSocketMade;
  }

  /**
   * Accepts a connection (see `Stream.accept`); an accepted pipe is named
   * by this server's path. On an IPC pipe, takes the next received handle
   * into `client` instead (`uv_accept`): a `TCP`, `Pipe` or `UDP` handle
   * of `pendingType`; EAGAIN when none waits, EINVAL when `client` is not
   * of its type, EBUSY when it has a descriptor already.
   */
  override accept(client: Stream | UDP): void {
    const channel = this.channel;
    if (channel !== null) {
      this.assertOpen('accept');
      if (!(client instanceof Stream) && !(client instanceof UDP))
        throw new TypeError('accept() needs a TCP, Pipe or UDP handle');
      const next = channel.pending[0];
      const errors = this.loop.errors;
      if (next === undefined) throw errors.error(StatusCode.EAGAIN, 'uv_accept');
      if (client.closing || client.type !== next.type)
        throw errors.error(StatusCode.EINVAL, 'uv_accept');
      if (client instanceof UDP) {
        client.adoptTravelled(next.object as dgram.Socket, next);
      } else {
        client.adoptTravelled(next.object as net.Socket | net.Server);
      }
      channel.pending.shift();
      return;
    }
    if (client instanceof UDP) throw new TypeError('accept() on a pipe server needs a Pipe');
    super.accept(client);
    if (client instanceof Pipe) client.origin = { kind: 'accept', local: this.boundName ?? '' };
  }

  /** @internal The pending-queue entry: a connect error found at `connect()`, then writes. */
  protected override onPending(): void {
    const failure = this.failedConnect;
    const request = this.connectRequest;
    if (failure !== null && request !== null && !this.closing) {
      this.failedConnect = null;
      this.connectRequest = null;
      request.finish();
      if (request.callback !== null) this.loop.invoke1(this, 'connect', request.callback, failure);
    }
    super.onPending();
  }

  protected startListening(backlog: number): void {
    const name = this.boundName;
    const errors = this.loop.errors;
    if (this.ipcPipe || name === null || this.socket !== null)
      throw errors.error(StatusCode.EINVAL, 'uv_listen');
    this.release();
    if (!this.listenOn({ path: name, backlog })) {
      // Something took the path since bind(): report what bind() would say now.
      throw bindError(name, errors) ?? errors.error(StatusCode.EADDRINUSE, 'uv_listen');
    }
    if (this.deferredModeBits !== 0) addModeBits(name, this.deferredModeBits, errors);
  }

  /** Releases the Node objects; Node unlinks a listening pipe's socket file. */
  protected override closeResources(): void {
    this.release();
    this.failedConnect = null;
    super.closeResources();
  }

  /** Frees the path reserved by `bind()`, once it is listened on or given up. */
  private release(): void {
    if (this.reservation === null) return;
    releaseName(this.reservation);
    this.reservation = null;
  }
}
