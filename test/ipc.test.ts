// libuv's test-ipc.c (ipc_listen_before_write,
// ipc_listen_after_write, ipc_tcp_connection, ipc_send_zero), with the
// send/receive tests adapted to what Node can pass (listening servers and
// connections, not bound-only sockets, which Node cannot make), between
// a uvts parent and the uvts child it spawned (test/fixtures/ipc-child.ts),
// whose stdin is the IPC pipe as in libuv's tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, openSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { Loop, Pipe, Process, StdIO, TCP, Timer, UDP } from '../src/index.js';
import type { UVError } from '../src/index.js';
import { repoPath } from './fixtures/child-util.js';
import { errorCode, teardown } from './helpers.js';

interface Child {
  readonly channel: Pipe;
  readonly exits: number[];
}

/** Spawns the fixture in `mode` with an IPC pipe as its stdin. */
function spawnChild(loop: Loop, mode: string): Child {
  const channel = new Pipe(loop, true);
  const exits: number[] = [];
  Process.spawn(loop, {
    args: [process.execPath, '--import', 'tsx', repoPath('test/fixtures/ipc-child.ts'), mode],
    stdio: [
      new StdIO({ stream: channel, flags: StdIO.CREATE_PIPE }),
      null,
      new StdIO({ fd: 2, flags: StdIO.INHERIT_FD }),
    ],
    exitCallback: (handle, status, signal) => {
      exits.push(status, signal);
      handle.close();
    },
  });
  return { channel, exits };
}

/** Reads `channel` line by line; `onLine` gets each line and the pending count then. */
function readLines(channel: Pipe, onLine: (line: string, pending: number) => void): void {
  let text = '';
  channel.startRead((pipe, data, error: UVError | null) => {
    if (data === null) {
      assert.equal(error?.code, 'EOF');
      pipe.close();
      return;
    }
    text += data.toString();
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
      const line = text.slice(0, end);
      text = text.slice(end + 1);
      onLine(line, pipe.pendingCount);
    }
  });
}

/** Runs `loop` a turn at a time until `promise` settles (Node's own I/O progresses between turns). */
async function runUntil<T>(loop: Loop, promise: Promise<T>): Promise<T> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await loop.run('nowait');
    await new Promise((resolve) => setImmediate(resolve));
  }
  return promise;
}

