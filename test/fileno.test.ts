// Stream.fileno(): libuv's test-handle-fileno.c (handle_fileno),
// the stream part. libuv gives EBADF before a stream has a descriptor and
// after close, and the descriptor otherwise. uvts knows the descriptor of
// a stream made from one (open(fd), a TTY), finds that of a TCP socket
// through /proc, and throws ENOTSUP for the pipes Node creates
// (docs/deviations.md, S12).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { describe, it } from 'node:test';

import { HandleClosedError, Loop, Pipe, TCP, TTY } from '../src/index.js';
import { teardown, errorCode as code, suiteTempDir } from './helpers.js';

describe('fileno', () => {
  const temp = suiteTempDir('fileno');
  const fifoFd = (): number => {
    const name = temp.fresh('fifo');
    execFileSync('mkfifo', [name]);
    return openSync(name, constants.O_RDWR | constants.O_NONBLOCK);
  };

  it('handle_fileno, stream part: the descriptor of an opened pipe and a TTY, EBADF after close', async () => {
    const loop = new Loop();
    const pipeFd = fifoFd();
    const pipe = new Pipe(loop);
    assert.equal(
      code(() => pipe.fileno()),
      'EBADF',
    );
    pipe.open(pipeFd);
    assert.equal(pipe.fileno(), pipeFd);
    const ttyFd = fifoFd();
    const tty = new TTY(loop, ttyFd, true);
    assert.equal(tty.fileno(), ttyFd);
    pipe.close();
    tty.close();
    assert.throws(() => pipe.fileno(), HandleClosedError);
    assert.equal(
      code(() => tty.fileno()),
      'EBADF',
    );
    await teardown(loop);
  });

  it('TCP: EBADF without a socket; a listener, a client and an accepted connection have theirs', async () => {
    const loop = new Loop();
    const server = new TCP(loop);
    assert.equal(
      code(() => server.fileno()),
      'EBADF',
    );
    server.bind('127.0.0.1', 0);
    // libuv has a socket from bind() on; Node's exists from listen() on.
    assert.equal(
      code(() => server.fileno()),
      'ENOTSUP',
    );
    let received = '';
    let accepted: TCP | null = null;
    server.listen((listener) => {
      accepted = new TCP(loop);
      listener.accept(accepted);
      accepted.startRead((_handle, data) => {
        if (data !== null) received += data.toString();
        else loop.walk((open) => open.close());
      });
    });
    const serverFd = server.fileno();
    const client = new TCP(loop);
    const fds: number[] = [serverFd];
    client.connect('127.0.0.1', server.getsockname().port, (handle, error) => {
      assert.equal(error, null);
      const clientFd = handle.fileno();
      fds.push(clientFd, (accepted as TCP | null)?.fileno() ?? -1);
      // The proof that it is the client's socket: a child process writes
      // to it as its stdout, and the server reads what the child wrote.
      const child = spawn(process.execPath, ['-e', "process.stdout.write('from the child')"], {
        stdio: ['ignore', clientFd, 'inherit'],
      });
      child.on('exit', () => handle.shutdown());
    });
    assert.equal(await loop.run(), false);
    assert.equal(received, 'from the child');
    assert.equal(new Set(fds).size, 3, `three different descriptors: ${fds.join(', ')}`);
    for (const fd of fds) assert.ok(fd > 2, `a socket descriptor, got ${fd}`);
    await teardown(loop);
  });

  it('TCP over IPv6 (::1) and a dual-stack listener reached over IPv4 (::ffff:127.0.0.1)', async () => {
    const loop = new Loop();
    const seen: number[] = [];
    // Two listeners, two clients, two accepted connections: then close all.
    const record = (fd: number): void => {
      seen.push(fd);
      if (seen.length === 6) loop.walk((open) => open.close());
    };
    for (const [bindTo, connectTo] of [
      ['::1', '::1'],
      ['::', '127.0.0.1'],
    ] as const) {
      const server = new TCP(loop);
      server.bind(bindTo, 0);
      server.listen((listener) => {
        const connection = new TCP(loop);
        listener.accept(connection);
        record(connection.fileno());
      });
      record(server.fileno());
      new TCP(loop).connect(connectTo, server.getsockname().port, (handle, error) => {
        assert.equal(error, null);
        record(handle.fileno());
      });
    }
    assert.equal(await loop.run(), false);
    assert.equal(new Set(seen).size, 6, `six different descriptors: ${seen.join(', ')}`);
    await teardown(loop);
  });

  it('a pipe Node made has no descriptor uvts can see (ENOTSUP, deviation)', async () => {
    const loop = new Loop();
    const server = new Pipe(loop);
    server.bind(temp.fresh());
    server.listen(() => assert.fail('no connection expected'));
    assert.equal(
      code(() => server.fileno()),
      'ENOTSUP',
    );
    await teardown(loop);
  });
});
