/**
 * The write side of a stream: `uv_write`, `uv_try_write` and `uv_shutdown`
 * over the stream's Node socket.
 *
 * libuv never calls a write callback from inside `uv_write`: a write that
 * completed at once feeds the stream to the pending queue, one that
 * completes later calls back in POLL (rules 7.9, 7.10, 1.22). The request
 * queue (requests/request-queue.ts) holds every submitted request until
 * its callback has run, in submission order; the write pump
 * (write-pump.ts) hands their bytes to Node as the kernel drains, and
 * says which requests the kernel really took.
 *
 * **Failures** (rule 7.13): the request being written fails with the
 * kernel's error; requests behind it stay queued until close cancels them,
 * as libuv stops writing after a failure. A new write when nothing is
 * queued is tried again, and fails with EPIPE on a dead connection.
 *
 * **Shutdown** waits for the queued writes, then ends the socket and calls
 * back (rule 7.17); on a connection known to be dead it fails with
 * ENOTCONN, and after a failed connect it waits for close (ECANCELED), as
 * libuv's does (luv 1.44.2 and 1.52.1). While a connect is in progress
 * nothing completes: a failed connect cancels the queued writes (rule
 * 7.25).
 *
 * @module
 */
import type net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { byteLength, requireFunction, toBuffers } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import type { NodeWatcher } from '../loop/node-watcher.js';
import type { LoopHandle } from '../loop/types.js';
import { isNonBlocking, writeNow } from '../platform/fd.js';
import { RequestQueue } from '../requests/request-queue.js';
import { WritePump } from './write-pump.js';
import {
  ShutdownRequest,
  WriteRequest,
  type StreamRequestCallback,
} from '../requests/stream-requests.js';

/** What the writer needs of its stream besides the socket. */
export interface WriterHost {
  /** A connect is in progress. */
  connecting(): boolean;
  /** The descriptor under the socket when uvts knows it, for `tryWrite`; `null` otherwise. */
  descriptor(): number | null;
  /** A write on `socket` failed: Node is about to destroy it (the read side takes what is left). */
  writeFailed(socket: net.Socket, nodeError: unknown): void;
  /** Whether the kernel dropped the connection without Node noticing (a reset nobody read). */
  connectionReset(): boolean;
}

/** @internal The write side of one stream; see the module comment. */
export class StreamWriter<S extends LoopHandle> {
  /** The stream accepts writes (libuv's WRITABLE flag): from connect/accept/open until shutdown, a read error or close. */
  writable = false;
  private readonly queue: RequestQueue<S, WriteRequest<S>>;
  private readonly pump: WritePump<WriteRequest<S>>;
  /** The connection is known to be dead (a write failed, Node destroyed the socket). */
  private dead = false;
  /** The connect failed: a shutdown waits for close (ECANCELED), as libuv's does. */
  private connectFailedFlag = false;
  private shutdownRequest: ShutdownRequest<S> | null = null;
  /** The shutdown has been performed (libuv's SHUT flag). */
  private shut = false;
  /** The loop's POLL count when the connect callback ran (see `confirmed`). */
  private connectedInPoll = -1;

  /**
   * @param loop The stream's loop.
   * @param stream The stream, which the callbacks receive.
   * @param connection The watcher of the stream's socket, also its pending-queue entry.
   * @param host What the writer asks of the stream.
   */
  constructor(
    private readonly loop: Loop,
    private readonly stream: S,
    private readonly connection: NodeWatcher<net.Socket>,
    private readonly host: WriterHost,
  ) {
    this.queue = new RequestQueue(loop, stream, 'write');
    this.pump = new WritePump(
      (socket) => connection.isCurrent(socket) && !stream.closing,
      () => host.connecting(),
      {
        confirmedLater: (socket, request) =>
          connection.report(() => this.confirmed(socket, request)),
        failed: (socket, cause, inWrite) => this.failed(socket, cause, inWrite),
      },
    );
  }

  /** Bytes accepted by `write()` and not yet with the kernel (libuv's `write_queue_size`). */
  get queueSize(): number {
    return this.pump.unwritten;
  }

  /** True while a shutdown has been requested and its callback has not run (libuv's SHUTTING). */
  get shutdownPending(): boolean {
    return this.shutdownRequest !== null;
  }

  /** True once the shutdown has been performed (libuv's SHUT). */
  get isShut(): boolean {
    return this.shut;
  }

