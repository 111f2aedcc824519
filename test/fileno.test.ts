// Stream.fileno(): libuv's test-handle-fileno.c (handle_fileno, catalog),
// the stream part. libuv gives EBADF before a stream has a descriptor and
// after close, and the descriptor otherwise. uvts knows the descriptor of
// a stream made from one (open(fd), a TTY); for the sockets Node creates
// itself it throws ENOTSUP (docs/deviations.md).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

  it('TCP: EBADF without a socket, ENOTSUP for the sockets Node makes (deviation)', async () => {
    const loop = new Loop();
    const server = new TCP(loop);
    assert.equal(
      code(() => server.fileno()),
      'EBADF',
    );
    server.bind('127.0.0.1', 0);
    // libuv has a socket from bind() on; Node's exists from listen() on,
    // and which descriptor it has, Node does not say.
    assert.equal(
      code(() => server.fileno()),
      'ENOTSUP',
    );
    server.listen((listener) => listener.accept(new TCP(loop)));
    assert.equal(
      code(() => server.fileno()),
      'ENOTSUP',
    );
    const client = new TCP(loop);
    const seen: string[] = [];
    client.connect('127.0.0.1', server.getsockname().port, (handle, error) => {
      seen.push(`connect:${error?.code ?? 'OK'}`);
      seen.push(`fileno:${code(() => handle.fileno())}`);
      loop.walk((open) => open.close());
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['connect:OK', 'fileno:ENOTSUP']);
    await teardown(loop);
  });
});
