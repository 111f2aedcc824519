// Closing streams with work in flight, resets, and peers that go away:
// libuv's test-tcp-close.c (S37), test-tcp-close-reset.c,
// test-tcp-close-after-read-timeout.c, test-tcp-close-accept.c and
// test-tcp-write-to-half-open-connection.c (rules 6.5, 7.13, 7.28), plus
// close with unwritten data and a peer reset in the middle of writing.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { Loop, TCP, Timer, type TraceEvent, type UVError } from '../src/index.js';
import { teardown } from './helpers.js';
import { SAFETY_TIMEOUT, exitCodeOf, isUV, leakedNodeSockets, throwsUV } from './stream-helpers.js';

/** A listening server on 127.0.0.1 with a kernel-chosen port. */
function listenLocal(loop: Loop, onConnection: (server: TCP) => void): TCP {
  const server = new TCP(loop);
  server.bind('127.0.0.1', 0);
  server.listen((s, error) => {
    assert.equal(error, null);
    onConnection(s);
  }, 128);
  return server;
}

/** Writes `size` bytes in 64 KiB requests until Node has to buffer (the kernel is full). */
function fillUntilQueued(tcp: TCP, onWrite: (error: UVError | null) => void): number {
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let count = 0;
  while (tcp.writeQueueSize === 0) {
    tcp.write(chunk, (_h, error) => onWrite(error));
    count++;
    assert.ok(count < 10_000, 'the kernel never pushed back');
  }
  return count;
}

