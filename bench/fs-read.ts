/**
 * `fs_read`: asynchronous read throughput in MB/s from one file in the page
 * cache (libuv has no such benchmark; this one reads the way a file server
 * would).
 *
 * {@link READS_IN_FLIGHT} positional reads of {@link CHUNK_SIZE} bytes are
 * kept in flight, each completion issuing the next at the following offset
 * and wrapping round at the end of the 8 MiB file; after the duration the
 * figure is MB (10^6 bytes) read per second of wall time.
 *
 * - uvts: `fs.read(loop, fd, buffer, offset, callback)` into one buffer per
 *   read in flight: thread-pool requests on Node's `fs.readv`, callback in
 *   POLL.
 * - fs.read: plain Node, `fs.read(fd, buffer, 0, length, offset, callback)`.
 * - luv: the same program against real libuv (bench/luv/fs_read.lua; luv
 *   returns each read as a new Lua string).
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import { Loop, Timer, fs } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';
import { BENCH_FILE_SIZE, benchFile } from './fs-files.js';

const CHUNK_SIZE = 64 * 1024;
const READS_IN_FLIGHT = 4;

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

function result(bytes: number, start: bigint, cpuStart: NodeJS.CpuUsage): Measurement {
  const wall = secondsSince(start);
  const cpu = cpuSecondsSince(cpuStart);
  return { value: bytes / 1e6 / wall, unit: 'MB/s', detail: { bytes, wall, cpu } };
}

/** The offsets the reads take in turn: chunk after chunk, round the file. */
function offsets(): () => number {
  let next = 0;
  return () => {
    const offset = next;
    next += CHUNK_SIZE;
    if (next >= BENCH_FILE_SIZE) next = 0;
    return offset;
  };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const loop = new Loop();
  const fd = fs.open(loop, benchFile(), fs.O_RDONLY, 0);
  const nextOffset = offsets();
  let bytes = 0;
  let stopping = false;
  let measurement: Measurement | null = null;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const issue = (buffer: Buffer): void => {
    fs.read(loop, fd, buffer, nextOffset(), (_request, count, error) => {
      if (error !== null) throw error;
      bytes += count ?? 0;
      if (!stopping) issue(buffer);
    });
  };
  for (let i = 0; i < READS_IN_FLIGHT; i++) issue(Buffer.alloc(CHUNK_SIZE));
  new Timer(loop).start((timer) => {
    stopping = true;
    measurement = result(bytes, start, cpuStart);
    timer.close();
  }, durationMs(options));
  await loop.run();
  fs.close(loop, fd);
  loop.close();
  if (measurement === null) throw new Error('the run ended before the timer');
  return measurement;
}

async function nodeRead(options: BenchOptions): Promise<Measurement> {
  const fd = nodeFs.openSync(benchFile(), 'r');
  const nextOffset = offsets();
  let bytes = 0;
  let stopping = false;
  let inFlight = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const measurement = await new Promise<Measurement>((resolve, reject) => {
    let taken: Measurement | null = null;
    const issue = (buffer: Buffer): void => {
      inFlight++;
      nodeFs.read(fd, buffer, 0, CHUNK_SIZE, nextOffset(), (error, count) => {
        inFlight--;
        if (error !== null) {
          reject(error);
          return;
        }
        bytes += count;
        if (!stopping) issue(buffer);
        else if (inFlight === 0 && taken !== null) resolve(taken);
      });
    };
    for (let i = 0; i < READS_IN_FLIGHT; i++) issue(Buffer.alloc(CHUNK_SIZE));
    setTimeout(() => {
      stopping = true;
      taken = result(bytes, start, cpuStart);
    }, durationMs(options));
  });
  nodeFs.closeSync(fd);
  return measurement;
}

/** The fs_read benchmark. */
export const fsRead: BenchmarkSpec = {
  name: 'fs_read',
  description: `MB/s of ${CHUNK_SIZE / 1024} KiB positional reads, ${READS_IN_FLIGHT} in flight (higher is better)`,
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'fs.read', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'fs_read.lua',
      luaArgs: (options) => [
        String(durationMs(options)),
        String(CHUNK_SIZE),
        String(READS_IN_FLIGHT),
        benchFile(),
      ],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, 'fs.read': nodeRead });
