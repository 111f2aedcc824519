/**
 * `poll_echo`: the ping_pongs program (bench/ping-pongs.ts) with a server
 * side driven by a `Poll` handle: the accepted socket's descriptor is read
 * and written with `fs.readSync` / `fs.writeSync` whenever the poll handle
 * says it is readable, as a library that owns its socket would do with
 * `uv_poll_t`. The baselines are the same program with the ordinary TCP
 * handle echo, in uvts and in libuv (luv), and libuv's own poll echo, so
 * the ratios show what a poll handle costs in each.
 *
 * libuv watches the descriptor with epoll in the loop's own thread; uvts
 * asks a readiness worker (platform/readiness.ts), which answers "ready"
 * and, after the server read the ping, "not ready" within its 2 ms probe,
 * so each round trip costs a few thread hand-offs.
 *
 * @module
 */
import type { BenchmarkSpec } from './common.js';
import { runCaseIfMain } from './common.js';
import { durationMs, uvtsPingPongs } from './ping-pongs.js';

/** The poll_echo benchmark. */
export const pollEcho: BenchmarkSpec = {
  name: 'poll_echo',
  description: 'TCP round trips per second, echoed through a Poll handle (higher is better)',
  higherIsBetter: true,
  module: import.meta.url,
  cases: [
    { name: 'uvts', kind: 'node' },
    { name: 'uvts tcp echo', kind: 'node' },
    {
      name: 'luv',
      kind: 'lua',
      script: 'ping_pongs.lua',
      luaArgs: (options) => [String(durationMs(options)), 'poll'],
    },
    {
      name: 'luv tcp echo',
      kind: 'lua',
      script: 'ping_pongs.lua',
      luaArgs: (options) => [String(durationMs(options))],
    },
  ],
};

runCaseIfMain(import.meta.url, {
  uvts: (options) => uvtsPingPongs(options, 'poll'),
  'uvts tcp echo': (options) => uvtsPingPongs(options, 'tcp'),
});
