// TCP against libuv's echo server (a separate uvts process, see
// fixtures/echo-server.ts): libuv's test-ping-pong.c, test-callback-stack.c
// (S36), test-tcp-writealot.c, test-tcp-shutdown-after-write.c,
// test-tcp-open.c's tcp_write_ready, test-tcp-read-stop.c and
// test-tcp-rst.c.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Loop, TCP, Timer, type UVError } from '../src/index.js';
import { teardown } from './helpers.js';
import {
  SAFETY_TIMEOUT,
  canIpv6,
  isUV,
  pattern,
  startEchoServer,
  type EchoServer,
} from './stream-helpers.js';

const ipv6 = await canIpv6();
const NO_IPV6 = ipv6 ? false : 'IPv6 ([::1]) is not available on this machine';

describe('tcp with the echo server', SAFETY_TIMEOUT, () => {
  let echo: EchoServer;
  before(async () => {
    echo = await startEchoServer({ ipv6 });
  });
  after(async () => {
    await echo.stop();
  });

  /**
   * test-ping-pong.c, part 1: 1000 rounds of "PING\n", the next ping sent
   * once the previous one is fully echoed. Part 2 (a socketpair with an
   * in-process ponger) needs uv_tcp_open on a raw socketpair, which Node
   * cannot create; the loopback connection here is the same exchange.
   */
  async function pingPong(ip: string, port: number, vectored: boolean): Promise<void> {
    const PINGS = 1000;
    const loop = new Loop();
    const tcp = new TCP(loop);
    let connects = 0;
    let pongs = 0;
    let pending = '';
    let closes = 0;
    const ping = (handle: TCP): void => {
      handle.write(vectored ? ['P', 'I', 'N', 'G', '\n'] : 'PING\n', (_h, error) => {
        assert.equal(error, null);
      });
    };
    tcp.connect(ip, port, (handle, error) => {
      assert.equal(error, null);
      connects++;
      assert.equal(handle.readable, true);
      assert.equal(handle.writable, true);
      assert.equal(handle.closing, false);
      ping(handle);
      handle.startRead((h, data, readError) => {
        assert.ok(data !== null, `unexpected ${String(readError)}`);
        pending += data.toString();
        while (pending.startsWith('PING\n')) {
          pending = pending.slice(5);
          pongs++;
          if (pongs < PINGS) ping(h);
          else if (!h.closing) h.close(() => closes++);
        }
      });
    });
    // The connect callback is never called from inside connect().
    assert.equal(connects, 0);
    assert.equal(await loop.run(), false);
    assert.deepEqual([connects, pongs, closes], [1, PINGS, 1]);
    assert.equal(pending, '');
    await teardown(loop);
  }

  test('tcp_ping_pong', () => pingPong('127.0.0.1', echo.port, false));
  test('tcp_ping_pong_vec', () => pingPong('127.0.0.1', echo.port, true));
  test('tcp6_ping_pong', { skip: NO_IPV6 }, () => pingPong('::1', echo.port6 ?? 0, false));
  test('tcp6_ping_pong_vec', { skip: NO_IPV6 }, () => pingPong('::1', echo.port6 ?? 0, true));

  test('callback_stack', async () => {
    // Every callback must run from a fresh stack: `nested` counts the uvts
    // calls in progress and must be 0 whenever a callback starts.
    const MESSAGE = Buffer.from('Failure is for the weak. Everyone dies alone.\0');
    const loop = new Loop();
    const client = new TCP(loop);
    let timer: Timer | null = null;
    let nested = 0;
    const counts = { connect: 0, write: 0, timer: 0, shutdown: 0, close: 0, bytes: 0 };
    const fresh = (): void => assert.equal(nested, 0, 'called from inside a uvts call');
    const call = (fn: () => void): void => {
      nested++;
      fn();
      nested--;
    };
    const onClose = (): void => {
      fresh();
      counts.close++;
    };
    const onRead = (tcp: TCP, data: Buffer | null, error: UVError | null): void => {
      fresh();
      if (data === null) {
        isUV(error, 'EOF');
        call(() => tcp.close(onClose));
        return;
      }
      counts.bytes += data.length;
      if (counts.bytes === MESSAGE.length) {
        call(() =>
          tcp.shutdown((_h, shutdownError) => {
            fresh();
            assert.equal(shutdownError, null);
            counts.shutdown++;
          }),
        );
      }
    };
    call(() =>
      client.connect('127.0.0.1', echo.port, (tcp, error) => {
        fresh();
        assert.equal(error, null);
        call(() =>
          tcp.write(MESSAGE, (_h, writeError) => {
            fresh();
            assert.equal(writeError, null);
            // Read only later, so the echo is already waiting: the read
            // callback must still not run inside startRead().
            call(() => {
              timer = new Timer(loop);
              timer.start((t) => {
                fresh();
                call(() => client.startRead(onRead));
                counts.timer++;
                t.close(onClose);
              }, 500);
            });
            counts.write++;
          }),
        );
        counts.connect++;
      }),
    );
    assert.equal(await loop.run(), false);
    assert.equal(nested, 0);
    assert.ok(timer !== null);
    assert.deepEqual(counts, {
      connect: 1,
      write: 1,
      timer: 1,
      shutdown: 1,
      close: 2,
      bytes: MESSAGE.length,
    });
    await teardown(loop);
  });

  test('tcp_writealot', async () => {
    const WRITES = 3;
    const CHUNKS_PER_WRITE = 4096;
    const CHUNK_SIZE = 10024;
    const TOTAL = WRITES * CHUNKS_PER_WRITE * CHUNK_SIZE;
    const send = pattern(CHUNKS_PER_WRITE * CHUNK_SIZE, 7);
    const chunks: Buffer[] = [];
    for (let i = 0; i < CHUNKS_PER_WRITE; i++)
      chunks.push(send.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE));

    const loop = new Loop();
    const client = new TCP(loop);
    const counts = { write: 0, shutdown: 0, close: 0 };
    let received = 0;
    let mismatch = -1;
    client.connect('127.0.0.1', echo.port, (tcp, error) => {
      assert.equal(error, null);
      for (let i = 0; i < WRITES; i++) {
        tcp.write(chunks, (_h, writeError) => {
          assert.equal(writeError, null);
          counts.write++;
        });
      }
      tcp.shutdown((h, shutdownError) => {
        assert.equal(shutdownError, null);
        // Every write called back first, and nothing is left queued.
        assert.equal(counts.write, WRITES);
        assert.equal(h.writeQueueSize, 0);
        counts.shutdown++;
      });
      tcp.startRead((h, data, readError) => {
        if (data === null) {
          isUV(readError, 'EOF');
          h.close(() => counts.close++);
          return;
        }
        // Compare against the pattern, which repeats every send.length bytes.
        let offset = 0;
        while (offset < data.length && mismatch < 0) {
          const at = (received + offset) % send.length;
          const length = Math.min(data.length - offset, send.length - at);
          if (!data.subarray(offset, offset + length).equals(send.subarray(at, at + length)))
            mismatch = received + offset;
          offset += length;
        }
        received += data.length;
      });
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual(counts, { write: WRITES, shutdown: 1, close: 1 });
    assert.equal(received, TOTAL);
    assert.equal(mismatch, -1, `echoed data differs at byte ${mismatch}`);
    await teardown(loop);
  });

  test('tcp_shutdown_after_write', async () => {
    const loop = new Loop();
    const conn = new TCP(loop);
    const timer = new Timer(loop);
    const counts = { connect: 0, write: 0, shutdown: 0, connClose: 0, timerClose: 0 };
    conn.connect('127.0.0.1', echo.port, (tcp, error) => {
      assert.equal(error, null);
      counts.connect++;
      tcp.startRead(() => {});
    });
    timer.start((t) => {
      t.close(() => counts.timerClose++);
      conn.write('TEST', (_h, error) => {
        assert.equal(error, null);
        counts.write++;
      });
      conn.shutdown((h, error) => {
        assert.equal(error, null);
        counts.shutdown++;
        h.close(() => counts.connClose++);
      });
    }, 125);
    assert.equal(await loop.run(), false);
    assert.deepEqual(counts, { connect: 1, write: 1, shutdown: 1, connClose: 1, timerClose: 1 });
    await teardown(loop);
  });

  test('tcp_write_ready', async () => {
    // test-tcp-open.c wraps a raw socket with uv_tcp_open, which Node cannot
    // create; a plain connect gives the same stream. libuv's
    // timer is 2 s; the length of the write chain does not matter.
    const loop = new Loop();
    const client = new TCP(loop);
    const timer = new Timer(loop);
    const counts = { connect: 0, writes: 0, shutdown: 0, shutdownRequested: 0, close: 0 };
    let allP = true;
    const writeP = (tcp: TCP): void => {
      tcp.write('P', (h, error) => {
        assert.equal(error, null);
        counts.writes++;
        if (counts.shutdownRequested === 0) writeP(h);
      });
    };
    client.connect('127.0.0.1', echo.port, (tcp, error) => {
      assert.equal(error, null);
      counts.connect++;
      tcp.startRead((h, data, readError) => {
        if (data === null) {
          isUV(readError, 'EOF');
          h.close(() => counts.close++);
          return;
        }
        if (!data.every((byte) => byte === 0x50)) allP = false;
      });
      writeP(tcp);
      timer.start((t) => {
        counts.shutdownRequested++;
        client.shutdown((_h, shutdownError) => {
          assert.equal(shutdownError, null);
          counts.shutdown++;
        });
        t.close();
      }, 300);
    });
    assert.equal(await loop.run(), false);
    assert.ok(allP, 'every echoed byte is a P');
    assert.ok(counts.writes > 0);
    assert.deepEqual(
      { ...counts, writes: 1 },
      { connect: 1, writes: 1, shutdown: 1, shutdownRequested: 1, close: 1 },
    );
    await teardown(loop);
  });

  test('tcp_read_stop', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    const timer = new Timer(loop);
    let writes = 0;
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      handle.startRead(() => assert.fail('read_stop takes effect at once'));
      timer.start((t) => {
        tcp.write('PING', (h, writeError) => {
          assert.equal(writeError, null);
          writes++;
          t.close();
          h.close();
        });
        tcp.stopRead();
        assert.equal(tcp.active, false);
      }, 50);
    });
    assert.equal(await loop.run(), false);
    assert.equal(writes, 1);
    await teardown(loop);
  });

  test('tcp_rst', async () => {
    const loop = new Loop();
    const tcp = new TCP(loop);
    let connects = 0;
    let closes = 0;
    tcp.connect('127.0.0.1', echo.port, (handle, error) => {
      assert.equal(error, null);
      connects++;
      handle.startRead((h, data, readError) => {
        assert.equal(data, null);
        isUV(readError, 'ECONNRESET');
        h.close(() => closes++);
      });
      // The server resets the connection on QSH.
      assert.equal(handle.tryWrite('QSH'), 3);
    });
    assert.equal(await loop.run(), false);
    assert.deepEqual([connects, closes], [1, 1]);
    await teardown(loop);
  });
});