  /** The socket to write to, or EPIPE (a listening server, after shutdown or a read error). */
  private target(syscall: string): net.Socket {
    const socket = this.connection.current;
    if (socket === null || !this.writable) throw this.loop.errors.error(StatusCode.EPIPE, syscall);
    return socket;
  }

  /** `uv_write` on an open stream; `hasDescriptor`: whether libuv would have a socket. */
  write(data: unknown, callback: unknown, hasDescriptor: boolean): WriteRequest<S> {
    if (callback !== undefined) requireFunction(callback, 'write callback');
    const buffers = toBuffers(data, 'uv_write');
    // libuv's order: no descriptor at all is EBADF; a descriptor that is not
    // writable (a listening server, after shutdown or a read error) is EPIPE.
    if (!hasDescriptor) throw this.loop.errors.error(StatusCode.EBADF, 'uv_write');
    const socket = this.target('uv_write');
    const size = byteLength(buffers);
    const request = new WriteRequest(
      this.loop,
      this.stream,
      size,
      (callback as StreamRequestCallback<S> | undefined) ?? null,
    );
    // libuv writes at once only when nothing is queued; after a failure
    // that is how a later write learns that the connection is gone.
    if (this.pump.stopped && this.pump.unwritten === 0) this.pump.stopped = false;
    this.queue.add(request);
    this.pump.add(request, buffers, size);
    const done = this.pump.pump(socket, true);
    if (done.length === 0) return request;
    for (const finished of done) this.queue.complete(finished, null);
    this.connection.feed();
    return request;
  }

  /** In POLL: Node confirmed the last piece of `request`. */
  private confirmed(socket: net.Socket, request: WriteRequest<S>): void {
    if (this.stream.closing || !this.connection.isCurrent(socket) || request.done) return;
    // No write can finish before its connect: a Node callback that arrives
    // while the connect is still pending is the fallout of a failed
    // connect, which cancels the write itself (rule 7.25).
    if (this.host.connecting()) return;
    // Writes queued while connecting go out at libuv's first writability
    // event after the connect callback: the next POLL (rule 7.25). Node
    // flushes them the moment it connects, so their completion is held
    // back to the next POLL when it arrives in the connect's own.
    if (this.connectedInPoll === this.loop.pollCount) {
      this.connection.report(() => this.confirmed(socket, request));
      return;
    }
    this.queue.complete(request, null);
    this.runCallbacks();
  }

  /**
   * A write failed (`cause`: Node's error, or `null` when Node only left
   * the socket destroyed). The stream hears it at once, before Node's
   * 'error' event (its read side takes what is left); the oldest request
   * not done fails with the kernel's error and writing stops (rule 7.13):
   * at once inside `write()` (its callback runs at the next pending
   * batch), else in POLL.
   */
  private failed(socket: net.Socket, cause: unknown, inWrite: boolean): void {
    if (this.host.connecting()) return;
    this.dead = true;
    this.host.writeFailed(socket, cause);
    const request = this.pump.head();
    this.pump.stopped = true;
    if (request === undefined) return;
    const fail = (): void => {
      if (this.stream.closing || !this.connection.isCurrent(socket) || request.done) return;
      this.pump.dropHead();
      this.queue.complete(request, this.deadSocketError(cause));
    };
    if (inWrite) {
      fail();
      this.connection.feed();
    } else {
      this.connection.report(() => {
        fail();
        this.runCallbacks();
      });
    }
  }

  /** The error of a write on a dead socket: Node's, or EPIPE when Node gave none. */
  private deadSocketError(cause: unknown): UVError {
    const errors = this.loop.errors;
    if (cause === null || cause === undefined) return errors.error(StatusCode.EPIPE, 'write');
    return errors.fromNode(cause, 'write');
  }

