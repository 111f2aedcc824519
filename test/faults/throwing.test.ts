/**
 * Fault suite: a tracer or a callback that throws, in every phase, leaves
 * the loop consistent. What the event announced still happens (the
 * callback runs), the rest of the phase's batch still runs, no read chunk
 * is lost, every write request completes, `run()` returns (rejecting with
 * the error under the default excepthook) and `loop.close()` works.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Async, Check, Idle, Loop, Prepare, Timer } from '../../src/index.js';
import type { TraceEvent } from '../../src/index.js';
import { PROFILES, teardown } from '../helpers.js';
import {
  boom,
  callbacksThrowingRun,
  quietRun,
  runToEnd,
  tracerThrowingRun,
} from './throwing-harness.js';
import { connectedPair, pattern, SAFETY_TIMEOUT } from '../stream-helpers.js';

/** A tracer that throws `boom` at the first event `matches` accepts. */
function throwOnce(matches: (event: TraceEvent) => boolean): (event: TraceEvent) => void {
  let thrown = false;
  return (event) => {
    if (!thrown && matches(event)) {
      thrown = true;
      throw boom;
    }
  };
}

const isCallback =
  (kind: string) =>
  (event: TraceEvent): boolean =>
    event.type === 'callback' && event.kind === kind;

/**
 * A scenario touching every phase: three due timers, two idle watchers
 * (stopped after three calls each), prepare and check, an async send, a
 * TCP pair that exchanges 256 KiB in 16 writes with reads on the other
 * side, a shutdown, and close callbacks. Every callback does its work,
 * then records itself with `note`, last — which throws when `throwing`.
 */
function everyPhase(loop: Loop, throwing: boolean): { log: string[]; received: () => number } {
  const log: string[] = [];
  const note = (entry: string): void => {
    log.push(entry);
    if (throwing) throw new Error(`thrown after ${entry}`);
  };
  let received = 0;
  for (const name of ['t1', 't2', 't3']) {
    new Timer(loop).start((t) => {
      t.close(() => note(`close ${name}`));
      note(name);
    }, 0);
  }
  for (const name of ['i1', 'i2']) {
    let calls = 0;
    new Idle(loop).start((idle) => {
      if (++calls === 3) idle.close(() => note(`close ${name}`));
      note(name);
    });
  }
  const prepare = new Prepare(loop).start(() => note('prepare'));
  const check = new Check(loop).start(() => note('check'));
  const async = new Async(loop, (a) => {
    a.close(() => note('close async'));
    note('async');
  });
  async.send();
  const data = pattern(256 * 1024, 5);
  connectedPair(loop, (client, accepted) => {
    accepted.startRead((a, chunk, error) => {
      if (chunk !== null) {
        received += chunk.length;
        note('read');
        return;
      }
      a.close(() => note('close accepted'));
      prepare.close();
      check.close();
      note(`read ${error?.code}`);
    });
    for (let index = 0; index < 16; index++) {
      const piece = data.subarray(index * 16 * 1024, (index + 1) * 16 * 1024);
      client.write(piece, (_c, error) => note(`write ${index} ${error?.code ?? 'ok'}`));
    }
    client.shutdown((c, error) => {
      c.close(() => note('close client'));
      note(`shutdown ${error?.code ?? 'ok'}`);
    });
  });
  return { log, received: () => received };
}

/** What a log says ran, in a form independent of how runs and reads were cut. */
function ranOnce(log: string[]): string[] {
  return log.filter((entry) => !['prepare', 'check', 'read'].includes(entry)).sort();
}

describe('faults: throwing tracers and callbacks', () => {
  for (const profile of PROFILES) {
    test(
      `a throwing tracer on a timer's callback: every due timer still fires (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const fired: string[] = [];
        for (const name of ['a', 'b', 'c']) {
          new Timer(loop).start((t) => {
            fired.push(name);
            t.close();
          }, 1);
        }
        loop.tracer = throwOnce(isCallback('timer'));
        await assert.rejects(loop.run(), boom);
        assert.equal(await loop.run(), false);
        assert.deepEqual(fired, ['a', 'b', 'c']);
        await teardown(loop);
      },
    );

    test(
      `a throwing tracer on an idle callback: every active idle watcher is still called (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const calls = { a: 0, b: 0 };
        const a = new Idle(loop).start(() => calls.a++);
        const b = new Idle(loop).start(() => calls.b++);
        loop.tracer = throwOnce(isCallback('idle'));
        await assert.rejects(loop.run(), boom);
        const before = { ...calls };
        let turns = 0;
        const stopper = new Prepare(loop).start(() => {
          if (++turns === 3) {
            a.close();
            b.close();
            stopper.close();
          }
        });
        assert.equal(await loop.run(), false);
        assert.ok(calls.a > before.a && calls.b > before.b, JSON.stringify({ before, calls }));
        await teardown(loop);
      },
    );
  }

  test('a throwing tracer on a read callback: no chunk is lost', SAFETY_TIMEOUT, async () => {
    const loop = new Loop();
    const errors: unknown[] = [];
    loop.excepthook = (_loop, error) => errors.push(error);
    const data = pattern(1024 * 1024, 9);
    const chunks: Buffer[] = [];
    let reads = 0;
    loop.tracer = (event) => {
      if (event.type === 'callback' && event.kind === 'read' && ++reads % 3 === 0) throw boom;
    };
    connectedPair(loop, (client, accepted) => {
      accepted.startRead((a, chunk) => {
        if (chunk !== null) chunks.push(chunk);
        else a.close();
      });
      client.write(data, (c) => c.close());
    });
    assert.equal(await loop.run(), false);
    assert.ok(errors.length > 0);
    assert.ok(Buffer.concat(chunks).equals(data), 'every byte, in order');
    loop.tracer = null;
    await teardown(loop);
  });

  test(
    'a throwing tracer on write callbacks: every request completes, run() returns, close() works',
    SAFETY_TIMEOUT,
    async () => {
      const loop = new Loop();
      const seen: string[] = [];
      loop.tracer = (event) => {
        if (event.type === 'callback' && event.kind === 'write') throw boom;
      };
      connectedPair(loop, (client, accepted) => {
        accepted.startRead((a, chunk) => {
          if (chunk === null) a.close();
        });
        for (let index = 0; index < 5; index++)
          client.write(`w${index}`, (_c, error) => seen.push(`${index} ${error?.code ?? 'ok'}`));
        client.shutdown((c) => c.close());
      });
      const errors = await runToEnd(loop);
      assert.ok(errors.length > 0);
      assert.deepEqual(seen, ['0 ok', '1 ok', '2 ok', '3 ok', '4 ok']);
      loop.tracer = null;
      await teardown(loop);
    },
  );

  for (const profile of PROFILES) {
    test(
      `a tracer that throws at every event changes nothing but the errors (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const expected = await quietRun(profile, everyPhase);
        const actual = await tracerThrowingRun(profile, everyPhase);
        assert.deepEqual(ranOnce(actual.log), ranOnce(expected.log));
        assert.equal(actual.received(), 256 * 1024);
      },
    );

    test(
      `callbacks that throw in every phase: the default hook stops each run, nothing is lost (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const expected = await quietRun(profile, everyPhase);
        const { result: actual, errors } = await callbacksThrowingRun(profile, everyPhase);
        assert.ok(errors.length > 0);
        assert.deepEqual(ranOnce(actual.log), ranOnce(expected.log));
        assert.equal(actual.received(), 256 * 1024);
      },
    );
  }
});
