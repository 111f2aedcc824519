/**
 * `Stream`: the duplex byte stream that TCP, Pipe and TTY share
 * (`uv_stream_t`), over a Node `net.Socket` and, for servers, a `net.Server`.
 *
 * Made of parts, each in its own file: the watcher of the connection
 * (loop/node-watcher.ts, libuv's `io_watcher`), the read side
 * (stream-reader.ts), the write side (stream-writer.ts, with
 * write-pump.ts), the connect side (stream-connector.ts), the descriptor
 * (stream-descriptor.ts) and, once it listens, the listening side
 * (stream-acceptor.ts, one connection at a time, rule 7.22). This file
 * holds the public API and ties the parts together; TCP, Pipe and TTY add
 * how their kind of socket is made. Node objects are always unref'd: the
 * loop holds the process exactly while it is alive (poller.ts).
 *
 * @module
 */
import net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { requireCInt, requireFunction, type WriteData } from '../errors/internal.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import type { Bivariant } from '../loop/types.js';
import type {
  ConnectRequest,
  ShutdownRequest,
  StreamRequestCallback,
  WriteRequest,
} from '../requests/stream-requests.js';
import { Handle } from './handle.js';
import { Acceptor } from './stream-acceptor.js';
import { StreamConnector } from './stream-connector.js';
import { StreamDescriptor } from './stream-descriptor.js';
import { StreamReader, type ReadCallback } from './stream-reader.js';
import { StreamWriter } from './stream-writer.js';

export type { ReadCallback };

/** A connection callback on a listening stream: call `accept()` inside it. */
export type ConnectionCallback<S> = Bivariant<(server: S, error: UVError | null) => void>;

/** The base class of TCP, Pipe and TTY (`uv_stream_t`). */
export abstract class Stream extends Handle {
  /** @internal The watcher of the connection's Node socket; also the stream's pending-queue entry. */
  protected readonly connection = new NodeWatcher<net.Socket>(this.loop, () => this.onPending());
  /** @internal The listening side, once the stream listens. */
  protected acceptor: Acceptor<this> | null = null;

  private readonly reader = new StreamReader<this>(this.loop, this, this.connection, {
    started: () => this.activate(),
    stopped: () => {
      if (this.acceptor === null) this.deactivate();
    },
    failed: () => {
      this.writer.writable = false;
    },
    connectError: (socket, error) => this.connector.nodeError(socket, error),
    lost: () => this.writer.connectionLost(),
    // Once both directions are closed, the kernel drops a connection as it
    // drops a reset one: only a stream that has not shut down can tell.
    resetAtEnd: () => !this.writer.isShut && this.connectionReset(),
    eofWithData: () => this.eofWithData(),
  });
  private readonly writer = new StreamWriter<this>(this.loop, this, this.connection, {
    connecting: () => this.connectRequest !== null,
    descriptor: () => this.descriptor.forIO(),
    writeFailed: (socket, cause) => this.reader.rescue(socket, this.descriptor.ifFound(), cause),
    connectionReset: () => this.connectionReset(),
  });
  private readonly descriptor = new StreamDescriptor(this.connection, () => this.findDescriptor());
  private readonly connector = new StreamConnector<this>(this.loop, this, this.connection, {
    connected: () => this.writer.connectDone(),
    failed: () => this.writer.connectFailed(),
  });

  /** True if the stream can be read from (`uv_is_readable`). */
  get readable(): boolean {
    return this.reader.readable;
  }

  /** True if the stream can be written to (`uv_is_writable`). */
  get writable(): boolean {
    return this.writer.writable;
  }

  /** Bytes accepted by `write()` and not yet handed to the kernel (`uv_stream_get_write_queue_size`). */
  get writeQueueSize(): number {
    return this.writer.queueSize;
  }

  /** @internal The descriptor the stream was made from (`open()`, a TTY), if any. */
  protected get knownFd(): number | null {
    return this.descriptor.known;
  }

