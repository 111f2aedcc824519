/**
 * `Stream`: the duplex byte stream that TCP, Pipe and TTY share
 * (`uv_stream_t`), over a Node `net.Socket` and, for servers, a `net.Server`.
 *
 * The stream is made of parts, each in its own file: the watcher of its
 * connection (loop/node-watcher.ts, libuv's `io_watcher`: the Node socket,
 * unref'd and counted, its events guarded against staleness, rule 6.2, and
 * the stream's pending-queue entry); the read side (stream-reader.ts); the
 * write side (stream-writer.ts); and, once it listens, the listening side
 * (stream-acceptor.ts), which hands out connections one at a time as libuv
 * does (rule 7.22). This file holds the public API and what ties the parts
 * together: the connection, listening and accepting, and closing. TCP,
 * Pipe and TTY add how their kind of socket is made.
 *
 * Liveness: Node objects are always unref'd. The loop holds the process
 * while it waits (poller.ts), which is exactly while it is alive; a ref'd
 * Node socket would instead hold a process whose loop is already dead
 * (a connected stream that is not reading is inactive in libuv).
 *
 * @module
 */
import net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { requireFunction, toBuffers, type WriteData } from '../errors/internal.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import type { Bivariant } from '../loop/types.js';
import {
  ConnectRequest,
  type ShutdownRequest,
  type StreamRequestCallback,
  type WriteRequest,
} from '../requests/stream-requests.js';
import { Handle } from './handle.js';
import { Acceptor } from './stream-acceptor.js';
import { StreamReader, type ReadCallback } from './stream-reader.js';
import { StreamWriter } from './stream-writer.js';

export type { ReadCallback };

/** A connection callback on a listening stream: call `accept()` inside it. */
export type ConnectionCallback<S> = Bivariant<(server: S, error: UVError | null) => void>;

/** A connect callback for connects made without one. */
function noop(): void {}

/** The base class of TCP, Pipe and TTY (`uv_stream_t`). */
export abstract class Stream extends Handle {
  /** @internal The watcher of the connection's Node socket; also the stream's pending-queue entry. */
  protected readonly connection = new NodeWatcher<net.Socket>(this.loop, () => this.onPending());
  /** @internal The listening side, once the stream listens. */
  protected acceptor: Acceptor<this> | null = null;
  /** @internal A connect in progress. */
  protected connectRequest: ConnectRequest<this> | null = null;
  /** @internal The descriptor, when uvts knows it: one given to `open()` or to `new TTY()`. */
  protected knownFd: number | null = null;

