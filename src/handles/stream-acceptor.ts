/**
 * The listening side of a stream: libuv's `uv_listen`, its server watcher
 * (`uv__server_io`) and the one connection it holds for `uv_accept`.
 *
 * Node's `net.Server` accepts every connection the moment it arrives and
 * emits it at once. libuv hands connections to the user one at a time: it
 * accepts one, calls the connection callback, and watches the server again
 * only once `uv_accept` has taken that one (rule 7.22). So the sockets
 * Node accepted wait here, paused, in arrival order; one of them at a time
 * is *announced* through the connection callback, in POLL, and `accept()`
 * takes exactly that one. The next is announced in the next POLL, where
 * libuv's next readiness event would announce it.
 *
 * A failed `accept()` (a client that already has a socket) loses the
 * connection, as in libuv. Inside the connection callback the server is
 * still being watched, so the next one is announced; after it (a late
 * accept, when libuv had already stopped watching) nothing more is
 * announced until `listen()` is called again.
 *
 * @module
 */
import net from 'node:net';
import type { Loop } from '../loop/loop.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import type { Bivariant, LoopHandle } from '../loop/types.js';
import { listenNow } from '../platform/net-address.js';

function ignore(): void {}

/** A connection callback, as `Stream.listen()` takes it (bivariant, see `Bivariant`). */
export type AcceptorCallback<S> = Bivariant<(server: S, error: null) => void>;

/** @internal The listening side of one stream; see the module comment. */
export class Acceptor<S extends LoopHandle> {
  /** The user's connection callback, set by every `listen()`. */
  callback: AcceptorCallback<S> | null = null;
  /** The watcher of the Node server (which it unrefs: the loop holds the process, stream.ts). */
  private readonly watcher: NodeWatcher<net.Server>;
  /** Connections Node accepted that the user has not, oldest first. */
  private readonly waiting: net.Socket[] = [];
  /** The connection callback ran for `waiting[0]` and `accept()` has not taken it. */
  private announced = false;
  /** A late `accept()` failed: nothing is announced until `listen()` again. */
  private stalled = false;
  /** True while the connection callback runs. */
  private inCallback = false;
  private readonly announceCompletion = (): void => this.announce();

  /**
   * Creates a Node server for `stream` and listens with `options`,
   * synchronously (see `listenNow`). Returns the listening side, or `null`
   * when the bind or listen failed (the caller reports why).
   */
  static listen<S extends LoopHandle>(
    loop: Loop,
    stream: S,
    options: net.ListenOptions,
  ): Acceptor<S> | null {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    // Node emits a failed listen's error on the next tick; the caller
    // reports it synchronously, so this listener only keeps it from crashing.
    server.on('error', ignore);
    if (!listenNow(server, options)) {
      server.close();
      return null;
    }
    return new Acceptor(loop, stream, server);
  }

  /**
   * The listening side of a server that came over an IPC pipe (see
   * pipe-ipc.ts): it listens already; its connections wait until
   * `listen()` gives it a callback, and are then announced one at a time.
   */
  static adopt<S extends LoopHandle>(loop: Loop, stream: S, server: net.Server): Acceptor<S> {
    // The settings `listen()` would have made: paused, half-open connections.
    const settable = server as net.Server & { allowHalfOpen: boolean; pauseOnConnect: boolean };
    settable.allowHalfOpen = true;
    settable.pauseOnConnect = true;
    server.on('error', ignore);
    return new Acceptor(loop, stream, server);
  }

  /** Watches `server`, which must already be listening, for `stream`. */
  private constructor(
    private readonly loop: Loop,
    private readonly stream: S,
    readonly server: net.Server,
  ) {
    this.watcher = new NodeWatcher(loop);
    this.watcher.attach(server);
    server.on('connection', (socket: net.Socket) => {
      // Not `guard`ed: a connection that arrives after close must still be destroyed.
      if (!this.watcher.isCurrent(server) || stream.closing) {
        socket.destroy();
        return;
      }
      socket.pause();
      this.waiting.push(socket);
      this.watcher.report(this.announceCompletion);
    });
    // Errors after a successful listen (rare: EMFILE on accept) have no
    // libuv counterpart on 1.52, which drops accept errors; they must not
    // take the process down either (the listener added by `listen`).
  }

  /**
   * `listen()` on a listening stream: watching resumes after a failed late
   * accept; an adopted server's first `listen()` announces what waits.
   */
  resume(): void {
    this.stalled = false;
    this.announceNext();
  }

  /** The announced connection, for `accept()`; `undefined` when there is none. */
  take(): net.Socket | undefined {
    if (!this.announced) return undefined;
    this.announced = false;
    return this.waiting.shift();
  }

  /** `accept()` gave the taken connection a home: the next one may be announced. */
  accepted(): void {
    this.announceNext();
  }

  /** `accept()` could not use the taken connection: it is lost, as in libuv. */
  refused(socket: net.Socket): void {
    socket.destroy();
    if (this.inCallback) this.announceNext();
    else this.stalled = true;
  }

  /** Stops listening and drops the connections nobody accepted (`uv_close`). */
  close(): void {
    if (this.watcher.detach() === null) return;
    this.server.close();
    for (const socket of this.waiting) socket.destroy();
    this.waiting.length = 0;
  }

  private announce(): void {
    const callback = this.callback;
    if (
      callback === null ||
      !this.watcher.isCurrent(this.server) ||
      this.stream.closing ||
      this.announced ||
      this.stalled ||
      this.waiting.length === 0
    )
      return;
    this.announced = true;
    this.inCallback = true;
    this.loop.invoke1(this.stream, 'connection', callback, null);
    this.inCallback = false;
  }

  /** libuv keeps watching the server: if more connections wait, the next POLL announces one. */
  private announceNext(): void {
    if (this.waiting.length > 0) this.watcher.report(this.announceCompletion);
  }
}
