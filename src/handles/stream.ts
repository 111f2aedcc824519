/**
 * `Stream`: the duplex byte stream that TCP, Pipe and TTY share
 * (`uv_stream_t`), over a Node `net.Socket` and, for servers, a `net.Server`.
 *
 * Node objects never call user code (DESIGN.md, the one rule). Their
 * listeners only record state — a chunk in `readBuffer`, a finished write —
 * and enqueue a completion on the loop's poller; the loop runs it in POLL.
 * Completions check that the handle is not closing and that the Node object
 * is still the current one, which is how an event that arrives after
 * `close()` or `stopRead()` never reaches user code (rule 6.2).
 *
 * Reading: a socket stays paused until `startRead()`, so unread data waits
 * in the kernel as it does for libuv. Chunks Node has already handed over
 * when reading stops stay in `readBuffer` and are delivered first on the
 * next `startRead()`; nothing is dropped. EOF is delivered as
 * `(handle, null, UVError EOF)` after the buffered data, stops reading, and
 * is delivered again by a later `startRead()` (rules 7.5, 7.6).
 *
 * Writing: libuv never calls a write callback from inside `uv_write`; a
 * write that completed at once feeds the stream to the pending queue, one
 * that completes later calls back in POLL (rules 7.9, 7.10, 1.22). After
 * `socket.write()`, `writableLength === 0` tells us Node handed every byte to
 * the kernel synchronously: that is libuv's "completed inside uv_write".
 * `writeQueue` holds every submitted request until its callback has run, in
 * submission order, so callbacks stay ordered however they complete.
 *
 * Listening: `stream-acceptor.ts` holds the connections Node accepted and
 * hands them to the user one at a time, as libuv does (rule 7.22).
 *
 * Liveness: Node objects are always unref'd. The loop holds the process
 * while it waits (poller.ts), which is exactly while it is alive; a ref'd
 * Node socket would instead hold a process whose loop is already dead
 * (a connected stream that is not reading is inactive in libuv).
 *
 * @module
 */
import type net from 'node:net';
import { StatusCode, UVError } from '../errors/index.js';
import { fromNodeError } from '../errors/index.js';
import { statusError } from '../errors/uv-error.js';
import { QueueNode } from '../loop/queue.js';
import type { PendingWatcher } from '../loop/types.js';
import {
  ConnectRequest,
  ShutdownRequest,
  WriteRequest,
  type StreamRequestCallback,
} from '../requests/stream-requests.js';
import { Handle, requireFunction } from './handle.js';
import { Acceptor } from './stream-acceptor.js';
import { byteLength, toBuffers, type WriteData } from './stream-data.js';

// The callback types are declared through method signatures so that their
// handle parameter is bivariant: streams store them typed with `this`, and a
// contravariant parameter would make `TCP` unassignable to `Stream`.

/** A read callback: data, or `null` data with the error (`code === 'EOF'` at end of stream). */
export type ReadCallback<S> = {
  bivarianceHack(handle: S, data: Buffer | null, error: UVError | null): void;
}['bivarianceHack'];
/** A connection callback on a listening stream: call `accept()` inside it. */
export type ConnectionCallback<S> = {
  bivarianceHack(server: S, error: UVError | null): void;
}['bivarianceHack'];

const READABLE = 1;
const WRITABLE = 2;
const READING = 4;
const SHUT = 8;

/** The base class of TCP, Pipe and TTY (`uv_stream_t`). */
export abstract class Stream extends Handle implements PendingWatcher {
  /** @internal This stream's link in the loop's pending queue. */
  readonly pendingNode: QueueNode<PendingWatcher> = new QueueNode<PendingWatcher>(this);
  /** @internal The connected Node socket, if any. */
  protected socket: net.Socket | null = null;
  /** @internal The listening side, once the stream listens. */
  protected acceptor: Acceptor<this> | null = null;
  /** @internal A connect in progress. */
  protected connectRequest: ConnectRequest<this> | null = null;
  /** @internal The descriptor, when uvts knows it: one given to `open()` or to `new TTY()`. */
  protected knownFd: number | null = null;

