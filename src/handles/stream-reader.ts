/**
 * The read side of a stream: `uv_read_start`, `uv_read_stop` and the read
 * callbacks, over the stream's Node socket.
 *
 * A socket stays paused until `startRead()`, so unread data waits in the
 * kernel as it does for libuv. The socket's listeners only record what
 * arrived — a chunk in `buffer`, the end, an error — and report one read
 * completion; POLL delivers it (docs/architecture.md, the one rule). Chunks
 * Node has already handed over when reading stops stay in `buffer` and are
 * delivered first on the next `startRead()`; nothing is dropped. EOF is
 * delivered as `(handle, null, UVError EOF)` after the buffered data, stops
 * reading, and is delivered again by a later `startRead()` (rules 7.5, 7.6).
 *
 * @module
 */
import type net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import type { NodeWatcher } from '../loop/node-watcher.js';
import type { Bivariant, LoopHandle } from '../loop/types.js';
import { drainNow, isNonBlocking } from '../platform/fd.js';

/** A read callback: data, or `null` data with the error (`code === 'EOF'` at end of stream). */
export type ReadCallback<S> = Bivariant<
  (handle: S, data: Buffer | null, error: UVError | null) => void
>;

/** @internal What the reader tells its stream, and asks of it. */
export interface ReaderEvents {
  /** Reading started: the stream becomes active. */
  started(): void;
  /** Reading stopped: the stream may become inactive. */
  stopped(): void;
  /** A read error: the stream is neither readable nor writable any more. */
  failed(): void;
  /**
   * Node reported `error` on the socket: the stream takes it if it is a
   * connect's (returns true); otherwise it ends reading, and the write
   * side learns that the connection is gone.
   */
  connectError(socket: net.Socket, error: Error): boolean;
  /** The connection died under the stream (the writer's shutdown then fails). */
  lost(): void;
  /**
   * Node ended the stream: whether that end was a reset (see `watch`),
   * which libuv reports as ECONNRESET.
   */
  resetAtEnd(): boolean;
  /** Whether EOF comes in the same POLL as the data before it (see `Stream.eofWithData`). */
  eofWithData(): boolean;
}

/** @internal The read side of one stream; see the module comment. */
export class StreamReader<S extends LoopHandle> {
  /** The stream can be read from (libuv's READABLE flag). */
  readable = false;
  private callback: ReadCallback<S> | null = null;
  private buffer: Buffer[] = [];
  private ended = false;
  /** The end Node reported was a reset (see `watch`); `deliver` decides what the user sees. */
  private reset = false;
  private error: UVError | null = null;
  private scheduled = false;
  /** The Node error a failed write consumed: Node emits it as 'error' too, and it is no read error. */
  private writeError: unknown = null;

  /** The completion of a read event; one per stream, since at most one is scheduled at a time. */
  private readonly completion = (): void => {
    this.scheduled = false;
    if (!this.stream.closing) this.deliver();
  };

  constructor(
    private readonly loop: Loop,
    private readonly stream: S,
    private readonly connection: NodeWatcher<net.Socket>,
    private readonly events: ReaderEvents,
  ) {}

  /** True while the user reads (libuv's READING flag). */
  get reading(): boolean {
    return this.callback !== null;
  }

  /** Records the read events of `socket`, the stream's new connection. */
  watch(socket: net.Socket): void {
    const connection = this.connection;
    socket.on(
      'data',
      connection.guard(socket, (chunk: Buffer) => {
        this.buffer.push(chunk);
        this.schedule();
      }),
    );
    socket.on(
      'end',
      connection.guard(socket, () => {
        // Node's libuv ends a short read round that came with a hang-up
        // with EOF, without reading the error a reset left behind (rule
        // 7.7's shortcut); the stream tells whether it was one.
        this.ended = true;
        if (this.events.resetAtEnd()) {
          this.reset = true;
          this.events.lost();
        }
        this.schedule();
      }),
    );
    socket.on(
      'error',
      connection.guard(socket, (error: Error) => {
        // A failed write's error went to its request (stream-writer.ts):
        // libuv's reader never sees it (rule 7.13).
        if (this.events.connectError(socket, error) || error === this.writeError) return;
        this.events.lost();
        this.error = this.loop.errors.fromNode(error, 'read');
        this.schedule();
      }),
    );
  }

