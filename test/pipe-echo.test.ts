// Pipe tests that talk to libuv's pipe_echo_server helper, ported as a real
// separate process (test/fixtures/pipe-echo-server.ts): pipe_ref..pipe_ref4
// (test-ref.c), pipe_ping_pong and pipe_ping_pong_vec (part 1; part 2 needs
// uv_pipe(), which Node lacks), shutdown_close_pipe, and the helper's own
// commands.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Loop, Pipe, UVError } from '../src/index.js';
import { startPipeEchoServer, tempDir, type EchoServer } from './fixtures/child-util.js';
import { teardown } from './helpers.js';

/** libuv's do_close: the close callback is not called synchronously, then once by run(). */
async function doClose(loop: Loop, pipe: Pipe): Promise<void> {
  let closed = 0;
  pipe.close(() => closed++);
  assert.equal(closed, 0);
  await loop.run();
  assert.equal(closed, 1);
}

/** Reads from `pipe` until `expected` bytes arrived, then calls `done` with them. */
function readExactly(pipe: Pipe, expected: number, done: (data: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let total = 0;
  pipe.startRead((_handle, data, error) => {
    assert.equal(error, null);
    chunks.push(data as Buffer);
    total += (data as Buffer).length;
    if (total < expected) return;
    pipe.stopRead();
    done(Buffer.concat(chunks));
  });
}

describe('pipe with the echo server helper', () => {
  let server: EchoServer | null = null;
  let remove = (): void => {};
  let name = '';
  before(async () => {
    const temp = tempDir('pipe-echo');
    remove = temp.remove;
    name = path.join(temp.dir, 'uv-test-sock');
    server = await startPipeEchoServer(name);
  });
  after(async () => {
    await server?.stop();
    remove();
  });

  it('pipe_ref', async () => {
    const loop = new Loop();
    const pipe = new Pipe(loop);
    pipe.unref();
    assert.equal(await loop.run(), false);
    await doClose(loop, pipe);
    await teardown(loop);
  });

  it('pipe_ref2', async () => {
    const loop = new Loop();
    const pipe = new Pipe(loop);
    assert.throws(
      () => pipe.listen(() => assert.fail('no connection')),
      (error: unknown) => error instanceof UVError && error.code === 'EINVAL',
    );
    pipe.unref();
    assert.equal(await loop.run(), false);
    await doClose(loop, pipe);
    await teardown(loop);
  });

  it('pipe_ref3: the connect and shutdown requests keep the loop alive', async () => {
    const loop = new Loop();
    const pipe = new Pipe(loop);
    let connects = 0;
    let shutdowns = 0;
    pipe.connect(name, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.shutdown((_h, status) => {
        assert.equal(status, null);
        shutdowns++;
      });
    });
    pipe.unref();
    assert.equal(await loop.run(), false);
    assert.equal(connects, 1);
    assert.equal(shutdowns, 1);
    await doClose(loop, pipe);
    await teardown(loop);
  });

  it('pipe_ref4: connect, write 32767 bytes, shutdown', async () => {
    const loop = new Loop();
    const pipe = new Pipe(loop);
    let connects = 0;
    let writes = 0;
    let shutdowns = 0;
    pipe.connect(name, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.write(Buffer.alloc(32767, 0x61), (writer, status) => {
        assert.equal(status, null);
        writes++;
        writer.shutdown((_h, shutdownStatus) => {
          assert.equal(shutdownStatus, null);
          shutdowns++;
        });
      });
    });
    pipe.unref();
    assert.equal(await loop.run(), false);
    assert.deepEqual([connects, writes, shutdowns], [1, 1, 1]);
    await doClose(loop, pipe);
    await teardown(loop);
  });

  for (const vectored of [false, true]) {
    it(vectored ? 'pipe_ping_pong_vec' : 'pipe_ping_pong', async () => {
      const loop = new Loop();
      const pipe = new Pipe(loop);
      const ping = Buffer.from('PING\n');
      const rounds = 1000;
      let pongs = 0;
      let connects = 0;
      const sendPing = (): void => {
        // The vectored variant writes each byte as its own buffer, in one request.
        if (vectored) pipe.write([...ping].map((byte) => Buffer.from([byte])));
        else pipe.write(ping);
      };
      const onPong = (data: Buffer): void => {
        assert.equal(data.toString(), 'PING\n');
        if (++pongs === rounds) {
          pipe.close();
          return;
        }
        sendPing();
        readExactly(pipe, ping.length, onPong);
      };
      pipe.connect(name, (handle, error) => {
        assert.equal(error, null);
        connects++;
        assert.equal(handle.readable, true);
        assert.equal(handle.writable, true);
        assert.equal(handle.closing, false);
        sendPing();
        readExactly(handle, ping.length, onPong);
      });
      // The connect callback is never called from inside connect().
      assert.equal(connects, 0);
      assert.equal(await loop.run(), false);
      assert.equal(pongs, rounds);
      await teardown(loop);
    });
  }

  it('shutdown_close_pipe', async () => {
    const loop = new Loop();
    const pipe = new Pipe(loop);
    let connects = 0;
    let closes = 0;
    const shutdowns: string[] = [];
    pipe.connect(name, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.shutdown((_h, status) => shutdowns.push(status?.code ?? 'OK'));
      assert.equal(handle.closing, false);
      handle.close(() => closes++);
      assert.equal(handle.closing, true);
    });
    assert.equal(await loop.run(), false);
    assert.equal(connects, 1);
    assert.equal(shutdowns.length, 1);
    assert.ok(['OK', 'ECANCELED'].includes(shutdowns[0] as string), `status ${shutdowns[0]}`);
    assert.equal(closes, 1);
    await teardown(loop);
  });

  it('the helper: QS closes the connection, QSS echoes then shuts down, EOF shuts down', async () => {
    const loop = new Loop();
    const results: string[] = [];
    const session = (command: string): void => {
      const pipe = new Pipe(loop);
      let text = '';
      pipe.connect(name, (handle, error) => {
        assert.equal(error, null);
        handle.write(command);
        handle.startRead((h, data, readError) => {
          if (data !== null) {
            text += data.toString();
            return;
          }
          results.push(`${command}:${JSON.stringify(text)}:${readError?.code}`);
          h.close();
        });
      });
    };
    session('QS');
    session('xQSS');
    assert.equal(await loop.run(), false);
    assert.deepEqual(results.sort(), ['QS:"":EOF', 'xQSS:"xQSS":EOF']);
    await teardown(loop);
  });
});