  private streamFlags = 0;
  private readCallback: ReadCallback<this> | null = null;
  private readBuffer: Buffer[] = [];
  private readEnded = false;
  private readError: UVError | null = null;
  private readScheduled = false;
  private writeQueue: WriteRequest<this>[] = [];
  private writeFailed = false;
  /** The loop iteration (metrics loop count) whose POLL ran the connect callback. */
  private connectedInPoll = -1;
  private shutdownRequest: ShutdownRequest<this> | null = null;

  /** True if the stream can be read from (`uv_is_readable`). */
  get readable(): boolean {
    return (this.streamFlags & READABLE) !== 0;
  }

  /** True if the stream can be written to (`uv_is_writable`). */
  get writable(): boolean {
    return (this.streamFlags & WRITABLE) !== 0;
  }

  /** Bytes accepted by `write()` and not yet handed to the kernel (`uv_stream_get_write_queue_size`). */
  get writeQueueSize(): number {
    return this.socket?.writableLength ?? 0;
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
    if (!this.hasDescriptor()) throw new UVError(StatusCode.EBADF, { syscall: 'uv_fileno' });
    const found = this.findDescriptor();
    if (found !== null) return found;
    throw new UVError(StatusCode.ENOTSUP, { syscall: 'uv_fileno' });
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
    if ((this.streamFlags & READING) !== 0)
      throw new UVError(StatusCode.EALREADY, { syscall: 'uv_read_start' });
    if ((this.streamFlags & READABLE) === 0)
      throw new UVError(StatusCode.ENOTCONN, { syscall: 'uv_read_start' });
    this.readCallback = callback;
    this.streamFlags |= READING;
    this.activate();
    this.socket?.resume();
    if (this.readBuffer.length > 0 || this.readEnded || this.readError !== null)
      this.scheduleRead();
  }

