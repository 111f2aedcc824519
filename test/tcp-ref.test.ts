// The TCP members of libuv's ref family (test-ref.c): an
// unref'd TCP handle does not keep the loop alive, a closing one does, and
// requests (connect, write, shutdown) keep it alive whatever the handle's
// ref state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Loop, TCP, type UVError } from '../src/index.js';
import { teardown } from './helpers.js';
import { SAFETY_TIMEOUT, startEchoServer, type EchoServer } from './stream-helpers.js';

/** libuv's do_close: the close callback is not called synchronously, but by the next run. */
async function doClose(loop: Loop, handle: TCP): Promise<void> {
  let closeCalls = 0;
  handle.close(() => closeCalls++);
  assert.equal(closeCalls, 0);
  assert.equal(await loop.run(), false);
  assert.equal(closeCalls, 1);
}

describe('tcp ref family', SAFETY_TIMEOUT, () => {
  let echo: EchoServer;
  before(async () => {
    echo = await startEchoServer();
  });
  after(async () => {
    await echo.stop();
  });

  test('tcp_ref', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    tcp.unref();
    assert.equal(await loop.run(), false);
    await doClose(loop, tcp);
    await teardown(loop);
  });

  test('tcp_ref2', async () => {
    const loop = new Loop();
    const server = new TCP(loop);
    server.listen(() => assert.fail('no connection expected'), 128);
    server.unref();
    assert.equal(server.active, true);
    assert.equal(await loop.run(), false);
    await doClose(loop, server);
    await teardown(loop);
  });

  test('tcp_ref2b', async () => {
    const loop = new Loop();
    const server = new TCP(loop);
    server.listen(() => assert.fail('no connection expected'), 128);
    server.unref();
    let closeCalls = 0;
    server.close(() => closeCalls++);
    // The pending close keeps the loop alive although the handle is unref'd.
    assert.equal(await loop.run(), false);
    assert.equal(closeCalls, 1);
    await teardown(loop);
  });

  test('tcp_ref3', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let connects = 0;
    let shutdowns = 0;
    tcp.connect('127.0.0.1', echo.port, (handle, error: UVError | null) => {
      assert.equal(error, null);
      connects++;
      handle.shutdown((_h, shutdownError) => {
        assert.equal(shutdownError, null);
        shutdowns++;
      });
    });
    tcp.unref();
    assert.equal(await loop.run(), false);
    assert.equal(connects, 1);
    assert.equal(shutdowns, 1);
    await doClose(loop, tcp);
    await teardown(loop);
  });

  test('tcp_ref4', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let connects = 0;
    let writes = 0;
    let shutdowns = 0;
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.write(Buffer.alloc(32767, 0x61), (h, writeError) => {
        assert.equal(writeError, null);
        writes++;
        h.shutdown((_h, shutdownError) => {
          assert.equal(shutdownError, null);
          shutdowns++;
        });
      });
    });
    tcp.unref();
    assert.equal(await loop.run(), false);
    assert.deepEqual([connects, writes, shutdowns], [1, 1, 1]);
    await doClose(loop, tcp);
    await teardown(loop);
  });
});
