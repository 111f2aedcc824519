/**
 * Timer rules of docs/semantics.md §3 beyond libuv's own tests: `again()`
 * with repeat 0 (3.5), `repeat` taking effect at the next re-arm (3.6),
 * `dueIn` of stopped timers (3.7), the 1.44 same-pass rerun versus the 1.52
 * due batch (3.9, 3.10), repeat drift (3.11), restart order (3.3) and
 * unref'd timers bounding the poll (1.15, 3.14). The 1.44 expectations were
 * checked against libuv 1.44.2 through luv.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Async, Loop, Prepare, Timer, sleep } from '../src/index.js';
import { bothProfiles, teardown } from './helpers.js';

bothProfiles('rule 3.5: again() with repeat 0 does nothing', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  // An active one-shot timer stays active, keeps its due time and its start
  // id: it still fires before a peer started after it with the same due.
  const a = new Timer(loop).start(() => log.push('a'), 0);
  const b = new Timer(loop).start(() => log.push('b'), 0);
  const long = new Timer(loop).start(() => log.push('long'), 1000);
  a.again();
  long.again();
  assert.equal(a.active, true);
  assert.equal(long.active, true);
  assert.equal(long.dueIn, 1000);
  long.stop();
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(log, ['a', 'b']);
  // An expired one-shot timer stays stopped (no EINVAL: it was started once).
  a.again();
  assert.equal(a.active, false);
  // Contrast: with repeat != 0, again() restarts with timeout = repeat and
  // a new start id, so the restarted timer goes behind its peer.
  log.length = 0;
  a.start(
    (timer) => {
      log.push('a');
      timer.stop();
    },
    0,
    10,
  );
  b.start(() => log.push('b'), 10);
  a.again();
  assert.equal(a.dueIn, 10);
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(log, ['b', 'a']);
  await teardown(loop);
});

bothProfiles('rule 3.6: repeat takes effect at the next re-arm', async (profile) => {
  const loop = new Loop({ libuv: profile });
  // A one-shot timer is already stopped in its callback; setting repeat
  // there does not restart it.
  let oneShotCalls = 0;
  new Timer(loop).start((timer) => {
    oneShotCalls++;
    timer.repeat = 10;
    assert.equal(timer.active, false);
  }, 0);
  assert.equal(await loop.run('default'), false);
  assert.equal(oneShotCalls, 1);

  // A repeating timer was re-armed with the old repeat before its callback;
  // the new value is used from the following re-arm on.
  const dueIns: number[] = [];
  new Timer(loop).start(
    (timer) => {
      dueIns.push(timer.dueIn);
      if (dueIns.length === 1) timer.repeat = 10;
      else timer.stop();
    },
    0,
    60,
  );
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(dueIns, [60, 10]);
  await teardown(loop);
});

bothProfiles('rule 3.7: dueIn comes from the stored due time', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const timer = new Timer(loop).start(() => {}, 1000);
  timer.stop();
  assert.equal(timer.active, false);
  assert.equal(timer.dueIn, 1000, 'a stopped timer still reports its due time');
  const due = loop.now() + timer.dueIn;
  sleep(20);
  loop.updateTime();
  assert.ok(loop.now() > due - 1000);
  assert.equal(loop.now() + timer.dueIn, due);
  let inCallback = -1;
  timer.start((t) => {
    inCallback = t.dueIn;
  }, 0);
  assert.equal(await loop.run('default'), false);
  assert.equal(inCallback, 0, 'due time reached');
  await teardown(loop);
});

/** NOWAIT twice with a logging prepare: shows which pass fired what. */
async function twoNowaitRuns(loop: Loop, log: string[]): Promise<string[]> {
  new Prepare(loop).start(() => log.push('p'));
  const runs: string[] = [];
  for (let i = 0; i < 2; i++) {
    assert.equal(await loop.run('nowait'), true);
    runs.push(log.splice(0).join(' '));
  }
  return runs;
}

