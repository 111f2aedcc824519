/**
 * The byte stream of an IPC pipe (`Pipe(loop, true)`), over Node's IPC
 * channel, and the handles that travel with it (`uv_write2`, pending
 * handles).
 *
 * libuv's IPC pipe is a Unix socket: bytes flow as in any stream, and
 * `uv_write2` attaches a descriptor to some of them with SCM_RIGHTS. Node
 * passes descriptors only over the IPC channel it sets up itself between a
 * parent and a child it spawned (`'ipc'` in `stdio`), and only as part of
 * its own messages. So an IPC pipe between a uvts parent and the uvts child
 * it spawned speaks a small protocol over that channel (with Node's
 * `'advanced'` serialization, which carries bytes as bytes):
 *
 * - `{ uvts: 1, data }`: bytes of the stream, in write order (`write`);
 * - the same with a Node socket, server or datagram socket attached
 *   (`send(message, handle, { keepOpen: true })`) and `type`, the libuv
 *   handle type it came from (`write2`); the sender keeps its handle, as
 *   with SCM_RIGHTS;
 * - `{ uvts: 1, eof: true }`: the writer shut down (`uv_shutdown`); the
 *   reader gets EOF. Closing the pipe disconnects the channel, which also
 *   reads as EOF on the other side.
 *
 * `IpcStream` turns that into the Duplex a stream adopts as its
 * connection, so reads, writes, their callbacks' order and EOF work
 * exactly as for any pipe (stream-reader.ts, stream-writer.ts); received
 * handles wait in `pending` until the user accepts them. A message that is
 * not uvts's (another program speaking on the channel) is dropped, and a
 * handle that came with it is closed: an IPC pipe takes handles only from
 * uvts at the other end. docs/deviations.md (I rows) lists what this
 * cannot do: unrelated processes, non-uvts peers, more than one channel.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { EarlyDatagram } from './udp.js';

/** The handle types that can travel over an IPC pipe, as libuv names them. */
export type PendingType = 'tcp' | 'pipe' | 'udp';

/** A Node object that travels with a message. */
export type TravellingObject = net.Socket | net.Server | dgram.Socket;

/** @internal A handle `write2` sends: its libuv type and its Node object. */
export interface Attachment {
  readonly type: PendingType;
  readonly object: TravellingObject;
}

/** @internal A received handle waiting for `accept()`. */
export interface PendingHandle extends Attachment {
  /**
   * A UDP socket receives from the moment Node hands it over, and Node
   * drops datagrams nobody listens for: they are kept here until `accept()`.
   */
  readonly early: EarlyDatagram[];
  /** Stops keeping datagrams: the handle that accepts listens from now on. */
  release(): void;
}

/** A received handle, with a UDP socket's datagrams kept until `accept()`. */
function pendingHandle(type: PendingType, object: TravellingObject): PendingHandle {
  const early: EarlyDatagram[] = [];
  if (!(object instanceof dgram.Socket)) return { type, object, early, release: () => {} };
  const keep = (data: Buffer, info: dgram.RemoteInfo): void => void early.push([data, info]);
  object.on('message', keep);
  return { type, object, early, release: () => object.off('message', keep) };
}

/** The Node side of the channel: the `ChildProcess` in the parent, `process` in the child. */
type Endpoint = Pick<ChildProcess, 'send' | 'connected' | 'disconnect' | 'on' | 'off'> & {
  readonly channel?: { ref(): void; unref(): void } | null | undefined;
};

interface UvtsMessage {
  readonly uvts: 1;
  readonly data?: Uint8Array;
  readonly type?: PendingType;
  readonly eof?: true;
}

const PENDING_TYPES = new Set<unknown>(['tcp', 'pipe', 'udp']);

function isUvtsMessage(message: unknown): message is UvtsMessage {
  if (typeof message !== 'object' || message === null) return false;
  const fields = message as Partial<Record<keyof UvtsMessage, unknown>>;
  if (fields.uvts !== 1) return false;
  if (fields.data !== undefined && !(fields.data instanceof Uint8Array)) return false;
  return fields.type === undefined || PENDING_TYPES.has(fields.type);
}

/** Whether `object` is a Node object a handle of `type` is made of. */
function isObjectOfType(object: unknown, type: PendingType): object is TravellingObject {
  if (type === 'udp') return object instanceof dgram.Socket;
  return object instanceof net.Socket || object instanceof net.Server;
}

/** Closes a Node object that came with a message nobody may accept. */
function discard(object: unknown): void {
  if (object instanceof net.Socket) object.destroy();
  else if (object instanceof net.Server) object.close();
  else if (typeof (object as { close?: unknown } | null)?.close === 'function')
    (object as { close(): void }).close();
}

