/**
 * `udp_ping_pong`: UDP round trips per second between two handles of one
 * loop on loopback (the UDP twin of ping_pongs).
 *
 * The client sends "PING"; the server sends every datagram back to its
 * sender; the client sends the next ping when the pong arrives, so exactly
 * one datagram is ever in flight and every round trip costs both sides a
 * receive and a send through the loop. The clock starts at the first ping;
 * the figure is completed round trips over the wall time up to the pong
 * that noticed the end.
 *
 * - uvts: `UDP` handles on a uvts `Loop`; a uvts `Timer` ends the run.
 * - dgram: plain `node:dgram` sockets; a `setTimeout` ends the run.
 * - luv: the same program against real libuv (bench/luv/udp_ping_pong.lua).
 *
 * @module
 */
import dgram from 'node:dgram';
import { Loop, Timer, UDP } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { cpuSecondsSince, runCaseIfMain, secondsSince } from './common.js';

const HOST = '127.0.0.1';
const PING = Buffer.from('PING');

function durationMs(options: BenchOptions): number {
  return options.quick ? 300 : 2000;
}

function result(pongs: number, start: bigint, cpuStart: NodeJS.CpuUsage): Measurement {
  const wall = secondsSince(start);
  const cpu = cpuSecondsSince(cpuStart);
  return { value: pongs / wall, unit: 'rt/s', detail: { pongs, wall, cpu } };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const loop = new Loop();
  const server = new UDP(loop);
  const client = new UDP(loop);
  const stopper = new Timer(loop);
  let pongs = 0;
  let done = false;
  let measurement: Measurement | null = null;
  server.bind(HOST, 0);
  client.bind(HOST, 0);
  const serverPort = server.getsockname().port;
  server.startRecv((handle, address, _flags, data, error) => {
    if (error !== null) throw error;
    if (data !== null && address !== null) handle.send(address.address, address.port, data);
  });
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  client.startRecv((handle, _address, _flags, data, error) => {
    if (error !== null) throw error;
    if (data === null) return;
    pongs++;
    if (!done) {
      handle.send(HOST, serverPort, PING);
      return;
    }
    measurement = result(pongs, start, cpuStart);
    for (const each of [client, server, stopper]) each.close();
  });
  stopper.start(() => (done = true), durationMs(options));
  client.send(HOST, serverPort, PING);
  await loop.run('default');
  loop.close();
  if (measurement === null) throw new Error('the loop ended before the measurement');
  return measurement;
}

function nodeDgram(options: BenchOptions): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const server = dgram.createSocket('udp4');
    const client = dgram.createSocket('udp4');
    let pongs = 0;
    let done = false;
    server.on('error', reject);
    client.on('error', reject);
    server.on('message', (data: Buffer, info: dgram.RemoteInfo) =>
      server.send(data, info.port, info.address),
    );
    server.bind(0, HOST, () => {
      client.bind(0, HOST, () => {
        const serverPort = server.address().port;
        const cpuStart = process.cpuUsage();
        const start = process.hrtime.bigint();
        client.on('message', () => {
          pongs++;
          if (!done) {
            client.send(PING, serverPort, HOST);
            return;
          }
          const measurement = result(pongs, start, cpuStart);
          client.close();
          server.close();
          resolve(measurement);
        });
        setTimeout(() => (done = true), durationMs(options));
        client.send(PING, serverPort, HOST);
      });
    });
  });
}

/** The udp_ping_pong benchmark. */
export const udpPingPong: BenchmarkSpec = {
  name: 'udp_ping_pong',
  description: 'UDP round trips per second between two handles on loopback (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'dgram', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'udp_ping_pong.lua',
      luaArgs: (options) => [String(durationMs(options))],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, dgram: nodeDgram });
