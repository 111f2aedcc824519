/**
 * `udp_pummel`: datagrams per second one way, several senders to one
 * receiver on loopback, all in one loop (after libuv's
 * benchmark-udp-pummel.c).
 *
 * {@link SENDERS} handles each keep {@link WINDOW} datagrams of
 * {@link SIZE} bytes in flight; a datagram stops being in flight when the
 * receiver has it, and its sender then sends the next. libuv's pummel sends
 * again from each send callback and lets the receiver drop what it cannot
 * read in time, so its figure depends on how each implementation's
 * receiver happens to be scheduled; with the window nothing is dropped,
 * and the figure — datagrams received over the wall time — measures the
 * send and receive paths alone. The first byte of a datagram names its
 * sender. The clock starts at the first send; a timer ends the run.
 *
 * - uvts: `UDP` handles on a uvts `Loop`; a uvts `Timer` ends the run.
 * - dgram: plain `node:dgram` sockets; a `setTimeout` ends the run.
 * - luv: the same program against real libuv (bench/luv/udp_pummel.lua).
 *
 * @module
 */
import dgram from 'node:dgram';
import { Loop, Timer, UDP } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';

const HOST = '127.0.0.1';
const SENDERS = 5;
/** Datagrams each sender keeps in flight: 50 in all, well under what a receive buffer holds. */
const WINDOW = 10;
/** A small datagram: the figure is about per-datagram cost, not bandwidth. */
const SIZE = 64;

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : Number(process.env.UDP_BENCH_MS ?? 2000);
}

function result(received: number, start: bigint, cpuStart: NodeJS.CpuUsage): Measurement {
  const wall = secondsSince(start);
  const cpu = cpuSecondsSince(cpuStart);
  return { value: received / wall, unit: 'dgram/s', detail: { received, wall, cpu } };
}

/** One datagram per sender, marked with the sender's number. */
function payloads(): Buffer[] {
  return Array.from({ length: SENDERS }, (_, index) => Buffer.alloc(SIZE, index));
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const loop = new Loop();
  const data = payloads();
  const receiver = new UDP(loop);
  const stopper = new Timer(loop);
  const senders: UDP[] = [];
  let received = 0;
  let done = false;
  let measurement: Measurement | null = null;
  receiver.bind(HOST, 0);
  const port = receiver.getsockname().port;
  const send = (index: number): void => {
    (senders[index] as UDP).send(HOST, port, data[index] as Buffer);
  };
  receiver.startRecv((_handle, _address, _flags, datagram, error) => {
    if (error !== null) throw error;
    if (datagram === null) return;
    received++;
    if (!done) send(datagram[0] as number);
  });
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let index = 0; index < SENDERS; index++) {
    senders.push(new UDP(loop));
    for (let i = 0; i < WINDOW; i++) send(index);
  }
  stopper.start(() => {
    done = true;
    measurement = result(received, start, cpuStart);
    for (const handle of [receiver, stopper, ...senders]) handle.close();
  }, durationMs(options));
  await loop.run('default');
  loop.close();
  if (measurement === null) throw new Error('the loop ended before the measurement');
  return measurement;
}

function nodeDgram(options: BenchOptions): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const data = payloads();
    const receiver = dgram.createSocket('udp4');
    const senders: dgram.Socket[] = [];
    let received = 0;
    let done = false;
    receiver.on('error', reject);
    receiver.bind(0, HOST, () => {
      const port = receiver.address().port;
      const send = (index: number): void => {
        (senders[index] as dgram.Socket).send(data[index] as Buffer, port, HOST);
      };
      receiver.on('message', (datagram: Buffer) => {
        received++;
        if (!done) send(datagram[0] as number);
      });
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      for (let index = 0; index < SENDERS; index++) {
        const sender = dgram.createSocket('udp4');
        sender.on('error', reject);
        senders.push(sender);
        for (let i = 0; i < WINDOW; i++) send(index);
      }
      setTimeout(() => {
        done = true;
        const measurement = result(received, start, cpuStart);
        for (const socket of [receiver, ...senders]) socket.close();
        resolve(measurement);
      }, durationMs(options));
    });
  });
}

/** The udp_pummel benchmark. */
export const udpPummel: BenchmarkSpec = {
  name: 'udp_pummel',
  description: `datagrams per second one way, ${SENDERS} senders x ${WINDOW} in flight to one receiver on loopback (higher is better)`,
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'dgram', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'udp_pummel.lua',
      luaArgs: (options) => [
        String(durationMs(options)),
        String(SENDERS),
        String(WINDOW),
        String(SIZE),
      ],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, dgram: nodeDgram });
