/**
 * pyuv's "UDP Echo server" example (docs §3.1), in uvts.
 *
 * Run it with `node --import tsx examples/udp-echo-server.ts [port] [host]`
 * (default 0.0.0.0:1234; port 0 picks a free one), talk to it with
 * `nc -u localhost 1234`, and stop it with Ctrl-C: the SIGINT callback
 * closes both handles, so the loop runs out of work and `run()` returns.
 *
 * One difference from pyuv shows in `onRead`: after each batch of
 * datagrams libuv calls the receive callback once more with no address and
 * no data ("nothing more to read"). pyuv hides that call; uvts passes it on,
 * as libuv does, so the callback checks for data before echoing.
 */
import { Loop, Signal, UDP } from '../src/index.js';
import type { SocketAddress, UVError } from '../src/index.js';

const port = Number(process.argv[2] ?? 1234);
const host = process.argv[3] ?? '0.0.0.0';

const loop = Loop.defaultLoop();

function onRead(
  handle: UDP,
  address: SocketAddress | null,
  _flags: number,
  data: Buffer | null,
  error: UVError | null,
): void {
  if (error !== null || data === null || address === null) return;
  handle.send(address.address, address.port, data);
}

const server = new UDP(loop);
server.bind(host, port);
server.startRecv(onRead);

const signal = new Signal(loop);
signal.start(() => {
  signal.close();
  server.close();
}, 'SIGINT');

const { address, port: bound } = server.getsockname();
console.log(`uvts UDP echo server listening on ${address}:${bound}`);
await loop.run();
loop.close();
console.log('Stopped!');
