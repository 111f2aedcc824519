// Shutdown, EOF and the readable/writable flags (docs/semantics.md rules 7.2,
// 7.5, 7.6, 7.16–7.19): libuv's shutdown_eof, shutdown_simultaneous,
// shutdown_twice, shutdown_close_tcp, not_writable_after_shutdown,
// not_readable_nor_writable_on_read_error and readable_on_eof, against the
// echo-server process, plus EPIPE after shutdown and EOF-again after EOF.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { EOFError, Loop, StatusCode, TCP, Timer, UVError } from '../src/index.js';
import { teardown } from './helpers.js';
import {
  SAFETY_TIMEOUT,
  isUV,
  startEchoServer,
  throwsUV,
  type EchoServer,
} from './stream-helpers.js';

describe('tcp shutdown and EOF', SAFETY_TIMEOUT, () => {
  // Tests that send a bare `Q` close the server's listener, so they start
  // their own server; the others share this one.
  let echo: EchoServer;
  before(async () => {
    echo = await startEchoServer();
  });
  after(async () => {
    await echo.stop();
  });

  test('shutdown_eof', async () => {
    const own = await startEchoServer();
    const loop = new Loop();
    const timer = new Timer(loop);
    const tcp = new TCP(loop);
    const events: string[] = [];
    let connects = 0;
    let shutdowns = 0;
    let tcpCloses = 0;
    let timerCalls = 0;
    let gotQ = false;
    let gotEof = false;

    // libuv uses 100 ms; the timer only has to fire after the EOF, so it
    // gets more room on a loaded machine.
    timer.start((t) => {
      timerCalls++;
      events.push('timer');
      t.close();
      // EOF did not close the handle.
      assert.equal(tcpCloses, 0);
      assert.equal(tcp.closing, false);
      tcp.close(() => {
        tcpCloses++;
        assert.ok(gotQ && gotEof);
        assert.equal(timerCalls, 1);
      });
    }, 500);

    tcp.connect('127.0.0.1', own.port, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.startRead((h, data, readError) => {
        if (data !== null) {
          assert.equal(gotQ, false);
          assert.equal(data.toString(), 'Q');
          gotQ = true;
          events.push('read Q');
          return;
        }
        isUV(readError, 'EOF');
        // EOF is an outcome, not a failure: an EOFError without a stack
        // trace, which would only show the loop's internals.
        assert.ok(readError instanceof EOFError);
        assert.equal(readError.stack, 'EOFError: end of file');
        assert.equal(readError.syscall, 'read');
        assert.ok(gotQ);
        assert.equal(shutdowns, 1);
        assert.equal(gotEof, false);
        gotEof = true;
        events.push('eof');
        // EOF stops reading but does not close (rule 7.6).
        assert.equal(h.active, false);
        assert.equal(h.closing, false);
      });
      throwsUV(() => handle.startRead(() => {}), 'EALREADY');
      // libuv answers a NULL read callback with EINVAL; a non-function is
      // a TypeError here (docs/deviations.md P4).
      assert.throws(() => handle.startRead(null as never), TypeError);
      handle.write('Q');
      handle.shutdown((_h, shutdownError) => {
        assert.equal(shutdownError, null);
        assert.equal(connects, 1);
        assert.equal(gotEof, false);
        assert.equal(tcpCloses, 0);
        assert.equal(timerCalls, 0);
        shutdowns++;
        events.push('shutdown');
      });
      assert.equal(shutdowns, 0);
    });

    assert.equal(await loop.run(), false);
    assert.equal(events.length, 4);
    // "Q" and the shutdown callback may come in either order, both before EOF.
    assert.deepEqual([...events.slice(0, 2)].sort(), ['read Q', 'shutdown']);
    assert.deepEqual(events.slice(2), ['eof', 'timer']);
    assert.equal(tcpCloses, 1);
    await teardown(loop);
    await own.stop();
  });

  test('shutdown_simultaneous', async () => {
    const own = await startEchoServer();
    const loop = new Loop();
    const tcp = new TCP(loop);
    let connects = 0;
    let shutdownCalls = 0;
    let shutdownCallbacks = 0;
    let gotQ = false;
    let gotEof = false;
    tcp.connect('127.0.0.1', own.port, (handle, error) => {
      assert.equal(error, null);
      handle.startRead((h, data, readError) => {
        if (!gotQ) {
          assert.ok(data !== null);
          assert.equal(data.toString(), 'QQSS');
          assert.equal(gotEof, false);
          gotQ = true;
          // Our shutdown crosses the server's (QSS).
          h.shutdown(() => {
            assert.equal(connects, 1);
            shutdownCallbacks++;
          });
          shutdownCalls++;
        } else {
          assert.equal(data, null);
          isUV(readError, 'EOF');
          gotEof = true;
        }
      });
      throwsUV(() => handle.startRead(() => {}), 'EALREADY');
      assert.equal(handle.tryWrite('QQSS'), 4);
      connects++;
      assert.equal(shutdownCalls, 0);
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual([connects, shutdownCalls, shutdownCallbacks], [1, 1, 1]);
    assert.ok(gotQ && gotEof);
    await teardown(loop);
    await own.stop();
  });

  test('shutdown_twice', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let shutdownCallbacks = 0;
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      handle.shutdown((h, shutdownError) => {
        assert.equal(shutdownError, null);
        shutdownCallbacks++;
        h.close();
      });
      throwsUV(() => handle.shutdown(() => assert.fail('second shutdown called back')), 'ENOTCONN');
    });
    assert.equal(await loop.run(), false);
    assert.equal(shutdownCallbacks, 1);
    await teardown(loop);
  });

  test('shutdown_close_tcp', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let connects = 0;
    let shutdowns = 0;
    let closes = 0;
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.shutdown((_h, shutdownError) => {
        // Closed before the shutdown ran: ECANCELED (rule 7.18); 0 is allowed too.
        if (shutdownError !== null) isUV(shutdownError, 'ECANCELED');
        assert.equal(closes, 0, 'shutdown callback before the close callback');
        shutdowns++;
      });
      assert.equal(handle.closing, false);
      handle.close(() => closes++);
      assert.equal(handle.closing, true);
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual([connects, shutdowns, closes], [1, 1, 1]);
    await teardown(loop);
  });

  test('not_writable_after_shutdown', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let shutdowns = 0;
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      assert.equal(handle.writable, true);
      handle.shutdown((h) => {
        shutdowns++;
        h.close();
      });
      assert.equal(handle.writable, false);
      assert.equal(handle.readable, true);
    });
    assert.equal(await loop.run(), false);
    assert.equal(shutdowns, 1);
    await teardown(loop);
  });

  test('not_readable_nor_writable_on_read_error', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    const counts = { connect: 0, read: 0, write: 0, close: 0 };
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      counts.connect++;
      handle.startRead((h, data, readError) => {
        assert.equal(data, null);
        assert.ok(readError !== null && readError.code !== 'EOF', `got ${String(readError)}`);
        assert.equal(h.readable, false);
        assert.equal(h.writable, false);
        counts.read++;
        h.close(() => counts.close++);
      });
      handle.write('QSH', (_h, writeError) => {
        assert.equal(writeError, null);
        counts.write++;
      });
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(counts, { connect: 1, read: 1, write: 1, close: 1 });
    await teardown(loop);
  });

  test('readable_on_eof', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let reads = 0;
    let writes = 0;
    let closes = 0;
    const onRead = (handle: TCP, data: Buffer | null, error: UVError | null): void => {
      assert.equal(data, null);
      isUV(error, 'EOF');
      // EOF clears neither flag (rule 7.2).
      assert.equal(handle.readable, true);
      assert.equal(handle.writable, true);
      if (++reads === 3) {
        handle.close(() => closes++);
        // Closing clears both.
        assert.equal(handle.readable, false);
        assert.equal(handle.writable, false);
      } else {
        handle.startRead(onRead);
      }
    };
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      // As in libuv's test: a direct call, which starts reading.
      onRead(handle, null, new UVError(StatusCode.EOF));
      handle.write('QS', () => writes++);
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual([reads, writes, closes], [3, 1, 1]);
    await teardown(loop);
  });

  test('write after shutdown throws EPIPE; shutdown after shutdown ENOTCONN', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    const seen: string[] = [];
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      handle.write('abc', () => seen.push('write'));
      handle.shutdown((h, shutdownError) => {
        assert.equal(shutdownError, null);
        seen.push('shutdown');
        // Still EPIPE once the shutdown is done.
        throwsUV(() => h.write('late'), 'EPIPE');
        throwsUV(() => h.tryWrite('late'), 'EPIPE');
        h.close();
      });
      throwsUV(() => handle.write('x'), 'EPIPE');
      throwsUV(() => handle.shutdown(), 'ENOTCONN');
    });
    assert.equal(await loop.run(), false);
    // Writes queued before the shutdown call back first (rule 7.17).
    assert.deepEqual(seen, ['write', 'shutdown']);
    await teardown(loop);
  });

  test('startRead after EOF delivers EOF again (rule 7.6)', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    const seen: string[] = [];
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      handle.write('hello');
      handle.shutdown();
      const second = (h: TCP, data: Buffer | null, readError: UVError | null): void => {
        assert.equal(data, null);
        isUV(readError, 'EOF');
        seen.push('eof again');
        // Still readable after EOF: every restart reports EOF once more.
        assert.equal(h.readable, true);
        if (seen.length < 4) h.startRead(second);
        else h.close();
      };
      handle.startRead((h, data, readError) => {
        if (data !== null) {
          seen.push(data.toString());
          return;
        }
        isUV(readError, 'EOF');
        seen.push('eof');
        assert.equal(h.active, false);
        h.startRead(second);
        assert.equal(h.active, true);
      });
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['hello', 'eof', 'eof again', 'eof again']);
    await teardown(loop);
  });
});
