// libuv's test-poll.c, test-poll-close.c and test-poll-multiple-handles.c
// (poll_duplex, poll_unidirectional, poll_close,
// poll_bad_fdtype, poll_multiple_handles), ported onto uvts's Poll. libuv's
// tests make raw non-blocking sockets; Node cannot, so the descriptors here
// are those of uvts TCP handles that never read (`fileno()`), read and
// written with fs.readSync / fs.writeSync as the user of a poll handle does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { describe, it } from 'node:test';

import { HandleClosedError, Loop, Poll, TCP, Timer } from '../src/index.js';
import type { UVError } from '../src/index.js';
import { repoPath } from './fixtures/child-util.js';
import { errorCode, suiteTempDir, teardown } from './helpers.js';

interface Connection {
  readonly client: TCP;
  readonly server: TCP;
}

/** `count` loopback connections whose two ends are uvts TCP handles that do not read. */
async function connections(loop: Loop, count: number): Promise<Connection[]> {
  const listener = new TCP(loop);
  listener.bind('127.0.0.1', 0);
  const accepted: TCP[] = [];
  let connected = 0;
  listener.listen((server, error) => {
    assert.equal(error, null);
    const peer = new TCP(loop);
    server.accept(peer);
    accepted.push(peer);
    if (accepted.length === count) server.close();
  });
  const port = listener.getsockname().port;
  const clients: TCP[] = [];
  for (let i = 0; i < count; i++) {
    const client = new TCP(loop);
    client.connect('127.0.0.1', port, (_handle, error) => {
      assert.equal(error, null);
      connected++;
    });
    clients.push(client);
  }
  while (connected < count || accepted.length < count) await loop.run('once');
  // Accept order and connect order may differ: pair the ends by port.
  return clients.map((client) => {
    const local = client.getsockname().port;
    const server = accepted.find((peer) => peer.getpeername().port === local);
    assert.ok(server !== undefined);
    return { client, server };
  });
}

/** One such connection. */
async function connection(loop: Loop): Promise<Connection> {
  const [pair] = await connections(loop, 1);
  assert.ok(pair !== undefined);
  return pair;
}

/** A read of `fd` that treats EAGAIN as "nothing yet". */
function readSome(fd: number, size = 65536): Buffer | null {
  const buffer = Buffer.alloc(size);
  try {
    return buffer.subarray(0, readSync(fd, buffer));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return null;
    throw error;
  }
}

