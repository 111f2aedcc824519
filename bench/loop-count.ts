/**
 * `loop_count`: how many loop iterations per second an otherwise idle loop
 * turns (libuv's benchmark-loop-count.c, timed variant).
 *
 * - uvts: an `Idle` watcher counts; a uvts `Timer` ends the run after the
 *   duration by closing both handles, so `run('default')` returns.
 * - setImmediate: Node's nearest equivalent — each callback schedules the
 *   next; a `setTimeout` ends the chain.
 * - luv: the same program as uvts against real libuv (bench/luv/loop_count.lua).
 *
 * The figure is iterations per second of wall time, measured around the run;
 * the CPU time of the same window is reported beside it.
 *
 * @module
 */
import { Idle, Loop, Timer } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const loop = new Loop();
  let ticks = 0;
  const idle = new Idle(loop).start(() => {
    ticks++;
  });
  const stopper = new Timer(loop);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  stopper.start(() => {
    idle.close();
    stopper.close();
  }, durationMs(options));
  await loop.run('default');
  const wall = secondsSince(start);
  const cpu = cpuSecondsSince(cpuStart);
  loop.close();
  return { value: ticks / wall, unit: 'iter/s', detail: { ticks, wall, cpu } };
}

function setImmediateChain(options: BenchOptions): Promise<Measurement> {
  return new Promise((resolve) => {
    let ticks = 0;
    let done = false;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const tick = (): void => {
      ticks++;
      if (!done) {
        setImmediate(tick);
        return;
      }
      const wall = secondsSince(start);
      const cpu = cpuSecondsSince(cpuStart);
      resolve({ value: ticks / wall, unit: 'iter/s', detail: { ticks, wall, cpu } });
    };
    setTimeout(() => (done = true), durationMs(options));
    setImmediate(tick);
  });
}

/** The loop_count benchmark. */
export const loopCount: BenchmarkSpec = {
  name: 'loop_count',
  description: 'idle loop iterations per second (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'setImmediate', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'loop_count.lua',
      luaArgs: (options) => [String(durationMs(options))],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, setImmediate: setImmediateChain });