  protected set knownFd(fd: number | null) {
    this.descriptor.known = fd;
  }

  /** @internal A connect in progress. */
  protected get connectRequest(): ConnectRequest<this> | null {
    return this.connector.request;
  }

  protected set connectRequest(request: ConnectRequest<this> | null) {
    this.connector.request = request;
  }

  /** @internal The connected Node socket, if any. */
  protected get socket(): net.Socket | null {
    return this.connection.current;
  }

  /**
   * The stream's file descriptor (`uv_fileno`). Throws EBADF while the
   * stream has none (nothing connected, bound, listening or opened) and
   * once it is closed. uvts knows the descriptor of a stream made from
   * one (`open(fd)`, a `TTY`) and can find that of a TCP socket; Node
   * reveals no descriptor of the other sockets it creates, so for those
   * this throws ENOTSUP (docs/deviations.md).
   */
  fileno(): number {
    this.assertOpen('fileno', StatusCode.EBADF);
    return this.descriptor.fileno(this.hasDescriptor(), this.loop.errors);
  }

  /** @internal What a child inherits for `StdIO.INHERIT_STREAM` (see `StreamDescriptor.inheritable`). */
  inheritable(): number | net.Socket {
    return this.descriptor.inheritable(this.loop.errors);
  }

  /**
   * @internal Whether this stream's descriptor is `fd` and the loop watches
   * it (libuv's io watcher is started): while the stream reads, listens or
   * connects. `Poll` refuses such a descriptor with EEXIST (rule 8.22).
   */
  watchesDescriptor(fd: number): boolean {
    if (this.closing) return false;
    if (!this.reader.reading && this.acceptor === null && this.connectRequest === null)
      return false;
    try {
      return this.fileno() === fd;
    } catch {
      return false;
    }
  }

  /** @internal The descriptor of the socket Node made, if the type can find it (TCP can). */
  protected findDescriptor(): number | null {
    return null;
  }

  /**
   * @internal Whether the kernel has dropped the connection though Node
   * has not noticed (TCP can tell: a reset nobody read). `false` when the
   * type cannot tell.
   */
  protected connectionReset(): boolean {
    return false;
  }

  // ------------------------------------------------------------------ reading

  /**
   * Starts reading (`uv_read_start`): `callback` receives each chunk, and at
   * the end `(handle, null, UVError EOF)`. Throws EALREADY if already
   * reading, ENOTCONN if the stream is not readable.
   */
  startRead(callback: ReadCallback<this>): void {
    this.assertOpen('startRead');
    requireFunction(callback, 'read callback');
    this.reader.start(callback);
  }

  /** Stops reading (`uv_read_stop`); a no-op if not reading. Takes effect at once. */
  stopRead(): void {
    this.assertOpen('stopRead');
    this.reader.stop();
  }

