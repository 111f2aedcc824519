/**
 * `queue_work`: thread-pool round trips.
 *
 * `queue_work` (higher is better): one job at a time, each queued from the
 * previous one's callback, so every round trip crosses to a pool thread and
 * back: the latency of the pool. The first jobs (which start the workers)
 * are a warm-up and not timed.
 *
 * - `uvts`: `queueWork` of a trivial function, the next one queued from
 *   `afterWork`;
 * - `worker_threads`: the bare Node equivalent, four workers that run a
 *   posted job and post the result back, no loop around them;
 * - `luv`: `uv.new_work` / `uv.queue_work` (bench/luv/queue_work.lua).
 *
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { Loop, queueWork } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { runCaseIfMain } from './common.js';
import { bareWorkers, echo } from './pool-jobs.js';

const WARM_UP = 100;

function roundTrips(options: BenchOptions): number {
  return options.quick ? 2_000 : 20_000;
}

function rate(rounds: number, start: bigint): Measurement {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { value: rounds / seconds, unit: 'rt/s', detail: { rounds, seconds } };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const rounds = roundTrips(options);
  const loop = new Loop();
  let start = 0n;
  let done = 0;
  const next = (): void => {
    queueWork(
      loop,
      echo,
      () => {
        done++;
        if (done === WARM_UP) start = process.hrtime.bigint();
        if (done < WARM_UP + rounds) next();
      },
      { args: [done] },
    );
  };
  next();
  await loop.run();
  const measurement = rate(rounds, start);
  loop.close();
  return measurement;
}

async function workerThreads(options: BenchOptions): Promise<Measurement> {
  const rounds = roundTrips(options);
  const workers = bareWorkers(4);
  let start = 0n;
  let done = 0;
  await new Promise<void>((resolve) => {
    const post = (): void => {
      const worker = workers[done % workers.length] as Worker;
      worker.once('message', () => {
        done++;
        if (done === WARM_UP) start = process.hrtime.bigint();
        if (done < WARM_UP + rounds) post();
        else resolve();
      });
      worker.postMessage({ value: done });
    };
    post();
  });
  const measurement = rate(rounds, start);
  await Promise.all(workers.map((worker) => worker.terminate()));
  return measurement;
}

/** The queue_work benchmark. */
export const queueWorkRoundTrip: BenchmarkSpec = {
  name: 'queue_work',
  description: 'thread-pool round trips per second, one job at a time (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'worker_threads', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'queue_work.lua',
      luaArgs: (options) => [String(roundTrips(options)), String(WARM_UP)],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, worker_threads: workerThreads });
