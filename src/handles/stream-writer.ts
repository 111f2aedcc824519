/**
 * The write side of a stream: `uv_write`, `uv_try_write` and `uv_shutdown`
 * over the stream's Node socket.
 *
 * libuv never calls a write callback from inside `uv_write`: a write that
 * completed at once feeds the stream to the pending queue, one that
 * completes later calls back in POLL (rules 7.9, 7.10, 1.22). The request
 * queue (requests/request-queue.ts) holds every submitted request until
 * its callback has run, in submission order.
 *
 * **What counts as written.** A request succeeds only once Node has
 * confirmed that every byte of it went to the kernel: `writableLength === 0`
 * right after `socket.write()` (Node wrote it synchronously), or Node's write
 * callback without an error on a socket that is still alive. Neither alone
 * is proof: Node leaves `writableLength` at 0 too when the write failed at
 * once or the socket is already destroyed, and it calls the callback of a
 * write in flight with no error when the socket is destroyed under it
 * (docs/node.md Q8). Both cases fail the request (`deadSocketError`).
 *
 * **Following the drain.** Node would take any amount and call back when
 * the last byte is gone, in batches (it joins buffered writes into one
 * `writev`). So requests are handed to Node in pieces of at most `PIECE`
 * bytes, and only while Node holds less than `NODE_HIGH_WATER` bytes; the
 * rest waits here (`outbox`) and is handed over from Node's write callbacks
 * as the kernel takes it. Write callbacks and `writeQueueSize` (bytes not
 * yet confirmed, libuv's `write_queue_size`) thus follow the drain to within
 * `NODE_HIGH_WATER` bytes (docs/deviations.md S7).
 *
 * **Failures** (rule 7.13): the request being written fails with the
 * kernel's error; requests behind it stay queued until close cancels them,
 * as libuv stops writing after a failure. A new write when nothing is
 * queued is tried again, and fails with EPIPE on a dead connection.
 *
 * **Shutdown** waits for the queued writes, then ends the socket and calls
 * back (rule 7.17); on a connection known to be dead it fails with
 * ENOTCONN, and after a failed connect it waits for close (ECANCELED), as
 * libuv's does. While a connect is in progress nothing completes: a failed
 * connect cancels the queued writes (rule 7.25).
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
import { isNonBlocking, writeNow } from '../platform/fd.js';
import { RequestQueue } from '../requests/request-queue.js';
import {
  ShutdownRequest,
  WriteRequest,
  type StreamRequestCallback,
} from '../requests/stream-requests.js';

/** The largest piece of a request handed to Node at once. */
const PIECE = 64 * 1024;
/** Pieces are handed to Node while it holds fewer bytes than this. */
const NODE_HIGH_WATER = 128 * 1024;

/** A slice of a request as handed to Node. */
interface Piece {
  readonly bytes: Buffer;
  /** Node confirmed that the kernel has it. */
  confirmed: boolean;
}

/** A request on its way to Node: its pieces, handed in order. */
interface Outgoing<S extends LoopHandle> {
  readonly request: WriteRequest<S>;
  readonly pieces: Piece[];
  /** Index of the next piece to hand to Node. */
  next: number;
  /** Pieces handed and not yet confirmed. */
  unconfirmed: number;
}

/** Cuts `buffers` into pieces of at most `PIECE` bytes, without copying. */
function cut(buffers: readonly Buffer[]): Piece[] {
  const pieces: Piece[] = [];
  for (const buffer of buffers) {
    if (buffer.length <= PIECE) {
      pieces.push({ bytes: buffer, confirmed: false });
      continue;
    }
    for (let offset = 0; offset < buffer.length; offset += PIECE)
      pieces.push({ bytes: buffer.subarray(offset, offset + PIECE), confirmed: false });
  }
  return pieces;
}

/** What the writer needs of its stream besides the socket. */
export interface WriterHost {
  /** A connect is in progress. */
  connecting(): boolean;
  /** The descriptor under the socket when uvts knows it, for `tryWrite`; `null` otherwise. */
  descriptor(): number | null;
  /** A write failed: Node is about to destroy the socket (the read side ends). */
  writeFailed(nodeError: unknown): void;
}

