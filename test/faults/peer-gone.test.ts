/**
 * Fault suite: the peer goes away — closes, resets, or its process is
 * killed — while this side writes or reads. Every write reports what the
 * kernel said (libuv: the EPIPE or ECONNRESET reaches the write callback),
 * a write's error never reaches the read callback, and the read side ends
 * with ECONNRESET or EOF. Expected outcomes measured with luv (libuv 1.44.2
 * and 1.52.1) on the same sequences.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Loop, Pipe, Timer } from '../../src/index.js';
import type { UVError, TCP } from '../../src/index.js';
import { tempDir } from '../fixtures/child-util.js';
import { PROFILES, teardown } from '../helpers.js';
import { connectedPair, SAFETY_TIMEOUT } from '../stream-helpers.js';

const KIB = Buffer.alloc(1000, 0x78);

/** Writes `chunk` from each write callback until one fails; resolves the outcomes. */
function writeUntilFailure(
  stream: TCP | Pipe,
  chunk: Buffer,
  limit: number,
  done: (outcomes: string[]) => void,
): void {
  const outcomes: string[] = [];
  const next = (): void => {
    stream.write(chunk, (_h, error) => {
      outcomes.push(error?.code ?? 'ok');
      if (error !== null || outcomes.length >= limit) done(outcomes);
      else next();
    });
  };
  next();
}

