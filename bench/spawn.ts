/**
 * `spawn`: child processes started and reaped per second.
 *
 * One child at a time: spawn `/bin/true`, wait for its exit, close the
 * handle, spawn the next, for a fixed duration. Every round trip is a
 * fork/exec, the child's run, the kernel's SIGCHLD and the reaping, so the
 * figure is mostly the kernel's; what it shows is what each binding adds.
 *
 * - uvts: `Process.spawn` with an exit callback, on a uvts `Loop`.
 * - child_process: Node's `child_process.spawn` and its `'exit'` event,
 *   with `stdio: 'ignore'` (uvts's default for a child without StdIO).
 * - luv: the same program against real libuv (bench/luv/spawn.lua).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { Loop, Process } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';

const PROGRAM = '/bin/true';

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

function result(exits: number, start: bigint, cpuStart: NodeJS.CpuUsage): Measurement {
  const wall = secondsSince(start);
  return {
    value: exits / wall,
    unit: 'spawn/s',
    detail: { exits, wall, cpu: cpuSecondsSince(cpuStart) },
  };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const loop = new Loop();
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs(options)) * 1_000_000n;
  let exits = 0;
  const spawnNext = (): void => {
    Process.spawn(loop, {
      args: [PROGRAM],
      exitCallback: (handle, status, signal) => {
        if (status !== 0 || signal !== 0) throw new Error('the child failed');
        exits++;
        handle.close();
        if (process.hrtime.bigint() < deadline) spawnNext();
      },
    });
  };
  spawnNext();
  await loop.run();
  loop.close();
  return result(exits, start, cpuStart);
}

function childProcess(options: BenchOptions): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(durationMs(options)) * 1_000_000n;
    let exits = 0;
    const spawnNext = (): void => {
      const child = spawn(PROGRAM, [], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (code !== 0 || signal !== null) return reject(new Error('the child failed'));
        exits++;
        if (process.hrtime.bigint() < deadline) spawnNext();
        else resolve(result(exits, start, cpuStart));
      });
    };
    spawnNext();
  });
}

/** The spawn benchmark. */
export const spawnRoundTrips: BenchmarkSpec = {
  name: 'spawn',
  description: 'children spawned and reaped per second, one at a time (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'child_process', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'spawn.lua',
      luaArgs: (options) => [String(durationMs(options))],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, child_process: childProcess });
