// Pipe connect: libuv's test-pipe-connect-error.c, test-pipe-connect-prepare.c,
// test-pipe-connect-multiple.c, test-pipe-server-close.c and the connect("")
// part of test-pipe-bind-error.c's pipe_overlong_path, plus
// rule 7.26: connect never throws for an unreachable path, and the errors a
// stat() shows reach the callback at the next pending batch, as in libuv.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Loop, Pipe, Prepare } from '../src/index.js';
import type { Profile } from '../src/index.js';
import { teardown, errorCode as code, suiteTempDir } from './helpers.js';

/** Connects a fresh pipe to `target` before the first run; returns the log of callbacks. */
async function connectLog(
  target: string,
  profile: Profile = '1.52',
): Promise<{ log: string[]; phase: string; readable: boolean }> {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  let phase = '';
  let readable = false;
  loop.tracer = (event) => {
    if (event.type === 'callback' && event.kind === 'connect') phase = event.phase;
  };
  const prepare = new Prepare(loop).start(() => log.push('prepare'));
  const client = new Pipe(loop);
  client.connect(target, (handle, error) => {
    log.push(`connect:${error?.code ?? 'OK'}`);
    readable = handle.readable;
    handle.close();
    prepare.close();
  });
  assert.equal(await loop.run(), false);
  await teardown(loop);
  return { log, phase, readable };
}