describe('faults: the peer goes away', () => {
  for (const profile of PROFILES) {
    test(`tcp_write_to_half_open_connection (${profile})`, SAFETY_TIMEOUT, async () => {
      // libuv's test: the client closes as soon as it is connected; the
      // accepted side reads and writes "hello\n". The write succeeds (the
      // kernel takes it; the peer's answer is a reset), the read ends with
      // ECONNRESET or EOF.
      const loop = new Loop({ libuv: profile });
      const seen: string[] = [];
      connectedPair(loop, (client, accepted) => {
        client.close();
        accepted.startRead((a, data, error) => {
          if (data !== null) return seen.push(`read ${data.length}`);
          seen.push(`read ${error?.code}`);
          a.close();
        });
        accepted.write('hello\n', (_a, error) => seen.push(`write ${error?.code ?? 'ok'}`));
      });
      assert.equal(await loop.run(), false);
      assert.equal(seen.filter((entry) => entry.startsWith('write')).join(), 'write ok');
      assert.equal(seen.length, 2, seen.join());
      assert.ok(['read EOF', 'read ECONNRESET'].includes(seen.at(-1) as string), seen.join());
      await teardown(loop);
    });
  }

  for (const profile of PROFILES) {
    test(
      `tcp_write_to_half_open_connection: not reading, the peer closed: the second write gets EPIPE (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        // luv 1.44.2 and 1.52.1: wcb1 0, wcb2 EPIPE (the first write draws the peer's RST).
        const loop = new Loop({ libuv: profile });
        let outcomes: string[] = [];
        connectedPair(loop, (client, accepted) => {
          accepted.close(() => {
            writeUntilFailure(client, KIB, 50, (seen) => {
              outcomes = seen;
              client.close();
            });
          });
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(outcomes, ['ok', 'EPIPE']);
        await teardown(loop);
      },
    );

    test(
      `tcp_write_to_half_open_connection: not reading, the peer reset: the first write gets ECONNRESET (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        let outcomes: string[] = [];
        connectedPair(loop, (client, accepted) => {
          accepted.closeReset(() => {
            writeUntilFailure(client, KIB, 50, (seen) => {
              outcomes = seen;
              client.close();
            });
          });
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(outcomes, ['ECONNRESET']);
        await teardown(loop);
      },
    );

    test(
      `tcp_write_to_half_open_connection: after EOF the second write gets EPIPE (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const seen: string[] = [];
        connectedPair(loop, (client, accepted) => {
          client.startRead((c, data, error) => {
            assert.equal(data, null);
            seen.push(`read ${error?.code}`);
            writeUntilFailure(c, KIB, 50, (outcomes) => {
              seen.push(...outcomes);
              c.close();
            });
          });
          accepted.close();
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(seen, ['read EOF', 'ok', 'EPIPE']);
        await teardown(loop);
      },
    );

    test(
      `tcp_write_to_half_open_connection: reading, the peer reset: ECONNRESET to the reader, then write() throws EPIPE (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const seen: string[] = [];
        connectedPair(loop, (client, accepted) => {
          client.startRead((c, _data, error) => {
            seen.push(`read ${error?.code}`);
            assert.throws(() => c.write('x'), { code: 'EPIPE' });
            assert.throws(() => c.shutdown(), { code: 'ENOTCONN' });
            c.close();
          });
          accepted.closeReset();
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(seen, ['read ECONNRESET']);
        await teardown(loop);
      },
    );
  }

  test(
    "tcp_write_to_half_open_connection: reading, the peer closed: the write error is not the reader's",
    SAFETY_TIMEOUT,
    async () => {
      // The writes run before Node has read the peer's FIN: the second one
      // fails with EPIPE. libuv's reader then sees EOF (or ECONNRESET), never
      // the write's EPIPE.
      const loop = new Loop();
      const seen: string[] = [];
      connectedPair(loop, (client, accepted) => {
        client.startRead((_c, data, error) => {
          if (data === null) seen.push(`read ${error?.code}`);
        });
        accepted.close(() => {
          writeUntilFailure(client, KIB, 50, (outcomes) => {
            seen.push(...outcomes);
            new Timer(loop).start((t) => {
              t.close();
              client.close();
            }, 10);
          });
        });
      });
      assert.equal(await loop.run(), false);
      const reads = seen.filter((entry) => entry.startsWith('read'));
      assert.equal(reads.length, 1, seen.join());
      assert.ok(['read EOF', 'read ECONNRESET'].includes(reads[0] as string), seen.join());
      assert.deepEqual(
        seen.filter((entry) => !entry.startsWith('read')),
        ['ok', 'EPIPE'],
      );
      await teardown(loop);
    },
  );

  test(
    'a write that fails never reaches the read callback (peer reset mid-write)',
    SAFETY_TIMEOUT,
    async () => {
      // The peer reads a little, then closes with data unread: the kernel
      // resets the connection while this side writes and reads. libuv's
      // reader sees ECONNRESET or EOF; the writes see the reset.
      for (let round = 0; round < 5; round++) {
        const loop = new Loop();
        const reads: string[] = [];
        const writes: string[] = [];
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        connectedPair(loop, (client, accepted) => {
          let received = 0;
          accepted.startRead((a, data) => {
            received += data?.length ?? 0;
            if (received >= 256 * 1024) a.close();
          });
          client.startRead((_c, _data, error) => {
            if (error !== null) reads.push(error.code);
          });
          const next = (): void => {
            if (client.closing) return;
            client.write(chunk, (c, error) => {
              writes.push(error?.code ?? 'ok');
              if (error === null) next();
              else if (!c.closing) c.close();
            });
          };
          next();
          next();
        });
        assert.equal(await loop.run(), false);
        for (const code of reads)
          assert.ok(['ECONNRESET', 'EOF'].includes(code), `read saw ${code}`);
        const failures = writes.filter((code) => code !== 'ok' && code !== 'ECANCELED');
        assert.ok(failures.length >= 1, 'a write saw the reset');
        for (const code of failures)
          assert.ok(['EPIPE', 'ECONNRESET'].includes(code), `write saw ${code}`);
        // Successes come first, then the failure; nothing succeeds after it.
        const first = writes.findIndex((code) => code !== 'ok');
        assert.ok(writes.slice(first).every((code) => code !== 'ok'));
        await teardown(loop);
      }
    },
  );

  test(
    'a pipe whose reader process is killed mid-stream: the writes fail, no success after',
    SAFETY_TIMEOUT,
    async () => {
      const { dir, remove } = tempDir('reader-killed');
      try {
        const loop = new Loop();
        const name = path.join(dir, 'sock');
        const server = new Pipe(loop);
        server.bind(name);
        const outcomes: string[] = [];
        const reads: string[] = [];
        let child: ReturnType<typeof spawn> | null = null;
        server.listen((s) => {
          const conn = new Pipe(loop);
          s.accept(conn);
          s.close();
          conn.startRead((_c, _data, error) => {
            if (error !== null) reads.push(error.code);
          });
          let written = 0;
          const next = (): void => {
            conn.write(KIB, (c, error) => {
              outcomes.push(error?.code ?? 'ok');
              if (error !== null) {
                c.close();
                return;
              }
              written += KIB.length;
              // Kill the reader once 1 MB is with the kernel and keep writing:
              // without a failure this would succeed up to the limit.
              if (written === 1000 * 1000) child?.kill('SIGKILL');
              if (outcomes.length < 20_000) next();
              else c.close();
            });
          };
          next();
        });
        child = spawn(
          process.execPath,
          ['-e', `require('net').connect(${JSON.stringify(name)}).resume();`],
          { stdio: 'ignore' },
        );
        assert.equal(await loop.run(), false);
        const failure = outcomes.find((code) => code !== 'ok');
        assert.ok(failure === 'EPIPE' || failure === 'ECONNRESET', `first failure ${failure}`);
        const first = outcomes.indexOf(failure);
        assert.ok(outcomes.slice(first).every((code) => code !== 'ok'));
        for (const code of reads)
          assert.ok(['ECONNRESET', 'EOF'].includes(code), `read saw ${code}`);
        await teardown(loop);
      } finally {
        remove();
      }
    },
  );

  test(
    'tcp_write_fail: a write on a connection the peer reset fails in its callback',
    SAFETY_TIMEOUT,
    async () => {
      const loop = new Loop();
      let status: UVError | null | undefined;
      connectedPair(loop, (client, accepted) => {
        accepted.closeReset(() => {
          new Timer(loop).start((t) => {
            t.close();
            client.write('x', (c, error) => {
              status = error;
              c.close();
            });
          }, 0);
        });
      });
      assert.equal(await loop.run(), false);
      assert.notEqual(status, null);
      assert.equal(status?.code, 'ECONNRESET');
      await teardown(loop);
    },
  );
  test(
    'tcp_write_to_half_open_connection: data the peer sent before closing is still read after the failed write',
    SAFETY_TIMEOUT,
    async () => {
      // luv 1.44.2 and 1.52.1: wcb1 0, wcb2 EPIPE, then read "hello", EOF.
      // Node destroys a socket whose write failed; uvts reads what the kernel
      // still holds first, through the descriptor, which it knows here
      // because fileno() looked it up (docs/deviations.md S14).
      const loop = new Loop();
      const seen: string[] = [];
      connectedPair(loop, (client, accepted) => {
        assert.ok(client.fileno() >= 0);
        accepted.write('hello', () => {
          accepted.close(() => {
            writeUntilFailure(client, KIB, 50, (outcomes) => {
              seen.push(...outcomes);
              client.startRead((c, data, error) => {
                seen.push(data !== null ? `read ${data.toString()}` : `read ${error?.code}`);
                if (data === null) c.close();
              });
            });
          });
        });
      });
      assert.equal(await loop.run(), false);
      assert.deepEqual(seen, ['ok', 'EPIPE', 'read hello', 'read EOF']);
      await teardown(loop);
    },
  );
});
