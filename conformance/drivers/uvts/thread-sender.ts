/**
 * Worker thread used by the uvts driver for `send` actions with `thread: true`.
 *
 * It is started before the scenario runs (a worker takes tens of
 * milliseconds to boot, and a joined send happens while the loop thread is
 * blocked, so it cannot wait for a boot). Each message asks for `times`
 * sends on one async handle's send target, optionally after `delayMs`; when
 * they are done the worker bumps the shared `completed` counter, which is how
 * a joined send knows it may continue.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sendAsync, type AsyncSendTarget } from 'uvts/async-sender';

/** A request from the driver's main thread. */
export interface SendRequest {
  target: AsyncSendTarget;
  times: number;
  delayMs: number;
}

const completed = new Int32Array((workerData as { completed: SharedArrayBuffer }).completed);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

parentPort?.on('message', (request: SendRequest) => {
  if (request.delayMs > 0) {
    // A blocking sleep: this thread has nothing else to do meanwhile.
    Atomics.wait(sleeper, 0, 0, request.delayMs);
  }
  for (let i = 0; i < request.times; i += 1) {
    sendAsync(request.target);
  }
  Atomics.add(completed, 0, 1);
  Atomics.notify(completed, 0);
});

parentPort?.postMessage('ready');