  /** Stops reading (`uv_read_stop`); a no-op if not reading. Takes effect at once. */
  stopRead(): void {
    this.assertOpen('stopRead');
    this.stopReading();
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
    if (!this.hasDescriptor()) throw new UVError(StatusCode.EBADF, { syscall: 'uv_write' });
    const socket = this.socket;
    if (socket === null || (this.streamFlags & WRITABLE) === 0)
      throw new UVError(StatusCode.EPIPE, { syscall: 'uv_write' });
    const request = new WriteRequest(this.loop, this, byteLength(buffers), callback ?? null);
    this.writeQueue.push(request);
    const last = buffers.length - 1;
    for (let index = 0; index < last; index++) socket.write(buffers[index] as Buffer);
    socket.write(buffers[last] as Buffer, (error) => this.onNodeWriteDone(socket, request, error));
    if (this.connectRequest === null && socket.writableLength === 0) {
      // Every byte went to the kernel inside write(): libuv's immediate
      // completion. The callback runs at the next pending batch.
      request.done = true;
      this.loop.feedPending(this);
    }
    return request;
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
   * while a connect or earlier writes are pending. Node cannot write
   * partially without queueing, so a write Node had to buffer counts as
   * complete (docs/deviations.md).
   */
  tryWrite(data: WriteData): number {
    this.assertOpen('tryWrite', StatusCode.EBADF);
    const buffers = toBuffers(data, 'uv_try_write');
    if (this.connectRequest !== null || this.writeQueueSize > 0 || this.writeQueue.length > 0) {
      throw new UVError(StatusCode.EAGAIN, { syscall: 'uv_try_write' });
    }
    if (!this.hasDescriptor()) throw new UVError(StatusCode.EBADF, { syscall: 'uv_try_write' });
    const socket = this.socket;
    if (socket === null || (this.streamFlags & WRITABLE) === 0)
      throw new UVError(StatusCode.EPIPE, { syscall: 'uv_try_write' });
    for (const buffer of buffers) if (buffer.length > 0) socket.write(buffer);
    return byteLength(buffers);
  }

  /**
   * Shuts the write side down once queued writes are done (`uv_shutdown`).
   * Throws ENOTCONN if the stream is not writable, already shut down or
   * shutting down.
   */
  shutdown(callback?: StreamRequestCallback<this>): ShutdownRequest<this> {
    this.assertOpen('shutdown', StatusCode.ENOTCONN);
    if (callback !== undefined) requireFunction(callback, 'shutdown callback');
    if (
      this.socket === null ||
      (this.streamFlags & (WRITABLE | SHUT)) !== WRITABLE ||
      this.shutdownRequest !== null
    ) {
      throw new UVError(StatusCode.ENOTCONN, { syscall: 'uv_shutdown' });
    }
    const request = new ShutdownRequest(this.loop, this, callback ?? null);
    this.shutdownRequest = request;
    this.streamFlags &= ~WRITABLE;
    // With nothing queued the shutdown runs at the next pending batch (rule
    // 7.17) — but not while connecting: libuv then only finishes the
    // connect, and performs the shutdown when queued writes drain after it.
    // With no writes it stays pending until close (ECANCELED), as in libuv.
    if (this.writeQueue.length === 0 && this.connectRequest === null) this.loop.feedPending(this);
    return request;
  }

  /** True while a shutdown has been requested or done. */
  protected get shutdownStarted(): boolean {
    return this.shutdownRequest !== null || (this.streamFlags & SHUT) !== 0;
  }

  /** True while a shutdown has been requested and its callback has not run (libuv's SHUTTING). */
  protected get shutdownPending(): boolean {
    return this.shutdownRequest !== null;
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
    // A connection (connecting, connected or accepted) cannot listen: the
    // kernel's listen() refuses it with EINVAL.
    if (this.socket !== null) throw new UVError(StatusCode.EINVAL, { syscall: 'uv_listen' });
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
    if (client.closing) throw new UVError(StatusCode.EINVAL, { syscall: 'uv_accept' });
    const acceptor = this.acceptor;
    const socket = acceptor?.take();
    if (acceptor === null || socket === undefined)
      throw new UVError(StatusCode.EAGAIN, { syscall: 'uv_accept' });
    if (client.hasDescriptor()) {
      // uv__stream_open refuses a client that already has a socket; the
      // connection is lost (see stream-acceptor.ts for what follows).
      acceptor.refused(socket);
      throw new UVError(StatusCode.EBUSY, { syscall: 'uv_accept' });
    }
    client.adoptSocket(socket, true, true);
    acceptor.accepted();
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

  /** Creates and starts the Node server; each type knows how to listen. */
  protected abstract startListening(backlog: number): void;

  /** @internal Wires a listening Node server to this stream. */
  protected attachServer(server: net.Server): void {
    this.acceptor = new Acceptor(this.loop, this, server);
  }

  // ------------------------------------------------------------------ sockets

  /**
   * @internal Makes `socket` this stream's connection: pauses it, unrefs
   * it, and routes its events into completions. `readable`/`writable` set
   * the stream flags (rule 7.1).
   */
  protected adoptSocket(socket: net.Socket, readable: boolean, writable: boolean): void {
    this.socket = socket;
    this.loop.poller.nodeWatchers++;
    socket.pause();
    socket.unref();
    this.streamFlags |= (readable ? READABLE : 0) | (writable ? WRITABLE : 0);
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.readBuffer.push(chunk);
      this.scheduleRead();
    });
    socket.on('end', () => {
      if (this.socket !== socket) return;
      this.readEnded = true;
      this.scheduleRead();
    });
    socket.on('error', (error: Error) => {
      if (this.socket !== socket) return;
      if (this.connectRequest !== null) {
        this.loop.poller.enqueue(() => this.finishConnect(socket, fromNodeError(error, 'connect')));
        return;
      }
      this.readError = fromNodeError(error, 'read');
      this.scheduleRead();
    });
  }

  /** @internal Starts a connect on `socket` (already adopted); see TCP and Pipe. */
  protected beginConnect(
    socket: net.Socket,
    callback: StreamRequestCallback<this>,
  ): ConnectRequest<this> {
    const request = new ConnectRequest(this.loop, this, callback);
    this.connectRequest = request;
    socket.once('connect', () => {
      if (this.socket === socket) this.loop.poller.enqueue(() => this.finishConnect(socket, null));
    });
    return request;
  }

