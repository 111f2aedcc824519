/**
 * The other-thread half of `Async`: `sendAsync()` is `uv_async_send` for
 * code running in a `worker_threads` Worker.
 *
 * An `Async` handle owns one shared 32-bit *pending* word; its loop owns one
 * shared *doorbell* word (see `poller.ts`). Sending is: flip pending 0 → 1;
 * only the thread that wins that flip rings the doorbell (add, then notify).
 * That is libuv's coalescing (rule 5.2): any number of sends before the loop
 * clears the word produce one callback, and a send after the loop cleared it
 * produces another.
 *
 * This module imports nothing, so a worker can load it without the rest of
 * uvts: `import { sendAsync } from 'uvts/async-sender'`.
 *
 * @module
 */

/** The brand that marks a value as an `Async` handle's send target. */
const TARGET_KIND = 'uvts.async-send-target';

/**
 * What `Async.sendTarget` gives out: a structured-cloneable value to post to
 * a worker, which passes it to {@link sendAsync}.
 */
export interface AsyncSendTarget {
  /** Always `'uvts.async-send-target'`. */
  readonly kind: typeof TARGET_KIND;
  /** The handle's pending word (an Int32 at index 0). */
  readonly pending: SharedArrayBuffer;
  /** The loop's doorbell word (an Int32 at index 0). */
  readonly doorbell: SharedArrayBuffer;
}

/** @internal Builds a send target; used by `Async`. */
export function makeAsyncSendTarget(
  pending: SharedArrayBuffer,
  doorbell: SharedArrayBuffer,
): AsyncSendTarget {
  return Object.freeze({ kind: TARGET_KIND, pending, doorbell });
}

// Views are cached per buffer object: a worker usually sends many times
// through the same target, and a fresh Int32Array per send would be garbage.
const views = new WeakMap<SharedArrayBuffer, Int32Array>();

function viewOf(buffer: SharedArrayBuffer): Int32Array {
  let view = views.get(buffer);
  if (view === undefined) {
    view = new Int32Array(buffer, 0, 1);
    views.set(buffer, view);
  }
  return view;
}

/**
 * Wakes the loop of the `Async` handle that `target` came from, from any
 * thread (`uv_async_send`). Sends are coalesced: several sends before the
 * loop runs the callback produce one callback. Sending through a closed
 * handle's target does nothing.
 */
export function sendAsync(target: AsyncSendTarget): void {
  if (
    typeof target !== 'object' ||
    target === null ||
    target.kind !== TARGET_KIND ||
    !(target.pending instanceof SharedArrayBuffer) ||
    !(target.doorbell instanceof SharedArrayBuffer)
  ) {
    throw new TypeError("sendAsync() needs the value of an Async handle's sendTarget");
  }
  const pending = viewOf(target.pending);
  if (Atomics.compareExchange(pending, 0, 0, 1) !== 0) return;
  const doorbell = viewOf(target.doorbell);
  Atomics.add(doorbell, 0, 1);
  Atomics.notify(doorbell, 0);
}
