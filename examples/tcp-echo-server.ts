/**
 * pyuv's "TCP Echo server" example (in pyuv's documentation), in uvts.
 *
 * Run it with `node --import tsx examples/tcp-echo-server.ts [port] [host]`
 * (default 0.0.0.0:1234; port 0 picks a free one), talk to it with
 * `nc localhost 1234`, and stop it with Ctrl-C: the SIGINT callback closes
 * every handle, so the loop runs out of work and `run()` returns.
 */
import { Loop, Signal, TCP } from '../src/index.js';
import type { UVError } from '../src/index.js';

const port = Number(process.argv[2] ?? 1234);
const host = process.argv[3] ?? '0.0.0.0';

const loop = Loop.defaultLoop();
const clients = new Set<TCP>();

function onRead(client: TCP, data: Buffer | null, _error: UVError | null): void {
  if (data === null) {
    // EOF or a read error: the client is gone.
    client.close();
    clients.delete(client);
    return;
  }
  client.write(data);
}

function onConnection(listener: TCP, error: UVError | null): void {
  if (error !== null) return;
  const client = new TCP(listener.loop);
  listener.accept(client);
  clients.add(client);
  client.startRead(onRead);
}

const server = new TCP(loop);
server.bind(host, port);
server.listen(onConnection);

const signal = new Signal(loop);
signal.start(() => {
  for (const client of clients) client.close();
  signal.close();
  server.close();
}, 'SIGINT');

const { address, port: bound } = server.getsockname();
console.log(`uvts TCP echo server listening on ${address}:${bound}`);
await loop.run();
loop.close();
console.log('Stopped!');
