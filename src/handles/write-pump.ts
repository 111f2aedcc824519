/**
 * How the bytes of write requests reach Node, for the stream writer
 * (stream-writer.ts): in pieces, as the kernel makes room, each confirmed
 * only when Node says the kernel has it.
 *
 * Node would take any amount at once and call back when the last byte is
 * gone — in batches, since it joins the writes it buffers into one
 * `writev` (hundreds of 64 KiB requests called back together under a slow
 * reader). libuv instead calls back each request as the kernel takes it.
 * So a request is cut into pieces of at most `PIECE` bytes, and pieces are
 * handed to Node only while it holds fewer than `NODE_HIGH_WATER` bytes;
 * the rest waits in `outbox` and is handed over from Node's write
 * callbacks, as the kernel drains. Callbacks and `unwritten` (libuv's
 * `write_queue_size`) thus follow the drain to within `NODE_HIGH_WATER`
 * bytes (docs/deviations.md S13).
 *
 * What counts as written: `writableLength === 0` right after
 * `socket.write()` on a socket that is neither destroyed nor errored (Node
 * wrote everything synchronously), or Node's callback without an error on
 * a socket that is still alive. Neither alone is proof: Node leaves
 * `writableLength` at 0 when the write failed at once or the socket is
 * already destroyed, and it calls back writes in flight with no error when
 * it destroys a socket under them (docs/node.md Q8). Those are failures.
 *
 * @module
 */
import type net from 'node:net';

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
interface Outgoing<T> {
  readonly item: T;
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

/** What the pump tells the writer. */
export interface PumpEvents<T> {
  /** Node confirmed the last piece of `item` from its own callback (report it to POLL). */
  confirmedLater(socket: net.Socket, item: T): void;
  /** A write failed: `cause` is Node's error, or `null` when Node only destroyed the socket. */
  failed(socket: net.Socket, cause: unknown, inWrite: boolean): void;
}

/** @internal The pieces of one stream's requests on their way to Node; see the module comment. */
export class WritePump<T> {
  /** Nothing more is handed to Node (a write failed; rule 7.13). */
  stopped = false;
  /** Requests (or their tails) not handed to Node yet, oldest first. */
  private outbox: Outgoing<T>[] = [];
  /** Requests handed to Node (wholly or partly) and not confirmed yet, oldest first. */
  private handed: Outgoing<T>[] = [];
  /** Bytes of the requests added and not confirmed as with the kernel. */
  private unconfirmedBytes = 0;

  /**
   * @param isCurrent Whether `socket` is still the stream's.
   * @param connecting Whether a connect is in progress (Node holds the writes until it ends).
   * @param events Where confirmations and failures go.
   */
  constructor(
    private readonly isCurrent: (socket: net.Socket) => boolean,
    private readonly connecting: () => boolean,
    private readonly events: PumpEvents<T>,
  ) {}

  /** Bytes added and not yet confirmed (libuv's `write_queue_size`). */
  get unwritten(): number {
    return this.unconfirmedBytes;
  }

  /** Queues a request's bytes. */
  add(item: T, buffers: readonly Buffer[], size: number): void {
    this.unconfirmedBytes += size;
    this.outbox.push({ item, pieces: cut(buffers), next: 0, unconfirmed: 0 });
  }

  /**
   * Hands pieces to Node while it holds little. Returns the requests Node
   * wrote synchronously when called from `write()` (`inWrite`: libuv's
   * completion inside `uv_write`); from a Node callback they are reported
   * through `confirmedLater` instead.
   */
  pump(socket: net.Socket, inWrite: boolean): T[] {
    const done: T[] = [];
    while (!this.stopped && this.outbox.length > 0 && socket.writableLength < NODE_HIGH_WATER) {
      const entry = this.outbox[0] as Outgoing<T>;
      const piece = entry.pieces[entry.next++] as Piece;
      if (entry.next === entry.pieces.length) this.outbox.shift();
      if (entry.unconfirmed++ === 0) this.handed.push(entry);
      const alreadyDead = socket.destroyed;
      socket.write(piece.bytes, (error) => this.onPieceDone(socket, entry, piece, error));
      if (socket.destroyed || socket.errored !== null) {
        // Node failed the write at once, or the socket was dead already.
        this.events.failed(socket, alreadyDead ? null : socket.errored, inWrite);
        break;
      }
      if (this.connecting() || socket.writableLength !== 0) continue;
      // Node wrote everything handed so far synchronously: it is with the kernel.
      for (const item of this.confirmHanded()) {
        if (inWrite) done.push(item);
        else this.events.confirmedLater(socket, item);
      }
    }
    return done;
  }

  /** Confirms every piece handed so far; returns the requests that completes. */
  private confirmHanded(): T[] {
    const completed: T[] = [];
    for (const entry of this.handed) {
      for (let index = 0; index < entry.next; index++) {
        const piece = entry.pieces[index] as Piece;
        if (piece.confirmed) continue;
        piece.confirmed = true;
        this.unconfirmedBytes -= piece.bytes.length;
      }
      entry.unconfirmed = 0;
      if (entry.next === entry.pieces.length) completed.push(entry.item);
    }
    this.handed = [];
    return completed;
  }

  /** Node's callback for one piece; it comes from Node's loop, so it only records. */
  private onPieceDone(
    socket: net.Socket,
    entry: Outgoing<T>,
    piece: Piece,
    error: Error | null | undefined,
  ): void {
    if (piece.confirmed || !this.isCurrent(socket) || this.stopped) return;
    if ((error !== null && error !== undefined) || socket.destroyed) {
      this.events.failed(socket, error ?? null, false);
      return;
    }
    piece.confirmed = true;
    this.unconfirmedBytes -= piece.bytes.length;
    if (--entry.unconfirmed === 0) {
      const index = this.handed.indexOf(entry);
      if (index !== -1) this.handed.splice(index, 1);
      if (entry.next === entry.pieces.length) this.events.confirmedLater(socket, entry.item);
    }
    // The kernel took more: hand Node the next pieces now, to keep it busy.
    this.pump(socket, false);
  }

  /** The oldest request not confirmed, if any: the one a failure hits. */
  head(): T | undefined {
    return (this.handed[0] ?? this.outbox[0])?.item;
  }

  /** Gives up the oldest request (it failed): its bytes no longer count as queued. */
  dropHead(): void {
    const entry = this.handed[0] ?? this.outbox[0];
    if (entry === undefined) return;
    for (const piece of entry.pieces)
      if (!piece.confirmed) this.unconfirmedBytes -= piece.bytes.length;
    if (this.handed[0] === entry) this.handed.shift();
    const outAt = this.outbox.indexOf(entry);
    if (outAt !== -1) this.outbox.splice(outAt, 1);
  }

  /** Forgets everything (close, a failed connect). */
  clear(): void {
    this.outbox = [];
    this.handed = [];
    this.unconfirmedBytes = 0;
  }
}
