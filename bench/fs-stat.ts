/**
 * `fs_stat`: asynchronous stats per second with 64 in flight (in the spirit
 * of libuv's benchmark-fs-stat.c, which issues many concurrent stats).
 *
 * Each completed stat issues the next, so 64 are always queued or running;
 * after the duration the figure is completed stats per second of wall time.
 *
 * - uvts: `fs.stat(loop, path, callback)`: a request of uvts's thread pool
 *   (4 slots by default, like libuv's threads), run on Node's `fs.stat`
 *   with nanosecond times (`bigint: true`), callback in POLL.
 * - fs.stat: plain Node, `fs.stat(path, callback)` (millisecond times).
 * - fs.stat bigint: plain Node with `{ bigint: true }`, the only public way
 *   to nanosecond times, which uvts needs for libuv's `uv_stat_t`: Node
 *   allocates a BigInt array per request, which costs about half its
 *   throughput (docs/benchmarks.md).
 * - fs.stat bigint x4: the same with only 4 stats handed to Node at a time,
 *   which is what uvts's pool does (a job goes to Node when one of its 4
 *   slots is free, so that a queued job stays cancellable): each
 *   completion then wakes one of Node's threads for one stat.
 * - luv: the same program against real libuv (bench/luv/fs_stat.lua).
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import { Loop, Timer, fs } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';
import { benchFile } from './fs-files.js';

const IN_FLIGHT = 64;
/** libuv's and uvts's default pool size: how many stats uvts hands Node at once. */
const POOL_SLOTS = 4;

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

function result(stats: number, start: bigint, cpuStart: NodeJS.CpuUsage): Measurement {
  const wall = secondsSince(start);
  const cpu = cpuSecondsSince(cpuStart);
  return { value: stats / wall, unit: 'stat/s', detail: { stats, wall, cpu } };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const file = benchFile();
  const loop = new Loop();
  let done = 0;
  let stopping = false;
  let measurement: Measurement | null = null;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const onStat = (_request: fs.FSRequest<fs.Stat>, _stat: unknown, error: unknown): void => {
    if (error !== null) throw error;
    done++;
    if (!stopping) fs.stat(loop, file, onStat);
  };
  for (let i = 0; i < IN_FLIGHT; i++) fs.stat(loop, file, onStat);
  new Timer(loop).start((timer) => {
    stopping = true;
    measurement = result(done, start, cpuStart);
    timer.close();
  }, durationMs(options));
  await loop.run();
  loop.close();
  if (measurement === null) throw new Error('the run ended before the timer');
  return measurement;
}

/** Plain Node's stats, with millisecond (`bigint`: false) or nanosecond (true) times. */
function nodeStat(
  bigint: boolean,
  inFlight = IN_FLIGHT,
): (options: BenchOptions) => Promise<Measurement> {
  const stat = bigint
    ? (file: string, cb: (error: NodeJS.ErrnoException | null) => void): void =>
        nodeFs.stat(file, { bigint: true }, cb)
    : (file: string, cb: (error: NodeJS.ErrnoException | null) => void): void =>
        nodeFs.stat(file, cb);
  return (options) => nodeStatCase(options, stat, inFlight);
}

async function nodeStatCase(
  options: BenchOptions,
  stat: (file: string, cb: (error: NodeJS.ErrnoException | null) => void) => void,
  concurrency: number,
): Promise<Measurement> {
  const file = benchFile();
  let done = 0;
  let stopping = false;
  let inFlight = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  return new Promise<Measurement>((resolve, reject) => {
    let measurement: Measurement | null = null;
    const onStat = (error: NodeJS.ErrnoException | null): void => {
      inFlight--;
      if (error !== null) {
        reject(error);
        return;
      }
      done++;
      if (!stopping) {
        inFlight++;
        stat(file, onStat);
      } else if (inFlight === 0 && measurement !== null) {
        resolve(measurement);
      }
    };
    for (let i = 0; i < concurrency; i++) {
      inFlight++;
      stat(file, onStat);
    }
    setTimeout(() => {
      stopping = true;
      measurement = result(done, start, cpuStart);
    }, durationMs(options));
  });
}

/** The fs_stat benchmark. */
export const fsStat: BenchmarkSpec = {
  name: 'fs_stat',
  description: `asynchronous stats per second, ${IN_FLIGHT} in flight (higher is better)`,
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'fs.stat', kind: 'node' },
    { name: 'fs.stat bigint', kind: 'node' },
    { name: 'fs.stat bigint x4', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'fs_stat.lua',
      luaArgs: (options) => [String(durationMs(options)), String(IN_FLIGHT), benchFile()],
    },
  ],
};

runCaseIfMain(import.meta.url, {
  uvts,
  'fs.stat': nodeStat(false),
  'fs.stat bigint': nodeStat(true),
  'fs.stat bigint x4': nodeStat(true, POOL_SLOTS),
});