describe('pipe connect', () => {
  const temp = suiteTempDir('pipe-connect');
  const fresh = (): string => temp.fresh();

  it('pipe_connect_bad_name: ENOENT through the callback at the first pending batch', async () => {
    // libuv 1.44.2 (luv): the callback runs before the first prepare callback.
    const { log, phase, readable } = await connectLog(temp.path('no-such-socket'));
    assert.deepEqual(log, ['connect:ENOENT']);
    assert.equal(phase, 'pending');
    // As in libuv, a connect that failed at once leaves the stream unopened.
    assert.equal(readable, false);
  });

  it('write and tryWrite follow libuv: EBADF without a socket, EPIPE on a bound or failed pipe', async () => {
    // luv 1.44.2: a fresh pipe has no fd (EBADF); uv_pipe_bind and a connect
    // that fails at once create one, which is not writable (EPIPE); a
    // connect in flight makes tryWrite EAGAIN.
    const loop = new Loop();
    const seen: string[] = [];
    const fresh = new Pipe(loop);
    seen.push(`fresh write:${code(() => fresh.write('x'))}`);
    seen.push(`fresh tryWrite:${code(() => fresh.tryWrite('x'))}`);
    const bound = new Pipe(loop);
    bound.bind(temp.path('bound-not-listening'));
    seen.push(`bound write:${code(() => bound.write('x'))}`);
    seen.push(`bound tryWrite:${code(() => bound.tryWrite('x'))}`);
    seen.push(`bound shutdown:${code(() => bound.shutdown())}`);
    const failed = new Pipe(loop);
    failed.connect(temp.path('no-such-socket'), (handle, error) => {
      seen.push(`connect:${error?.code}`);
      seen.push(`failed write:${code(() => handle.write('x'))}`);
      seen.push(`failed tryWrite:${code(() => handle.tryWrite('x'))}`);
    });
    seen.push(`connecting write:${code(() => failed.write('x'))}`);
    seen.push(`connecting tryWrite:${code(() => failed.tryWrite('x'))}`);
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, [
      'fresh write:EBADF',
      'fresh tryWrite:EBADF',
      'bound write:EPIPE',
      'bound tryWrite:EPIPE',
      'bound shutdown:ENOTCONN',
      'connecting write:EPIPE',
      'connecting tryWrite:EAGAIN',
      'connect:ENOENT',
      'failed write:EPIPE',
      'failed tryWrite:EPIPE',
    ]);
    await teardown(loop);
  });

  it('connect into a missing directory is ENOENT through the callback, never thrown', async () => {
    const { log } = await connectLog(temp.path('no-such-dir', 'sock'));
    assert.deepEqual(log, ['connect:ENOENT']);
  });

  it('pipe_connect_to_file: ECONNREFUSED through the callback', async () => {
    const file = fresh();
    writeFileSync(file, 'not a socket');
    const { log, phase } = await connectLog(file);
    assert.deepEqual(log, ['connect:ECONNREFUSED']);
    assert.equal(phase, 'pending');
  });

  it('pipe_overlong_path: connect("") is EINVAL (1.52) / ECONNREFUSED (1.44) in the callback', async () => {
    assert.deepEqual((await connectLog('', '1.52')).log, ['connect:EINVAL']);
    assert.deepEqual((await connectLog('', '1.44')).log, ['connect:ECONNREFUSED']);
    // A NUL inside the name: EINVAL, also through the callback.
    assert.deepEqual((await connectLog(`${fresh()}\0x`)).log, ['connect:EINVAL']);
  });

  it('a stale socket file: ECONNREFUSED from the kernel, in POLL (deviation: libuv uses PENDING)', async () => {
    // A listening process killed before it could unlink leaves a stale socket file.
    const stale = fresh();
    const script = `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', script]);
    assert.equal(lstatSync(stale).isSocket(), true);
    const { log, phase, readable } = await connectLog(stale);
    // Only trying tells, and Node reports the failure after a turn of its
    // own loop: the callback comes in POLL, after the first prepare; and the
    // stream was opened for the attempt, so it still says readable.
    assert.deepEqual(log, ['prepare', 'connect:ECONNREFUSED']);
    assert.equal(phase, 'poll');
    assert.equal(readable, true);
  });

  it('pipe_connect_on_prepare', async () => {
    const loop = new Loop();
    const prepare = new Prepare(loop);
    const client = new Pipe(loop);
    let connects = 0;
    let closes = 0;
    prepare.start(() => {
      prepare.stop();
      client.connect(temp.path('no-such-socket'), (handle, error) => {
        assert.equal(error?.code, 'ENOENT');
        connects++;
        prepare.close(() => closes++);
        handle.close(() => closes++);
      });
    });
    assert.equal(await loop.run(), false);
    assert.equal(connects, 1);
    assert.equal(closes, 2);
    await teardown(loop);
  });

  it('a connect failure closed before its callback gets ECANCELED', async () => {
    const loop = new Loop();
    const client = new Pipe(loop);
    const statuses: string[] = [];
    client.connect(temp.path('no-such-socket'), (_handle, error) =>
      statuses.push(error?.code ?? 'OK'),
    );
    client.close();
    await loop.run();
    assert.deepEqual(statuses, ['ECANCELED']);
    await teardown(loop);
  });

  it('pipe_server_close', async () => {
    const loop = new Loop();
    const name = fresh();
    const server = new Pipe(loop);
    server.bind(name);
    server.listen(() => {});
    const client = new Pipe(loop);
    let connects = 0;
    let closes = 0;
    client.connect(name, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.close(() => closes++);
      server.close(() => closes++);
    });
    assert.equal(await loop.run(), false);
    assert.equal(connects, 1);
    assert.equal(closes, 2);
    await teardown(loop);
  });

  it('pipe_connect_multiple', async () => {
    const loop = new Loop();
    const name = fresh();
    const server = new Pipe(loop);
    const count = 10;
    let connections = 0;
    let connects = 0;
    server.bind(name);
    server.listen((listener, error) => {
      assert.equal(error, null);
      listener.accept(new Pipe(loop));
      if (++connections === count && connects === count) loop.stop();
    });
    for (let index = 0; index < count; index++) {
      new Pipe(loop).connect(name, (_handle, error) => {
        assert.equal(error, null);
        if (++connects === count && connections === count) loop.stop();
      });
    }
    assert.equal(await loop.run(), true);
    assert.equal(connections, count);
    assert.equal(connects, count);
    await teardown(loop);
  });

  it('pipe_connect_close_multiple', async () => {
    const loop = new Loop();
    const name = fresh();
    const server = new Pipe(loop);
    const count = 10;
    let connections = 0;
    let connects = 0;
    const maybeClose = (): void => {
      if (connections === count && connects === count) server.close();
    };
    server.bind(name);
    server.listen((listener, error) => {
      assert.equal(error, null);
      const incoming = new Pipe(loop);
      listener.accept(incoming);
      incoming.close();
      connections++;
      maybeClose();
    });
    for (let index = 0; index < count; index++) {
      const client = new Pipe(loop);
      client.connect(name, (_handle, error) => {
        assert.equal(error?.code, 'ECANCELED');
        connects++;
        maybeClose();
      });
      // The kernel has already queued the connection: the server still sees it.
      client.close();
    }
    assert.equal(await loop.run(), false);
    assert.equal(connections, count);
    assert.equal(connects, count);
    await teardown(loop);
  });

  it('misuse throws: EALREADY while connecting, EISCONN once connected, EINVAL on a server', async () => {
    const loop = new Loop();
    const name = fresh();
    const server = new Pipe(loop);
    server.bind(name);
    server.listen((listener) => listener.accept(new Pipe(loop)));
    assert.equal(
      code(() => server.connect(name)),
      'EINVAL',
    );
    const client = new Pipe(loop);
    client.connect(name, (handle, error) => {
      assert.equal(error, null);
      assert.equal(
        code(() => handle.connect(name)),
        'EISCONN',
      );
      loop.walk((h) => h.close());
    });
    assert.equal(
      code(() => client.connect(name)),
      'EALREADY',
    );
    await loop.run();
    await teardown(loop);
  });
});