  /**
   * `uv_try_write`: writes what the kernel takes now, straight to the
   * socket's descriptor, and returns that count; EAGAIN while a connect or
   * earlier writes are pending, when the kernel takes nothing, and where
   * uvts does not know a non-blocking descriptor under the socket (Node
   * cannot write without queueing; docs/deviations.md S4).
   */
  tryWrite(data: unknown, hasDescriptor: boolean): number {
    const buffers = toBuffers(data, 'uv_try_write');
    const errors = this.loop.errors;
    const busy = this.connection.current?.writableLength ?? 0;
    if (this.host.connecting() || this.pump.unwritten > 0 || busy > 0 || !this.queue.isEmpty())
      throw errors.error(StatusCode.EAGAIN, 'uv_try_write');
    if (!hasDescriptor) throw errors.error(StatusCode.EBADF, 'uv_try_write');
    const socket = this.target('uv_try_write');
    if (byteLength(buffers) === 0) return 0;
    if (socket.destroyed || this.dead) throw errors.error(StatusCode.EPIPE, 'uv_try_write');
    const fd = this.host.descriptor();
    if (fd === null || !isNonBlocking(fd)) throw errors.error(StatusCode.EAGAIN, 'uv_try_write');
    try {
      return writeNow(fd, buffers);
    } catch (error) {
      throw errors.fromNode(error, 'uv_try_write');
    }
  }

  /**
   * `uv_shutdown`: ENOTCONN unless the stream is connected and writable,
   * not shut down and not shutting down.
   */
  shutdown(callback: StreamRequestCallback<S> | undefined): ShutdownRequest<S> {
    if (callback !== undefined) requireFunction(callback, 'shutdown callback');
    if (
      this.connection.current === null ||
      !this.writable ||
      this.shut ||
      this.shutdownRequest !== null
    ) {
      throw this.loop.errors.error(StatusCode.ENOTCONN, 'uv_shutdown');
    }
    const request = new ShutdownRequest(this.loop, this.stream, callback ?? null);
    this.shutdownRequest = request;
    this.writable = false;
    // With nothing queued the shutdown runs at the next pending batch (rule
    // 7.17) — but not while connecting: libuv then only finishes the
    // connect, and performs the shutdown when queued writes drain after it.
    // With no writes it stays pending until close (ECANCELED), as in libuv.
    if (this.queue.isEmpty() && !this.host.connecting()) this.connection.feed();
    return request;
  }

  /** The connect is over; its callback runs next (see `confirmed`). */
  connectDone(): void {
    this.connectedInPoll = this.loop.pollCount;
  }

  /**
   * The connect failed and its callback did not close the stream: every
   * queued write fails with ECANCELED in the same dispatch (rule 7.25); a
   * shutdown waits for close.
   */
  connectFailed(): void {
    this.connectFailedFlag = true;
    this.pump.stopped = true;
    this.pump.clear();
    this.queue.failUndone(() => this.loop.errors.status(StatusCode.ECANCELED, 'uv_write'));
    this.runCallbacks();
  }

  /** The connection died under the stream (a read error): a shutdown fails with ENOTCONN. */
  connectionLost(): void {
    this.dead = true;
  }

  /** Calls back finished writes in submission order, then performs a due shutdown (rule 7.17). */
  runCallbacks(): void {
    this.queue.callBackFinished();
    this.shutdownIfDue();
  }

  /** Performs a requested shutdown once no write is queued (rule 7.17). */
  private shutdownIfDue(): void {
    if (this.stream.closing || this.connectFailedFlag) return;
    const shutdown = this.shutdownRequest;
    const socket = this.connection.current;
    if (shutdown === null || !this.queue.isEmpty() || socket === null || this.host.connecting())
      return;
    this.shutdownRequest = null;
    this.shut = true;
    let error: UVError | null = null;
    // shutdown(2) on a connection that was reset: ENOTCONN (luv, both versions).
    if (this.dead || socket.destroyed || this.host.connectionReset())
      error = this.loop.errors.error(StatusCode.ENOTCONN, 'shutdown');
    else socket.end();
    shutdown.finish();
    if (shutdown.callback !== null)
      this.loop.invoke1(this.stream, 'shutdown', shutdown.callback, error);
  }

  /**
   * In CLOSING, after the connect: the writes (finished ones with their
   * status, the rest with ECANCELED), then the shutdown, in order (rule 6.5).
   */
  cancelAll(): void {
    const errors = this.loop.errors;
    this.pump.clear();
    this.queue.cancelAll(() => errors.status(StatusCode.ECANCELED, 'write'));
    const shutdown = this.shutdownRequest;
    this.shutdownRequest = null;
    if (shutdown !== null && shutdown.finish() && shutdown.callback !== null) {
      const canceled = errors.status(StatusCode.ECANCELED, 'shutdown');
      this.loop.invoke1(this.stream, 'shutdown', shutdown.callback, canceled);
    }
  }
}
