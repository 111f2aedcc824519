/**
 * `ping_pongs`: round trips per second over one loopback TCP connection
 * (libuv's benchmark-ping-pongs.c).
 *
 * Client and server live in the same process and the same loop, as in
 * libuv's benchmark. The client writes `"PING\n"`; the server echoes every
 * chunk it reads; the client sends the next ping only once the whole
 * 5-byte pong is back, so exactly one message is ever in flight and every
 * round trip costs both sides a read and a write through the loop.
 *
 * - uvts: `TCP` handles on a uvts `Loop`; a uvts `Timer` ends the run.
 * - net: plain Node `net.Server` / `net.Socket`, what the same program looks
 *   like without uvts; a `setTimeout` ends the run.
 * - luv: the same program against real libuv (bench/luv/ping_pongs.lua).
 *
 * The clock starts in the connect callback (connection set-up is not a
 * round trip) and runs for a fixed duration; the figure is completed round
 * trips divided by the wall time up to the pong that noticed the end.
 * libuv's original compares every byte with the ping; here the client
 * counts bytes, which is equivalent with one message in flight and keeps
 * the per-byte work of the three implementations out of the figure.
 *
 * @module
 */
import { readSync, writeSync } from 'node:fs';
import net from 'node:net';
import { Loop, Poll, TCP, Timer } from '../src/index.js';
import type { UVError } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';

const PING = Buffer.from('PING\n');
const HOST = '127.0.0.1';

/** @internal How long one run lasts. */
export function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

/** Counts pongs from the bytes the client reads; shared by the TypeScript cases. */
class PongCounter {
  pongs = 0;
  private pending = 0;

  /** Adds `length` received bytes; returns true when they complete a pong. */
  receive(length: number): boolean {
    this.pending += length;
    if (this.pending < PING.length) return false;
    this.pending -= PING.length;
    this.pongs++;
    return true;
  }
}

function result(pongs: number, start: bigint, cpuStart: NodeJS.CpuUsage): Measurement {
  const wall = secondsSince(start);
  const cpu = cpuSecondsSince(cpuStart);
  return { value: pongs / wall, unit: 'rt/s', detail: { pongs, wall, cpu } };
}

/**
 * How the server side of the uvts program echoes: with its TCP handle's
 * read and write (`'tcp'`), or — the poll_echo benchmark
 * (bench/poll-echo.ts) — with a `Poll` handle on the accepted socket's
 * descriptor, read and written with `fs.readSync` / `fs.writeSync`.
 */
export type EchoServerSide = 'tcp' | 'poll';

/** The poll server: echoes what the descriptor has, until EOF. */
function pollEcho(loop: Loop, fd: number, fail: (error: UVError | null) => void): Poll {
  const poll = new Poll(loop, fd);
  const buffer = Buffer.alloc(65536);
  poll.start(Poll.READABLE, (handle, _events, error) => {
    if (error !== null) return fail(error);
    let count: number;
    try {
      count = readSync(fd, buffer);
    } catch (readError) {
      if ((readError as NodeJS.ErrnoException).code === 'EAGAIN') return;
      throw readError;
    }
    if (count === 0) handle.stop();
    else if (writeSync(fd, buffer, 0, count) !== count) throw new Error('short write');
  });
  return poll;
}

/** @internal The uvts program, with the server side `serverSide`. */
export async function uvtsPingPongs(
  options: BenchOptions,
  serverSide: EchoServerSide,
): Promise<Measurement> {
  const loop = new Loop();
  const server = new TCP(loop);
  const client = new TCP(loop);
  const stopper = new Timer(loop);
  const counter = new PongCounter();
  let accepted: TCP | null = null;
  let poller: Poll | null = null;
  let failure: UVError | null = null;
  let measurement: Measurement | null = null;
  let done = false;
  let start = 0n;
  let cpuStart = process.cpuUsage();

  // Closing everything lets run() return; the server side closes on EOF.
  const finish = (error: UVError | null): void => {
    failure ??= error;
    for (const handle of [client, server, stopper, poller, accepted])
      if (handle !== null && !handle.closing) handle.close();
  };

  server.bind(HOST, 0);
  server.listen((listener, error) => {
    if (error !== null) return finish(error);
    const connection = new TCP(loop);
    listener.accept(connection);
    accepted = connection;
    if (serverSide === 'poll') {
      poller = pollEcho(loop, connection.fileno(), finish);
      return;
    }
    connection.startRead((handle, data, readError) => {
      if (data !== null) handle.write(data);
      else if (readError?.code === 'EOF') handle.close();
      else finish(readError);
    });
  });
  client.connect(HOST, server.getsockname().port, (handle, error) => {
    if (error !== null) return finish(error);
    cpuStart = process.cpuUsage();
    start = process.hrtime.bigint();
    stopper.start(() => (done = true), durationMs(options));
    handle.startRead((reader, data, readError) => {
      if (data === null) return finish(readError);
      if (!counter.receive(data.length)) return;
      if (!done) {
        reader.write(PING);
        return;
      }
      measurement = result(counter.pongs, start, cpuStart);
      finish(null);
    });
    handle.write(PING);
  });
  await loop.run('default');
  loop.close();
  if (failure !== null) throw failure;
  if (measurement === null) throw new Error('the loop ended before the measurement');
  return measurement;
}

function nodeNet(options: BenchOptions): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const counter = new PongCounter();
    let done = false;
    const server = net.createServer((socket) => {
      socket.on('data', (data: Buffer) => socket.write(data));
      socket.on('error', reject);
    });
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      const client = net.connect(address.port, HOST);
      let start = 0n;
      let cpuStart = process.cpuUsage();
      client.on('error', reject);
      client.on('connect', () => {
        cpuStart = process.cpuUsage();
        start = process.hrtime.bigint();
        setTimeout(() => (done = true), durationMs(options));
        client.write(PING);
      });
      client.on('data', (data: Buffer) => {
        if (!counter.receive(data.length)) return;
        if (!done) {
          client.write(PING);
          return;
        }
        const measurement = result(counter.pongs, start, cpuStart);
        client.destroy();
        server.close(() => resolve(measurement));
      });
    });
  });
}

/** The ping_pongs benchmark. */
export const pingPongs: BenchmarkSpec = {
  name: 'ping_pongs',
  description: 'TCP round trips per second over one loopback connection (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'net', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'ping_pongs.lua',
      luaArgs: (options) => [String(durationMs(options))],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts: (options) => uvtsPingPongs(options, 'tcp'), net: nodeNet });
