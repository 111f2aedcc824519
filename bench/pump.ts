/**
 * `pump`: throughput of one loopback TCP connection in MB/s (libuv's
 * benchmark-pump.c, `tcp_pump1_client`).
 *
 * A client writes 64 KiB chunks as fast as write callbacks allow, keeping
 * {@link WRITES_IN_FLIGHT} writes queued (each callback issues the next
 * write); the server reads and counts. Both ends live in this process and
 * loop: libuv's pump runs the server in a second process, but on a shared
 * 2-core machine a second process measures the scheduler as much as the
 * loop, and one process charges both ends' costs to the implementation
 * under test.
 *
 * - uvts: `TCP` handles on a uvts `Loop`; a uvts `Timer` ends the run.
 * - net: plain Node `net.Server` / `net.Socket`; `write(chunk, callback)`
 *   with the same window, a `setTimeout` ends the run.
 * - luv: the same program against real libuv (bench/luv/pump.lua).
 *
 * The clock starts in the connect callback; when the duration is up the
 * figure is taken at once — bytes the server has read, over the wall time —
 * and every handle is closed (writes still queued are cancelled, not
 * counted). MB are 10^6 bytes.
 *
 * @module
 */
import net from 'node:net';
import { Loop, TCP, Timer } from '../src/index.js';
import type { UVError } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';

const HOST = '127.0.0.1';
/** libuv's pump writes 8 KiB at a time; 64 KiB is libuv's (and Node's) read size, and the usual choice for bulk writes. */
const CHUNK_SIZE = 64 * 1024;
/** Writes kept queued: enough that the kernel never waits for the writer, bounded so memory stays flat. */
const WRITES_IN_FLIGHT = 4;

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

function result(bytes: number, start: bigint, cpuStart: NodeJS.CpuUsage): Measurement {
  const wall = secondsSince(start);
  const cpu = cpuSecondsSince(cpuStart);
  return { value: bytes / 1e6 / wall, unit: 'MB/s', detail: { bytes, wall, cpu } };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const loop = new Loop();
  const chunk = Buffer.alloc(CHUNK_SIZE, 'x');
  const server = new TCP(loop);
  const client = new TCP(loop);
  const stopper = new Timer(loop);
  let accepted: TCP | null = null;
  let received = 0;
  let done = false;
  let failure: UVError | null = null;
  let measurement: Measurement | null = null;
  let start = 0n;
  let cpuStart = process.cpuUsage();

  const finish = (error: UVError | null): void => {
    done = true;
    failure ??= error;
    for (const handle of [client, server, stopper, accepted]) handle?.close();
  };
  // Closing the client cancels the writes still queued (ECANCELED): expected then.
  const onWrite = (handle: TCP, error: UVError | null): void => {
    if (done) return;
    if (error !== null) return finish(error);
    handle.write(chunk, onWrite);
  };

  server.bind(HOST, 0);
  server.listen((listener, error) => {
    if (error !== null) return finish(error);
    const connection = new TCP(loop);
    listener.accept(connection);
    accepted = connection;
    connection.startRead((_handle, data, readError) => {
      if (data !== null) received += data.length;
      else if (!done) finish(readError);
    });
  });
  client.connect(HOST, server.getsockname().port, (handle, error) => {
    if (error !== null) return finish(error);
    cpuStart = process.cpuUsage();
    start = process.hrtime.bigint();
    stopper.start(() => {
      measurement = result(received, start, cpuStart);
      finish(null);
    }, durationMs(options));
    for (let index = 0; index < WRITES_IN_FLIGHT; index++) handle.write(chunk, onWrite);
  });
  await loop.run('default');
  loop.close();
  if (failure !== null) throw failure;
  if (measurement === null) throw new Error('the loop ended before the measurement');
  return measurement;
}

function nodeNet(options: BenchOptions): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(CHUNK_SIZE, 'x');
    let received = 0;
    let done = false;
    const server = net.createServer((socket) => {
      socket.on('data', (data: Buffer) => (received += data.length));
      // The client is destroyed with writes queued; the reset is expected then.
      socket.on('error', (error) => {
        if (!done) reject(error);
      });
    });
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      const client = net.connect(address.port, HOST);
      const onWrite = (error?: Error | null): void => {
        if (done) return;
        if (error !== null && error !== undefined) return reject(error);
        client.write(chunk, onWrite);
      };
      client.on('error', (error) => {
        if (!done) reject(error);
      });
      client.on('connect', () => {
        const cpuStart = process.cpuUsage();
        const start = process.hrtime.bigint();
        setTimeout(() => {
          done = true;
          const measurement = result(received, start, cpuStart);
          client.destroy();
          server.close(() => resolve(measurement));
        }, durationMs(options));
        for (let index = 0; index < WRITES_IN_FLIGHT; index++) client.write(chunk, onWrite);
      });
    });
  });
}

/** The pump benchmark. */
export const pump: BenchmarkSpec = {
  name: 'pump',
  description: 'MB/s through one loopback TCP connection (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'net', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'pump.lua',
      luaArgs: (options) => [
        String(durationMs(options)),
        String(CHUNK_SIZE),
        String(WRITES_IN_FLIGHT),
      ],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, net: nodeNet });
