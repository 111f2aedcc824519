/**
 * pyuv's "TCP Echo server using Poll handles" example (docs §3.3), in uvts.
 *
 * Each connection is a descriptor this program reads and writes itself,
 * with `fs.readSync` / `fs.writeSync`, and a `Poll` handle tells it when the
 * descriptor is ready: READABLE while it waits for data, READABLE and
 * WRITABLE while it has data to send back. pyuv's example polls a Python
 * listening socket and calls `accept()` on it; Node cannot accept on a raw
 * descriptor, so here a uvts `TCP` handle listens and accepts, and each
 * accepted connection's descriptor (`fileno()`) goes to a `Poll` handle.
 * The accepted `TCP` handle never reads, so the descriptor is the poll's
 * alone, as libuv requires.
 *
 * Run it with `node --import tsx examples/poll-echo-server.ts [port] [host]`
 * (default 127.0.0.1:9876, pyuv's address; port 0 picks a free one), talk
 * to it with `nc 127.0.0.1 9876`, and stop it with Ctrl-C or SIGTERM: the
 * signal callback wakes an `Async` handle whose callback stops the server,
 * as pyuv's example does.
 */
import { readSync, writeSync } from 'node:fs';
import { Async, Loop, Poll, Signal, TCP } from '../src/index.js';
import type { UVError } from '../src/index.js';

const port = Number(process.argv[2] ?? 9876);
const host = process.argv[3] ?? '127.0.0.1';
const NONBLOCKING = new Set(['EAGAIN', 'EWOULDBLOCK']);

const loop = Loop.defaultLoop();

/** One client: its TCP handle, the poll handle on its descriptor, and what is left to echo. */
class Connection {
  private readonly fd: number;
  private readonly watcher: Poll;
  private buffer = Buffer.alloc(0);

  constructor(
    private readonly tcp: TCP,
    private readonly connections: Set<Connection>,
  ) {
    this.fd = tcp.fileno();
    this.watcher = new Poll(loop, this.fd);
    this.watcher.start(Poll.READABLE, this.ioCallback);
    connections.add(this);
    console.log(`${this.name()}: ready`);
  }

  private name(): string {
    const peer = this.tcp.getpeername();
    return `${peer.address}:${peer.port}`;
  }

  private reset(events: number): void {
    this.watcher.start(events, this.ioCallback);
  }

  private readonly ioCallback = (_watcher: Poll, events: number, error: UVError | null): void => {
    if (error !== null) {
      console.log(`${this.name()}: error ${error.code} --> closing`);
      this.close();
      return;
    }
    if ((events & Poll.READABLE) !== 0) this.handleRead();
    else if ((events & Poll.WRITABLE) !== 0) this.handleWrite();
  };

  private handleRead(): void {
    const chunk = Buffer.alloc(1024);
    let count: number;
    try {
      count = readSync(this.fd, chunk);
    } catch (error) {
      if (NONBLOCKING.has((error as NodeJS.ErrnoException).code ?? '')) return;
      console.log(`${this.name()}: error reading --> closing`);
      this.close();
      return;
    }
    if (count === 0) {
      console.log(`${this.name()}: connection closed by peer --> closing`);
      this.close();
      return;
    }
    this.buffer = Buffer.concat([this.buffer, chunk.subarray(0, count)]);
    this.reset(Poll.READABLE | Poll.WRITABLE);
  }

  private handleWrite(): void {
    let sent: number;
    try {
      sent = writeSync(this.fd, this.buffer);
    } catch (error) {
      if (NONBLOCKING.has((error as NodeJS.ErrnoException).code ?? '')) return;
      console.log(`${this.name()}: error writing --> closing`);
      this.close();
      return;
    }
    this.buffer = this.buffer.subarray(sent);
    if (this.buffer.length === 0) this.reset(Poll.READABLE);
  }

  close(): void {
    if (this.watcher.closing) return;
    const name = this.name();
    // The poll handle first: the descriptor may only go once nobody polls it.
    this.watcher.close();
    this.tcp.close();
    this.connections.delete(this);
    console.log(`${name}: closed`);
  }
}

class Server {
  private readonly tcp = new TCP(loop);
  private readonly connections = new Set<Connection>();
  private readonly stopper = new Async(loop, (handle) => {
    handle.close();
    this.stop();
  });
  private readonly signalWatchers = new Set<Signal>();

  start(): void {
    this.tcp.bind(host, port);
    this.tcp.listen((listener, error) => {
      if (error !== null) return;
      const client = new TCP(loop);
      listener.accept(client);
      new Connection(client, this.connections);
    });
    for (const signum of ['SIGINT', 'SIGTERM']) {
      const watcher = new Signal(loop);
      watcher.start(() => this.stopper.send(), signum);
      this.signalWatchers.add(watcher);
    }
    const address = this.tcp.getsockname();
    console.log(`uvts Poll echo server listening on ${address.address}:${address.port}`);
  }

  stop(): void {
    for (const watcher of this.signalWatchers) watcher.close();
    this.signalWatchers.clear();
    this.tcp.close();
    for (const connection of [...this.connections]) connection.close();
    console.log('stopping');
  }
}

new Server().start();
await loop.run();
loop.close();
console.log('Stopped!');
