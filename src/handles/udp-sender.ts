/**
 * The send side of a UDP handle: libuv's `write_queue` and
 * `write_completed_queue` of `src/unix/udp.c`, over a `dgram.Socket`.
 *
 * libuv sends a datagram at one of three moments, and the moment decides
 * the phase its callback runs in (docs/semantics.md rule 8.5):
 *
 * - inside `uv_udp_send`, when nothing is queued and the handle is not busy
 *   calling back: the callback runs in the next PENDING phase (the handle's
 *   watcher is fed to the pending queue);
 * - in PENDING, when the fed watcher runs: everything queued meanwhile goes
 *   out and is called back there, with the first;
 * - in POLL, at the next writability event, for requests queued while the
 *   handle was busy (sent from a send callback) or left behind an error:
 *   called back in POLL.
 *
 * The sender reproduces those moments with its own queue: a request is
 * handed to Node exactly when libuv would call `sendmsg`, and Node says
 * synchronously whether the kernel took it (platform/dgram.ts). When the
 * kernel's buffer is full Node queues the datagram itself and reports
 * later; the request then completes in the POLL that report reaches, as
 * libuv's would after its writability event.
 *
 * Errors (rule 10.6): libuv 1.44 sends the queue with `sendmmsg`, at most
 * 20 datagrams per call, and when the first datagram of a call is refused
 * every request of that call fails with the same error, unsent. 1.52 fails
 * only the refused request. Both stop sending at the error; what is left
 * goes out at the next writability event (`udpSendErrorFailsBatch`).
 *
 * The counters (`sendQueueCount`, `sendQueueSize`) count a request until
 * its callback is about to run, one request at a time (request-queue.ts,
 * `'each'`).
 *
 * @module
 */
import type dgram from 'node:dgram';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import type { NodeWatcher } from '../loop/node-watcher.js';
import type { LoopHandle } from '../loop/types.js';
import { sendNow } from '../platform/dgram.js';
import { RequestQueue } from '../requests/request-queue.js';
import type { UDPSendRequest } from '../requests/udp-send-request.js';

/** libuv 1.44 passes at most this many datagrams to one `sendmmsg` call (`UV__MMSG_MAXWIDTH`). */
const SENDMMSG_WIDTH = 20;

/** What the sender needs of its handle besides the queue. */
export interface SenderHost extends LoopHandle {
  /** Whether the handle receives (its POLLIN watcher is armed). */
  readonly receiving: boolean;
  /** libuv's `uv__handle_start` / `uv__handle_stop`. */
  setActive(active: boolean): void;
  /** Takes the socket's pending error (an ICMP report on a connected socket), if any. */
  takeSocketError(): UVError | null;
}

/** @internal The send side of one UDP handle; see the module comment. */
export class UdpSender<H extends SenderHost> {
  private readonly queue: RequestQueue<H, UDPSendRequest<H>>;
  /** Calling back completed requests (libuv's UV_HANDLE_UDP_PROCESSING): a send waits for POLLOUT. */
  private processing = false;
  /** libuv's POLLOUT interest: requests wait to be sent (or for Node's report). */
  private pollOut = false;
  /** A POLL completion that handles the writability event is recorded and has not run. */
  private pollOutReported = false;
  /** Requests Node queued, oldest first (see `onNodeReport`). */
  private inNode: UDPSendRequest<H>[] = [];

  /**
   * @param loop The handle's loop.
   * @param host The handle, which the callbacks receive.
   * @param watcher The watcher of the handle's socket, also its pending-queue entry.
   */
  constructor(
    private readonly loop: Loop,
    private readonly host: H,
    private readonly watcher: NodeWatcher<dgram.Socket>,
  ) {
    this.queue = new RequestQueue(loop, host, 'send', 'each');
  }

  /** Requests whose callback has not run (`uv_udp_get_send_queue_count`). */
  get count(): number {
    return this.queue.count;
  }

  /** Bytes of those requests (`uv_udp_get_send_queue_size`). */
  get size(): number {
    return this.queue.size;
  }

  /** libuv's POLLOUT interest, which keeps the handle active after `stopRecv()`. */
  get writing(): boolean {
    return this.pollOut;
  }

  /** `uv__udp_send` once the handle has checked the arguments and has its socket. */
  send(request: UDPSendRequest<H>): void {
    const wasEmpty = this.queue.count === 0;
    this.queue.add(request);
    this.host.setActive(true);
    if (wasEmpty && !this.processing) {
      this.flush();
      if (this.hasUnsent()) this.armPollOut();
    } else {
      this.armPollOut();
    }
  }

