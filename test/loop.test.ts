/**
 * libuv's loop-core and run-mode tests (test-loop-*.c, test-run-once.c,
 * test-run-nowait.c, test-default-loop-close.c), ported with libuv's test
 * names. Every test that does not depend on the timers phase placement
 * still runs in both profiles, because the profiles take different paths
 * through `run()`; where the outcome differs
 * (docs/semantics.md §10), each profile's exact result is asserted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Check, Idle, Loop, Prepare, queueWork, Timer, UVError } from '../src/index.js';
import type { Profile } from '../src/index.js';
import { bothProfiles, teardown, traceCallbacks, traceLines, uvError } from './helpers.js';

bothProfiles('run_once', async (profile) => {
  // S1: an idle watcher keeps every ONCE call from blocking; each call is
  // exactly one iteration, so the 64th call sees the watcher stop itself.
  const loop = new Loop({ libuv: profile });
  let idleCalls = 0;
  new Idle(loop).start((idle) => {
    if (++idleCalls === 64) idle.stop();
  });
  let trueResults = 0;
  while (await loop.run('once')) trueResults++;
  assert.equal(idleCalls, 64);
  assert.equal(trueResults, 63);
  await teardown(loop);
});

bothProfiles('run_nowait', async (profile) => {
  // S2: NOWAIT polls with timeout 0 and does not wait for the 100 ms timer.
  const loop = new Loop({ libuv: profile });
  let timerCalls = 0;
  new Timer(loop).start(() => timerCalls++, 100, 100);
  assert.equal(await loop.run('nowait'), true);
  assert.equal(timerCalls, 0);
  await teardown(loop);
});

bothProfiles('loop_alive', async (profile) => {
  // S3: a loop with an active handle is alive, and so is a loop with a
  // request in flight; each run ends with a dead loop.
  const loop = new Loop({ libuv: profile });
  assert.equal(loop.alive, false);
  let timerCalls = 0;
  const timer = new Timer(loop);
  assert.equal(loop.alive, false, 'an initialised timer does not make the loop alive');
  timer.start(() => timerCalls++, 100);
  assert.equal(loop.alive, true);
  assert.equal(await loop.run('default'), false);
  assert.equal(timerCalls, 1);
  assert.equal(loop.alive, false);

  const afterWork: string[] = [];
  queueWork(
    loop,
    () => undefined,
    (_request, _result, error) => afterWork.push(error === null ? 'status 0' : String(error)),
  );
  assert.equal(loop.alive, true, 'a queued work request keeps the loop alive');
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(afterWork, ['status 0']);
  assert.equal(loop.alive, false);
  timer.close();
  await teardown(loop);
});

bothProfiles('loop_close', async (profile) => {
  // S4: loop.close() counts every registered handle, even an inactive one.
  const loop = new Loop({ libuv: profile });
  loop.data = loop;
  const timer = new Timer(loop);
  timer.start(() => loop.stop(), 100, 100);
  assert.throws(() => loop.close(), uvError('EBUSY'));
  assert.equal(await loop.run('default'), true, 'stopped while the timer is still active');
  timer.close();
  assert.equal(await loop.run('default'), false);
  loop.close();
  assert.equal(loop.closed, true);
  assert.equal(loop.data, loop, 'data survives run and close');
});

// loop_instant_close (a program that queues work on a loop it never runs
// must still exit cleanly) runs in a child process: test/exit.test.ts.

/** What loop_stop observes after each of its three runs, per profile. */
const LOOP_STOP_COUNTS: Record<Profile, { prepare: number[]; timer: number[] }> = {
  // 1.44: stop() in the timer (start of iteration 2) lets that iteration's
  // prepare run, so the prepare count is one ahead; it stops itself at 10
  // while the timer catches up (rule 1.31, §10.1).
  '1.44': { prepare: [2, 3, 10], timer: [1, 1, 10] },
  // 1.52: the timer fires at the end of iteration 1 and the loop leaves right
  // there, so prepare has run once.
  '1.52': { prepare: [1, 2, 10], timer: [1, 1, 10] },
};

bothProfiles('loop_stop', async (profile) => {
  // S5 (verified against luv for 1.44).
  const loop = new Loop({ libuv: profile });
  let prepareCalls = 0;
  let timerCalls = 0;
  new Prepare(loop).start((prepare) => {
    if (++prepareCalls === 10) prepare.stop();
  });
  new Timer(loop).start(
    (timer) => {
      timerCalls++;
      if (timerCalls === 1) loop.stop();
      if (timerCalls === 10) timer.stop();
    },
    100,
    100,
  );
  const expected = LOOP_STOP_COUNTS[profile];
  const seen = { prepare: [] as number[], timer: [] as number[] };
  const results: boolean[] = [];
  for (const mode of ['default', 'nowait', 'default'] as const) {
    results.push(await loop.run(mode));
    seen.prepare.push(prepareCalls);
    seen.timer.push(timerCalls);
  }
  assert.deepEqual(results, [true, true, false]);
  assert.deepEqual(seen, expected);
  await teardown(loop);
});

