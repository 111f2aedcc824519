/**
 * Fault suite: 64 MiB to a slow reader. libuv calls each write back as the
 * kernel takes its bytes and shrinks `write_queue_size` as it writes; uvts
 * follows the drain to within what Node holds (docs/deviations.md S13).
 *
 * The timeline is checked by order and by counters, never by time:
 * callbacks in submission order, the queue size never growing and never
 * above what is left, every byte arriving intact, a shutdown that completes
 * only after every write — and the drain itself: whenever the reader has
 * received a byte, the write callbacks of the requests before it have run,
 * except for the few requests still in flight. In libuv that slack is one
 * request (the one being written); uvts allows what Node may hold
 * (`IN_FLIGHT`). Node's own batching would fail this by hundreds of
 * requests: it calls back the writes it joined into one `writev` together,
 * when the last of them is gone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Loop, Timer } from '../../src/index.js';
import { teardown } from '../helpers.js';
import { connectedPair, pattern } from '../stream-helpers.js';

const WRITE = 64 * 1024;
const WRITES = 1024;
const TOTAL = WRITE * WRITES;
/**
 * Requests that may be received before their callback: the one the kernel
 * took part of, and the pieces Node may hold (under 128 KiB, plus the one
 * 64 KiB piece that crosses the mark), see src/handles/write-pump.ts.
 */
const IN_FLIGHT = 4;

describe('faults: a slow reader', () => {
  test(
    'tcp_writealot: 64 MiB to a slow reader, the callbacks follow the drain',
    { timeout: 120_000 },
    async () => {
      const loop = new Loop();
      const data = pattern(TOTAL, 13);
      const timeline: { index: number; poll: number; queued: number }[] = [];
      const events: string[] = [];
      let received = 0;
      let intact = true;
      let worstLag = 0;
      connectedPair(loop, (client, accepted) => {
        // The reader takes one chunk, then pauses until a timer restarts it.
        const pause = new Timer(loop);
        const onRead = (a: typeof accepted, chunk: Buffer | null, error: unknown): void => {
          if (chunk === null) {
            events.push(`read ${(error as { code?: string }).code}`);
            pause.close();
            a.close();
            return;
          }
          if (!chunk.equals(data.subarray(received, received + chunk.length))) intact = false;
          received += chunk.length;
          // Requests wholly received whose callback has not run yet.
          const lag = Math.floor(received / WRITE) - timeline.length;
          worstLag = Math.max(worstLag, lag);
          a.stopRead();
          pause.start(() => a.startRead(onRead), 1);
        };
        accepted.startRead(onRead);
        for (let index = 0; index < WRITES; index++) {
          client.write(data.subarray(index * WRITE, (index + 1) * WRITE), (c, error) => {
            assert.equal(error, null);
            timeline.push({ index, poll: loop.metrics.loopCount, queued: c.writeQueueSize });
          });
        }
        assert.equal(client.writeQueueSize > 0, true);
        client.shutdown((c, error) => {
          events.push(`shutdown ${error?.code ?? 'ok'} after ${timeline.length} writes`);
          c.close();
        });
      });
      assert.equal(await loop.run(), false);

      assert.deepEqual(events, [`shutdown ok after ${WRITES} writes`, 'read EOF']);
      assert.equal(received, TOTAL);
      assert.ok(intact, 'every byte arrived in order');
      assert.deepEqual(
        timeline.map((entry) => entry.index),
        Array.from({ length: WRITES }, (_, index) => index),
      );
      let previous = Infinity;
      const polls = new Set<number>();
      for (const { index, poll, queued } of timeline) {
        assert.ok(queued <= previous, `the queue grew at write ${index}`);
        assert.ok(queued <= TOTAL - (index + 1) * WRITE, `more queued than left at write ${index}`);
        previous = queued;
        polls.add(poll);
      }
      assert.ok(
        worstLag < IN_FLIGHT,
        `the reader had ${worstLag} requests whose callbacks had not run`,
      );
      // luv (1.52.1) on the same run: 42 POLLs with write callbacks
      // (1.44.2: 122); they cannot all come in a few.
      assert.ok(polls.size > 1, `write callbacks in only ${polls.size} POLLs`);
      await teardown(loop);
    },
  );
});
