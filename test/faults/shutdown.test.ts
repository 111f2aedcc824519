/**
 * Fault suite: `shutdown()` on a connection that failed or died reports
 * what libuv reports (luv 1.44.2 and 1.52.1: pending until close after a
 * refused connect, ENOTCONN after a reset), and never success.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Check, Loop, TCP } from '../../src/index.js';
import { PROFILES, teardown } from '../helpers.js';
import { connectedPair, SAFETY_TIMEOUT, unusedPort } from '../stream-helpers.js';

/**
 * Connects a pair on `loop`, lets the peer go (`close` or `closeReset`)
 * and, in its close callback, shuts the client down; `before` runs first
 * on the new pair. Runs the loop; returns what the shutdown callback got.
 */
async function shutdownAfterPeer(
  loop: Loop,
  how: 'close' | 'closeReset',
  before?: (client: TCP, accepted: TCP) => void,
): Promise<string[]> {
  const seen: string[] = [];
  connectedPair(loop, (client, accepted) => {
    before?.(client, accepted);
    accepted[how](() => {
      client.shutdown((c, error) => {
        seen.push(`shutdown ${error?.code ?? 'ok'}`);
        c.close();
      });
    });
  });
  assert.equal(await loop.run(), false);
  return seen;
}

describe('faults: shutdown', () => {
  for (const profile of PROFILES) {
    test(
      `tcp_write_after_connect: a refused connect cancels the queued writes; the shutdown waits for close (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        // luv: connect ECONNREFUSED, write ECANCELED, (close), shutdown ECANCELED, close.
        const loop = new Loop({ libuv: profile });
        const port = await unusedPort();
        const seen: string[] = [];
        const client = new TCP(loop);
        client.connect('127.0.0.1', port, (c, error) => {
          seen.push(`connect ${error?.code}`);
          // Closed later in the same iteration, after POLL's dispatch.
          new Check(loop).start((check) => {
            check.close();
            seen.push('close');
            c.close(() => seen.push('closed'));
          });
        });
        client.write('abc', (_c, error) => seen.push(`write ${error?.code ?? 'ok'}`));
        client.shutdown((_c, error) => seen.push(`shutdown ${error?.code ?? 'ok'}`));
        assert.equal(await loop.run(), false);
        assert.deepEqual(seen, [
          'connect ECONNREFUSED',
          'write ECANCELED',
          'close',
          'shutdown ECANCELED',
          'closed',
        ]);
        await teardown(loop);
      },
    );

    test(
      `shutdown after a write that met the peer's reset: ECONNRESET, then ENOTCONN (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const seen: string[] = [];
        connectedPair(loop, (client, accepted) => {
          accepted.closeReset(() => {
            client.write('abc', (_c, error) => seen.push(`write ${error?.code ?? 'ok'}`));
            client.shutdown((c, error) => {
              seen.push(`shutdown ${error?.code ?? 'ok'}`);
              c.close();
            });
          });
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(seen, ['write ECONNRESET', 'shutdown ENOTCONN']);
        await teardown(loop);
      },
    );
  }

  for (const profile of PROFILES) {
    test(
      `shutdown after a reset nothing noticed: ENOTCONN (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        // luv 1.44.2 and 1.52.1: the stream neither reads nor writes; its
        // shutdown(2) finds the reset. Node has not read it: uvts asks the
        // kernel (getpeername fails as shutdown does).
        const loop = new Loop({ libuv: profile });
        assert.deepEqual(await shutdownAfterPeer(loop, 'closeReset'), ['shutdown ENOTCONN']);
        await teardown(loop);
      },
    );
  }

  test(
    'shutdown after a reset nothing noticed, the peer address already asked: success (docs/deviations.md S15)',
    SAFETY_TIMEOUT,
    async () => {
      // libuv's shutdown(2) finds the reset. Node keeps the peer address
      // once asked, so uvts can no longer ask the kernel cheaply.
      const loop = new Loop();
      const seen = await shutdownAfterPeer(loop, 'closeReset', (client, accepted) => {
        assert.equal(client.getpeername().port, accepted.getsockname().port);
      });
      assert.deepEqual(seen, ['shutdown ok']);
      await teardown(loop);
    },
  );

  test(
    'shutdown on a peer that closed normally succeeds (no false ENOTCONN)',
    SAFETY_TIMEOUT,
    async () => {
      // luv 1.44.2 and 1.52.1: the peer's FIN leaves this side's writing
      // open; the shutdown callback gets 0.
      const loop = new Loop();
      assert.deepEqual(await shutdownAfterPeer(loop, 'close'), ['shutdown ok']);
      await teardown(loop);
    },
  );
});