  /**
   * Completes the pending connect: its callback, then — when the connect
   * failed and the callback did not close the stream — `ECANCELED` for every
   * queued write in the same dispatch (rule 7.25).
   */
  protected finishConnect(socket: net.Socket, error: UVError | null): void {
    const request = this.connectRequest;
    if (this.closing || this.socket !== socket || request === null) return;
    this.connectRequest = null;
    this.connectedInPoll = this.loop.metricsState.loopCount;
    request.finish();
    if (request.callback !== null) this.loop.invoke1(this, 'connect', request.callback, error);
    if (error === null || this.closing) return;
    for (const write of this.writeQueue) {
      if (!write.done) {
        write.done = true;
        write.error = statusError(StatusCode.ECANCELED, { syscall: 'uv_write' });
      }
    }
    this.writeFailed = true;
    this.runWriteCallbacks();
  }

  // ------------------------------------------------------------------ completions

  private scheduleRead(): void {
    if (this.readScheduled || (this.streamFlags & READING) === 0) return;
    this.readScheduled = true;
    this.loop.poller.enqueue(this.readCompletion);
  }

  /** The completion of a read event; one per stream, since at most one is scheduled at a time. */
  private readonly readCompletion = (): void => {
    this.readScheduled = false;
    if (!this.closing) this.deliverReads();
  };

  /** Delivers buffered chunks, then EOF or the read error, while the user keeps reading (rule 7.5). */
  private deliverReads(): void {
    let delivered = false;
    while ((this.streamFlags & READING) !== 0 && this.readBuffer.length > 0) {
      const chunk = this.readBuffer.shift() as Buffer;
      delivered = true;
      this.loop.invoke2(this, 'read', this.readCallback as ReadCallback<this>, chunk, null);
    }
    if ((this.streamFlags & READING) === 0) return;
    const callback = this.readCallback as ReadCallback<this>;
    if (this.readEnded && this.readError === null && delivered && !this.eofWithData()) {
      // libuv's read round ends on the short read that returned the last
      // data; the read that returns 0 (EOF) comes with the next readiness
      // event, in the next POLL (rule 7.7; eof_after_partial_read).
      this.scheduleRead();
      return;
    }
    if (this.readError !== null) {
      const error = this.readError;
      this.streamFlags &= ~(READABLE | WRITABLE);
      this.loop.invoke2(this, 'read', callback, null, error);
      if (!this.closing) this.stopReading();
    } else if (this.readEnded) {
      this.stopReading();
      const eof = statusError(StatusCode.EOF, { syscall: 'read' });
      this.loop.invoke2(this, 'read', callback, null, eof);
    }
  }

  /**
   * Whether EOF comes in the same POLL as the data before it: only in
   * libuv 1.44, and only when the event carries a hang-up (rule 7.7). A TCP
   * socket hangs up when both directions are shut: the peer's FIN has
   * arrived and our own shutdown is done. Pipes may know better.
   */
  protected eofWithData(): boolean {
    return this.loop.profile === '1.44' && (this.streamFlags & SHUT) !== 0;
  }

  private stopReading(): void {
    if ((this.streamFlags & READING) === 0) return;
    this.streamFlags &= ~READING;
    this.readCallback = null;
    this.socket?.pause();
    if (this.acceptor === null) this.deactivate();
  }

  private onNodeWriteDone(
    socket: net.Socket,
    request: WriteRequest<this>,
    error: Error | null | undefined,
  ): void {
    if (request.done) return;
    const complete = (): void => {
      if (this.closing || this.socket !== socket || request.done) return;
      // No write can finish before its connect: a Node callback that arrives
      // while the connect is still pending is the fallout of a failed
      // connect, which cancels the write itself (finishConnect, rule 7.25).
      if (this.connectRequest !== null) return;
      // Writes queued while connecting go out at libuv's first writability
      // event after the connect callback: the next POLL (rule 7.25). Node
      // flushes them the moment it connects, so their completion is held
      // back to the next POLL when it arrives in the connect's own.
      if (this.connectedInPoll === this.loop.metricsState.loopCount) {
        this.loop.poller.enqueue(complete);
        return;
      }
      if (error !== null && error !== undefined) {
        // The first failure fails its request; requests behind it stay
        // queued until close cancels them (rule 7.13).
        if (this.writeFailed) return;
        this.writeFailed = true;
        request.error = fromNodeError(error, 'write');
      }
      request.done = true;
      this.runWriteCallbacks();
    };
    this.loop.poller.enqueue(complete);
  }

