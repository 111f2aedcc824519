/**
 * `pound`: loopback TCP connections per second with 100 concurrent clients
 * (libuv's benchmark-pound.c, `tcp4_pound_100`).
 *
 * An echo server and {@link CONCURRENCY} clients share this process and
 * loop (libuv's pound talks to its own echo server too). Each client
 * connects, starts reading, writes `"QS"`, and closes as soon as the echo
 * arrives; the server echoes and closes on EOF. When a client's close
 * callback runs, a fresh client takes its place, until the duration is up;
 * then the clients still running finish and the loop ends. Every cycle
 * costs a connect, an accept, two reads, two writes and two closes.
 *
 * - uvts: `TCP` handles on a uvts `Loop`.
 * - net: plain Node `net.Server` / `net.connect()`; a client `destroy()`s
 *   its socket on the echo and is replaced on `'close'`.
 * - luv: the same program against real libuv (bench/luv/pound.lua).
 *
 * The figure is libuv's: completed connections (close callbacks) divided
 * by the wall time of the whole run, the drain of the last 100 included.
 * Failed connections are counted apart (`failed` in the detail) and not in
 * the figure.
 *
 * @module
 */
import net from 'node:net';
import { Loop, TCP } from '../src/index.js';
import type { UVError } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';

const HOST = '127.0.0.1';
const CONCURRENCY = 100;
const MESSAGE = Buffer.from('QS');

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

/** Counts cycles and decides, at each close, whether a new client starts. */
class Pounder {
  completed = 0;
  failed = 0;
  private running = 0;
  private readonly start = process.hrtime.bigint();
  private readonly cpuStart = process.cpuUsage();
  private readonly deadline: bigint;

  constructor(
    options: BenchOptions,
    private readonly startClient: () => void,
    private readonly stop: (measurement: Measurement) => void,
  ) {
    this.deadline = this.start + BigInt(durationMs(options)) * 1_000_000n;
  }

  /** Starts the first wave of clients. */
  begin(): void {
    for (let index = 0; index < CONCURRENCY; index++) this.launch();
  }

  /** A client finished (`ok`: its echo arrived); start the next one or wind down. */
  closed(ok: boolean): void {
    this.running--;
    if (ok) this.completed++;
    else this.failed++;
    // Comparing hrtime on every close is cheap next to a TCP connection.
    if (process.hrtime.bigint() < this.deadline) this.launch();
    else if (this.running === 0) this.stop(this.result());
  }

  private launch(): void {
    this.running++;
    this.startClient();
  }

  private result(): Measurement {
    const wall = secondsSince(this.start);
    const cpu = cpuSecondsSince(this.cpuStart);
    const detail = { completed: this.completed, failed: this.failed, wall, cpu };
    return { value: this.completed / wall, unit: 'conn/s', detail };
  }
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const loop = new Loop();
  const server = new TCP(loop);
  let measurement: Measurement | null = null;

  server.bind(HOST, 0);
  server.listen((listener, error) => {
    if (error !== null) throw error;
    const connection = new TCP(loop);
    listener.accept(connection);
    connection.startRead((handle, data) => {
      if (data !== null) handle.write(data);
      else handle.close();
    });
  }, 511);
  const port = server.getsockname().port;

  const startClient = (): void => {
    const client = new TCP(loop);
    let ok = false;
    client.connect(HOST, port, (handle, error) => {
      if (error !== null) return handle.close(() => pounder.closed(false));
      handle.startRead((reader, data, readError: UVError | null) => {
        ok = data !== null || readError === null;
        reader.close(() => pounder.closed(ok));
      });
      handle.write(MESSAGE);
    });
  };
  const pounder = new Pounder(options, startClient, (result) => {
    measurement = result;
    server.close();
  });
  pounder.begin();
  await loop.run('default');
  loop.close();
  if (measurement === null) throw new Error('the loop ended before the measurement');
  return measurement;
}

function nodeNet(options: BenchOptions): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    // Default allowHalfOpen: the server's socket ends its side, and closes,
    // when the client's FIN arrives — the echo server's close on EOF.
    const server = net.createServer((socket) => {
      socket.on('data', (data: Buffer) => socket.write(data));
      socket.on('error', () => socket.destroy());
    });
    server.on('error', reject);
    server.listen({ port: 0, host: HOST, backlog: 511 }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      const startClient = (): void => {
        const client = net.connect(address.port, HOST);
        let ok = false;
        client.on('connect', () => client.write(MESSAGE));
        client.on('data', () => {
          ok = true;
          client.destroy();
        });
        client.on('error', () => client.destroy());
        client.on('close', () => pounder.closed(ok));
      };
      const pounder = new Pounder(options, startClient, (result) =>
        server.close(() => resolve(result)),
      );
      pounder.begin();
    });
  });
}

/** The pound benchmark. */
export const pound: BenchmarkSpec = {
  name: 'pound',
  description: 'loopback TCP connections per second, 100 concurrent clients (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'net', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'pound.lua',
      luaArgs: (options) => [String(durationMs(options)), String(CONCURRENCY)],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, net: nodeNet });
