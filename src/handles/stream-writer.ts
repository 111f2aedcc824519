/**
 * The write side of a stream: `uv_write`, `uv_try_write` and `uv_shutdown`
 * over the stream's Node socket.
 *
 * libuv never calls a write callback from inside `uv_write`: a write that
 * completed at once feeds the stream to the pending queue, one that
 * completes later calls back in POLL (rules 7.9, 7.10, 1.22). After
 * `socket.write()`, `writableLength === 0` tells us Node handed every byte
 * to the kernel synchronously: that is libuv's "completed inside uv_write".
 * The request queue (requests/request-queue.ts) holds every submitted
 * request until its callback has run, in submission order, so callbacks
 * stay ordered however they complete.
 *
 * A shutdown waits for the queued writes, then ends the socket and calls
 * back (rule 7.17). While a connect is in progress nothing completes:
 * libuv writes only once connected, and a failed connect cancels the
 * queued writes (rule 7.25).
 *
 * @module
 */
import type net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { byteLength } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import type { NodeWatcher } from '../loop/node-watcher.js';
import type { LoopHandle } from '../loop/types.js';
import { RequestQueue } from '../requests/request-queue.js';
import {
  ShutdownRequest,
  WriteRequest,
  type StreamRequestCallback,
} from '../requests/stream-requests.js';

/** @internal The write side of one stream; see the module comment. */
export class StreamWriter<S extends LoopHandle> {
  /** The stream accepts writes (libuv's WRITABLE flag): from connect/accept/open until shutdown, a read error or close. */
  writable = false;
  private readonly queue: RequestQueue<S, WriteRequest<S>>;
  /** A write failed: the requests behind it stay queued until close cancels them (rule 7.13). */
  private failed = false;
  private shutdownRequest: ShutdownRequest<S> | null = null;
  /** The shutdown has been performed (libuv's SHUT flag). */
  private shut = false;
  /** The loop's POLL count when the connect callback ran (see `onNodeWriteDone`). */
  private connectedInPoll = -1;

  /**
   * @param loop The stream's loop.
   * @param stream The stream, which the callbacks receive.
   * @param connection The watcher of the stream's socket, also its pending-queue entry.
   * @param connecting Whether a connect is in progress.
   */
  constructor(
    private readonly loop: Loop,
    private readonly stream: S,
    private readonly connection: NodeWatcher<net.Socket>,
    private readonly connecting: () => boolean,
  ) {
    this.queue = new RequestQueue(loop, stream, 'write');
  }