  private readonly reader = new StreamReader<this>(this.loop, this, this.connection, {
    started: () => this.activate(),
    stopped: () => {
      if (this.acceptor === null) this.deactivate();
    },
    failed: () => {
      this.writer.writable = false;
    },
    eofWithData: () => this.eofWithData(),
  });
  private readonly writer = new StreamWriter<this>(this.loop, this, this.connection, {
    connecting: () => this.connectRequest !== null,
    descriptor: () => this.ioDescriptor(),
    writeFailed: (cause) => this.writeFailed(cause),
  });
  /** The Node error a failed write consumed: Node emits it as 'error' too, and it is no read error. */
  private writeError: unknown = null;
  /** The descriptor under the current socket, once looked up (see `ioDescriptor`). */
  private descriptorCache: { socket: net.Socket; fd: number | null } | null = null;

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
    if (this.knownFd !== null) return this.knownFd;
    if (!this.hasDescriptor()) throw this.loop.errors.error(StatusCode.EBADF, 'uv_fileno');
    const found = this.findDescriptor();
    if (found !== null) return found;
    throw this.loop.errors.error(StatusCode.ENOTSUP, 'uv_fileno');
  }

  /**
   * @internal What a child inherits for `StdIO.INHERIT_STREAM`: the
   * descriptor when uvts knows it, else the Node socket (Node's `spawn`
   * duplicates a socket's descriptor into the child). EINVAL when the
   * stream has neither, as `uv_spawn` answers for a stream without one.
   */
  inheritable(): number | net.Socket {
    if (this.knownFd !== null) return this.knownFd;
    const socket = this.socket;
    if (socket !== null) return socket;
    throw this.loop.errors.error(StatusCode.EINVAL, 'uv_spawn');
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
    if (callback !== undefined) requireFunction(callback, 'write callback');
    const buffers = toBuffers(data, 'uv_write');
    // libuv's order: no descriptor at all is EBADF; a descriptor that is not
    // writable (a listening server, after shutdown or a read error) is EPIPE.
    if (!this.hasDescriptor()) throw this.loop.errors.error(StatusCode.EBADF, 'uv_write');
    return this.writer.write(buffers, callback ?? null);
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
    return this.writer.tryWrite(toBuffers(data, 'uv_try_write'), this.hasDescriptor());
  }

  /**
   * Shuts the write side down once queued writes are done (`uv_shutdown`).
   * Throws ENOTCONN if the stream is not writable, already shut down or
   * shutting down.
   */
  shutdown(callback?: StreamRequestCallback<this>): ShutdownRequest<this> {
    this.assertOpen('shutdown', StatusCode.ENOTCONN);
    if (callback !== undefined) requireFunction(callback, 'shutdown callback');
    return this.writer.shutdown(callback ?? null);
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
    if (typeof backlog !== 'number' || !Number.isInteger(backlog))
      throw new TypeError('backlog must be an integer');
    // libuv's backlog is a C int: anything else is refused, as ports are.
    if (backlog < -0x80000000 || backlog > 0x7fffffff)
      throw this.loop.errors.error(StatusCode.EINVAL, 'uv_listen');
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
    socket.on(
      'error',
      connection.guard(socket, (error: Error) => {
        if (this.connectRequest !== null) {
          const failure = this.loop.errors.fromNode(error, 'connect');
          connection.report(() => this.finishConnect(socket, failure));
          return;
        }
        // A failed write's error went to its request (stream-writer.ts):
        // libuv's reader never sees it (rule 7.13).
        if (error === this.writeError) return;
        this.writer.connectionLost();
        this.reader.fail(this.loop.errors.fromNode(error, 'read'));
      }),
    );
  }

  /** A write failed and Node is about to destroy the socket: the read side takes what is left. */
  private writeFailed(cause: unknown): void {
    const socket = this.socket;
    if (socket === null || this.connectRequest !== null) return;
    if (cause !== null) this.writeError = cause;
    this.reader.rescue(socket, this.ioDescriptor());
  }

  /**
   * The descriptor under the current socket for reading or writing it
   * directly (`tryWrite`, and what is left to read after a failed write),
   * or `null`: the known one (`open()`, a TTY) or the one `findDescriptor`
   * finds, looked up once per socket. Never one of a destroyed socket,
   * whose number the kernel may already have given to another file.
   */
  private ioDescriptor(): number | null {
    const socket = this.socket;
    if (socket === null || socket.destroyed) return null;
    if (this.knownFd !== null) return this.knownFd;
    const cache = this.descriptorCache;
    if (cache !== null && cache.socket === socket) return cache.fd;
    const fd = this.findDescriptor();
    this.descriptorCache = { socket, fd };
    return fd;
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
    const request = new ConnectRequest(this.loop, this, callback ?? noop);
    this.connectRequest = request;
    socket.once(
      'connect',
      this.connection.guard(socket, () => {
        this.connection.report(() => this.finishConnect(socket, null));
      }),
    );
    socket.connect(options);
    return request;
  }

  /**
   * Completes the pending connect: its callback, then — when the connect
   * failed and the callback did not close the stream — `ECANCELED` for every
   * queued write in the same dispatch (rule 7.25).
   */
  protected finishConnect(socket: net.Socket, error: UVError | null): void {
    const request = this.connectRequest;
    if (this.closing || !this.connection.isCurrent(socket) || request === null) return;
    this.connectRequest = null;
    this.writer.connectDone();
    request.finish();
    if (request.callback !== null) this.loop.invoke1(this, 'connect', request.callback, error);
    if (error !== null && !this.closing) this.writer.connectFailed();
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
    const connect = this.connectRequest;
    this.connectRequest = null;
    if (connect !== null && connect.finish() && connect.callback !== null) {
      const canceled = this.loop.errors.status(StatusCode.ECANCELED, 'connect');
      this.loop.invoke1(this, 'connect', connect.callback, canceled);
    }
    this.writer.cancelAll();
  }
}
