// Pipe.chmod: libuv's test-pipe-set-mode.c (pipe_set_chmod),
// plus the cases luv 1.44.2 shows: EBADF without a socket and after close,
// ENOENT for a client (its socket has no name) and an abstract name, and
// uvts's own case, a bound pipe whose socket file only appears at listen().
import assert from 'node:assert/strict';
import { chmodSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Loop, Pipe } from '../src/index.js';
import { teardown, errorCode as code, suiteTempDir } from './helpers.js';

const ALL_READ = 0o444;
const ALL_WRITE = 0o222;

describe('pipe chmod', () => {
  const temp = suiteTempDir('pipe-chmod');
  const fresh = (): string => temp.fresh();

  it('pipe_set_chmod', async () => {
    const loop = new Loop();
    const name = fresh();
    const server = new Pipe(loop);
    server.bind(name);
    server.listen(() => assert.fail('no connection expected'));
    // Start from no permissions at all, so every added bit shows.
    chmodSync(name, 0);
    server.chmod(Pipe.READABLE);
    assert.equal(statSync(name).mode & 0o777, ALL_READ);
    server.chmod(Pipe.WRITABLE);
    assert.equal(statSync(name).mode & 0o777, ALL_READ | ALL_WRITE);
    server.chmod(Pipe.WRITABLE | Pipe.READABLE);
    assert.equal(statSync(name).mode & 0o777, ALL_READ | ALL_WRITE);
    assert.equal(
      code(() => server.chmod(12345678)),
      'EINVAL',
    );
    assert.equal(
      code(() => server.chmod(0)),
      'EINVAL',
    );
    server.close();
    assert.equal(
      code(() => server.chmod(Pipe.WRITABLE | Pipe.READABLE)),
      'EBADF',
    );
    await teardown(loop);
  });

  it('a bound pipe gets its bits when listen() creates the socket file', async () => {
    const loop = new Loop();
    const name = fresh();
    const server = new Pipe(loop);
    server.bind(name);
    server.chmod(Pipe.WRITABLE);
    server.listen(() => assert.fail('no connection expected'));
    assert.equal(statSync(name).mode & ALL_WRITE, ALL_WRITE);
    await teardown(loop);
  });

  it('EBADF without a socket, ENOENT for a client and an abstract name, TypeError for a non-number', async () => {
    const loop = new Loop();
    const seen: string[] = [];
    const unbound = new Pipe(loop);
    seen.push(`unbound:${code(() => unbound.chmod(Pipe.READABLE))}`);
    assert.throws(() => unbound.chmod('rw' as unknown as number), TypeError);
    const abstract = new Pipe(loop);
    abstract.bind(`\0uvts-chmod-${process.pid}`);
    abstract.listen(() => assert.fail('no connection expected'));
    seen.push(`abstract:${code(() => abstract.chmod(Pipe.READABLE))}`);
    const client = new Pipe(loop);
    client.connect(temp.path('no-such-socket'), (handle, error) => {
      seen.push(`connect:${error?.code}`);
      // luv 1.44.2: the failed client still has its (nameless) socket.
      seen.push(`getsockname:'${handle.getsockname()}'`);
      seen.push(`getpeername:${code(() => handle.getpeername())}`);
      seen.push(`failed client:${code(() => handle.chmod(Pipe.READABLE))}`);
      abstract.close();
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, [
      'unbound:EBADF',
      'abstract:ENOENT',
      'connect:ENOENT',
      "getsockname:''",
      'getpeername:ENOTCONN',
      'failed client:ENOENT',
    ]);
    await teardown(loop);
  });
});
