/**
 * The connect side of a stream: the pending `uv_connect_t` and how it ends.
 *
 * A connect completes in POLL, once Node reports the socket connected or
 * its error; the callback runs then, and a failed connect whose callback
 * did not close the stream cancels the writes queued behind it in the same
 * dispatch (rule 7.25). Closing the stream first cancels the connect
 * itself (ECANCELED, before the writes, rule 6.5).
 *
 * @module
 */
import type net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import type { NodeWatcher } from '../loop/node-watcher.js';
import type { LoopHandle } from '../loop/types.js';
import { ConnectRequest, type StreamRequestCallback } from '../requests/stream-requests.js';

/** A connect callback for connects made without one. */
function noop(): void {}

/** What the connect side tells the stream's write side. */
export interface ConnectorEvents {
  /** The connect is over; its callback runs next. */
  connected(): void;
  /** The connect failed and its callback did not close the stream. */
  failed(): void;
}

/** @internal The connect side of one stream; see the module comment. */
export class StreamConnector<S extends LoopHandle & { readonly closing: boolean }> {
  /** The connect in progress, if any. */
  request: ConnectRequest<S> | null = null;

  /**
   * @param loop The stream's loop.
   * @param stream The stream, which the callback receives.
   * @param connection The watcher of the stream's socket.
   * @param events What the stream's write side hears.
   */
  constructor(
    private readonly loop: Loop,
    private readonly stream: S,
    private readonly connection: NodeWatcher<net.Socket>,
    private readonly events: ConnectorEvents,
  ) {}

  /** Connects `socket`, already the stream's connection, with `options`. */
  start(
    socket: net.Socket,
    options: net.NetConnectOpts,
    callback: StreamRequestCallback<S> | undefined,
  ): ConnectRequest<S> {
    const request = new ConnectRequest(this.loop, this.stream, callback ?? noop);
    this.request = request;
    socket.once(
      'connect',
      this.connection.guard(socket, () => {
        this.connection.report(() => this.finish(socket, null));
      }),
    );
    socket.connect(options);
    return request;
  }

  /** Node's 'error' while a connect is in progress is the connect's (returns whether it was). */
  nodeError(socket: net.Socket, error: Error): boolean {
    if (this.request === null) return false;
    const failure = this.loop.errors.fromNode(error, 'connect');
    this.connection.report(() => this.finish(socket, failure));
    return true;
  }

  /** In POLL: the connect of `socket` is over, with `error` or not; its callback, then the writes' fate. */
  private finish(socket: net.Socket, error: UVError | null): void {
    const request = this.request;
    if (this.stream.closing || !this.connection.isCurrent(socket) || request === null) return;
    this.request = null;
    this.events.connected();
    request.finish();
    if (request.callback !== null)
      this.loop.invoke1(this.stream, 'connect', request.callback, error);
    if (error !== null && !this.stream.closing) this.events.failed();
  }

  /** In CLOSING: the pending connect's callback gets ECANCELED. */
  cancel(): void {
    const request = this.request;
    this.request = null;
    if (request === null || !request.finish() || request.callback === null) return;
    const canceled = this.loop.errors.status(StatusCode.ECANCELED, 'connect');
    this.loop.invoke1(this.stream, 'connect', request.callback, canceled);
  }
}
