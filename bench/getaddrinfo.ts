/**
 * `getaddrinfo` (higher is better): lookups of `localhost` per second, one
 * at a time, each started from the previous one's callback. `localhost` is
 * answered by /etc/hosts, so this is the cost of the path (a pool slot,
 * Node's lookup, the answer in glibc's shape, the callback in POLL), not of
 * a network. The first lookups are a warm-up.
 *
 * - `uvts`: `getaddrinfo(loop, callback, 'localhost')`;
 * - `dns.lookup`: Node's own, with `{ all: true }`;
 * - `luv`: `uv.getaddrinfo` (bench/luv/getaddrinfo.lua).
 *
 * @module
 */
import dns from 'node:dns';
import { getaddrinfo, Loop } from '../src/index.js';
import type { BenchmarkSpec, BenchOptions, Measurement } from './common.js';
import { runCaseIfMain } from './common.js';

const WARM_UP = 2_000;

function lookups(options: BenchOptions): number {
  return options.quick ? 500 : 10_000;
}

function rate(count: number, start: bigint): Measurement {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { value: count / seconds, unit: 'lookups/s', detail: { lookups: count, seconds } };
}

async function uvts(options: BenchOptions): Promise<Measurement> {
  const count = lookups(options);
  const loop = new Loop();
  let start = 0n;
  let done = 0;
  const next = (): void => {
    getaddrinfo(
      loop,
      (_request, _answers, error) => {
        if (error !== null) throw error;
        done++;
        if (done === WARM_UP) start = process.hrtime.bigint();
        if (done < WARM_UP + count) next();
      },
      'localhost',
    );
  };
  next();
  await loop.run();
  const measurement = rate(count, start);
  loop.close();
  return measurement;
}

async function nodeLookup(options: BenchOptions): Promise<Measurement> {
  const count = lookups(options);
  let start = 0n;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const next = (): void => {
      dns.lookup('localhost', { all: true }, (error) => {
        if (error) {
          reject(error);
          return;
        }
        done++;
        if (done === WARM_UP) start = process.hrtime.bigint();
        if (done < WARM_UP + count) next();
        else resolve();
      });
    };
    next();
  });
  return rate(count, start);
}

/** The getaddrinfo benchmark. */
export const getaddrinfoLocalhost: BenchmarkSpec = {
  name: 'getaddrinfo',
  description: 'lookups of localhost per second, one at a time (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'dns.lookup', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'getaddrinfo.lua',
      luaArgs: (options) => [String(lookups(options)), String(WARM_UP)],
    },
  ],
};

runCaseIfMain(import.meta.url, { uvts, 'dns.lookup': nodeLookup });
