/**
 * `queue_work_parallel` (higher is better): how much faster four equal
 * CPU-bound jobs finish when queued at once on a four-slot pool than one
 * after the other: the speed-up, about the number of cores (2 on this
 * project's machines). It proves that work really runs on several threads;
 * it is a measurement, not a test, since it depends on the machine.
 *
 * - `uvts`: `queueWork` of a busy loop;
 * - `worker_threads`: the same on four bare workers;
 * - `luv`: `uv.new_work` (bench/luv/queue_work_parallel.lua).
 *
 * @module
 */
import { Loop, queueWork } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { runCaseIfMain } from './common.js';
import { bareWorkers, spin } from './pool-jobs.js';

/** Iterations of the CPU-bound job (about 0.25 s of one core here). */
function spinIterations(options: BenchOptions): number {
  return options.quick ? 20_000_000 : 100_000_000;
}

/** Seconds for `jobs` spins queued at once (after a warm-up that starts four workers). */
async function uvtsSpins(loop: Loop, jobs: number, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < jobs; i++) queueWork(loop, spin, null, { args: [iterations] });
  await loop.run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const iterations = spinIterations(options);
  const loop = new Loop();
  await uvtsSpins(loop, 4, 1_000); // start the four workers
  const one = await uvtsSpins(loop, 1, iterations);
  const four = await uvtsSpins(loop, 4, iterations);
  loop.close();
  return { value: (4 * one) / four, unit: 'x', detail: { one, four } };
}

async function workerThreads(options: BenchOptions): Promise<Measurement> {
  const iterations = spinIterations(options);
  const workers = bareWorkers(4);
  const spins = async (jobs: number, value: number): Promise<number> => {
    const start = process.hrtime.bigint();
    await Promise.all(
      workers.slice(0, jobs).map(
        (worker) =>
          new Promise((resolve) => {
            worker.once('message', resolve);
            worker.postMessage({ spin: true, value });
          }),
      ),
    );
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  await spins(4, 1_000);
  const one = await spins(1, iterations);
  const four = await spins(4, iterations);
  await Promise.all(workers.map((worker) => worker.terminate()));
  return { value: (4 * one) / four, unit: 'x', detail: { one, four } };
}

/** The queue_work_parallel benchmark. */
export const queueWorkParallel: BenchmarkSpec = {
  name: 'queue_work_parallel',
  description: 'speed-up of 4 CPU-bound jobs at once over one after the other (about the cores)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'worker_threads', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'queue_work_parallel.lua',
      luaArgs: (options) => [String(spinIterations(options) / 10)],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, worker_threads: workerThreads });