  /** Bytes accepted by `write()` and not yet handed to the kernel. */
  get queueSize(): number {
    return this.connection.current?.writableLength ?? 0;
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

  /** `uv_write` once the stream has checked its arguments and that it has a descriptor. */
  write(buffers: readonly Buffer[], callback: StreamRequestCallback<S> | null): WriteRequest<S> {
    const socket = this.target('uv_write');
    const request = new WriteRequest(this.loop, this.stream, byteLength(buffers), callback);
    this.queue.add(request);
    if (socket.destroyed) {
      // Node destroyed the socket under the stream: it does so to a child's
      // stdin when the child exits. libuv's write() meets the closed peer:
      // EPIPE, in the next pending batch (rule 7.10).
      this.queue.complete(request, this.loop.errors.status(StatusCode.EPIPE, 'uv_write'));
      this.connection.feed();
      return request;
    }
    const last = buffers.length - 1;
    for (let index = 0; index < last; index++) socket.write(buffers[index] as Buffer);
    socket.write(buffers[last] as Buffer, (error) => this.onNodeWriteDone(socket, request, error));
    if (!this.connecting() && socket.writableLength === 0) {
      // Every byte went to the kernel inside write(): libuv's immediate
      // completion. The callback runs at the next pending batch.
      this.queue.complete(request, null);
      this.connection.feed();
    }
    return request;
  }

  /**
   * `uv_try_write`: EAGAIN while a connect or earlier writes are pending.
   * Node cannot write partially without queueing, so a write Node had to
   * buffer counts as complete (docs/deviations.md).
   */
  tryWrite(buffers: readonly Buffer[], hasDescriptor: boolean): number {
    if (this.connecting() || this.queueSize > 0 || !this.queue.isEmpty())
      throw this.loop.errors.error(StatusCode.EAGAIN, 'uv_try_write');
    if (!hasDescriptor) throw this.loop.errors.error(StatusCode.EBADF, 'uv_try_write');
    const socket = this.target('uv_try_write');
    for (const buffer of buffers) if (buffer.length > 0) socket.write(buffer);
    return byteLength(buffers);
  }

  /**
   * `uv_shutdown`: ENOTCONN unless the stream is connected and writable,
   * not shut down and not shutting down.
   */
  shutdown(callback: StreamRequestCallback<S> | null): ShutdownRequest<S> {
    if (
      this.connection.current === null ||
      !this.writable ||
      this.shut ||
      this.shutdownRequest !== null
    ) {
      throw this.loop.errors.error(StatusCode.ENOTCONN, 'uv_shutdown');
    }
    const request = new ShutdownRequest(this.loop, this.stream, callback);
    this.shutdownRequest = request;
    this.writable = false;
    // With nothing queued the shutdown runs at the next pending batch (rule
    // 7.17) — but not while connecting: libuv then only finishes the
    // connect, and performs the shutdown when queued writes drain after it.
    // With no writes it stays pending until close (ECANCELED), as in libuv.
    if (this.queue.isEmpty() && !this.connecting()) this.connection.feed();
    return request;
  }

  /** The connect is over; its callback runs next (see `onNodeWriteDone`). */
  connectDone(): void {
    this.connectedInPoll = this.loop.pollCount;
  }

  /**
   * The connect failed and its callback did not close the stream: every
   * queued write fails with ECANCELED in the same dispatch (rule 7.25).
   */
  connectFailed(): void {
    this.queue.failUndone(() => this.loop.errors.status(StatusCode.ECANCELED, 'uv_write'));
    this.failed = true;
    this.runCallbacks();
  }

  private onNodeWriteDone(
    socket: net.Socket,
    request: WriteRequest<S>,
    error: Error | null | undefined,
  ): void {
    if (request.done) return;
    const complete = (): void => {
      if (this.stream.closing || !this.connection.isCurrent(socket) || request.done) return;
      // No write can finish before its connect: a Node callback that arrives
      // while the connect is still pending is the fallout of a failed
      // connect, which cancels the write itself (rule 7.25).
      if (this.connecting()) return;
      // Writes queued while connecting go out at libuv's first writability
      // event after the connect callback: the next POLL (rule 7.25). Node
      // flushes them the moment it connects, so their completion is held
      // back to the next POLL when it arrives in the connect's own.
      if (this.connectedInPoll === this.loop.pollCount) {
        this.connection.report(complete);
        return;
      }
      let failure: UVError | null = null;
      if (error !== null && error !== undefined) {
        // The first failure fails its request; requests behind it stay
        // queued until close cancels them (rule 7.13).
        if (this.failed) return;
        this.failed = true;
        failure = this.loop.errors.fromNode(error, 'write');
      }
      this.queue.complete(request, failure);
      this.runCallbacks();
    };
    this.connection.report(complete);
  }

  /** Calls back finished writes in submission order, then performs a due shutdown (rule 7.17). */
  runCallbacks(): void {
    this.queue.callBackFinished();
    this.shutdownIfDue();
  }

  /** Performs a requested shutdown once no write is queued (rule 7.17). */
  private shutdownIfDue(): void {
    if (this.stream.closing) return;
    const shutdown = this.shutdownRequest;
    const socket = this.connection.current;
    if (shutdown === null || !this.queue.isEmpty() || socket === null || this.connecting()) return;
    this.shutdownRequest = null;
    this.shut = true;
    socket.end();
    shutdown.finish();
    if (shutdown.callback !== null)
      this.loop.invoke1(this.stream, 'shutdown', shutdown.callback, null);
  }

  /**
   * In CLOSING, after the connect: the writes (finished ones with their
   * status, the rest with ECANCELED), then the shutdown, in order (rule 6.5).
   */
  cancelAll(): void {
    const errors = this.loop.errors;
    this.queue.cancelAll(() => errors.status(StatusCode.ECANCELED, 'write'));
    const shutdown = this.shutdownRequest;
    this.shutdownRequest = null;
    if (shutdown !== null && shutdown.finish() && shutdown.callback !== null) {
      const canceled = errors.status(StatusCode.ECANCELED, 'shutdown');
      this.loop.invoke1(this.stream, 'shutdown', shutdown.callback, canceled);
    }
  }
}
