/**
 * `async`: round trips between the loop and a worker thread (in the spirit
 * of libuv's benchmark-async.c and benchmark-async-pummel.c).
 *
 * One round trip: the worker wakes the main thread, the main thread answers,
 * the worker sees the answer. The figure is round trips per second over a
 * fixed number of them, timed on the main thread from the first answer (the
 * first exchange, which includes the worker's start-up, is not counted).
 *
 * - uvts: the worker calls `sendAsync(async.sendTarget)`; the `Async`
 *   callback runs in the loop's POLL phase and answers through a shared
 *   counter (`Atomics.add` + `Atomics.notify`) the worker blocks on with
 *   `Atomics.wait`.
 * - atomics: the same exchange with no loop: the main thread awaits
 *   `Atomics.waitAsync` directly. This is the floor for uvts, whose
 *   cross-thread wake-up is exactly that primitive (see poller.ts).
 * - postMessage: a `worker.postMessage` ping-pong, what Node code would
 *   normally use.
 * - luv: two libuv loops, one per thread, each with an async handle that
 *   sends to the other's (bench/luv/async.lua).
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { Async, Loop } from '../src/index.js';
import type { AsyncWorkerData } from './async-worker.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { runCaseIfMain } from './common.js';

function roundTrips(options: BenchOptions): number {
  return options.quick ? 5_000 : 50_000;
}

/**
 * Starts bench/async-worker.ts. tsx's `--import` hook does not reach worker
 * threads, so the worker registers tsx itself before importing the module.
 */
function startWorker(data: AsyncWorkerData): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./async-worker.ts', import.meta.url).href;
  const code =
    `import(${JSON.stringify(api)}).then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}

/** Rejects when the worker fails, so a broken worker ends the case instead of hanging it. */
function workerFailure(worker: Worker): Promise<never> {
  return new Promise((_resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with code ${code}`));
    });
  });
}

function rate(rounds: number, start: bigint, end: bigint): Measurement {
  const seconds = Number(end - start) / 1e9;
  return { value: rounds / seconds, unit: 'rt/s', detail: { rounds, seconds } };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const rounds = roundTrips(options);
  const loop = new Loop();
  const reply = new Int32Array(new SharedArrayBuffer(4));
  let calls = 0;
  let start = 0n;
  let end = 0n;
  const async = new Async(loop, (handle) => {
    calls++;
    if (calls === 1) start = process.hrtime.bigint();
    if (calls === rounds + 1) {
      end = process.hrtime.bigint();
      handle.close();
    }
    Atomics.add(reply, 0, 1);
    Atomics.notify(reply, 0);
  });
  const worker = startWorker({
    mode: 'uvts',
    rounds,
    target: async.sendTarget,
    words: reply.buffer as SharedArrayBuffer,
  });
  await Promise.race([loop.run('default'), workerFailure(worker)]);
  loop.close();
  await worker.terminate();
  return rate(rounds, start, end);
}

async function atomics(options: BenchOptions): Promise<Measurement> {
  const rounds = roundTrips(options);
  const words = new Int32Array(new SharedArrayBuffer(8));
  const worker = startWorker({ mode: 'atomics', rounds, words: words.buffer as SharedArrayBuffer });
  const failure = workerFailure(worker);
  let seen = 0;
  let start = 0n;
  for (let round = 0; round <= rounds; round++) {
    const waiting = Atomics.waitAsync(words, 0, seen);
    if (waiting.async) await Promise.race([waiting.value, failure]);
    seen = Atomics.load(words, 0);
    if (round === 0) start = process.hrtime.bigint();
    Atomics.add(words, 1, 1);
    Atomics.notify(words, 1);
  }
  const end = process.hrtime.bigint();
  await worker.terminate();
  return rate(rounds, start, end);
}

async function postMessage(options: BenchOptions): Promise<Measurement> {
  const rounds = roundTrips(options);
  const worker = startWorker({ mode: 'postMessage' });
  const failure = workerFailure(worker);
  const measured = new Promise<Measurement>((resolve) => {
    let replies = 0;
    let start = 0n;
    worker.on('message', () => {
      replies++;
      if (replies === 1) start = process.hrtime.bigint();
      if (replies === rounds + 1) resolve(rate(rounds, start, process.hrtime.bigint()));
      else worker.postMessage(replies);
    });
  });
  worker.postMessage(0);
  const measurement = await Promise.race([measured, failure]);
  await worker.terminate();
  return measurement;
}

/** The async benchmark. */
export const asyncRoundTrip: BenchmarkSpec = {
  name: 'async',
  description: 'loop <-> worker thread round trips per second (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'atomics', kind: 'node' },
    { name: 'postMessage', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'async.lua',
      luaArgs: (options) => [String(roundTrips(options))],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, atomics, postMessage });