/** @internal The channel as a Duplex; see the module comment. */
export class IpcStream extends Duplex {
  /** Received handles, oldest first. */
  readonly pending: PendingHandle[] = [];
  /** The handle to send with a chunk (`write2`), keyed by the chunk. */
  private readonly attachments = new WeakMap<Buffer, Attachment>();
  /** Messages handed to Node that it has not written yet. */
  private inFlight = 0;
  /** A close waiting for them: closing the channel earlier would drop them. */
  private onDrained: (() => void) | null = null;
  private readonly onMessage = (message: unknown, object: unknown): void => {
    if (!isUvtsMessage(message)) {
      discard(object);
      return;
    }
    if (message.type !== undefined && isObjectOfType(object, message.type))
      this.pending.push(pendingHandle(message.type, object));
    else discard(object);
    if (message.data !== undefined && message.data.length > 0)
      this.push(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.length));
    if (message.eof === true) this.push(null);
  };
  private readonly onDisconnect = (): void => {
    this.push(null);
  };

  constructor(private readonly endpoint: Endpoint) {
    super({ allowHalfOpen: true });
    endpoint.on('message', this.onMessage);
    endpoint.on('disconnect', this.onDisconnect);
    if (!endpoint.connected) this.push(null);
  }

  /** Marks `chunk`, about to be written, as carrying `handle` (`write2`). */
  attach(chunk: Buffer, handle: Attachment): void {
    this.attachments.set(chunk, handle);
  }

  /** Lets the process exit with the channel open: the loop holds the process while it needs to. */
  unref(): void {
    this.endpoint.channel?.unref();
  }

  override _read(): void {
    // Messages are pushed as they come; the channel cannot be paused.
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    if (!this.endpoint.connected) {
      done(Object.assign(new Error('the IPC channel is closed'), { code: 'EPIPE' }));
      return;
    }
    const attachment = this.attachments.get(chunk);
    const message: UvtsMessage =
      attachment === undefined
        ? { uvts: 1, data: chunk }
        : { uvts: 1, data: chunk, type: attachment.type };
    if (attachment === undefined) {
      // Taken by the channel without back-pressure: done at once, as a
      // write libuv completes inside uv_write; otherwise when it is sent.
      let finished = false;
      const taken = this.send(message, undefined, (error) => {
        if (!finished) {
          finished = true;
          done(error);
        } else if (error !== null) {
          this.destroy(error);
        }
      });
      if (taken && !finished) {
        finished = true;
        done();
      }
      return;
    }
    this.send(message, attachment.object, done);
  }

  /** Sends through the endpoint, counting the message until Node has written it. */
  private send(
    message: UvtsMessage,
    object: TravellingObject | undefined,
    sent: (error: Error | null) => void,
  ): boolean {
    // Node may hold a message back (behind a handle the peer has not
    // acknowledged yet); until it is written the process must not end, or
    // a write already reported as done would be lost.
    if (this.inFlight++ === 0) this.endpoint.channel?.ref();
    const callback = (error: Error | null): void => {
      sent(error);
      if (--this.inFlight > 0) return;
      this.endpoint.channel?.unref();
      this.onDrained?.();
    };
    return object === undefined
      ? this.endpoint.send(message, callback)
      : this.endpoint.send(message, object as net.Socket, { keepOpen: true }, callback);
  }

  override _final(done: (error?: Error | null) => void): void {
    if (!this.endpoint.connected) {
      done();
      return;
    }
    this.send({ uvts: 1, eof: true }, undefined, (error) => done(error));
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.endpoint.off('message', this.onMessage);
    this.endpoint.off('disconnect', this.onDisconnect);
    for (const entry of this.pending.splice(0)) discard(entry.object);
    const disconnect = (): void => {
      this.onDrained = null;
      if (this.endpoint.connected) this.endpoint.disconnect();
      done(error);
    };
    // What writes reported as done must arrive: disconnect once Node wrote it.
    if (this.inFlight > 0 && this.endpoint.connected) this.onDrained = disconnect;
    else disconnect();
  }
}

/** @internal The IPC endpoint of this process if `fd` is its channel (a child spawned with `'ipc'`). */
export function ownChannelAt(fd: number): Endpoint | null {
  const channel = process.channel as
    (NonNullable<typeof process.channel> & { fd?: number }) | undefined;
  if (channel === undefined || channel.fd !== fd || typeof process.send !== 'function') return null;
  return process as unknown as Endpoint;
}