bothProfiles(
  'rules 3.9/3.10: a timer restarted with 0 ms inside the timers pass',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const log: string[] = [];
    let calls = 0;
    new Timer(loop).start((timer) => {
      log.push('a');
      if (++calls === 1) timer.start(() => log.push('a2'), 0);
    }, 0);
    // 1.44 re-reads the heap, so the restarted timer runs in the same pass;
    // 1.52 runs the batch collected before the first callback only.
    assert.deepEqual(
      await twoNowaitRuns(loop, log),
      profile === '1.44' ? ['a a2 p', 'p'] : ['p a', 'p a2'],
    );
    await teardown(loop);
  },
);

bothProfiles('rules 3.9/3.10: due timers touched by an earlier callback', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  const stopped = new Timer(loop);
  const restarted = new Timer(loop);
  const closed = new Timer(loop);
  const again = new Timer(loop);
  new Timer(loop).start(() => {
    log.push('first');
    stopped.stop();
    restarted.start(() => log.push('restarted'), 0);
    closed.close();
    again.again(); // repeat 0: stays in the due batch (1.52) / heap (1.44)
  }, 0);
  stopped.start(() => log.push('stopped'), 0);
  restarted.start(() => log.push('restarted too early'), 0);
  closed.start(() => log.push('closed'), 0);
  again.start(() => log.push('again'), 0);
  assert.deepEqual(
    await twoNowaitRuns(loop, log),
    profile === '1.44'
      ? ['first again restarted p', 'p'] // restarted: new id, behind `again`
      : ['p first again', 'p restarted'], // restarted: dropped from the batch
  );
  await teardown(loop);
});

bothProfiles('rule 3.9: updateTime() in a timer callback (1.44 only)', async (profile) => {
  // In 1.44 the pass compares with the live cached time, so a callback that
  // refreshes it makes a later timer due in the same pass. 1.52's batch was
  // collected before, and a timer started during the pass never joins it.
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  const later = new Timer(loop);
  new Timer(loop).start(() => {
    log.push('a');
    later.start(() => log.push('b'), 50);
    sleep(50);
    loop.updateTime();
  }, 0);
  assert.deepEqual(
    await twoNowaitRuns(loop, log),
    profile === '1.44' ? ['a b p', 'p'] : ['p a', 'p b'],
  );
  await teardown(loop);
});

bothProfiles('rule 3.11: repeat re-arms from the pass time, no catch-up', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const dueIns: number[] = [];
  const timer = new Timer(loop).start((t) => dueIns.push(t.dueIn), 10, 10);
  sleep(55); // five periods missed
  assert.equal(await loop.run('nowait'), true);
  // One callback, and the next due time is the pass's now + repeat (not
  // due + repeat, which would already have passed: dueIn would be 0).
  assert.deepEqual(dueIns, [10]);
  assert.equal(timer.active, true);
  await teardown(loop);
});

bothProfiles('rule 3.3: a restarted timer goes behind peers with the same due', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  const a = new Timer(loop).start(() => log.push('a'), 0);
  new Timer(loop).start(() => log.push('b'), 0);
  a.start(() => log.push('a restarted'), 0);
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(log, ['b', 'a restarted']);
  await teardown(loop);
});

bothProfiles('rules 1.15/3.14: an unref timer bounds the poll wait', async (profile) => {
  // The async handle keeps the loop alive and would let POLL block forever;
  // the unref'd timer still bounds the wait, fires, and ends the loop.
  const loop = new Loop({ libuv: profile });
  const wake = new Async(loop);
  const timer = new Timer(loop).start(() => wake.close(), 100);
  timer.unref();
  const timeouts: number[] = [];
  loop.tracer = (event) => {
    if (event.type === 'poll-start') timeouts.push(event.timeout);
  };
  assert.equal(await loop.run('default'), false);
  assert.ok((timeouts[0] ?? -1) > 0 && (timeouts[0] ?? -1) <= 100, `timeouts ${timeouts}`);
  await teardown(loop);
});

test('rule 3.14: a loop left with only an unref timer exits without firing it', async () => {
  const loop = new Loop();
  const log: string[] = [];
  const unrefd = new Timer(loop).start(() => log.push('unref'), 10000);
  unrefd.unref();
  new Timer(loop).start(() => log.push('ref'), 1);
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(log, ['ref']);
  assert.equal(unrefd.active, true);
  await teardown(loop);
});