/** A write of `fd` that treats EAGAIN as "0 bytes for now". */
function writeSome(fd: number, data: Buffer): number {
  try {
    return writeSync(fd, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return 0;
    throw error;
  }
}

const TRANSFER_BYTES = 1 << 16;

/**
 * libuv's poll_duplex / poll_unidirectional: each connection's two ends
 * are poll-driven; the client sends TRANSFER_BYTES (and in duplex mode the
 * server too), each side reads until the other has sent everything and
 * shut down, and counts.
 */
async function pollTransfer(duplex: boolean): Promise<void> {
  const loop = new Loop();
  const pairs = await connections(loop, 5);
  let finished = 0;
  let spurious = 0;
  let wakeups = 0;
  const startSide = (handle: TCP, sends: boolean, expected: number): void => {
    const fd = handle.fileno();
    const poll = new Poll(loop, fd);
    let sent = 0;
    let received = 0;
    let shutDown = !sends;
    let sawEof = false;
    const payload = Buffer.alloc(4096, 'p');
    // A side with nothing to send says so at once.
    if (!sends) handle.shutdown();
    const events = (): number => Poll.READABLE | Poll.DISCONNECT | (shutDown ? 0 : Poll.WRITABLE);
    const onEvents = (self: Poll, ready: number, error: UVError | null): void => {
      assert.equal(error, null);
      wakeups++;
      if ((ready & Poll.READABLE) !== 0) {
        const data = readSome(fd);
        if (data === null) spurious++;
        else if (data.length === 0) sawEof = true;
        else received += data.length;
      }
      if ((ready & Poll.WRITABLE) !== 0 && !shutDown) {
        const chunk = payload.subarray(0, Math.min(payload.length, TRANSFER_BYTES - sent));
        const written = writeSome(fd, chunk);
        if (written === 0) spurious++;
        sent += written;
        if (sent === TRANSFER_BYTES) {
          shutDown = true;
          // The write side is done: ask the peer to see EOF.
          handle.shutdown();
        }
      }
      if (sawEof && shutDown) {
        self.close();
        finished++;
        assert.equal(received, expected);
        return;
      }
      self.start(events(), onEvents);
    };
    poll.start(events(), onEvents);
  };
  for (const { client, server } of pairs) {
    startSide(client, true, duplex ? TRANSFER_BYTES : 0);
    startSide(server, duplex, TRANSFER_BYTES);
  }
  await loop.run();
  assert.equal(finished, 10);
  // libuv's test allows some spurious wake-ups; a poll never misses one.
  assert.ok(spurious < wakeups, `${spurious} spurious of ${wakeups}`);
  await teardown(loop);
}

describe('poll', () => {
  const temp = suiteTempDir('poll');

  it('poll_duplex: five connections, both ends poll-driven, sending both ways', async () => {
    await pollTransfer(true);
  });

  it('poll_unidirectional: five connections, the clients send', async () => {
    await pollTransfer(false);
  });

  it('poll_close: 64 sockets polled for reading and writing, all closed at once', async () => {
    const loop = new Loop();
    const pairs = await connections(loop, 32);
    const polls = pairs.flatMap(({ client, server }) => [
      new Poll(loop, client.fileno()),
      new Poll(loop, server.fileno()),
    ]);
    let closed = 0;
    for (const poll of polls) poll.start(Poll.READABLE | Poll.WRITABLE, () => undefined);
    for (const poll of polls) poll.close(() => closed++);
    await loop.run('nowait');
    assert.equal(closed, 64);
    await teardown(loop);
  });

  it('poll_bad_fdtype and other init errors: EPERM, EBADF, TypeError, EEXIST', async () => {
    const loop = new Loop();
    const file = openSync(temp.fresh('file'), 'w+');
    const directory = openSync(temp.path(), 'r');
    const devNull = openSync('/dev/null', 'r');
    for (const fd of [file, directory, devNull])
      assert.equal(
        errorCode(() => new Poll(loop, fd)),
        'EPERM',
      );
    closeSync(file);
    assert.equal(
      errorCode(() => new Poll(loop, file)),
      'EBADF',
    );
    assert.throws(() => new Poll(loop, -1), TypeError);
    assert.throws(() => new Poll(loop, 1.5), TypeError);
    assert.throws(() => new Poll(loop, '3' as never), TypeError);
    assert.equal(loop.alive, false, 'a refused init leaves no handle');
    closeSync(directory);
    closeSync(devNull);
    // A stream that reads watches its descriptor: EEXIST (rule 8.22).
    const { client } = await connection(loop);
    client.startRead(() => undefined);
    assert.equal(
      errorCode(() => new Poll(loop, client.fileno())),
      'EEXIST',
    );
    client.stopRead();
    new Poll(loop, client.fileno()).close();
    await teardown(loop);
  });

  it('poll_multiple_handles: one watcher per descriptor; ref and unref', async () => {
    const loop = new Loop();
    const { client } = await connection(loop);
    const fd = client.fileno();
    const first = new Poll(loop, fd);
    const second = new Poll(loop, fd);
    first.start(Poll.READABLE, () => undefined);
    assert.equal(
      errorCode(() => new Poll(loop, fd)),
      'EEXIST',
    );
    assert.equal(
      errorCode(() => second.start(Poll.READABLE, () => undefined)),
      'EEXIST',
    );
    first.stop();
    second.start(Poll.READABLE, () => undefined);
    second.unref();
    first.unref();
    first.ref();
    second.ref();
    assert.equal(second.active, true);
    first.close();
    second.close();
    await teardown(loop);
  });

  it('is level-triggered and never reads: called in every POLL until the data is read', async () => {
    const loop = new Loop();
    const { client, server } = await connection(loop);
    const fd = client.fileno();
    const poll = new Poll(loop, fd);
    const order: string[] = [];
    let calls = 0;
    const timer = new Timer(loop);
    poll.start(Poll.READABLE, (handle, events, error) => {
      order.push(`poll ${events} ${error}`);
      if (++calls === 3) {
        order.push(`read ${readSome(fd)?.toString()}`);
        order.push(`read ${readSome(fd)}`);
        loop.updateTime();
        timer.start(() => {
          order.push('timer');
          handle.close();
          timer.close();
        }, 30);
      }
    });
    server.write('abc');
    await loop.run();
    assert.deepEqual(order, [
      'poll 1 null',
      'poll 1 null',
      'poll 1 null',
      'read abc',
      'read null',
      'timer',
    ]);
    await teardown(loop);
  });

  it('a poll started on a ready descriptor is called in the next POLL, also with run NOWAIT', async () => {
    const loop = new Loop();
    const { client, server } = await connection(loop);
    // A TCP write to the loopback is in the peer's socket when it returns.
    server.write('x');
    const poll = new Poll(loop, client.fileno());
    const seen: number[] = [];
    poll.start(Poll.READABLE | Poll.WRITABLE, (handle, events) => {
      seen.push(events);
      handle.stop();
    });
    assert.equal(await loop.run('nowait'), false);
    assert.deepEqual(seen, [Poll.READABLE | Poll.WRITABLE]);
    assert.equal(await loop.run('nowait'), false);
    assert.deepEqual(seen, [Poll.READABLE | Poll.WRITABLE]);
    await teardown(loop);
  });

  it('DISCONNECT: the peer closes; disconnect alone is not woken by data', async () => {
    const loop = new Loop();
    const { client, server } = await connection(loop);
    const poll = new Poll(loop, client.fileno());
    const seen: number[] = [];
    server.write('data nobody reads');
    poll.start(Poll.DISCONNECT, (handle, events) => {
      seen.push(events);
      handle.close();
    });
    const timer = new Timer(loop);
    loop.updateTime();
    timer.start(() => {
      seen.push(-1);
      server.close();
      timer.close();
    }, 50);
    await loop.run();
    assert.deepEqual(seen, [-1, Poll.DISCONNECT]);
    await teardown(loop);
  });

  it('an error condition (the peer resets) stops the handle and reports EBADF once', async () => {
    const loop = new Loop();
    const { client, server } = await connection(loop);
    const poll = new Poll(loop, client.fileno());
    const seen: string[] = [];
    poll.start(Poll.READABLE, (handle, events, error) => {
      seen.push(`${events} ${error?.code} ${handle.active}`);
    });
    server.closeReset();
    await loop.run();
    assert.deepEqual(seen, ['0 EBADF false']);
    await teardown(loop);
  });

  it('start and stop: events 0 stop; unknown bits EINVAL; fileno; closed handles throw', async () => {
    const loop = new Loop();
    const { client } = await connection(loop);
    const fd = client.fileno();
    const poll = new Poll(loop, fd);
    assert.equal(poll.fileno(), fd);
    assert.equal(poll.type, 'poll');
    assert.equal(poll.active, false);
    poll.start(Poll.WRITABLE, () => undefined);
    assert.equal(poll.active, true);
    poll.start(0, () => undefined);
    assert.equal(poll.active, false);
    assert.equal(
      errorCode(() => poll.start(16, () => undefined)),
      'EINVAL',
    );
    assert.throws(() => poll.start(Poll.READABLE, null as never), TypeError);
    assert.throws(() => poll.start('r' as never, () => undefined), TypeError);
    poll.stop();
    poll.close();
    assert.throws(() => poll.start(Poll.READABLE, () => undefined), HandleClosedError);
    assert.throws(() => poll.stop(), HandleClosedError);
    assert.equal(
      errorCode(() => poll.fileno()),
      'EBADF',
    );
    await teardown(loop);
  });

  it('deviation R2/R3: PRIORITIZED is accepted and never reported; READABLE on a write-only end is never reported', async () => {
    const loop = new Loop();
    const { client, server } = await connection(loop);
    server.write('data');
    const seen: number[] = [];
    const prioritized = new Poll(loop, client.fileno());
    prioritized.start(Poll.PRIORITIZED | Poll.READABLE, (_handle, events) => seen.push(events));
    const path = temp.fresh('fifo');
    execFileSync('mkfifo', [path]);
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(writer, 'in the fifo');
    const writeOnly = new Poll(loop, writer);
    writeOnly.start(Poll.READABLE, () => seen.push(-1));
    assert.equal(writeOnly.active, true);
    const timer = new Timer(loop);
    loop.updateTime();
    timer.start(() => {
      prioritized.close();
      writeOnly.close();
      timer.close();
    }, 50);
    await loop.run();
    closeSync(reader);
    closeSync(writer);
    assert.ok(seen.length > 0);
    assert.ok(seen.every((events) => events === Poll.READABLE));
    await teardown(loop);
  });

  it('a FIFO: readable with data, writable with room', async () => {
    const loop = new Loop();
    const path = temp.fresh('fifo');
    execFileSync('mkfifo', [path]);
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    const poll = new Poll(loop, fd);
    const seen: number[] = [];
    writeSync(fd, 'fifo');
    poll.start(Poll.READABLE | Poll.WRITABLE, (handle, events) => {
      seen.push(events);
      handle.close();
    });
    await loop.run();
    closeSync(fd);
    assert.deepEqual(seen, [Poll.READABLE | Poll.WRITABLE]);
    await teardown(loop);
  });

  it('a terminal (a pty under script(1)): readable when a line is typed', () => {
    const command = `${process.execPath} --import tsx ${repoPath('test/fixtures/poll-tty-child.ts')}`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      input: 'typed\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.match(result.stdout, /poll 1 typed/);
  });

  it('uvts prints no ExperimentalWarning for the WASI it uses', () => {
    // The child's stdin is the socket pair Node gives a piped child: Poll works on one.
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', repoPath('test/fixtures/poll-tty-child.ts'), 'pipe'],
      { input: 'piped\n', encoding: 'utf8', timeout: 60_000 },
    );
    assert.match(result.stdout, /poll 1 piped socket/);
    assert.doesNotMatch(result.stderr, /ExperimentalWarning/);
  });
});