  /**
   * A write failed, and Node destroys a socket whose write failed: the
   * read side ends with it. libuv would go on reading what the kernel
   * holds — the peer's last data, then EOF or the reset (luv shows both).
   * So that nothing is lost, it is read now, before Node closes the
   * descriptor: first the chunks Node itself holds, then the kernel's
   * through the descriptor when uvts knows a non-blocking one (`fd`).
   * `writeError` is the Node error the write got, which Node will emit
   * as 'error' too.
   * Without one the read side ends with ECONNRESET after what Node held
   * (docs/deviations.md S14).
   */
  rescue(socket: net.Socket, fd: number | null, writeError: unknown): void {
    if (writeError !== null) this.writeError = writeError;
    if (this.ended || this.error !== null) return;
    while (socket.readableLength > 0) {
      const chunk = socket.read() as Buffer | null;
      if (chunk === null) break;
      this.buffer.push(chunk);
    }
    const errors = this.loop.errors;
    if (fd !== null && !socket.destroyed && isNonBlocking(fd)) {
      const { chunks, end } = drainNow(fd);
      for (const chunk of chunks) this.buffer.push(chunk);
      if (end === 'eof') this.ended = true;
      else if (end === 'again') this.error = errors.status(StatusCode.ECONNRESET, 'read');
      else this.error = errors.fromNode(end, 'read');
    } else {
      this.error = errors.status(StatusCode.ECONNRESET, 'read');
    }
    this.schedule();
  }

  /** `uv_read_start`: EALREADY if already reading, ENOTCONN if not readable. */
  start(callback: ReadCallback<S>): void {
    if (this.callback !== null) throw this.loop.errors.error(StatusCode.EALREADY, 'uv_read_start');
    if (!this.readable) throw this.loop.errors.error(StatusCode.ENOTCONN, 'uv_read_start');
    this.callback = callback;
    this.events.started();
    this.connection.current?.resume();
    if (this.buffer.length > 0 || this.ended || this.error !== null) this.schedule();
  }

  /** `uv_read_stop`; a no-op if not reading. */
  stop(): void {
    if (this.callback === null) return;
    this.callback = null;
    this.connection.current?.pause();
    this.events.stopped();
  }

  /** The stream closes: nothing more is read or delivered. */
  clear(): void {
    this.callback = null;
    this.readable = false;
    this.buffer = [];
  }

  private schedule(): void {
    if (this.scheduled || this.callback === null) return;
    this.scheduled = true;
    this.connection.report(this.completion);
  }

  /** Delivers buffered chunks, then EOF or the read error, while the user keeps reading (rule 7.5). */
  private deliver(): void {
    let delivered = false;
    while (this.callback !== null && this.buffer.length > 0) {
      const chunk = this.buffer.shift() as Buffer;
      delivered = true;
      this.loop.invoke2(this.stream, 'read', this.callback, chunk, null);
    }
    const callback = this.callback;
    if (callback === null) return;
    if (this.reset && this.error === null) {
      // Profile 1.44 takes the hang-up shortcut when the read round that
      // returned the last data is still going: EOF at once (rule 7.7).
      // Otherwise the next read finds the reset: ECONNRESET (luv 1.44.2
      // with a reader that stops after each chunk, and 1.52.1 always).
      if (delivered && this.loop.behaviour.eofWithHangup) {
        this.stop();
        this.loop.invoke2(this.stream, 'read', callback, null, this.eof());
        return;
      }
      this.error = this.loop.errors.status(StatusCode.ECONNRESET, 'read');
    }
    if (this.ended && this.error === null && delivered && !this.events.eofWithData()) {
      // libuv's read round ends on the short read that returned the last
      // data; the read that returns 0 (EOF) comes with the next readiness
      // event, in the next POLL (rule 7.7; eof_after_partial_read).
      this.schedule();
      return;
    }
    if (this.error !== null) {
      const error = this.error;
      this.readable = false;
      this.events.failed();
      this.loop.invoke2(this.stream, 'read', callback, null, error);
      if (!this.stream.closing) this.stop();
    } else if (this.ended) {
      this.stop();
      this.loop.invoke2(this.stream, 'read', callback, null, this.eof());
    }
  }

  private eof(): UVError {
    return this.loop.errors.status(StatusCode.EOF, 'read');
  }
}
