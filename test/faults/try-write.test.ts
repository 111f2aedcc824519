/**
 * Fault suite: `tryWrite()` counts only bytes the kernel took, so nothing
 * it counted is lost by a `close()` or a `shutdown()` that follows; and it
 * reports the kernel's errors (libuv's `uv_try_write`).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TCP } from '../../src/index.js';
import { Loop, Pipe } from '../../src/index.js';
import { tempDir } from '../fixtures/child-util.js';
import { PROFILES, teardown } from '../helpers.js';
import { connectedPair, pattern, SAFETY_TIMEOUT } from '../stream-helpers.js';

const BIG = 8 * 1024 * 1024;

/** Reads everything `stream` receives until EOF; `done(bytes, matches)` then. */
function countUntilEof(
  stream: TCP,
  expected: Buffer,
  done: (received: number, intact: boolean) => void,
): void {
  let received = 0;
  let intact = true;
  stream.startRead((s, data, error) => {
    if (data !== null) {
      if (!data.equals(expected.subarray(received, received + data.length))) intact = false;
      received += data.length;
      return;
    }
    assert.equal(error?.code, 'EOF');
    s.close();
    done(received, intact);
  });
}

describe('faults: tryWrite', () => {
  for (const profile of PROFILES) {
    test(
      `tcp_try_write: every byte tryWrite counted arrives though close() follows at once (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const data = pattern(BIG, 7);
        let counted = -1;
        let received = -1;
        let intact = false;
        connectedPair(loop, (client, accepted) => {
          counted = client.tryWrite(data);
          assert.ok(counted > 0 && counted <= BIG);
          assert.equal(client.writeQueueSize, 0);
          client.close();
          countUntilEof(accepted, data, (bytes, same) => {
            received = bytes;
            intact = same;
          });
        });
        assert.equal(await loop.run(), false);
        assert.equal(received, counted);
        assert.ok(intact, 'the bytes arrived in order');
        await teardown(loop);
      },
    );

    test(
      `tcp_try_write: tryWrite, then shutdown, then close in its callback: every counted byte, then EOF (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const data = pattern(BIG, 11);
        let counted = -1;
        let received = -1;
        const seen: string[] = [];
        connectedPair(loop, (client, accepted) => {
          counted = client.tryWrite(data);
          client.shutdown((c, error) => {
            seen.push(`shutdown ${error?.code ?? 'ok'}`);
            c.close();
          });
          countUntilEof(accepted, data, (bytes) => {
            received = bytes;
          });
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(seen, ['shutdown ok']);
        assert.equal(received, counted);
        await teardown(loop);
      },
    );
  }

  test(
    'tcp_try_write: a second tryWrite after a full kernel buffer is EAGAIN, not a count',
    SAFETY_TIMEOUT,
    async () => {
      const loop = new Loop();
      const data = pattern(BIG, 3);
      let total = 0;
      let received = -1;
      const outcomes: string[] = [];
      connectedPair(loop, (client, accepted) => {
        // The peer is not reading yet: the kernel's buffers fill up.
        for (let attempt = 0; attempt < 4; attempt++) {
          try {
            total += client.tryWrite(data.subarray(total));
            outcomes.push('count');
          } catch (error) {
            outcomes.push((error as { code: string }).code);
          }
        }
        client.close();
        countUntilEof(accepted, data, (bytes) => {
          received = bytes;
        });
      });
      assert.equal(await loop.run(), false);
      assert.ok(outcomes.includes('EAGAIN'), outcomes.join());
      assert.equal(received, total);
      await teardown(loop);
    },
  );

  test(
    'tcp_try_write_error: tryWrite reports the reset once the peer has gone',
    SAFETY_TIMEOUT,
    async () => {
      const loop = new Loop();
      let failure = '';
      let queued = -1;
      connectedPair(loop, (client, accepted) => {
        accepted.close(() => {
          for (let attempt = 0; attempt < 100_000; attempt++) {
            try {
              client.tryWrite('x');
            } catch (error) {
              const code = (error as { code: string }).code;
              if (code === 'EAGAIN') continue;
              failure = code;
              break;
            }
          }
          queued = client.writeQueueSize;
          client.close();
        });
      });
      assert.equal(await loop.run(), false);
      assert.ok(
        ['EPIPE', 'ECONNABORTED', 'ECONNRESET'].includes(failure),
        `tryWrite gave ${failure}`,
      );
      assert.equal(queued, 0);
      await teardown(loop);
    },
  );

  test(
    'tryWrite on a pipe Node made is EAGAIN: nothing is counted that uvts cannot vouch for (docs/deviations.md S4)',
    SAFETY_TIMEOUT,
    async () => {
      const { dir, remove } = tempDir('try-write-pipe');
      try {
        const loop = new Loop();
        const name = path.join(dir, 'sock');
        const server = new Pipe(loop);
        server.bind(name);
        const seen: string[] = [];
        server.listen((s) => {
          const conn = new Pipe(loop);
          s.accept(conn);
          s.close();
          conn.startRead((c, data, error) => {
            seen.push(data !== null ? `read ${data.toString()}` : `read ${error?.code}`);
            if (data === null) c.close();
          });
        });
        new Pipe(loop).connect(name, (client) => {
          assert.throws(() => client.tryWrite('lost?'), { code: 'EAGAIN' });
          client.write('sent', () => client.close());
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(seen, ['read sent', 'read EOF']);
        await teardown(loop);
      } finally {
        remove();
      }
    },
  );
});