  /** @internal The pending-queue entry: connect errors are not deferred here, so writes and shutdown. */
  runPending(): void {
    if (!this.closing) this.runWriteCallbacks();
  }

  /** Calls back finished writes in submission order, then performs a due shutdown (rule 7.17). */
  private runWriteCallbacks(): void {
    // Take the finished prefix first, as uv__write_callbacks moves its
    // completed queue aside before calling back: a write issued from a write
    // callback that completes at once is called back in the next pending
    // batch, not in this loop (which would never end, and never let Node
    // run). Like libuv, the whole batch is called back even if a callback
    // closes the handle.
    const queue = this.writeQueue;
    let finished = 0;
    while (finished < queue.length && (queue[finished] as WriteRequest<this>).done) finished++;
    // Usually every request is finished and the queue is handed over whole;
    // `splice` would copy it out of itself through a slow runtime path.
    let batch = queue;
    if (finished === queue.length) this.writeQueue = [];
    else batch = queue.splice(0, finished);
    for (const request of batch) {
      request.finish();
      if (request.callback !== null)
        this.loop.invoke1(this, 'write', request.callback, request.error);
    }
    this.shutdownIfDue();
  }

  /** Performs a requested shutdown once no write is queued (rule 7.17). */
  private shutdownIfDue(): void {
    if (this.closing) return;
    const shutdown = this.shutdownRequest;
    if (
      shutdown === null ||
      this.writeQueue.length > 0 ||
      this.socket === null ||
      this.connectRequest !== null
    )
      return;
    this.shutdownRequest = null;
    this.streamFlags |= SHUT;
    this.socket.end();
    shutdown.finish();
    if (shutdown.callback !== null) this.loop.invoke1(this, 'shutdown', shutdown.callback, null);
  }

  // ------------------------------------------------------------------ close

  /**
   * Releases the Node objects at once (`uv_close` on a stream, rule 6.1).
   * Like `uv__stream_close`, this also clears READABLE and WRITABLE, so
   * `readable`/`writable` are false from `close()` on (libuv's
   * readable_on_eof test checks it).
   */
  protected closeResources(): void {
    this.streamFlags &= ~(READING | READABLE | WRITABLE);
    this.pendingNode.remove();
    if (this.socket !== null) {
      this.releaseSocket(this.socket);
      this.loop.poller.nodeWatchers--;
    }
    this.acceptor?.close();
    this.readBuffer = [];
  }

  /** Lets go of the connection when the stream closes; TCP's closeReset() resets it instead. */
  protected releaseSocket(socket: net.Socket): void {
    socket.destroy();
  }

  /**
   * In CLOSING, before the close callback: the pending connect, then the
   * writes (finished ones with their status, the rest with ECANCELED), then
   * the shutdown, all in order (rule 6.5).
   */
  protected override afterClose(): void {
    const canceled = (syscall: string): UVError => statusError(StatusCode.ECANCELED, { syscall });
    const connect = this.connectRequest;
    this.connectRequest = null;
    if (connect !== null && connect.finish() && connect.callback !== null) {
      this.loop.invoke1(this, 'connect', connect.callback, canceled('connect'));
    }
    const writes = this.writeQueue;
    this.writeQueue = [];
    for (const write of writes) {
      if (!write.finish() || write.callback === null) continue;
      this.loop.invoke1(
        this,
        'write',
        write.callback,
        write.done ? write.error : canceled('write'),
      );
    }
    const shutdown = this.shutdownRequest;
    this.shutdownRequest = null;
    if (shutdown !== null && shutdown.finish() && shutdown.callback !== null) {
      this.loop.invoke1(this, 'shutdown', shutdown.callback, canceled('shutdown'));
    }
  }
}
