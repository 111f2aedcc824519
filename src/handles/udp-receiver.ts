/**
 * The receive side of a UDP handle: libuv's `uv__udp_recvmsg` over the
 * datagrams a `dgram.Socket` hands over.
 *
 * Node reads a UDP socket from the moment it is bound, whether anyone
 * listens or not, and has no public way to stop (docs/node.md Q9). libuv
 * reads only while receiving; what arrives meanwhile waits in the kernel
 * and comes out at the next `uv_udp_recv_start` (rule 8.3). So the
 * datagrams Node hands over are kept here, in arrival order, and delivered
 * only while the handle receives: this queue plays the kernel's receive
 * queue. Like the kernel's it is bounded, by the socket's receive buffer
 * size charged the way Linux charges it (`datagramCharge`); a datagram
 * that does not fit is dropped, as the kernel drops it, and counted
 * (`dropped`), never lost silently.
 *
 * A readiness round (rule 8.4) delivers up to 32 datagrams, one receive
 * callback each, and ends with one "nothing more to read" callback (no
 * data, no address) when the queue ran dry before the 32nd. Node's own
 * libuv reads at most 32 datagrams per readiness event too, so 32 in one of
 * Node's poll phases means the kernel may hold more: a round that runs dry
 * then ends without the "nothing more" call, and the rest come with Node's
 * next poll phase.
 *
 * An error the socket reports (ECONNREFUSED on a connected socket, from an
 * ICMP message) is the kernel's single pending socket error: it is
 * returned before any queued datagram and ends the round. libuv 1.52 then
 * reads the socket's error queue, which makes one more "nothing more"
 * call (`udpNothingMoreAfterError`). While the handle does not receive,
 * the error waits, and the next send consumes it (udp-sender.ts).
 *
 * @module
 */
import type { UVError } from '../errors/index.js';
import { StatusCode } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import type { NodeWatcher } from '../loop/node-watcher.js';
import type { Bivariant, LoopHandle } from '../loop/types.js';
import type dgram from 'node:dgram';
import type { SocketAddress } from '../platform/net-address.js';

/**
 * A receive callback: the handle, the sender's address, the flags
 * (`UDP.PARTIAL`), the datagram and the error. The "nothing more to read"
 * call has a `null` address and data and no error; a zero-length datagram
 * has an empty buffer and an address.
 */
export type RecvCallback<H> = Bivariant<
  (
    handle: H,
    address: SocketAddress | null,
    flags: number,
    data: Buffer | null,
    error: UVError | null,
  ) => void
>;

/** `UV_UDP_PARTIAL`: the datagram did not fit and was truncated. */
export const PARTIAL = 2;
/** Datagrams one readiness round reads at most, in libuv (and in Node's libuv). */
const ROUND = 32;
/** The buffer libuv suggests to `alloc_cb`. */
export const SUGGESTED_SIZE = 65536;

/**
 * What a datagram of `length` bytes costs the receive buffer on Linux (the
 * socket buffer's "truesize"): the packet buffer, rounded up by the slab
 * allocator, plus its bookkeeping. Measured with libuv on Linux 6.x
 * (docs/deviations.md U1): 256 datagrams of up to 150 bytes fit the default
 * 212992-byte buffer, 166 of up to 598, 92 of up to 1622, and larger ones
 * take whole pages.
 */
export function datagramCharge(length: number): number {
  const linear = length + 426;
  if (linear <= 576) return 832;
  if (linear <= 8192) return 256 + 2 ** Math.ceil(Math.log2(linear));
  return 1280 + Math.ceil(length / 4096) * 4096;
}

/** The sender of a datagram, from what Node says of it (no parsing: Node names the family). */
function senderAddress(info: dgram.RemoteInfo): SocketAddress {
  if (info.family === 'IPv6')
    return { address: info.address, port: info.port, family: 'IPv6', flowinfo: 0, scopeId: 0 };
  return { address: info.address, port: info.port, family: 'IPv4' };
}

interface Datagram {
  readonly data: Buffer;
  readonly address: SocketAddress;
}

/** @internal The receive side of one UDP handle; see the module comment. */
export class UdpReceiver<H extends LoopHandle> {
  /** Receiving (libuv's POLLIN interest). */
  receiving = false;
  /** Datagrams dropped because the receive queue was full. */
  dropped = 0;
  /** The receive buffer's size, in bytes (SO_RCVBUF as Linux reports it). */
  capacity = 212992;
  private callback: RecvCallback<H> | null = null;
  private bufferSize = SUGGESTED_SIZE;
  private queue: Datagram[] = [];
  private head = 0;
  private charged = 0;
  private socketError: UVError | null = null;
  /** Datagrams Node read in its current poll phase, and whether that phase is still on. */
  private phaseCount = 0;
  private phaseOpen = false;
  /** Numbers Node's poll phases, so that a late immediate closes only its own. */
  private phaseSerial = 0;
  /** Datagrams Node read in its last finished poll phase. */
  private lastPhaseCount = 0;
  private roundReported = false;
  private readonly endPhase = (): void => {
    this.lastPhaseCount = this.phaseCount;
    this.phaseCount = 0;
    this.phaseOpen = false;
  };

