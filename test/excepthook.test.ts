/**
 * Callbacks that throw. libuv has no exceptions; uvts routes them to
 * `loop.excepthook`. The default (`null`): the loop finishes the iteration
 * as if `stop()` had been called from that callback (so the profiles differ
 * exactly as for stop(), rule 1.31), then the pending `run()` rejects with
 * the error; the loop stays usable. A custom hook gets `(loop, error)` and
 * the loop carries on; a hook that throws falls back to the default.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Check, Idle, Loop, Prepare, Timer } from '../src/index.js';
import { bothProfiles, teardown } from './helpers.js';

bothProfiles('default hook: run() rejects after the iteration completes', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  const boom = new Error('boom');
  const timer = new Timer(loop);
  let prepareCalls = 0;
  new Prepare(loop).start(() => {
    log.push('p');
    if (prepareCalls++ > 0) return;
    timer.start(() => log.push('t'), 0);
    throw boom;
  });
  new Check(loop).start(() => log.push('c'));
  const closing = new Idle(loop);
  closing.close(() => log.push('closed'));

  const run = loop.run('default');
  assert.ok(run instanceof Promise);
  await assert.rejects(run, (error: unknown) => error === boom);
  // The rest of the iteration ran: CHECK, CLOSING, and in 1.52 the
  // end-of-iteration timers (like stop(), rules 1.30/1.31).
  assert.deepEqual(
    log.splice(0),
    profile === '1.44' ? ['p', 'c', 'closed'] : ['p', 'c', 'closed', 't'],
  );
  assert.equal(loop.isRunning, false);

  // The loop is consistent and runs again; the error is not reported twice.
  assert.equal(await loop.run('nowait'), true);
  assert.deepEqual(log, profile === '1.44' ? ['t', 'p', 'c'] : ['p', 'c']);
  await teardown(loop);
});

bothProfiles('default hook: a throw in the timers pass', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  new Timer(loop).start(() => {
    log.push('t');
    throw new RangeError('timer');
  }, 0);
  new Prepare(loop).start(() => log.push('p'));
  await assert.rejects(loop.run('default'), RangeError);
  // 1.52's start-of-run pass leaves at once; 1.44 finishes the iteration.
  assert.deepEqual(log, profile === '1.44' ? ['t', 'p'] : ['t']);
  await teardown(loop);
});

test('default hook: several throws in one iteration reject with an AggregateError', async () => {
  const loop = new Loop();
  const first = new Error('first');
  new Idle(loop).start(() => {
    throw first;
  });
  new Check(loop).start(() => {
    throw 'not an Error'; // any value can be thrown
  });
  await assert.rejects(loop.run('default'), (error: unknown) => {
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors, [first, 'not an Error']);
    return true;
  });
  await teardown(loop);
});

test('default hook: a throw in a close callback', async () => {
  const loop = new Loop();
  new Timer(loop).close(() => {
    throw new Error('close');
  });
  await assert.rejects(loop.run('default'), /close/);
  assert.equal(loop.alive, false);
  await teardown(loop);
});

bothProfiles('custom hook: called with (loop, error); the loop carries on', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const seen: [Loop, unknown][] = [];
  loop.excepthook = (where, error) => {
    seen.push([where, error]);
  };
  const errors = [new Error('one'), new Error('two'), new Error('three')];
  let calls = 0;
  new Timer(loop).start(
    (timer) => {
      const error = errors[calls++];
      if (calls === errors.length) timer.close();
      throw error;
    },
    0,
    1,
  );
  assert.equal(await loop.run('default'), false, 'ran until the loop was dead');
  assert.equal(calls, 3);
  assert.deepEqual(
    seen,
    errors.map((error) => [loop, error]),
  );
  await teardown(loop);
});

test('custom hook that throws: the default applies with the hook error', async () => {
  const loop = new Loop();
  const original = new Error('callback');
  const fromHook = new Error('hook');
  let hookCalls = 0;
  loop.excepthook = (_loop, error) => {
    hookCalls++;
    assert.equal(error, original);
    throw fromHook;
  };
  new Timer(loop).start(() => {
    throw original;
  }, 0);
  await assert.rejects(loop.run('default'), (error: unknown) => error === fromHook);
  assert.equal(hookCalls, 1);
  // Back to the default by assigning null.
  loop.excepthook = null;
  new Timer(loop).start(() => {
    throw original;
  }, 0);
  await assert.rejects(loop.run('default'), (error: unknown) => error === original);
  assert.equal(hookCalls, 1);
  await teardown(loop);
});
