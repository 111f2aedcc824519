/**
 * `ping_pongs`, alternating: the CPU cost of one round trip in uvts and in
 * plain `net`, measured in turns inside one process.
 *
 * ```
 * node --import tsx bench/ping-pongs-alternating.ts [--rounds 30] [--trips 5000]
 * ```
 *
 * The `ping_pongs` benchmark (ping-pongs.ts) times each implementation in a
 * process of its own, and on a shared virtual machine the wall time of a
 * process moves by ±30% with whatever else runs, and more between
 * processes than within one. This script takes the neighbours out of the
 * comparison: it runs `--trips` round trips on uvts, then the same on
 * `net`, over and over, and reads the process's CPU time around each turn.
 * A slow spell of the machine then slows both turns of a pair alike, so
 * the ratio of each adjacent pair is stable even when the absolute
 * figures are not; the median pair ratio is the figure to compare changes
 * by. The first two pairs warm up the JIT and are left out.
 *
 * The program is the same as in ping-pongs.ts: one connection over
 * loopback, client and server in one loop, one 5-byte message in flight.
 *
 * @module
 */
import net from 'node:net';
import { Loop, TCP } from '../src/index.js';
import { median } from './common.js';

const PING = Buffer.from('PING\n');
const HOST = '127.0.0.1';
const WARM_UP_PAIRS = 2;

/** CPU microseconds (user + system, all threads) since `start`. */
function cpuMicrosecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** `trips` round trips on uvts; resolves to CPU µs per round trip. */
async function uvtsTurn(trips: number): Promise<number> {
  const loop = new Loop();
  const server = new TCP(loop);
  const client = new TCP(loop);
  let accepted: TCP | null = null;
  let pongs = 0;
  let unmatched = 0;
  let cpuStart = process.cpuUsage();
  let perTrip = NaN;
  server.bind(HOST, 0);
  server.listen((listener) => {
    const connection = new TCP(loop);
    listener.accept(connection);
    accepted = connection;
    connection.startRead((handle, data) => {
      if (data !== null) handle.write(data);
    });
  });
  client.connect(HOST, server.getsockname().port, (handle) => {
    cpuStart = process.cpuUsage();
    handle.startRead((reader, data) => {
      if (data === null) return;
      unmatched += data.length;
      if (unmatched < PING.length) return;
      unmatched -= PING.length;
      if (++pongs < trips) {
        reader.write(PING);
        return;
      }
      perTrip = cpuMicrosecondsSince(cpuStart) / trips;
      for (const open of [client, server, accepted]) open?.close();
    });
    handle.write(PING);
  });
  await loop.run();
  loop.close();
  return perTrip;
}

/** `trips` round trips on plain `net`; resolves to CPU µs per round trip. */
function netTurn(trips: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let pongs = 0;
    let unmatched = 0;
    let cpuStart = process.cpuUsage();
    const server = net.createServer((socket) => socket.on('data', (data) => socket.write(data)));
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const client = net.connect((server.address() as net.AddressInfo).port, HOST);
      client.on('error', reject);
      client.on('connect', () => {
        cpuStart = process.cpuUsage();
        client.write(PING);
      });
      client.on('data', (data: Buffer) => {
        unmatched += data.length;
        if (unmatched < PING.length) return;
        unmatched -= PING.length;
        if (++pongs < trips) {
          client.write(PING);
          return;
        }
        const perTrip = cpuMicrosecondsSince(cpuStart) / trips;
        client.destroy();
        server.close(() => resolve(perTrip));
      });
    });
  });
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const rounds = option('--rounds', 30) + WARM_UP_PAIRS;
  const trips = option('--trips', 5000);
  const uvts: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < rounds; round++) {
    uvts.push(await uvtsTurn(trips));
    plain.push(await netTurn(trips));
  }
  const measuredUvts = uvts.slice(WARM_UP_PAIRS);
  const measuredNet = plain.slice(WARM_UP_PAIRS);
  const ratios = measuredUvts.map((cost, index) => (measuredNet[index] as number) / cost);
  const sorted = [...ratios].sort((a, b) => a - b);
  const quartile = (q: number): number => sorted[Math.floor(q * (sorted.length - 1))] as number;
  console.log(
    `ping_pongs alternating, ${rounds - WARM_UP_PAIRS} pairs of ${trips} round trips (CPU per round trip, medians):`,
  );
  console.log(
    `  uvts ${median(measuredUvts).toFixed(1)} µs   net ${median(measuredNet).toFixed(1)} µs`,
  );
  console.log(
    `  uvts/net speed, median pair ratio ${median(ratios).toFixed(3)}x` +
      ` (quartiles ${quartile(0.25).toFixed(3)} .. ${quartile(0.75).toFixed(3)})`,
  );
}

await main();