  /**
   * @param loop The handle's loop.
   * @param host The handle, which the callbacks receive.
   * @param watcher The watcher of the handle's socket.
   */
  constructor(
    private readonly loop: Loop,
    private readonly host: H,
    private readonly watcher: NodeWatcher<dgram.Socket>,
  ) {}

  /** A datagram from Node: queued if it fits (see the module comment). */
  onMessage(data: Buffer, info: dgram.RemoteInfo): void {
    // Count Node's reads per poll phase. While the loop waits, the round
    // this message schedules runs right after the phase and closes it;
    // otherwise an immediate (which runs after the phase) does.
    if (!this.phaseOpen) {
      this.phaseOpen = true;
      const phase = ++this.phaseSerial;
      if (!this.loop.poller.waiting || !this.receiving) {
        setImmediate(() => {
          if (this.phaseOpen && this.phaseSerial === phase) this.endPhase();
        });
      }
    }
    this.phaseCount++;
    const charge = datagramCharge(data.length);
    if (this.charged + charge > this.capacity) {
      this.dropped++;
      return;
    }
    this.charged += charge;
    this.queue.push({ data, address: senderAddress(info) });
    this.schedule();
  }

  /** An error Node read from the socket: the socket's pending error. */
  onError(error: UVError): void {
    this.socketError = error;
    this.schedule();
  }

  /** Takes the pending socket error, for a send that would have returned it. */
  takeSocketError(): UVError | null {
    const error = this.socketError;
    this.socketError = null;
    return error;
  }

  /** `uv_udp_recv_start` once the handle has its socket. */
  start(callback: RecvCallback<H>, bufferSize: number): void {
    this.callback = callback;
    this.bufferSize = bufferSize;
    this.receiving = true;
    this.schedule(true);
  }

  /** `uv_udp_recv_stop`: datagrams keep arriving into the queue. */
  stop(): void {
    this.receiving = false;
    this.callback = null;
  }

  /** Forgets everything queued (the handle closes). */
  clear(): void {
    this.stop();
    this.queue = [];
    this.head = 0;
    this.charged = 0;
    this.socketError = null;
  }

  private get readable(): boolean {
    return this.head < this.queue.length || this.socketError !== null;
  }

  /**
   * Records a readiness event for the next POLL while there is something to
   * read: one Node just reported, or (`known`) one the queue already held,
   * which must not spare POLL Node's turn (poller.ts).
   */
  private schedule(known = false): void {
    if (!this.receiving || this.roundReported || !this.readable) return;
    this.roundReported = true;
    if (known) this.watcher.reportKnown(this.onReadable);
    else this.watcher.report(this.onReadable);
  }

  private readonly onReadable = (): void => {
    this.roundReported = false;
    if (this.host.closing || !this.receiving) return;
    this.round();
    // Level-triggered, as epoll is for libuv: what is left is read at the next POLL.
    this.schedule(true);
  };

  /** One readiness round: `uv__udp_recvmsg` (see the module comment). */
  private round(): void {
    // Node's read of the socket stopped at its own limit: the kernel may hold more.
    if (this.phaseOpen) this.endPhase();
    const nodeCount = this.lastPhaseCount;
    this.lastPhaseCount = 0;
    const nodeRoundFull = nodeCount > 0 && nodeCount % ROUND === 0;
    for (let count = ROUND; count > 0; count--) {
      if (!this.receiving || this.host.closing) return;
      const callback = this.callback as RecvCallback<H>;
      if (this.bufferSize === 0) {
        // alloc_cb gave no buffer: the round ends; the datagram stays.
        const error = this.loop.errors.status(StatusCode.ENOBUFS, 'uv_udp_recv');
        this.loop.invoke4(this.host, 'recv', callback, null, 0, null, error);
        return;
      }
      const error = this.takeSocketError();
      if (error !== null) {
        this.loop.invoke4(this.host, 'recv', callback, null, 0, null, error);
        if (this.loop.behaviour.udpNothingMoreAfterError) this.nothingMore();
        return;
      }
      if (this.head === this.queue.length) {
        if (!nodeRoundFull) this.nothingMore();
        return;
      }
      const datagram = this.shift();
      let data = datagram.data;
      let flags = 0;
      if (data.length > this.bufferSize) {
        data = data.subarray(0, this.bufferSize);
        flags = PARTIAL;
      }
      this.loop.invoke4(this.host, 'recv', callback, datagram.address, flags, data, null);
    }
  }

  /** The "nothing more to read" call, if the handle still receives. */
  private nothingMore(): void {
    if (!this.receiving || this.host.closing) return;
    const callback = this.callback as RecvCallback<H>;
    this.loop.invoke4(this.host, 'recv', callback, null, 0, null, null);
  }

  private shift(): Datagram {
    const datagram = this.queue[this.head] as Datagram;
    this.queue[this.head] = undefined as unknown as Datagram;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.charged -= datagramCharge(datagram.data.length);
    return datagram;
  }
}
