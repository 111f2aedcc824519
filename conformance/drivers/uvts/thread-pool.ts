/**
 * The main-thread side of cross-thread async sends for the uvts driver.
 */
import { Worker } from 'node:worker_threads';
import { FROM_SOURCES } from '../../lib/paths.js';
import type { SendRequest } from './thread-sender.js';

/** How long a joined send may take before the driver gives up. */
const JOIN_TIMEOUT_MS = 10_000;

/** One pre-started worker that performs async sends on request. */
export class ThreadSender {
  private requested = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly completed: Int32Array,
  ) {}

  /** Starts the worker and waits until it is ready to take requests. */
  static async start(): Promise<ThreadSender> {
    const completed = new SharedArrayBuffer(4);
    // From the sources, the entry is plain JavaScript that registers tsx
    // before loading the TypeScript worker code (see thread-sender-entry.mjs
    // for why); compiled, the worker code is JavaScript already.
    const entry = FROM_SOURCES ? './thread-sender-entry.mjs' : './thread-sender.js';
    const worker = new Worker(new URL(entry, import.meta.url), {
      workerData: { completed },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new ThreadSender(worker, new Int32Array(completed));
  }

  /**
   * Asks the worker for `times` sends. With `delayMs` undefined the call
   * blocks until the sends have happened (a "joined" send, as a thread join
   * in C); otherwise it returns at once and the worker sends after the delay.
   */
  send(target: SendRequest['target'], times: number, delayMs: number | undefined): void {
    this.requested += 1;
    const request: SendRequest = { target, times, delayMs: delayMs ?? 0 };
    this.worker.postMessage(request);
    if (delayMs !== undefined) return;
    const deadline = Date.now() + JOIN_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.completed, 0);
      if (done >= this.requested) return;
      if (Date.now() > deadline) throw new Error('a thread send did not complete');
      Atomics.wait(this.completed, 0, done, 100);
    }
  }

  /** Waits for outstanding delayed sends, then stops the worker. */
  async finish(): Promise<void> {
    const deadline = Date.now() + JOIN_TIMEOUT_MS;
    while (Atomics.load(this.completed, 0) < this.requested && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.worker.terminate();
  }
}
