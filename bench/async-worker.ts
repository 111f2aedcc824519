/**
 * The worker-thread half of the `async` benchmark (see `async.ts`).
 *
 * Each mode plays the same game from the worker's side: signal the main
 * thread, wait until it answers, `rounds + 1` times (the first exchange is a
 * warm-up the main thread does not time).
 *
 * - `uvts`: signal with `sendAsync(target)`, wait on a shared reply counter
 *   the loop's async callback bumps and notifies.
 * - `atomics`: signal by bumping and notifying a shared word, wait on
 *   another — the raw primitives uvts is built on, with no loop around them.
 * - `postMessage`: echo every message back.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sendAsync } from '../src/loop/async-sender.js';
import type { AsyncSendTarget } from '../src/loop/async-sender.js';

/** What the main thread passes as `workerData`. */
export type AsyncWorkerData =
  | {
      readonly mode: 'uvts';
      readonly rounds: number;
      readonly target: AsyncSendTarget;
      /** Int32 word 0: the reply counter. */
      readonly words: SharedArrayBuffer;
    }
  | {
      readonly mode: 'atomics';
      readonly rounds: number;
      /** Int32 word 0: pings (worker → main); word 1: pongs (main → worker). */
      readonly words: SharedArrayBuffer;
    }
  | { readonly mode: 'postMessage' };

/** Blocks until word `index` of `words` no longer holds `seen`. */
function waitForChange(words: Int32Array, index: number, seen: number): void {
  while (Atomics.load(words, index) === seen) Atomics.wait(words, index, seen);
}

function main(data: AsyncWorkerData): void {
  switch (data.mode) {
    case 'uvts': {
      const reply = new Int32Array(data.words);
      for (let round = 0; round <= data.rounds; round++) {
        // Read before sending: the reply may arrive before we get to wait.
        const seen = Atomics.load(reply, 0);
        sendAsync(data.target);
        waitForChange(reply, 0, seen);
      }
      break;
    }
    case 'atomics': {
      const words = new Int32Array(data.words);
      for (let round = 0; round <= data.rounds; round++) {
        const seen = Atomics.load(words, 1);
        Atomics.add(words, 0, 1);
        Atomics.notify(words, 0);
        waitForChange(words, 1, seen);
      }
      break;
    }
    case 'postMessage': {
      const port = parentPort;
      if (port === null) throw new Error('async-worker.ts must run in a worker thread');
      port.on('message', (message: unknown) => port.postMessage(message));
      break;
    }
  }
}

main(workerData as AsyncWorkerData);