/** @internal The write side of one stream; see the module comment. */
export class StreamWriter<S extends LoopHandle> {
  /** The stream accepts writes (libuv's WRITABLE flag): from connect/accept/open until shutdown, a read error or close. */
  writable = false;
  private readonly queue: RequestQueue<S, WriteRequest<S>>;
  /** Requests (or their tails) not handed to Node yet, oldest first. */
  private outbox: Outgoing<S>[] = [];
  /** Requests handed to Node (wholly or partly) and not confirmed yet, oldest first. */
  private handed: Outgoing<S>[] = [];
  /** Bytes of the queued requests not yet confirmed as with the kernel (`writeQueueSize`). */
  private unwritten = 0;
  /** A write failed: requests not done then stay queued until close (rule 7.13). */
  private stalled = false;
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
  }

  /** Bytes accepted by `write()` and not yet with the kernel (libuv's `write_queue_size`). */
  get queueSize(): number {
    return this.unwritten;
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
    // libuv writes at once only when nothing is queued; after a failure
    // that is how a later write learns that the connection is gone.
    if (this.stalled && this.unwritten === 0) this.stalled = false;
    this.queue.add(request);
    this.unwritten += request.size;
    this.outbox.push({ request, pieces: cut(buffers), next: 0, unconfirmed: 0 });
    if (!this.stalled) this.pump(socket, true);
    return request;
  }

  /**
   * Hands pieces to Node while it holds little, and completes what Node
   * wrote synchronously: inside `write()` (`inWrite`) that is libuv's
   * completion inside `uv_write`, whose callback runs at the next pending
   * batch; from a Node callback it is a completion for POLL.
   */
  private pump(socket: net.Socket, inWrite: boolean): void {
    let completedNow = false;
    while (this.outbox.length > 0 && socket.writableLength < NODE_HIGH_WATER) {
      const entry = this.outbox[0] as Outgoing<S>;
      const piece = entry.pieces[entry.next++] as Piece;
      if (entry.next === entry.pieces.length) this.outbox.shift();
      if (entry.unconfirmed++ === 0) this.handed.push(entry);
      const alreadyDead = socket.destroyed;
      socket.write(piece.bytes, (error) => this.onPieceDone(socket, entry, piece, error));
      if (socket.destroyed || socket.errored !== null) {
        // Node failed the write at once, or the socket was dead already.
        const cause: unknown = alreadyDead ? null : socket.errored;
        this.lost(cause);
        if (inWrite) this.failHead(socket, cause, true);
        else this.connection.report(() => this.failHead(socket, cause, false));
        return;
      }
      if (this.host.connecting() || socket.writableLength !== 0) continue;
      // Node wrote everything handed so far synchronously: it is with the kernel.
      if (this.confirmHanded(socket, inWrite)) completedNow = true;
    }
    if (completedNow) this.connection.feed();
  }

  /**
   * Confirms every piece handed so far. Requests it finishes are done at
   * once inside `write()` (returns true: feed the pending queue), else
   * reported to POLL.
   */
  private confirmHanded(socket: net.Socket, inWrite: boolean): boolean {
    let completed = false;
    for (const entry of this.handed) {
      for (let index = 0; index < entry.next; index++) {
        const piece = entry.pieces[index] as Piece;
        if (piece.confirmed) continue;
        piece.confirmed = true;
        this.unwritten -= piece.bytes.length;
      }
      entry.unconfirmed = 0;
      if (entry.next !== entry.pieces.length) continue;
      if (!inWrite) {
        this.connection.report(() => this.confirmed(socket, entry));
      } else {
        this.queue.complete(entry.request, null);
        completed = true;
      }
    }
    this.handed = [];
    return completed;
  }

  /** A write failed: the connection is dead, and the stream hears it now (before Node's 'error'). */
  private lost(cause: unknown): void {
    this.dead = true;
    this.host.writeFailed(cause);
  }

  /** Node's callback for one piece (from Node's loop, so it only records; see `confirmed`). */
  private onPieceDone(
    socket: net.Socket,
    entry: Outgoing<S>,
    piece: Piece,
    error: Error | null | undefined,
  ): void {
    if (piece.confirmed || entry.request.done || !this.connection.isCurrent(socket)) return;
    if ((error !== null && error !== undefined) || socket.destroyed) {
      const cause = error ?? null;
      this.lost(cause);
      this.connection.report(() => this.failHead(socket, cause, false));
      return;
    }
    piece.confirmed = true;
    this.unwritten -= piece.bytes.length;
    if (--entry.unconfirmed === 0) {
      const index = this.handed.indexOf(entry);
      if (index !== -1) this.handed.splice(index, 1);
      if (entry.next === entry.pieces.length)
        this.connection.report(() => this.confirmed(socket, entry));
    }
    // The kernel took more: hand Node the next pieces now, to keep it busy.
    if (!this.stalled) this.pump(socket, false);
  }

  /** In POLL: Node confirmed the last piece of `entry`'s request. */
  private confirmed(socket: net.Socket, entry: Outgoing<S>): void {
    if (this.stream.closing || !this.connection.isCurrent(socket) || entry.request.done) return;
    // No write can finish before its connect: a Node callback that arrives
    // while the connect is still pending is the fallout of a failed
    // connect, which cancels the write itself (rule 7.25).
    if (this.host.connecting()) return;
    // Writes queued while connecting go out at libuv's first writability
    // event after the connect callback: the next POLL (rule 7.25). Node
    // flushes them the moment it connects, so their completion is held
    // back to the next POLL when it arrives in the connect's own.
    if (this.connectedInPoll === this.loop.pollCount) {
      this.connection.report(() => this.confirmed(socket, entry));
      return;
    }
    this.queue.complete(entry.request, null);
    this.runCallbacks();
  }

  /**
   * A write failed (`cause`: Node's error, or `null` when Node only left
   * the socket destroyed). The oldest request not done fails with the
   * kernel's error and the writer stalls (rule 7.13); `now` when found
   * inside `write()`, whose callback then runs at the next pending batch.
   */
  private failHead(socket: net.Socket, cause: unknown, now: boolean): void {
    if (this.stream.closing || !this.connection.isCurrent(socket) || this.host.connecting()) return;
    if (this.stalled) return;
    this.stalled = true;
    const head = this.handed[0] ?? this.outbox[0];
    if (head === undefined || head.request.done) return;
    this.unwritten -= this.unconfirmedBytes(head);
    this.queue.complete(head.request, this.deadSocketError(cause));
    this.forget(head);
    if (now) this.connection.feed();
    else this.runCallbacks();
  }

  /** The error of a write on a dead socket: Node's, or EPIPE when Node gave none. */
  private deadSocketError(cause: unknown): UVError {
    const errors = this.loop.errors;
    if (cause === null || cause === undefined) return errors.error(StatusCode.EPIPE, 'write');
    return errors.fromNode(cause, 'write');
  }

  private unconfirmedBytes(entry: Outgoing<S>): number {
    let bytes = 0;
    for (const piece of entry.pieces) if (!piece.confirmed) bytes += piece.bytes.length;
    return bytes;
  }

  /** Drops `entry` from the lists of requests on their way. */
  private forget(entry: Outgoing<S>): void {
    const handedAt = this.handed.indexOf(entry);
    if (handedAt !== -1) this.handed.splice(handedAt, 1);
    const outAt = this.outbox.indexOf(entry);
    if (outAt !== -1) this.outbox.splice(outAt, 1);
  }

  /**
   * `uv_try_write`: writes what the kernel takes now, straight to the
   * socket's descriptor, and returns that count; EAGAIN while a connect or
   * earlier writes are pending, when the kernel takes nothing, and where
   * uvts does not know a non-blocking descriptor under the socket (Node
   * cannot write without queueing; docs/deviations.md S4).
   */
  tryWrite(buffers: readonly Buffer[], hasDescriptor: boolean): number {
    const errors = this.loop.errors;
    const busy = this.connection.current?.writableLength ?? 0;
    if (this.host.connecting() || this.unwritten > 0 || busy > 0 || !this.queue.isEmpty())
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
    this.stalled = true;
    this.outbox = [];
    this.handed = [];
    this.unwritten = 0;
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
    if (this.dead || socket.destroyed)
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
    this.outbox = [];
    this.handed = [];
    this.unwritten = 0;
    this.queue.cancelAll(() => errors.status(StatusCode.ECANCELED, 'write'));
    const shutdown = this.shutdownRequest;
    this.shutdownRequest = null;
    if (shutdown !== null && shutdown.finish() && shutdown.callback !== null) {
      const canceled = errors.status(StatusCode.ECANCELED, 'shutdown');
      this.loop.invoke1(this.stream, 'shutdown', shutdown.callback, canceled);
    }
  }
}
