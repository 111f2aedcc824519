/**
 * `Async` (`uv_async_t`): wakes the loop from this or any other thread and
 * runs a callback there.
 *
 * An async handle is active from creation until closed (rule 2.4), so a
 * ref'd one keeps its loop alive forever. It owns one shared *pending* word:
 * `send()` — here or, through `sendTarget` and `sendAsync()`, from a worker —
 * flips it from 0 to 1 and wakes the loop; POLL then walks the loop's async
 * list in creation order, and for each handle whose word is 1 clears it
 * *first* and then calls back (rule 5.3). Sends before the clear coalesce
 * into one callback; a send after it, even from inside the callback, gives
 * another callback at a later POLL (rule 5.4).
 *
 * @module
 */
import { makeAsyncSendTarget } from '../loop/async-sender.js';
import type { AsyncSendTarget } from '../loop/async-sender.js';
import type { Loop } from '../loop/loop.js';
import { QueueNode } from '../loop/queue.js';
import type { PhaseWatcher } from '../loop/types.js';
import { requireFunction } from '../errors/internal.js';
import { Handle } from './handle.js';

/** An async callback. */
export type AsyncCallback = (handle: Async) => void;

/** An async handle (`uv_async_t`). */
export class Async extends Handle {
  /** Always `'async'`. */
  readonly type = 'async';
  /** @internal This handle's link in the loop's async list. */
  readonly phaseNode: QueueNode<PhaseWatcher> = new QueueNode<PhaseWatcher>(this);

  private readonly pending = new Int32Array(new SharedArrayBuffer(4));
  private readonly callback: AsyncCallback | null;

  /**
   * Creates an active async handle (`uv_async_init`). Without `callback`,
   * sends only wake the loop.
   */
  constructor(loop?: Loop, callback?: AsyncCallback | null) {
    // Validate before super(): super() registers the handle with the loop,
    // and a constructor that throws afterwards would leave an unreachable
    // handle in the handle list, so loop.close() would fail with EBUSY
    // (rule 2.9; test/async.test.ts).
    if (callback !== undefined && callback !== null) requireFunction(callback, 'async callback');
    super(loop);
    this.callback = callback ?? null;
    this.loop.asyncQueue.insertTail(this.phaseNode);
    this.activate();
  }

  /** Wakes the loop and schedules the callback (`uv_async_send`); coalesced. */
  send(): void {
    this.assertOpen('send');
    if (Atomics.compareExchange(this.pending, 0, 0, 1) === 0) this.loop.poller.signalAsync();
  }

  /**
   * A structured-cloneable value to post to a worker thread; there,
   * `sendAsync(target)` (from `uvts/async-sender`) does what `send()` does.
   */
  get sendTarget(): AsyncSendTarget {
    this.assertOpen('sendTarget');
    const poller = this.loop.poller;
    poller.crossThread = true;
    return makeAsyncSendTarget(
      this.pending.buffer as SharedArrayBuffer,
      poller.doorbell.buffer as SharedArrayBuffer,
    );
  }

  /** @internal Called by POLL's walk of the async list. */
  runPhase(): void {
    if (Atomics.compareExchange(this.pending, 0, 1, 0) !== 1) return;
    const callback = this.callback;
    if (callback !== null) this.loop.invoke(this, 'async', callback);
  }

  protected closeResources(): void {
    this.phaseNode.remove();
    // Leave the word set for good, so that racing sends from other threads
    // are no-ops and never ring the doorbell again (libuv HEAD does the same).
    Atomics.store(this.pending, 0, 1);
  }
}