bothProfiles('loop_stop_before_run', async (profile) => {
  // S6: a stop flag set before run() skips the 1.52 start-of-run timers and
  // every iteration; run() returns the current liveness and clears the flag.
  const loop = new Loop({ libuv: profile });
  const timer = new Timer(loop).start(() => assert.fail('timer must not fire'), 0);
  const lines = traceLines(loop);
  loop.stop();
  assert.equal(await loop.run('default'), true);
  assert.deepEqual(lines, ['run default', 'return true']);
  timer.close();
  await teardown(loop);
});

bothProfiles('loop_update_time', async (profile) => {
  // S7: run() on a dead loop still refreshes now(), or this would spin forever.
  const loop = new Loop({ libuv: profile });
  const start = loop.now();
  while (loop.now() - start < 1000) assert.equal(await loop.run('nowait'), false);
  await teardown(loop);
});

bothProfiles('loop_backend_timeout', async (profile) => {
  // S8, with getTimeout() as uv_backend_timeout.
  const loop = new Loop({ libuv: profile });
  assert.equal(loop.alive, false);
  const timer = new Timer(loop);
  assert.equal(loop.alive, false);
  assert.equal(loop.getTimeout(), 0);
  timer.start((t) => t.close(), 1000);
  assert.equal(loop.getTimeout(), 1000);
  assert.equal(await loop.run('default'), false);
  assert.equal(loop.getTimeout(), 0);
  await teardown(loop);
});

test('default_loop_close', async () => {
  // S9: the default loop can be closed, and asking again gives a fresh one.
  // (The default loop always follows the default profile, 1.52.)
  let timerCalls = 0;
  const timerCallback = (timer: Timer): void => {
    timerCalls++;
    timer.close();
  };
  const first = Loop.defaultLoop();
  assert.equal(first.profile, '1.52');
  new Timer().start(timerCallback, 1);
  assert.equal(await first.run('default'), false);
  assert.equal(timerCalls, 1);
  first.close();

  const second = Loop.defaultLoop();
  assert.notEqual(second, first);
  assert.equal(second.closed, false);
  const timer = new Timer();
  assert.equal(timer.loop, second);
  timer.start(timerCallback, 1);
  assert.equal(await second.run('default'), false);
  assert.equal(timerCalls, 2);
  second.close();
});

bothProfiles('close_order', async (profile) => {
  // S10: the check callback runs before any close callback; close callbacks
  // run LIFO (T2, C, T1).
  const loop = new Loop({ libuv: profile });
  let checkCalls = 0;
  let timerCalls = 0;
  let closeCalls = 0;
  const closeCallback = (): void => {
    closeCalls++;
  };
  const timerCallback = (timer: Timer): void => {
    timer.close(closeCallback);
    timerCalls++;
  };
  const check = new Check(loop);
  const timer1 = new Timer(loop).start(timerCallback, 0);
  const timer2 = new Timer(loop).start(timerCallback, 100000);
  check.start(() => {
    assert.equal(checkCalls, 0);
    assert.equal(timerCalls, 1);
    assert.equal(closeCalls, 0);
    check.close(closeCallback);
    timer2.close(closeCallback);
    checkCalls++;
  });
  const order = traceCallbacks(loop);
  assert.equal(await loop.run('default'), false);
  assert.equal(checkCalls, 1);
  assert.equal(closeCalls, 3);
  assert.equal(timerCalls, 1);
  const [c, t1, t2] = [check.id, timer1.id, timer2.id];
  assert.deepEqual(order, [
    `timer#${t1}`,
    `check#${c}`,
    `close#${t2}`,
    `close#${c}`,
    `close#${t1}`,
  ]);
  await teardown(loop);
});

test('loop errors: run() while running, close() while busy', async () => {
  const loop = new Loop();
  // A running loop refuses a nested run() synchronously (libuv: undefined
  // behaviour, rule 1.29) and refuses close() (EBUSY).
  let nested: unknown = null;
  let closeError: unknown = null;
  new Timer(loop).start(() => {
    try {
      void loop.run('nowait');
    } catch (error) {
      nested = error;
    }
    try {
      loop.close();
    } catch (error) {
      closeError = error;
    }
  }, 0);
  assert.equal(await loop.run('default'), false);
  assert.ok(nested instanceof UVError, 'nested run() throws');
  assert.equal(nested.code, 'EBUSY');
  assert.equal(loop.isRunning, false);
  uvError('EBUSY')(closeError);

  // close() with a live (even never-started, unref'd) handle: EBUSY; it
  // works once teardown has closed everything.
  const idle = new Idle(loop);
  idle.unref();
  assert.throws(() => loop.close(), uvError('EBUSY'));
  assert.equal(loop.closed, false);
  await teardown(loop);
  loop.close(); // a second close() is a no-op
});