/** A plain Node client: connects, writes `message`, resolves with what comes back. */
function roundTrip(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(message));
    let text = '';
    socket.on('data', (data) => (text += data.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('ipc', () => {
  for (const name of ['ipc_listen_before_write', 'ipc_listen_after_write']) {
    it(`${name}: the child sends a listening server; both accept on it`, async () => {
      const loop = new Loop();
      const { channel, exits } = spawnChild(loop, 'send-server');
      const seen: string[] = [];
      let server: TCP | null = null;
      let port = 0;
      readLines(channel, (line, pending) => {
        seen.push(`${line.split(' ')[0]} pending=${pending} ${channel.pendingType}`);
        if (!line.startsWith('hello')) return;
        port = Number(line.split(' ')[1]);
        const received = new TCP(loop);
        channel.accept(received);
        server = received;
        assert.equal(received.getsockname().port, port);
        received.listen((listener) => {
          const connection = new TCP(loop);
          listener.accept(connection);
          connection.startRead((handle, data) => {
            if (data === null) handle.close();
            else handle.write(data);
          });
        });
      });
      while (server === null) await loop.run('once');
      // Connections land on whichever process accepts first; all are echoed.
      const replies = await runUntil(
        loop,
        Promise.all(Array.from({ length: 20 }, (_, i) => roundTrip(port, `ping ${i}`))),
      );
      assert.deepEqual(
        replies,
        Array.from({ length: 20 }, (_, i) => `ping ${i}`),
      );
      (server as TCP).close();
      channel.write('close\n');
      await loop.run();
      assert.deepEqual(seen, ['hello pending=1 tcp', 'closed pending=0 unknown']);
      assert.deepEqual(exits, [0, 0]);
      await teardown(loop);
    });
  }

  it('ipc_tcp_connection: the child sends an accepted connection; the parent talks on it', async () => {
    const loop = new Loop();
    const { channel, exits } = spawnChild(loop, 'send-connection');
    const heard: string[] = [];
    readLines(channel, (line, pending) => {
      assert.equal(line, 'hello');
      assert.equal(pending, 1);
      assert.equal(channel.pendingType, 'tcp');
      const connection = new TCP(loop);
      assert.equal(
        errorCode(() => channel.accept(new Pipe(loop))),
        'EINVAL',
      );
      channel.accept(connection);
      assert.equal(channel.pendingCount, 0);
      connection.write('world\n');
      connection.startRead((handle, data) => {
        if (data === null) return;
        heard.push(data.toString());
        handle.close();
        channel.write('done\n');
      });
    });
    await loop.run();
    loop.walk((handle) => handle.type === 'pipe' && !handle.closing && handle.close());
    await loop.run();
    assert.deepEqual(heard, ['hello again\n']);
    assert.deepEqual(exits, [0, 0]);
    await teardown(loop);
  });

  it('ipc_send_recv: the parent sends a listening server and a connection; the child takes both', async () => {
    const loop = new Loop();
    const { channel, exits } = spawnChild(loop, 'receive');
    const reports: string[] = [];
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen(() => undefined);
    const port = server.getsockname().port;
    channel.write2('server\n', server);
    readLines(channel, (line) => reports.push(line));
    while (reports.length < 1) await loop.run('once');
    // The parent closes its copy; the child's still accepts.
    server.close();
    assert.equal(await runUntil(loop, roundTrip(port, 'to the child')), 'to the child');
    while (reports.length < 2) await loop.run('once');
    // A connection the parent accepted, handed over.
    const listener = new TCP(loop);
    listener.bind('127.0.0.1', 0);
    listener.listen((self) => {
      const connection = new TCP(loop);
      self.accept(connection);
      channel.write2('connection\n', connection, () => connection.close());
      self.close();
    });
    const echoed = roundTrip(listener.getsockname().port, 'via the child');
    assert.equal(await runUntil(loop, echoed), 'via the child');
    channel.write('quit\n');
    await loop.run();
    assert.deepEqual(reports, ['got server tcp 0', 'accepted_connection', 'got connection tcp 0']);
    assert.deepEqual(exits, [0, 0]);
    await teardown(loop);
  });

  it('ipc_send_recv (udp): the child sends a bound UDP socket; the parent receives on it, datagrams that came before accept() too', async () => {
    const loop = new Loop();
    const { channel, exits } = spawnChild(loop, 'send-udp');
    const seen: string[] = [];
    const received: string[] = [];
    const sender = new UDP(loop);
    let port = 0;
    readLines(channel, (line, pending) => {
      seen.push(`${line.split(' ')[0]} pending=${pending} ${channel.pendingType}`);
      if (line.startsWith('udp')) port = Number(line.split(' ')[1]);
      if (line !== 'closed') return;
      // Sent while the socket waits for accept(); the timer gives Node the
      // turns to read it first, so that accept() finds it kept. Whether or
      // not it was read by then, both datagrams must arrive, in order.
      sender.send('127.0.0.1', port, 'early', () => {
        new Timer(loop).start((timer) => {
          timer.close();
          const udp = new UDP(loop);
          const wrongType = new TCP(loop);
          assert.equal(
            errorCode(() => channel.accept(wrongType)),
            'EINVAL',
          );
          wrongType.close();
          // As uv_udp_open: a handle that has a socket already is busy.
          const busy = new UDP(loop);
          busy.bind('127.0.0.1', 0);
          assert.equal(
            errorCode(() => channel.accept(busy)),
            'EBUSY',
          );
          busy.close();
          assert.equal(channel.pendingCount, 1);
          channel.accept(udp);
          assert.equal(channel.pendingCount, 0);
          assert.deepEqual(udp.getsockname(), { address: '127.0.0.1', port, family: 'IPv4' });
          udp.startRecv((handle, _address, _flags, data) => {
            if (data === null) return;
            received.push(data.toString());
            if (received.length === 1) sender.send('127.0.0.1', port, 'late');
            else {
              handle.close();
              sender.close();
              channel.write('done\n');
            }
          });
        }, 20);
      });
    });
    await loop.run();
    assert.deepEqual(seen, ['udp pending=1 udp', 'closed pending=1 udp']);
    assert.deepEqual(received, ['early', 'late']);
    assert.deepEqual(exits, [0, 0]);
    await teardown(loop);
  });

  it('byte stream: many writes arrive whole and in order, and EOF after a shutdown', async () => {
    const loop = new Loop();
    const { channel, exits } = spawnChild(loop, 'echo-bytes');
    const sent: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const chunk = Buffer.alloc(1 + (i % 97) * 31, i % 251);
      sent.push(chunk);
      channel.write(chunk);
    }
    const expected = Buffer.concat(sent);
    const received: Buffer[] = [];
    let total = 0;
    channel.startRead((pipe, data) => {
      if (data === null) {
        pipe.close();
        return;
      }
      received.push(data);
      total += data.length;
      if (total === expected.length) pipe.shutdown();
    });
    await loop.run();
    assert.ok(Buffer.concat(received).equals(expected));
    assert.deepEqual(exits, [0, 0]);
    await teardown(loop);
  });

  it('ipc_heavy_traffic_deadlock_bug: 6 MB each way at once, all of it, no deadlock', async () => {
    const loop = new Loop();
    const { channel, exits } = spawnChild(loop, 'echo-bytes');
    const block = Buffer.alloc(3 * 8192, 'z');
    let written = 0;
    let read = 0;
    const total = 256 * block.length;
    for (let i = 0; i < 256; i++) channel.write(block, () => (written += block.length));
    channel.startRead((pipe, data) => {
      if (data === null) {
        pipe.close();
        return;
      }
      read += data.length;
      if (read === total) {
        pipe.stopRead();
        pipe.shutdown(() => pipe.close());
      }
    });
    await loop.run();
    assert.equal(written, total);
    assert.equal(read, total);
    assert.deepEqual(exits, [0, 0]);
    await teardown(loop);
  });

  it('ipc_send_zero: a zero-length write succeeds and delivers nothing', async () => {
    const loop = new Loop();
    const { channel, exits } = spawnChild(loop, 'send-zero');
    const lines: string[] = [];
    readLines(channel, (line) => lines.push(line));
    await loop.run();
    assert.deepEqual(lines, ['zero 0']);
    assert.deepEqual(exits, [0, 0]);
    await teardown(loop);
  });

  it("security: a handle that comes with a message that is not uvts's is never pending", async () => {
    const loop = new Loop();
    const { channel, exits } = spawnChild(loop, 'foreign-handle');
    const lines: string[] = [];
    readLines(channel, (line, pending) => lines.push(`${line} ${pending}`));
    await loop.run();
    assert.deepEqual(lines, ['sent 0']);
    assert.equal(channel.pendingCount, 0);
    assert.deepEqual(exits, [0, 0]);
    await teardown(loop);
  });

  it("deviation I1: write2 needs uvts's IPC channel; libuv's errors otherwise", async () => {
    const loop = new Loop();
    const notChannel = new Pipe(loop, true);
    const plain = new Pipe(loop);
    const tcp = new TCP(loop);
    assert.equal(
      errorCode(() => notChannel.write2('x', tcp)),
      'EBADF',
    );
    assert.equal(
      errorCode(() => plain.write2('x', tcp)),
      'EBADF',
    );
    assert.equal(notChannel.pendingCount, 0);
    assert.equal(notChannel.pendingType, 'unknown');
    const { channel } = spawnChild(loop, 'echo-bytes');
    assert.equal(
      errorCode(() => channel.write2('x', tcp)),
      'EBADF',
    );
    assert.throws(() => channel.write2('x', {} as never), TypeError);
    // Pipes with a descriptor: a plain one cannot send handles (EINVAL); an
    // ipc one that is not uvts's channel could in libuv, not here (ENOTSUP).
    const fifo = path.join(os.tmpdir(), `uvts-ipc-${process.pid}.fifo`);
    execFileSync('mkfifo', [fifo]);
    const out = new Pipe(loop);
    out.open(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
    const ipcOut = new Pipe(loop, true);
    ipcOut.open(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
    unlinkSync(fifo);
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen(() => undefined);
    assert.equal(
      errorCode(() => out.write2('x', server)),
      'EINVAL',
    );
    assert.equal(
      errorCode(() => ipcOut.write2('x', server)),
      'ENOTSUP',
    );
    channel.shutdown();
    channel.startRead((pipe, data) => data === null && pipe.close());
    out.close();
    ipcOut.close();
    server.close();
    tcp.close();
    notChannel.close();
    plain.close();
    await loop.run();
    await teardown(loop);
  });
});
