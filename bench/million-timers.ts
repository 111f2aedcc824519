/**
 * `million_timers`: start a million one-shot timers with timeouts `i % 100`
 * ms and run them all (libuv's benchmark-million-timers.c, with the timeouts
 * of this project's brief).
 *
 * The figure is the wall time from starting the first timer to the last
 * callback, in seconds (lower is better). `init` (creating and starting
 * every timer) and `dispatch` (from then to the last callback) are reported
 * apart, as libuv's benchmark does, with the CPU time of the same window.
 * Closing the timers afterwards is not measured.
 *
 * - uvts: `new Timer(loop).start(cb, i % 100)`, then `loop.run('default')`.
 * - setTimeout: `setTimeout(cb, i % 100)`.
 * - luv: `uv.new_timer():start(i % 100, 0, cb)` (bench/luv/million_timers.lua).
 *
 * Each runs in a fresh process, so a million dead timers of one never
 * burden the garbage collector of another.
 *
 * @module
 */
import { Loop, Timer } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain } from './common.js';

function timerCount(options: BenchOptions): number {
  return options.quick ? 100_000 : 1_000_000;
}

/** Clock readings of one run: hrtime at start, after starting all timers, at the last callback. */
interface Readings {
  start: bigint;
  started: bigint;
  last: bigint;
  cpuStart: NodeJS.CpuUsage;
  /** CPU seconds from start to the last callback. */
  cpu: number;
}

function newReadings(): Readings {
  return { start: 0n, started: 0n, last: 0n, cpuStart: process.cpuUsage(), cpu: 0 };
}

/** Called in the last callback. */
function finish(readings: Readings): void {
  readings.last = process.hrtime.bigint();
  readings.cpu = cpuSecondsSince(readings.cpuStart);
}

function result(count: number, readings: Readings): Measurement {
  const wall = Number(readings.last - readings.start) / 1e9;
  return {
    value: wall,
    unit: 's',
    detail: {
      timers: count,
      init: Number(readings.started - readings.start) / 1e9,
      dispatch: Number(readings.last - readings.started) / 1e9,
      wall,
      cpu: readings.cpu,
    },
  };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const count = timerCount(options);
  const loop = new Loop();
  let called = 0;
  const readings = newReadings();
  const onTimeout = (): void => {
    called++;
    if (called === count) finish(readings);
  };
  const timers: Timer[] = new Array<Timer>(count);
  readings.cpuStart = process.cpuUsage();
  readings.start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) timers[i] = new Timer(loop).start(onTimeout, i % 100);
  readings.started = process.hrtime.bigint();
  await loop.run('default');
  if (called !== count) throw new Error(`only ${called} of ${count} timers fired`);
  for (const timer of timers) timer.close();
  await loop.run('default');
  loop.close();
  return result(count, readings);
}

function setTimeoutCase(options: BenchOptions): Promise<Measurement> {
  const count = timerCount(options);
  return new Promise((resolve) => {
    let called = 0;
    const readings = newReadings();
    const onTimeout = (): void => {
      called++;
      if (called !== count) return;
      finish(readings);
      resolve(result(count, readings));
    };
    // The Timeout objects are not kept: Node needs nothing to clean up, and
    // an idiomatic program drops them (holding a million of them in an array
    // only adds garbage-collector work that Node itself does not need).
    readings.cpuStart = process.cpuUsage();
    readings.start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) setTimeout(onTimeout, i % 100);
    readings.started = process.hrtime.bigint();
  });
}

/** The million_timers benchmark. */
export const millionTimers: BenchmarkSpec = {
  name: 'million_timers',
  description: '1e6 timers, timeouts i % 100 ms: seconds from first start to last callback',
  higherIsBetter: false,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'setTimeout', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'million_timers.lua',
      luaArgs: (options) => [String(timerCount(options))],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, setTimeout: setTimeoutCase });