  /**
   * Whether EOF comes in the same POLL as the data before it: only where
   * the profile says so (`eofWithHangup`, 1.44), and only when the event
   * carries a hang-up (rule 7.7). A TCP socket hangs up when both
   * directions are shut: the peer's FIN has arrived and our own shutdown
   * is done. Pipes may know better.
   */
  protected eofWithData(): boolean {
    return this.loop.behaviour.eofWithHangup && this.writer.isShut;
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes `data` (`uv_write`); `callback(handle, error)` runs once the bytes
   * are with the kernel — never from inside this call. Throws EBADF if the
   * stream has no connection, EPIPE after `shutdown()` or a read error.
   */
  write(data: WriteData, callback?: StreamRequestCallback<this>): WriteRequest<this> {
    this.assertOpen('write', StatusCode.EBADF);
    return this.writer.write(data, callback, this.hasDescriptor());
  }

  /** Writes each element of `sequence` in order as one request (pyuv's `writelines`). */
  writelines(
    sequence: Iterable<string | Uint8Array>,
    callback?: StreamRequestCallback<this>,
  ): WriteRequest<this> {
    if (sequence === null || typeof sequence !== 'object' || !(Symbol.iterator in sequence)) {
      throw new TypeError('writelines() needs an iterable of strings or buffers');
    }
    return this.write([...sequence], callback);
  }

  /**
   * Writes what the kernel takes right now, without queueing
   * (`uv_try_write`); returns the number of bytes written. Throws EAGAIN
   * while a connect or earlier writes are pending.
   */
  tryWrite(data: WriteData): number {
    this.assertOpen('tryWrite', StatusCode.EBADF);
    return this.writer.tryWrite(data, this.hasDescriptor());
  }

  /**
   * Shuts the write side down once queued writes are done (`uv_shutdown`).
   * Throws ENOTCONN if the stream is not writable, already shut down or
   * shutting down.
   */
  shutdown(callback?: StreamRequestCallback<this>): ShutdownRequest<this> {
    this.assertOpen('shutdown', StatusCode.ENOTCONN);
    return this.writer.shutdown(callback);
  }

  /** True while a shutdown has been requested and its callback has not run (libuv's SHUTTING). */
  protected get shutdownPending(): boolean {
    return this.writer.shutdownPending;
  }

  // ------------------------------------------------------------------ listen and accept

  /**
   * Starts listening (`uv_listen`): `callback(server, error)` runs for each
   * incoming connection; call `accept()` in it. Until the connection is
   * accepted no further connection callback runs (rule 7.22).
   */
  listen(callback: ConnectionCallback<this>, backlog = 511): void {
    this.assertOpen('listen');
    requireFunction(callback, 'connection callback');
    requireCInt(backlog, 'backlog', 'uv_listen');
    // A connection (connecting, connected or accepted) cannot listen: the
    // kernel's listen() refuses it with EINVAL.
    if (this.socket !== null) throw this.loop.errors.error(StatusCode.EINVAL, 'uv_listen');
    if (this.acceptor === null) this.startListening(backlog);
    const acceptor = this.acceptor as Acceptor<this> | null;
    if (acceptor === null) throw new Error('uvts internal error: startListening() did not listen');
    acceptor.callback = callback;
    this.activate();
    // A listen() on a listening server resumes watching it (uv_listen).
    acceptor.resume();
  }

  /**
   * Accepts the announced connection into `client` (`uv_accept`): call it
   * from the connection callback. Throws EAGAIN when there is none.
   */
  accept(client: Stream): void {
    this.assertOpen('accept');
    if (!(client instanceof Stream)) throw new TypeError('accept() needs a stream handle');
    if (client.closing) throw this.loop.errors.error(StatusCode.EINVAL, 'uv_accept');
    const acceptor = this.acceptor;
    const socket = acceptor?.take();
    if (acceptor === null || socket === undefined)
      throw this.loop.errors.error(StatusCode.EAGAIN, 'uv_accept');
    if (client.hasDescriptor()) {
      // uv__stream_open refuses a client that already has a socket; the
      // connection is lost (see stream-acceptor.ts for what follows).
      acceptor.refused(socket);
      throw this.loop.errors.error(StatusCode.EBUSY, 'uv_accept');
    }
    client.adoptSocket(socket, true, true);
    acceptor.accepted();
  }

  /**
   * @internal What `write2()` sends for this stream: its connection, or
   * its listening server. EBADF when it has neither, as libuv answers for
   * a handle without a descriptor.
   */
  travelling(): net.Socket | net.Server {
    const object = this.socket ?? this.server;
    if (object === null || this.closing)
      throw this.loop.errors.error(StatusCode.EBADF, 'uv_write2');
    return object;
  }

  /**
   * @internal Takes a handle that came over an IPC pipe (`accept()` of a
   * pending handle): a connection becomes this stream's connection, a
   * listening server its listening side, which `listen()` then watches.
   * EBUSY if the stream has a descriptor already.
   */
  adoptTravelled(object: net.Socket | net.Server): void {
    if (this.hasDescriptor()) throw this.loop.errors.error(StatusCode.EBUSY, 'uv_accept');
    if (object instanceof net.Server) {
      this.acceptor = Acceptor.adopt(this.loop, this, object);
      return;
    }
    (object as net.Socket & { allowHalfOpen: boolean }).allowHalfOpen = true;
    this.adoptSocket(object, true, true);
  }

  /**
   * Whether libuv would have a file descriptor for this stream: a
   * connection (even one still connecting or already failed) or a listening
   * server. Subclasses add their own cases (a TCP handle created with a
   * family has its socket from the start, like `uv_tcp_init_ex`).
   */
  protected hasDescriptor(): boolean {
    return this.socket !== null || this.acceptor !== null;
  }

  /** @internal The listening Node server, if any. */
  protected get server(): net.Server | null {
    return this.acceptor?.server ?? null;
  }

  /** Creates and starts the Node server; each type knows how to listen (see `listenOn`). */
  protected abstract startListening(backlog: number): void;

  /**
   * @internal Listens with `options` (see `Acceptor.listen`); false when
   * the bind or listen failed, which the caller reports.
   */
  protected listenOn(options: net.ListenOptions): boolean {
    this.acceptor = Acceptor.listen(this.loop, this, options);
    return this.acceptor !== null;
  }

  // ------------------------------------------------------------------ the connection

  /**
   * @internal Makes `socket` this stream's connection: pauses it, attaches
   * it to the connection's watcher, and routes its events into
   * completions. `readable`/`writable` set the stream flags (rule 7.1).
   */
  protected adoptSocket(socket: net.Socket, readable: boolean, writable: boolean): void {
    const connection = this.connection;
    connection.attach(socket);
    socket.pause();
    this.reader.readable ||= readable;
    this.writer.writable ||= writable;
    this.reader.watch(socket);
  }

  /** @internal Adopts the socket Node made for the descriptor `fd` (`open()`, a TTY). */
  protected adoptFd(fd: number, socket: net.Socket, readable: boolean, writable: boolean): void {
    this.adoptSocket(socket, readable, writable);
    this.knownFd = fd;
  }

  /**
   * @internal Connects a new socket with `options` (`uv_tcp_connect`,
   * `uv_pipe_connect`): the callback runs in POLL once connected or failed.
   */
  protected connectTo(
    options: net.NetConnectOpts,
    callback: StreamRequestCallback<this> | undefined,
  ): ConnectRequest<this> {
    const socket = new net.Socket({ allowHalfOpen: true });
    this.adoptSocket(socket, true, true);
    return this.connector.start(socket, options, callback);
  }

  /**
   * @internal The PENDING phase's entry (after the connection watcher was
   * fed): finished writes and a due shutdown. Pipe adds its connect errors.
   */
  protected onPending(): void {
    if (!this.closing) this.writer.runCallbacks();
  }

  // ------------------------------------------------------------------ close

  /**
   * Releases the Node objects at once (`uv_close` on a stream, rule 6.1).
   * Like `uv__stream_close`, this also clears READABLE and WRITABLE, so
   * `readable`/`writable` are false from `close()` on (libuv's
   * readable_on_eof test checks it).
   */
  protected closeResources(): void {
    this.reader.clear();
    this.writer.writable = false;
    this.connection.unfeed();
    const socket = this.connection.detach();
    if (socket !== null) this.releaseSocket(socket);
    this.acceptor?.close();
  }

  /**
   * Lets go of the connection when the stream closes: destroys it. TCP's
   * `closeReset()` resets it instead; a raw TTY in profile 1.44 keeps it.
   */
  protected releaseSocket(socket: net.Socket): void {
    socket.destroy();
  }

  /**
   * In CLOSING, before the close callback: the pending connect, then the
   * writes (finished ones with their status, the rest with ECANCELED), then
   * the shutdown, all in order (rule 6.5).
   */
  protected override afterClose(): void {
    this.connector.cancel();
    this.writer.cancelAll();
  }
}