  /**
   * `uv__udp_sendmsg`: hands the queued requests to Node in order, until
   * one fails (see the module comment). A request Node took is done at
   * once (the handle's watcher is fed, so it is called back in PENDING) or,
   * when Node had to queue it, when Node reports.
   */
  flush(): void {
    const socket = this.watcher.current;
    if (socket === null) return;
    let fed = false;
    const pending = this.queue.pending;
    for (let index = 0; index < pending.length; index++) {
      const request = pending[index] as UDPSendRequest<H>;
      if (request.state !== 'queued') continue;
      const failure = this.host.takeSocketError() ?? this.handOver(socket, request);
      if (failure === null) {
        // Sent (called back in PENDING), or Node queued it (it reports later).
        if (request.done) fed = true;
        continue;
      }
      this.finish(request, failure);
      fed = true;
      if (this.loop.behaviour.udpSendErrorFailsBatch) {
        // The refused datagram was the first of a sendmmsg call: the
        // others of that call fail with it, unsent.
        let inCall = 1;
        for (let rest = index + 1; rest < pending.length && inCall < SENDMMSG_WIDTH; rest++) {
          const other = pending[rest] as UDPSendRequest<H>;
          if (other.state !== 'queued') continue;
          this.finish(other, failure);
          inCall++;
        }
      }
      break;
    }
    if (fed) this.watcher.feed();
  }

  /** Hands one datagram to Node; returns the error if it was refused at once, else `null`. */
  private handOver(socket: dgram.Socket, request: UDPSendRequest<H>): UVError | null {
    if (request.refusal !== 0) return this.loop.errors.error(request.refusal, 'uv_udp_send');
    const outcome = sendNow(socket, request.buffers, request.destination, this.onNodeReport);
    if (!outcome.sync) {
      // Node queued it; its reports come in the order of its queue.
      request.state = 'node';
      this.inNode.push(request);
      return null;
    }
    if (outcome.error !== null) return this.loop.errors.fromNode(outcome.error, 'uv_udp_send');
    this.finish(request, null);
    return null;
  }

  private finish(request: UDPSendRequest<H>, error: UVError | null): void {
    request.state = 'done';
    this.queue.complete(request, error);
  }

  /**
   * Node sent (or refused) a datagram it had queued: the oldest request it
   * holds completes in POLL. One function serves every request, so a send
   * allocates no closure; Node reports in the order it queued.
   */
  private readonly onNodeReport = (error: Error | null): void => {
    const socket = this.watcher.current;
    const request = this.inNode.shift();
    if (request === undefined || socket === null) return;
    this.watcher.report(() => {
      if (this.host.closing || !this.watcher.isCurrent(socket) || request.state !== 'node') return;
      this.finish(request, error === null ? null : this.loop.errors.fromNode(error, 'uv_udp_send'));
      this.callBack();
    });
  };

  /** Whether a request waits to be handed to Node or for Node's report (libuv's `write_queue`). */
  private hasUnsent(): boolean {
    for (const request of this.queue.pending) if (request.state !== 'done') return true;
    return false;
  }

  /** Arms POLLOUT: the next POLL sends what is queued and calls back what is done. */
  private armPollOut(): void {
    this.pollOut = true;
    if (this.pollOutReported) return;
    this.pollOutReported = true;
    this.watcher.reportKnown(this.onWritable);
  }

  /** The writability event (libuv's `uv__udp_io` with POLLOUT, in POLL). */
  private readonly onWritable = (): void => {
    this.pollOutReported = false;
    if (this.host.closing || !this.pollOut) return;
    this.flush();
    this.callBack();
    // Still armed (Node holds a datagram, or an error stopped the queue):
    // libuv's level-triggered watcher fires again at the next POLL.
    if (this.pollOut && this.hasQueued()) this.armPollOut();
  };

  /** Whether a request waits to be handed to Node (not merely for Node's report). */
  private hasQueued(): boolean {
    for (const request of this.queue.pending) if (request.state === 'queued') return true;
    return false;
  }

  /** The fed watcher in PENDING: `uv__udp_io` with POLLOUT (send, then call back). */
  onPending(): void {
    if (this.host.closing) return;
    this.flush();
    this.callBack();
  }

  /**
   * `uv__udp_run_completed`: calls back the done requests in order; with
   * nothing left to send, disarms POLLOUT and, unless receiving, makes the
   * handle inactive.
   */
  callBack(): void {
    this.processing = true;
    try {
      this.queue.callBackFinished();
    } finally {
      this.processing = false;
    }
    if (!this.host.closing && !this.hasUnsent()) this.disarmPollOut();
  }

  /**
   * Nothing is left to send: libuv stops watching POLLOUT and, unless the
   * handle receives, makes it inactive. A writability event recorded for
   * the next POLL is taken back, as epoll would no longer report it.
   */
  private disarmPollOut(): void {
    this.pollOut = false;
    if (this.pollOutReported && this.watcher.withdraw(this.onWritable))
      this.pollOutReported = false;
    if (!this.host.receiving) this.host.setActive(false);
  }

  /**
   * `uv_udp_try_send`'s first check: EAGAIN while any request waits for its
   * callback (or Node still holds a datagram of this socket).
   */
  get busy(): boolean {
    return this.queue.count > 0 || (this.watcher.current?.getSendQueueCount() ?? 0) > 0;
  }

  /**
   * In CLOSING (rule 8.8): every request is called back in order, one that
   * went out with its outcome, the others with ECANCELED.
   */
  cancelAll(): void {
    this.pollOut = false;
    this.inNode = [];
    if (this.pollOutReported && this.watcher.withdraw(this.onWritable))
      this.pollOutReported = false;
    const errors = this.loop.errors;
    this.queue.cancelAll(() => errors.status(StatusCode.ECANCELED, 'uv_udp_send'));
  }
}
