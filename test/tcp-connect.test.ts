// Connecting, and connects that fail: libuv's test-connection-fail.c,
// test-tcp-connect-timeout.c, test-tcp-write-after-connect.c,
// test-tcp-connect-error-after-write.c, test-tcp-connect-error.c,
// test-tcp-connect6-error.c and test-tcp-close-while-connecting.c
// (rules 7.24, 7.25, 6.5). Everything runs on loopback; the tests that need
// an outside network are todos.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Loop, TCP, Timer, type UVError } from '../src/index.js';
import { teardown } from './helpers.js';
import { SAFETY_TIMEOUT, canIpv6, isUV, throwsUV, unusedPort } from './stream-helpers.js';

const ipv6 = await canIpv6();
const NO_IPV6 = ipv6 ? false : 'IPv6 ([::1]) is not available on this machine';

describe('tcp connect', SAFETY_TIMEOUT, () => {
  test('connection_fail', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let connects = 0;
    let closes = 0;
    tcp.bind('0.0.0.0', 0);
    tcp.connect('127.0.0.1', await unusedPort(), (handle, error) => {
      isUV(error, 'ECONNREFUSED');
      assert.equal(closes, 0);
      connects++;
      handle.close(() => closes++);
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual([connects, closes], [1, 1]);
    await teardown(loop);
  });

  test('connection_fail_doesnt_auto_close', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    const timer = new Timer(loop);
    const counts = { connect: 0, close: 0, timer: 0, timerClose: 0 };
    tcp.bind('0.0.0.0', 0);
    tcp.connect('127.0.0.1', await unusedPort(), (_handle, error) => {
      isUV(error, 'ECONNREFUSED');
      counts.connect++;
      timer.start((t) => {
        // A failed connect never closes the handle by itself.
        assert.equal(counts.close, 0);
        assert.equal(tcp.closing, false);
        assert.equal(counts.connect, 1);
        counts.timer++;
        tcp.close(() => counts.close++);
        t.close(() => counts.timerClose++);
      }, 100);
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(counts, { connect: 1, close: 1, timer: 1, timerClose: 1 });
    await teardown(loop);
  });

  const localConnectTimeout = async (ip: string): Promise<void> => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    const timer = new Timer(loop);
    let connects = 0;
    tcp.connect(ip, await unusedPort(ip), (_h, error) => {
      // Refused at once: it must not wait for the timer and be canceled.
      assert.ok(error !== null);
      assert.notEqual(error.code, 'ECANCELED');
      connects++;
    });
    timer.start(() => {
      tcp.close();
      timer.close();
    }, 1000);
    assert.equal(await loop.run(), false);
    assert.equal(connects, 1);
    await teardown(loop);
  };

  test('tcp_local_connect_timeout', () => localConnectTimeout('127.0.0.1'));
  test('tcp6_local_connect_timeout', { skip: NO_IPV6 }, () => localConnectTimeout('::1'));

  test('tcp_write_after_connect', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    const seen: string[] = [];
    tcp.connect('127.0.0.1', await unusedPort(), (_h, error) => {
      isUV(error, 'ECONNREFUSED');
      seen.push('connect');
    });
    tcp.write('HELL', (handle, error) => {
      // Queued behind the connect, canceled when it fails (rule 7.25).
      isUV(error, 'ECANCELED');
      seen.push('write');
      handle.close();
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['connect', 'write']);
    await teardown(loop);
  });

  test('tcp_connect_error_after_write', async () => {
    const loop = new Loop();
    const conn = new TCP(loop);
    const counts = { connect: 0, write: 0, close: 0 };
    // Not connected: no socket at all.
    throwsUV(() => conn.write('TEST', () => assert.fail('no callback')), 'EBADF');
    conn.connect('127.0.0.1', await unusedPort(), (handle, error) => {
      assert.ok(error !== null);
      counts.connect++;
      handle.close(() => counts.close++);
    });
    conn.write('TEST', (_h, error) => {
      assert.ok(error !== null);
      // The connect callback closed the handle: canceled in CLOSING.
      isUV(error, 'ECANCELED');
      assert.equal(counts.connect, 1);
      assert.equal(counts.close, 0);
      counts.write++;
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(counts, { connect: 1, write: 1, close: 1 });
    await teardown(loop);
  });

  test('tcp_connect_error_fault', async () => {
    // libuv passes a garbage sockaddr; here, a string that is no IP address.
    const loop = new Loop();
    const tcp = new TCP(loop);
    throwsUV(() => tcp.connect('blah blah blah', 9123, () => assert.fail('no callback')), 'EINVAL');
    let closes = 0;
    tcp.close(() => closes++);
    assert.equal(await loop.run(), false);
    assert.equal(closes, 1);
    await teardown(loop);
  });

  test('tcp_connect6_error_fault', { skip: NO_IPV6 }, async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    throwsUV(() => tcp.connect('blah:blah::', 9123, () => assert.fail('no callback')), 'EINVAL');
    let closes = 0;
    tcp.close(() => closes++);
    assert.equal(await loop.run(), false);
    assert.equal(closes, 1);
    await teardown(loop);
  });

  test('connect twice: EALREADY while connecting, EISCONN once connected', async () => {
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen((s) => {
      const peer = new TCP(loop);
      s.accept(peer);
      peer.close();
      s.close();
    }, 8);
    const port = server.getsockname().port;
    const tcp = new TCP(loop);
    tcp.connect('127.0.0.1', port, (handle, error) => {
      assert.equal(error, null);
      throwsUV(() => handle.connect('127.0.0.1', port), 'EISCONN');
      handle.close();
    });
    throwsUV(() => tcp.connect('127.0.0.1', port), 'EALREADY');
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  test('close while connecting (loopback form of tcp_close_while_connecting)', async () => {
    // libuv's test connects to an unroutable address so that the connect
    // is still pending when the handle is closed; closing in the same tick
    // as connect() gives the same situation on loopback.
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen(() => {}, 8);
    server.unref();
    const tcp = new TCP(loop);
    const seen: string[] = [];
    tcp.connect('127.0.0.1', server.getsockname().port, (_h, error: UVError | null) => {
      isUV(error, 'ECANCELED');
      seen.push('connect');
    });
    tcp.write('never sent', (_h, error) => {
      isUV(error, 'ECANCELED');
      seen.push('write');
    });
    tcp.shutdown((_h, error) => {
      isUV(error, 'ECANCELED');
      seen.push('shutdown');
    });
    tcp.close(() => seen.push('close'));
    assert.equal(await loop.run(), false);
    // Rule 6.5: connect, writes, shutdown, then the close callback.
    assert.deepEqual(seen, ['connect', 'write', 'shutdown', 'close']);
    await teardown(loop);
  });

  test('shutdown while connecting waits for the connect (and libuv never performs it)', async () => {
    // libuv 1.44 (checked with luv): a shutdown requested before the
    // connect completed, with no write queued, is not performed after the
    // connect either: it stays pending until close, then gets ECANCELED.
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen((s) => {
      const peer = new TCP(loop);
      s.accept(peer);
      peer.close();
    }, 8);
    const tcp = new TCP(loop);
    const timer = new Timer(loop);
    const seen: string[] = [];
    tcp.connect('127.0.0.1', server.getsockname().port, (_h, error) => {
      assert.equal(error, null);
      seen.push('connect');
    });
    tcp.shutdown((_h, error) => seen.push(`shutdown ${error?.code ?? 'ok'}`));
    timer.start(() => {
      seen.push('timer');
      tcp.close();
      server.close();
      timer.close();
    }, 50);
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['connect', 'timer', 'shutdown ECANCELED']);
    await teardown(loop);
  });

  test('a write queued while connecting lets a queued shutdown run after it', async () => {
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    let received = '';
    server.listen((s) => {
      const peer = new TCP(loop);
      s.accept(peer);
      peer.startRead((p, data) => {
        if (data !== null) received += data.toString();
        else {
          p.close();
          s.close();
        }
      });
    }, 8);
    const tcp = new TCP(loop);
    const seen: string[] = [];
    tcp.connect('127.0.0.1', server.getsockname().port, () => seen.push('connect'));
    tcp.write('queued', (_h, error) => seen.push(`write ${error?.code ?? 'ok'}`));
    tcp.shutdown((h, error) => {
      seen.push(`shutdown ${error?.code ?? 'ok'}`);
      h.close();
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['connect', 'write ok', 'shutdown ok']);
    assert.equal(received, 'queued');
    await teardown(loop);
  });

  test.todo('tcp_connect_timeout: needs a blackholed outside address (8.8.8.8:9999)');
  test.todo('tcp_close_while_connecting: needs an unroutable outside address (1.2.3.4)');
  test.todo('tcp_connect6_link_local: needs a link-local fe80:: route to a foreign host');
});
