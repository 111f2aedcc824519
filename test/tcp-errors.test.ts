// Bad input and wrong states give libuv's error codes (docs/deviations.md
// P2–P4); the codes were checked against libuv 1.44 through luv.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { HandleClosedError, Loop, TCP } from '../src/index.js';
import { teardown } from './helpers.js';
import { SAFETY_TIMEOUT, connectedPair, throwsUV } from './stream-helpers.js';

describe('tcp argument and state errors', SAFETY_TIMEOUT, () => {
  test('invalid IP addresses and ports are EINVAL; wrong types are TypeErrors', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    for (const ip of ['', 'localhost', '256.0.0.1', '1.2.3', '::g', '127.0.0.1 ']) {
      throwsUV(() => tcp.bind(ip, 0), 'EINVAL');
      throwsUV(() => tcp.connect(ip, 80), 'EINVAL');
    }
    for (const port of [-1, 65536, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      throwsUV(() => tcp.bind('127.0.0.1', port), 'EINVAL');
      throwsUV(() => tcp.connect('127.0.0.1', port), 'EINVAL');
    }
    assert.throws(() => tcp.bind(127 as never, 0), TypeError);
    assert.throws(() => tcp.connect('127.0.0.1', '80' as never), TypeError);
    assert.throws(() => tcp.connect('127.0.0.1', 80, 'cb' as never), TypeError);
    assert.throws(() => tcp.bind('127.0.0.1', 0, 'x' as never), TypeError);
    // A family mismatch with the handle's socket (created with a family, or
    // bound): libuv 1.44 answers EINVAL for an IPv6 socket, EAFNOSUPPORT for
    // an IPv4 one.
    const v6 = new TCP(loop, 'IPv6');
    throwsUV(() => v6.bind('127.0.0.1', 0), 'EINVAL');
    throwsUV(() => v6.connect('127.0.0.1', 80), 'EINVAL');
    const v4 = new TCP(loop, 'IPv4');
    throwsUV(() => v4.connect('::1', 80), 'EAFNOSUPPORT');
    const bound4 = new TCP(loop);
    bound4.bind('127.0.0.1', 0);
    throwsUV(() => bound4.connect('::1', 80), 'EAFNOSUPPORT');
    const bound6 = new TCP(loop);
    bound6.bind('::', 0);
    throwsUV(() => bound6.connect('127.0.0.1', 80), 'EINVAL');
    // Nothing above left a request or a socket behind.
    assert.equal(loop.alive, false);
    await teardown(loop);
  });

  test('write data must be bytes or strings; an empty list is EINVAL', async () => {
    const loop = new Loop();
    connectedPair(loop, (client, accepted) => {
      for (const bad of [123, null, undefined, {}, [1, 2], ['ok', 5], new ArrayBuffer(4)]) {
        assert.throws(() => client.write(bad as never), TypeError);
        assert.throws(() => client.tryWrite(bad as never), TypeError);
      }
      assert.throws(() => client.writelines(123 as never), TypeError);
      throwsUV(() => client.write([]), 'EINVAL');
      assert.throws(() => client.write('x', 'cb' as never), TypeError);
      // Typed arrays and strings are fine.
      client.write(new Uint8Array([1, 2, 3]));
      client.writelines(['a', Buffer.from('b')]);
      client.close();
      accepted.close();
    });
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  test('operations before connect: write EBADF, shutdown/startRead ENOTCONN, accept EAGAIN', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    assert.equal(tcp.readable, false);
    assert.equal(tcp.writable, false);
    throwsUV(() => tcp.write('x', () => assert.fail('no callback')), 'EBADF');
    throwsUV(() => tcp.tryWrite('x'), 'EBADF');
    throwsUV(() => tcp.shutdown(), 'ENOTCONN');
    throwsUV(() => tcp.startRead(() => {}), 'ENOTCONN');
    tcp.stopRead(); // a no-op when not reading
    const server = new TCP(loop);
    server.listen(() => {}, 1);
    throwsUV(() => server.accept(new TCP(loop)), 'EAGAIN');
    assert.throws(() => server.accept({} as never), TypeError);
    assert.equal(loop.activeRequests, 0);
    await teardown(loop);
  });

  test('startRead twice is EALREADY; shutdown twice is ENOTCONN', async () => {
    const loop = new Loop();
    connectedPair(loop, (client, accepted) => {
      client.startRead(() => {});
      throwsUV(() => client.startRead(() => {}), 'EALREADY');
      assert.throws(() => client.startRead('cb' as never), TypeError);
      client.shutdown();
      throwsUV(() => client.shutdown(), 'ENOTCONN');
      client.close();
      accepted.close();
    });
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  test('listen on a connection is EINVAL; connect on a listener EISCONN; bind twice EINVAL', async () => {
    // Checked against libuv 1.44 through luv.
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen(() => {}, 8);
    throwsUV(() => server.connect('127.0.0.1', 1), 'EISCONN');
    throwsUV(() => server.bind('127.0.0.1', 0), 'EINVAL');
    const client = new TCP(loop);
    client.connect('127.0.0.1', server.getsockname().port, (c) => {
      throwsUV(() => c.listen(() => {}, 8), 'EINVAL');
      throwsUV(() => c.bind('127.0.0.1', 0), 'EINVAL');
      c.close();
      server.close();
    });
    // Still connecting: listen is refused as well.
    throwsUV(() => client.listen(() => {}, 8), 'EINVAL');
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  test('operations on a closed handle throw HandleClosedError with libuv errno', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    tcp.close();
    const cases: [string, () => unknown, string][] = [
      ['write', () => tcp.write('x'), 'EBADF'],
      ['tryWrite', () => tcp.tryWrite('x'), 'EBADF'],
      ['shutdown', () => tcp.shutdown(), 'ENOTCONN'],
      ['startRead', () => tcp.startRead(() => {}), 'EINVAL'],
      ['stopRead', () => tcp.stopRead(), 'EINVAL'],
      ['bind', () => tcp.bind('127.0.0.1', 0), 'EINVAL'],
      ['listen', () => tcp.listen(() => {}, 1), 'EINVAL'],
      ['connect', () => tcp.connect('127.0.0.1', 1), 'EINVAL'],
      ['accept', () => tcp.accept(new TCP(loop)), 'EINVAL'],
      ['getsockname', () => tcp.getsockname(), 'EBADF'],
      ['getpeername', () => tcp.getpeername(), 'EBADF'],
      ['nodelay', () => tcp.nodelay(true), 'EINVAL'],
      ['keepalive', () => tcp.keepalive(true, 1), 'EINVAL'],
      ['closeReset', () => tcp.closeReset(), 'EINVAL'],
      ['ref', () => tcp.ref(), 'EINVAL'],
    ];
    for (const [name, operation, code] of cases) {
      assert.throws(
        operation,
        (error: unknown) => error instanceof HandleClosedError && error.code === code,
        name,
      );
    }
    // close() again is a no-op (docs/deviations.md P1), the flags read false.
    tcp.close();
    assert.equal(tcp.readable, false);
    assert.equal(tcp.writable, false);
    assert.equal(tcp.writeQueueSize, 0);
    await teardown(loop);
  });

  test('TCP socket buffer sizes are ENOTSUP (Node exposes them for UDP only)', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    throwsUV(() => tcp.sendBufferSize, 'ENOTSUP');
    throwsUV(() => tcp.receiveBufferSize, 'ENOTSUP');
    throwsUV(() => {
      tcp.sendBufferSize = 1024;
    }, 'ENOTSUP');
    await teardown(loop);
  });
});