describe('tcp close', SAFETY_TIMEOUT, () => {
  after(async () => {
    // Closing, resetting and canceling left no Node socket work behind.
    assert.deepEqual(await leakedNodeSockets(), []);
  });

  test('tcp_close', async () => {
    const loop = new Loop();
    // The connection is never accepted; the server is unref'd.
    const server = listenLocal(loop, () => {});
    server.unref();
    const tcp = new TCP(loop);
    let writes = 0;
    let closes = 0;
    tcp.connect('127.0.0.1', server.getsockname().port, (handle, error) => {
      assert.equal(error, null);
      for (let i = 0; i < 32; i++) {
        handle.write('PING', () => {
          // Every write callback runs before the close callback.
          assert.equal(closes, 0);
          writes++;
        });
      }
      handle.close(() => closes++);
    });
    assert.equal(writes, 0);
    assert.equal(await loop.run(), false);
    assert.deepEqual([writes, closes], [32, 1]);
    await teardown(loop);
  });

  // libuv's four close_reset variants: who resets (client or accepted
  // side) and whether a shutdown came first.
  async function closeReset(clientClose: boolean, shutdownFirst: boolean): Promise<void> {
    const loop = new Loop();
    const counts = { write: 0, close: 0, shutdown: 0 };
    let readSize = 0;
    const client = new TCP(loop);
    let accepted: TCP | null = null;

    const doClose = (handle: TCP): void => {
      if (shutdownFirst) {
        handle.shutdown((h) => {
          assert.equal(h, handle);
          counts.shutdown++;
        });
        throwsUV(() => handle.closeReset(() => counts.close++), 'EINVAL');
      } else {
        handle.closeReset((h) => {
          assert.equal(h, clientClose ? client : accepted);
          counts.close++;
        });
        throwsUV(() => handle.shutdown(() => counts.shutdown++), 'ENOTCONN');
      }
      server.close();
    };

    const server = listenLocal(loop, (s) => {
      const peer = new TCP(loop);
      accepted = peer;
      s.accept(peer);
      peer.startRead((p, data) => {
        if (data === null) {
          p.close();
          return;
        }
        readSize += data.length;
        if (readSize === 16 && !clientClose) doClose(p);
      });
    });

    client.connect('127.0.0.1', server.getsockname().port, (handle) => {
      handle.startRead((h, data, error) => {
        if (data === null && error?.code === 'EOF') h.close();
      });
      for (let i = 0; i < 4; i++) {
        handle.write('PING', (h) => {
          assert.equal(counts.close, 0, 'write callbacks come before the close callback');
          assert.equal(h, client);
          counts.write++;
        });
      }
      if (clientClose) doClose(handle);
    });
    assert.deepEqual(counts, { write: 0, close: 0, shutdown: 0 });
    assert.equal(await loop.run(), false);
    assert.deepEqual(counts, {
      write: 4,
      close: shutdownFirst ? 0 : 1,
      shutdown: shutdownFirst ? 1 : 0,
    });
    await teardown(loop);
  }

  test('tcp_close_reset_client', () => closeReset(true, false));
  test('tcp_close_reset_client_after_shutdown', () => closeReset(true, true));
  test('tcp_close_reset_accepted', () => closeReset(false, false));
  test('tcp_close_reset_accepted_after_shutdown', () => closeReset(false, true));
  test.todo(
    'tcp_close_reset_accepted_after_socket_shutdown: needs shutdown(fd, SHUT_RDWR) on the raw socket; Node only half-closes (SHUT_WR)',
  );

  test('closeReset after a completed shutdown is allowed (libuv checks SHUTTING only)', async () => {
    const loop = new Loop();
    const server = listenLocal(loop, (s) => {
      const peer = new TCP(loop);
      s.accept(peer);
      peer.startRead((p, data) => {
        if (data === null) p.close();
      });
      s.close();
    });
    const client = new TCP(loop);
    const seen: string[] = [];
    client.connect('127.0.0.1', server.getsockname().port, (handle) => {
      handle.shutdown((h) => {
        seen.push('shutdown');
        h.closeReset(() => seen.push('close'));
      });
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['shutdown', 'close']);
    await teardown(loop);
  });

  test('closeReset right after a shutdown lets the process exit', async () => {
    // Node refuses to reset a socket while its own shutdown request is in
    // flight (our shutdown callback runs first, in the pending batch); the
    // socket was then left open and Node's loop spun forever, so the
    // process never exited. Checked in a separate process.
    const code = await exitCodeOf(`
      const loop = new uvts.Loop();
      const server = new uvts.TCP(loop);
      server.bind('127.0.0.1', 0);
      server.listen((s) => {
        const peer = new uvts.TCP(loop);
        s.accept(peer);
        peer.startRead((p, data) => { if (data === null) p.close(); });
        s.close();
      }, 8);
      new uvts.TCP(loop).connect('127.0.0.1', server.getsockname().port, (c) => {
        c.shutdown((h) => h.closeReset());
      });
      if (await loop.run()) process.exit(2);
      loop.close();
    `);
    assert.equal(code, 0);
  });

  test('tcp_close_after_read_timeout', async () => {
    const loop = new Loop();
    let reads = 0;
    let closes = 0;
    const connection = new TCP(loop);
    const server = listenLocal(loop, (s) => {
      s.accept(connection);
      connection.startRead((c, data, error) => {
        assert.equal(data, null);
        isUV(error, 'EOF');
        reads++;
        c.close(() => closes++);
      });
    });
    server.unref();
    const client = new TCP(loop);
    const timer = new Timer(loop);
    client.connect('127.0.0.1', server.getsockname().port, (c) => {
      c.startRead(() => assert.fail('the client never reads anything'));
      timer.start(() => {
        assert.equal(reads, 0);
        client.stopRead();
        client.close(() => closes++);
        timer.close(() => closes++);
      }, 1000);
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual([reads, closes], [1, 3]);
    await teardown(loop);
  });

  test('tcp_close_accept', async () => {
    const loop = new Loop();
    const counts = { connections: 0, close: 0, write: 0, read: 0 };
    const incoming: TCP[] = [];
    let check: TCP | null = null;
    let pending = -1;
    const onClose = (): void => {
      counts.close++;
    };
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    let port = 0;
    const onRead = (stream: TCP, data: Buffer | null): void => {
      pending = incoming.indexOf(stream);
      assert.ok(pending >= 0);
      stream.stopRead();
      assert.equal(data?.length, 1);
      counts.read++;
      for (const other of incoming) if (other !== stream) other.close(onClose);
      // A connect to the server being closed must fail.
      const probe = new TCP(loop);
      check = probe;
      probe.connect('127.0.0.1', port, (_h, error) => {
        assert.notEqual(error, null);
        incoming[pending]?.close(onClose);
        probe.close(onClose);
      });
      probe.startRead(() => {});
      server.close(onClose);
    };
    server.listen((s) => {
      if (counts.connections === 2) return; // the probe: never accepted
      const handle = new TCP(loop);
      incoming.push(handle);
      counts.connections++;
      s.accept(handle);
      if (counts.connections === 2) for (const h of incoming) h.startRead(onRead);
    }, 2);
    // Known once listening (bind alone does not create the socket, S1).
    port = server.getsockname().port;
    const outgoing = [new TCP(loop), new TCP(loop)];
    for (const client of outgoing) {
      client.connect('127.0.0.1', port, (c, error) => {
        assert.equal(error, null, 'outgoing connect');
        c.write('x', (_h, writeError) => {
          assert.equal(writeError, null, 'outgoing write');
          counts.write++;
        });
      });
    }
    // The clients stay open until teardown, as in libuv (the loop ends
    // because nothing reads or listens any more).
    assert.equal(await loop.run(), false);
    assert.ok(check !== null);
    assert.deepEqual(counts, { connections: 2, close: 4, write: 2, read: 1 });
    await teardown(loop);
  });

  test('tcp_write_to_half_open_connection', async () => {
    const loop = new Loop();
    let writes = 0;
    let reads = 0;
    const server = listenLocal(loop, (s) => {
      const peer = new TCP(loop);
      s.accept(peer);
      peer.startRead((_p, data, error) => {
        if (data === null) {
          assert.ok(error !== null && ['ECONNRESET', 'EOF'].includes(error.code), String(error));
          s.close();
          peer.close();
        }
        reads++;
      });
      peer.write('hello\n', (_p, error) => {
        assert.equal(error, null);
        writes++;
      });
    });
    const client = new TCP(loop);
    client.connect('127.0.0.1', server.getsockname().port, (c, error) => {
      assert.equal(error, null);
      c.close();
    });
    assert.equal(await loop.run(), false);
    assert.ok(writes > 0);
    assert.ok(reads > 0);
    await teardown(loop);
  });

  test('close with unwritten data: done writes succeed, the rest ECANCELED, all before close', async () => {
    const loop = new Loop();
    const phases: string[] = [];
    loop.tracer = (event: TraceEvent) => {
      if (event.type === 'callback' && (event.kind === 'write' || event.kind === 'close'))
        phases.push(`${event.kind}:${event.phase}`);
    };
    // The peer never reads, so the kernel buffers fill up.
    const server = listenLocal(loop, () => {});
    const client = new TCP(loop);
    const results: string[] = [];
    let closed = false;
    client.connect('127.0.0.1', server.getsockname().port, (c) => {
      const count = fillUntilQueued(c, (error) => {
        assert.equal(closed, false);
        results.push(error?.code ?? 'ok');
      });
      for (let i = 0; i < 3; i++)
        c.write('more', (_h, error) => {
          results.push(error?.code ?? 'ok');
          // A cancellation is an outcome, not a failure: no stack trace.
          assert.equal(error?.stack, 'CanceledError: operation canceled');
        });
      assert.ok(count >= 1);
      c.close(() => {
        closed = true;
      });
      server.close();
    });
    assert.equal(await loop.run(), false);
    assert.ok(closed);
    // Submission order: a prefix of successes, then only cancellations.
    const firstCanceled = results.indexOf('ECANCELED');
    assert.ok(firstCanceled >= 0, 'something was still queued');
    assert.ok(results.slice(0, firstCanceled).every((r) => r === 'ok'));
    assert.ok(results.slice(firstCanceled).every((r) => r === 'ECANCELED'));
    assert.deepEqual(results.slice(-3), ['ECANCELED', 'ECANCELED', 'ECANCELED']);
    // All of them in the CLOSING phase, then the close callback.
    assert.ok(phases.slice(0, -1).every((p) => p === 'write:closing'));
    assert.equal(phases.at(-1), 'close:closing');
    await teardown(loop);
  });

  test('peer reset mid-write: the failing write gets the error, later ones ECANCELED at close', async () => {
    const loop = new Loop();
    const events: string[] = [];
    let failedPhase = '';
    loop.tracer = (event: TraceEvent) => {
      if (event.type === 'callback' && event.kind === 'write') failedPhase = event.phase;
    };
    const client = new TCP(loop);
    // The accepted end is reset once both have happened: it was accepted,
    // and the client filled the buffers (the connect and connection
    // callbacks come in either order).
    let peer: TCP | null = null;
    let filled = false;
    const resetWhenReady = (): void => {
      if (peer !== null && filled) peer.closeReset();
    };
    const server = listenLocal(loop, (s) => {
      peer = new TCP(loop);
      s.accept(peer);
      s.close();
      resetWhenReady();
    });
    client.connect('127.0.0.1', server.getsockname().port, (c) => {
      fillUntilQueued(c, (error) => {
        if (error === null) {
          events.push('ok');
          return;
        }
        if (error.code === 'ECANCELED') {
          events.push(`ECANCELED@${failedPhase}`);
          return;
        }
        // The first failure: a connection error, outside CLOSING.
        assert.ok(['ECONNRESET', 'EPIPE'].includes(error.code), String(error));
        assert.notEqual(failedPhase, 'closing');
        events.push('error');
        // Everything behind it stays queued until the handle is closed.
        c.close();
      });
      for (let i = 0; i < 3; i++) {
        c.write('after', (_h, error) => events.push(`${error?.code ?? 'ok'}@${failedPhase}`));
      }
      filled = true;
      resetWhenReady();
    });
    assert.equal(await loop.run(), false);
    const firstError = events.indexOf('error');
    assert.ok(firstError >= 0, `no write failed: ${events.join(',')}`);
    assert.ok(events.slice(0, firstError).every((e) => e === 'ok'));
    const rest = events.slice(firstError + 1);
    assert.ok(rest.length >= 3);
    assert.ok(
      rest.every((e) => e === 'ECANCELED@closing'),
      rest.join(','),
    );
    await teardown(loop);
  });
});
