/**
 * The UDP send request (`uv_udp_send_t`): one datagram, where it goes, and
 * its callback. Like the stream requests it only carries what the handle
 * needs; the UDP handle's sender (handles/udp-sender.ts) decides when it
 * goes out and when it is called back.
 *
 * @module
 */
import type { UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import type { Bivariant, LoopHandle } from '../loop/types.js';
import { Request } from './request.js';

/** The callback of a UDP send: the handle, then the error (`null` once the datagram went out). */
export type UDPSendCallback<H> = Bivariant<(handle: H, error: UVError | null) => void>;

/** Where a datagram goes: an IP address and a port. */
export interface Destination {
  /** The address, as Node needs it for the socket (see platform/dgram.ts). */
  readonly ip: string;
  /** The port. */
  readonly port: number;
}

/**
 * Where a send request is: waiting in the handle's queue (`'queued'`);
 * handed to Node, which had to queue it and reports later (`'node'`); or
 * done, its outcome known (`'done'`).
 * @internal
 */
export type SendState = 'queued' | 'node' | 'done';

/** A UDP send request (`uv_udp_send_t`). */
export class UDPSendRequest<H extends LoopHandle = LoopHandle> extends Request {
  /** Always `'udp_send'`. */
  readonly type = 'udp_send';
  /** The UDP handle the request belongs to. */
  readonly handle: H;
  /** Bytes in the datagram. */
  readonly size: number;
  /** @internal The user's callback, if any. */
  readonly callback: UDPSendCallback<H> | null;
  /** @internal The datagram's pieces. */
  readonly buffers: readonly Buffer[];
  /** @internal Where it goes; `null` for the connected peer. */
  readonly destination: Destination | null;
  /**
   * @internal The error the kernel gives this datagram whatever Node would
   * do with it (0: none): EINVAL for port 0, EAFNOSUPPORT for an IPv6
   * address on an IPv4 socket. Node refuses both with other errors, so
   * the handle gives the kernel's answer itself, when libuv's `sendmsg`
   * would have got it.
   */
  refusal = 0;
  /** @internal See {@link SendState}. */
  state: SendState = 'queued';
  /** @internal True once the outcome is known (`state === 'done'`). */
  done = false;
  /** @internal The outcome, once done. */
  error: UVError | null = null;

  /** @internal */
  constructor(
    loop: Loop,
    handle: H,
    buffers: readonly Buffer[],
    size: number,
    destination: Destination | null,
    callback: UDPSendCallback<H> | null,
  ) {
    super(loop);
    this.handle = handle;
    this.buffers = buffers;
    this.size = size;
    this.destination = destination;
    this.callback = callback;
  }
}
