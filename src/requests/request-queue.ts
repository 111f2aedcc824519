/**
 * `RequestQueue`: a handle's requests in submission order, from submission
 * until their callbacks have run — libuv's `write_queue` plus
 * `write_completed_queue` of a stream, and the same pair of a UDP handle.
 *
 * A request is *done* once its outcome is known (Node finished it, or it
 * failed); it is *called back* later, by the handle, in a phase libuv would
 * call it in. Callbacks always run in submission order: the finished prefix
 * of the queue is taken aside and called back, and a done request behind an
 * unfinished one waits for it, as libuv's queues never reorder.
 *
 * The queue keeps the counters libuv keeps per queue: how many requests
 * are queued (`count`, UDP's `send_queue_count`) and how many bytes they
 * carry (`size`). The two queues differ in when a request stops counting,
 * which users see through UDP's counters inside send callbacks:
 *
 * - a stream's (`'batch'`): its bytes stop counting once it is done, and
 *   the finished prefix leaves the queue as a whole before the first of its
 *   callbacks runs (`uv__write_callbacks`);
 * - a UDP handle's (`'each'`): a request counts, bytes included, until its
 *   own callback is about to run; `uv__udp_run_completed` takes the
 *   requests off one at a time, so a callback sees the requests behind it
 *   still counted.
 *
 * @module
 */
import type { UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import type { CallbackKind } from '../loop/trace.js';
import type { Bivariant, LoopHandle } from '../loop/types.js';

/** What a queued request must offer: a size, a callback, its outcome, and `finish()`. */
export interface QueuedRequest<H extends LoopHandle> {
  /** Bytes the request carries. */
  readonly size: number;
  /** The user's callback, if any: the handle, then the error (`null` on success). */
  readonly callback: Bivariant<(handle: H, error: UVError | null) => void> | null;
  /** True once the outcome is known. */
  done: boolean;
  /** The outcome, once `done`. */
  error: UVError | null;
  /** Unregisters the request from its loop; false if it already was (see `Request.finish`). */
  finish(): boolean;
}

/** @internal When a request stops counting; see the module comment. */
export type QueueAccounting = 'batch' | 'each';

/** @internal One handle's queue of requests; see the module comment. */
export class RequestQueue<H extends LoopHandle, R extends QueuedRequest<H>> {
  private requests: R[] = [];
  private bytes = 0;

  /**
   * @param loop The handle's loop, which calls the callbacks.
   * @param handle The handle the callbacks receive.
   * @param kind The callback kind traced for them (`'write'`, `'send'`).
   * @param accounting A stream's queue (`'batch'`) or a UDP handle's (`'each'`).
   */
  constructor(
    private readonly loop: Loop,
    private readonly handle: H,
    private readonly kind: CallbackKind,
    private readonly accounting: QueueAccounting = 'batch',
  ) {}

  /** Requests whose callback has not run. */
  get count(): number {
    return this.requests.length;
  }

  /** Bytes of the requests that are not done (`'batch'`) or not called back (`'each'`). */
  get size(): number {
    return this.bytes;
  }

  /** The requests whose callback has not run, oldest first (read-only). */
  get pending(): readonly R[] {
    return this.requests;
  }

  /** True when no request waits for its callback. */
  isEmpty(): boolean {
    return this.requests.length === 0;
  }

  /** Appends a submitted request. */
  add(request: R): void {
    this.requests.push(request);
    this.bytes += request.size;
  }

  /** Records `request`'s outcome; it is called back with the next finished prefix. */
  complete(request: R, error: UVError | null): void {
    if (request.done) return;
    request.done = true;
    request.error = error;
    if (this.accounting === 'batch') this.bytes -= request.size;
  }

  /** Completes every request that is not done with `error` (a failed connect cancels the writes). */
  failUndone(error: () => UVError): void {
    for (const request of this.requests) if (!request.done) this.complete(request, error());
  }

  /**
   * Calls back the finished prefix in submission order. The prefix is taken
   * aside first, as `uv__write_callbacks` moves its completed queue aside:
   * a request submitted by a callback that completes at once is called
   * back in the next batch, not in this one (which would never end). Like
   * libuv, the whole batch is called back even if a callback closes the
   * handle.
   */
  callBackFinished(): void {
    if (this.accounting === 'each') {
      this.callBackEach();
      return;
    }
    const queue = this.requests;
    let finished = 0;
    while (finished < queue.length && (queue[finished] as R).done) finished++;
    if (finished === 0) return;
    // Usually every request is finished and the queue is handed over whole;
    // `splice` would copy it out of itself through a slow runtime path.
    let batch = queue;
    if (finished === queue.length) this.requests = [];
    else batch = queue.splice(0, finished);
    for (const request of batch) {
      request.finish();
      if (request.callback !== null)
        this.loop.invoke1(this.handle, this.kind, request.callback, request.error);
    }
  }

  /**
   * The handle closed (rule 6.5): every request is called back, in order,
   * a finished one with its outcome and the others with `canceled()`.
   */
  cancelAll(canceled: () => UVError): void {
    if (this.accounting === 'each') {
      for (const request of this.requests) if (!request.done) this.complete(request, canceled());
      this.callBackEach();
      return;
    }
    const requests = this.requests;
    this.requests = [];
    this.bytes = 0;
    for (const request of requests) {
      if (!request.finish() || request.callback === null) continue;
      const error = request.done ? request.error : canceled();
      this.loop.invoke1(this.handle, this.kind, request.callback, error);
    }
  }

  /**
   * `'each'`: calls back the finished prefix one request at a time, each
   * taken off the queue (and out of the counters) right before its
   * callback runs. A request submitted from a callback is not done yet
   * (the UDP handle defers its sending while it calls back), so the loop
   * ends at it.
   */
  private callBackEach(): void {
    const queue = this.requests;
    while (queue.length > 0 && (queue[0] as R).done) {
      const request = queue.shift() as R;
      this.bytes -= request.size;
      request.finish();
      if (request.callback !== null)
        this.loop.invoke1(this.handle, this.kind, request.callback, request.error);
    }
  }
}
