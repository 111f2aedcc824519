// Bad input and wrong states give libuv's error codes (docs/deviations.md
// P2–P4), and write callbacks run where libuv runs them: in the pending
// queue, never from inside write() (rules 1.22–1.25, 7.10).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Check, HandleClosedError, Loop, TCP, type TraceEvent } from '../src/index.js';
import { teardown } from './helpers.js';
import { SAFETY_TIMEOUT, throwsUV } from './stream-helpers.js';

/** A connected pair on one loop: `onPair(client, accepted)` runs once both ends exist. */
function connectedPair(loop: Loop, onPair: (client: TCP, accepted: TCP) => void): void {
  const server = new TCP(loop);
  server.bind('127.0.0.1', 0);
  let client: TCP | null = null;
  let accepted: TCP | null = null;
  const ready = (): void => {
    if (client !== null && accepted !== null) onPair(client, accepted);
  };
  server.listen((s) => {
    const peer = new TCP(loop);
    s.accept(peer);
    s.close();
    accepted = peer;
    ready();
  }, 8);
  new TCP(loop).connect('127.0.0.1', server.getsockname().port, (c, error) => {
    assert.equal(error, null);
    client = c;
    ready();
  });
}

/** Trace lines: callbacks as `kind@phase(detail)`, plus the phases named in `phases`. */
function phaseTrace(loop: Loop, phases: readonly string[]): string[] {
  const lines: string[] = [];
  let current = '';
  loop.tracer = (event: TraceEvent) => {
    if (event.type === 'phase') {
      current = event.detail === undefined ? event.phase : `${event.phase}(${event.detail})`;
      if (phases.includes(event.phase)) lines.push(current);
    } else if (event.type === 'callback') {
      lines.push(`${event.kind}@${current}`);
    }
  };
  return lines;
}

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

describe('where write callbacks run', SAFETY_TIMEOUT, () => {
  test('a write from a read callback calls back in the post-poll pending batch, before check', async () => {
    const loop = new Loop();
    const check = new Check(loop);
    check.start(() => {});
    check.unref();
    let lines: string[] = [];
    connectedPair(loop, (client, accepted) => {
      accepted.startRead((h, data) => {
        if (data === null) {
          h.close();
          return;
        }
        let calledInside = true;
        h.write(data, () => {
          assert.equal(calledInside, false, 'never called from inside write()');
        });
        calledInside = false;
      });
      client.startRead((c) => c.close());
      // Trace from here on: the next POLL delivers the read.
      lines = phaseTrace(loop, ['check']);
      client.write('ping');
    });
    assert.equal(await loop.run(), false);
    const read = lines.indexOf('read@poll');
    assert.ok(read >= 0, lines.join(' | '));
    // The accepted side's echo: its write callback is the first callback
    // after the read, in the first post-poll pending batch, before CHECK.
    assert.deepEqual(lines.slice(read + 1, read + 3), ['write@pending(post-poll)', 'check']);
    check.close();
    await teardown(loop);
  });

  test('a write issued before run() calls back in the first PENDING phase', async () => {
    const loop = new Loop();
    const ends: TCP[] = [];
    connectedPair(loop, (client, accepted) => {
      ends.push(client, accepted);
      loop.stop();
    });
    await loop.run();
    const [client, accepted] = ends;
    assert.ok(client !== undefined && accepted !== undefined);
    accepted.startRead(() => {});
    client.write('early', (c) => {
      c.close();
      accepted.close();
    });
    const lines = phaseTrace(loop, ['pending', 'poll']);
    assert.equal(await loop.run(), false);
    // The first callback of the run, in the first iteration's PENDING phase.
    assert.deepEqual(lines.slice(0, 2), ['pending', 'write@pending']);
    await teardown(loop);
  });

  test('a write from a write callback calls back in the next pending batch', async () => {
    const loop = new Loop();
    let lines: string[] = [];
    connectedPair(loop, (client, accepted) => {
      accepted.startRead(() => {});
      lines = phaseTrace(loop, ['pending']);
      let writes = 0;
      const again = (c: TCP): void => {
        if (++writes === 3) {
          c.close();
          accepted.close();
          return;
        }
        c.write('x', again);
      };
      client.write('x', again);
    });
    assert.equal(await loop.run(), false);
    // One callback per batch: each new write completes during the callback
    // of the previous one and waits for the next batch (rule 1.23), here
    // the next post-poll batch of the same iteration.
    const first = lines.indexOf('write@pending(post-poll)');
    assert.deepEqual(lines.slice(first - 1, first + 5), [
      'pending(post-poll)',
      'write@pending(post-poll)',
      'pending(post-poll)',
      'write@pending(post-poll)',
      'pending(post-poll)',
      'write@pending(post-poll)',
    ]);
    await teardown(loop);
  });

  test('a write from a check callback calls back in the next iteration PENDING phase', async () => {
    const loop = new Loop();
    const check = new Check(loop);
    let lines: string[] = [];
    connectedPair(loop, (client, accepted) => {
      accepted.startRead(() => {});
      lines = phaseTrace(loop, ['check', 'poll']);
      check.start((ck) => {
        ck.stop();
        client.write('x', (c) => {
          c.close();
          accepted.close();
          ck.close();
        });
      });
    });
    assert.equal(await loop.run(), false);
    const start = lines.indexOf('check@check');
    assert.ok(start >= 0);
    // CHECK, (CLOSING, TIMERS), then the next iteration's PENDING: before POLL.
    assert.equal(lines[start + 1], 'write@pending');
    await teardown(loop);
  });
});
