/**
 * The jobs of the thread-pool benchmarks (queue-work.ts,
 * queue-work-parallel.ts), and the bare `worker_threads` pool they are
 * compared with.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';

/** The trivial job: self-contained, as work functions must be. */
export const echo = (value: number): number => value + 1;

/** The CPU-bound job: a busy loop the optimizer cannot remove. */
export const spin = (iterations: number): number => {
  let x = 0;
  for (let i = 0; i < iterations; i++) x = (x * 31 + i) | 0;
  return x;
};

/**
 * A bare pool: `count` workers, each runs `echo` (or `spin` for
 * `{ spin: true }`) on the value it is posted and posts the result back.
 */
export function bareWorkers(count: number): Worker[] {
  const source =
    `const { parentPort } = require('node:worker_threads'); const echo = ${echo.toString()};` +
    `const spin = ${spin.toString()};` +
    "parentPort.on('message', (m) => parentPort.postMessage(m.spin ? spin(m.value) : echo(m.value)));";
  return Array.from({ length: count }, () => new Worker(source, { eval: true }));
}
