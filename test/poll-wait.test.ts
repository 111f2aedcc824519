/**
 * POLL's wait (src/loop/poller.ts, `Loop.afterWait`): the reused poll
 * timer must never make the loop wake late, only early, and an early wake
 * must only make POLL wait again (rule 1.17); a run that has waited ends,
 * or fails, exactly as one that never waited.
 *
 * The wake-ups come from Node timers calling `Async.send()`, as any Node
 * event would. Bounds on wall time are generous; what is asserted exactly
 * is order and that no timer fires before it is due.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Async, Loop, TCP, Timer, hrtime } from '../src/index.js';
import { PROFILES, teardown } from './helpers.js';

/** Milliseconds since `start` (an `hrtime()` value). */
function msSince(start: bigint): number {
  return Number(hrtime() - start) / 1e6;
}

describe('the poll wait', () => {
  for (const profile of PROFILES) {
    it(`${profile}: a shorter deadline set while POLL waits on a long one is met (the timer is replaced)`, async () => {
      const loop = new Loop({ libuv: profile });
      const events: string[] = [];
      const started = hrtime();
      let shortFiredAfter = 0;
      const long = new Timer(loop).start(() => events.push('long'), 60_000);
      const short = new Timer(loop);
      const async = new Async(loop, (handle) => {
        events.push('async');
        short.start(() => {
          shortFiredAfter = msSince(started);
          events.push('short');
          long.close();
          short.close();
          handle.close();
        }, 30);
      });
      // POLL is waiting on the 60 s deadline when this wakes it.
      setTimeout(() => async.send(), 20);
      assert.equal(await loop.run(), false);
      assert.deepEqual(events, ['async', 'short']);
      assert.ok(shortFiredAfter >= 45, `the 30 ms timer fired ${shortFiredAfter} ms after start`);
      assert.ok(shortFiredAfter < 10_000, `the 30 ms timer waited for the old deadline`);
      await teardown(loop);
    });

    it(`${profile}: a longer deadline after an early wake is never met early (the old timer only re-waits)`, async () => {
      const loop = new Loop({ libuv: profile });
      const events: string[] = [];
      let rescheduledAt = 0n;
      let firedAfter = 0;
      const timer = new Timer(loop).start(() => events.push('first deadline'), 40);
      const async = new Async(loop, (handle) => {
        events.push('async');
        // The poll timer armed for the 40 ms deadline stays armed and fires
        // first; POLL must then wait again for the rest of the 120 ms.
        timer.stop();
        rescheduledAt = hrtime();
        loop.updateTime();
        timer.start(() => {
          firedAfter = msSince(rescheduledAt);
          events.push('second deadline');
          timer.close();
          handle.close();
        }, 120);
      });
      setTimeout(() => async.send(), 10);
      assert.equal(await loop.run(), false);
      assert.deepEqual(events, ['async', 'second deadline']);
      assert.ok(firedAfter >= 119, `the 120 ms timer fired after ${firedAfter} ms`);
      await teardown(loop);
    });
  }

  it('a run that waited and then meets a throwing tracer rejects, and the loop runs again', async () => {
    const loop = new Loop();
    const async = new Async(loop, () => {});
    const failure = new Error('tracer failure');
    let armed = false;
    loop.tracer = (event) => {
      if (armed && event.type === 'phase' && event.phase === 'check') throw failure;
    };
    setTimeout(() => {
      armed = true;
      async.send();
    }, 10);
    await assert.rejects(loop.run(), failure);
    assert.equal(loop.isRunning, false);
    loop.tracer = null;
    async.close();
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  it('a callback that throws after a wait rejects run() with its error; the next run goes on', async () => {
    const loop = new Loop();
    const failure = new Error('callback failure');
    const events: string[] = [];
    const async = new Async(loop, () => {
      events.push('async');
      throw failure;
    });
    setTimeout(() => async.send(), 10);
    await assert.rejects(loop.run(), failure);
    assert.equal(loop.isRunning, false);
    async.close(() => events.push('close'));
    assert.equal(await loop.run(), false);
    assert.deepEqual(events, ['async', 'close']);
    await teardown(loop);
  });

  // Changes made from a Node callback while POLL waits (deviation L2): the
  // wait ends as after an async wake-up, and the next iteration sees them.
  // A listening TCP server keeps each loop alive with no timeout at all.
  /** A loop kept alive by a listening server, so that POLL waits with no timeout. */
  function waitingLoop(): { loop: Loop; server: TCP } {
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen(() => assert.fail('no connection expected'));
    return { loop, server };
  }

  it('a timer started from a Node callback while POLL waits fires', async () => {
    const { loop, server } = waitingLoop();
    const events: string[] = [];
    setTimeout(() => {
      events.push('node timeout');
      new Timer(loop).start((timer) => {
        events.push('uvts timer');
        timer.close();
        server.close();
      }, 5);
    }, 20);
    assert.equal(await loop.run(), false);
    assert.deepEqual(events, ['node timeout', 'uvts timer']);
    await teardown(loop);
  });

  it('an active timer restarted from a Node callback while POLL waits keeps its new due time', async () => {
    const loop = new Loop();
    const events: string[] = [];
    const timer = new Timer(loop).start(() => events.push('old due time'), 60_000);
    setTimeout(() => {
      events.push('node timeout');
      timer.start((handle) => {
        events.push('new due time');
        handle.close();
      }, 5);
    }, 20);
    assert.equal(await loop.run(), false);
    assert.deepEqual(events, ['node timeout', 'new due time']);
    await teardown(loop);
  });

  it('closing every handle from a Node callback while POLL waits ends the run', async () => {
    const { loop, server } = waitingLoop();
    const events: string[] = [];
    setTimeout(() => server.close(() => events.push('close')), 20);
    assert.equal(await loop.run(), false);
    assert.deepEqual(events, ['close']);
    await teardown(loop);
  });

  it('stop() from a Node callback while POLL waits ends the run, the loop still alive', async () => {
    const { loop, server } = waitingLoop();
    setTimeout(() => loop.stop(), 20);
    assert.equal(await loop.run(), true);
    server.close();
    await teardown(loop);
  });
});
