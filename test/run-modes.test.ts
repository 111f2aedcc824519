/**
 * Run modes, `stop()` and the reference programs of docs/semantics.md §1
 * (rules 1.18, 1.30–1.40) in both profiles. The 1.44 expectations were
 * checked against real libuv 1.44.2 through luv; the 1.52 ones follow §1.C
 * and §10.1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Async, Check, Idle, Loop, Prepare, Timer, hrtime, sleep } from '../src/index.js';
import type { Profile } from '../src/index.js';
import { PROFILES, bothProfiles, teardown, traceCallbacks, traceLines } from './helpers.js';

/** A shared log that callbacks write labels to; POLL adds `poll=<timeout>`. */
function pollLog(loop: Loop): string[] {
  const log: string[] = [];
  loop.tracer = (event) => {
    if (event.type === 'poll-start') log.push(`poll=${event.timeout}`);
  };
  return log;
}

// ---------------------------------------------------------------- 1.J reference traces

bothProfiles('trace 1.37: timer, idle, prepare, check in DEFAULT', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const idle = new Idle(loop);
  const prepare = new Prepare(loop);
  const check = new Check(loop);
  const timer = new Timer(loop);
  idle.start(() => {});
  prepare.start(() => {});
  check.start(() => loop.walk((handle) => handle.close()));
  timer.start(() => {}, 0);
  const lines = traceLines(loop);
  assert.equal(await loop.run('default'), false);
  const iteration = [
    'pending',
    'idle',
    `  idle idle#${idle.id}`,
    'prepare',
    `  prepare prepare#${prepare.id}`,
    'poll',
    'poll timeout=0',
    'check',
    `  check check#${check.id}`,
    'closing',
  ];
  const timerLine = `  timer timer#${timer.id}`;
  const expected =
    profile === '1.44'
      ? ['run default', 'iteration', 'timers', timerLine, ...iteration, 'return false']
      : [
          'run default',
          'timers(start-of-run)',
          timerLine,
          'iteration',
          ...iteration,
          'timers(end-of-iteration)',
          'return false',
        ];
  assert.deepEqual(lines, expected);
  await teardown(loop);
});

bothProfiles('trace 1.37: timer, idle, prepare, check in ONCE', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  new Idle(loop).start(() => log.push('i'));
  new Prepare(loop).start(() => log.push('p'));
  new Check(loop).start(() => log.push('c'));
  new Timer(loop).start(() => log.push('t'), 0);
  assert.equal(await loop.run('once'), true);
  assert.deepEqual(log, profile === '1.44' ? ['t', 'i', 'p', 'c'] : ['i', 'p', 'c', 't']);
  await teardown(loop);
});

bothProfiles('trace 1.38: NOWAIT runs timers first (1.44) or last (1.52)', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  new Timer(loop).start(() => log.push('t'), 0);
  new Prepare(loop).start(() => log.push('p'));
  new Check(loop).start(() => log.push('c'));
  assert.equal(await loop.run('nowait'), true);
  assert.deepEqual(log, profile === '1.44' ? ['t', 'p', 'c'] : ['p', 'c', 't']);
  await teardown(loop);
});

bothProfiles('trace 1.39: stop() from a timer in DEFAULT', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const timer = new Timer(loop).start(() => loop.stop(), 0);
  const prepare = new Prepare(loop).start(() => {});
  const check = new Check(loop).start(() => {});
  const lines = traceLines(loop);
  assert.equal(await loop.run('default'), true);
  const timerLine = `  timer timer#${timer.id}`;
  assert.deepEqual(
    lines,
    profile === '1.44'
      ? [
          'run default',
          'iteration',
          'timers',
          timerLine,
          'pending',
          'idle',
          'prepare',
          `  prepare prepare#${prepare.id}`,
          'poll',
          'poll timeout=0',
          'check',
          `  check check#${check.id}`,
          'closing',
          'return true',
        ]
      : ['run default', 'timers(start-of-run)', timerLine, 'return true'],
  );
  await teardown(loop);
});

bothProfiles('trace 1.40: a timer closes itself, prepare and check', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  const prepare = new Prepare(loop).start(() => log.push('p'));
  const check = new Check(loop).start(() => log.push('c'));
  new Timer(loop).start((timer) => {
    log.push('t1');
    timer.close(() => log.push('close t1'));
    prepare.close(() => log.push('close p'));
    check.close(() => log.push('close c'));
  }, 0);
  const polls = pollLog(loop);
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(log, ['t1', 'close c', 'close p', 'close t1']);
  assert.deepEqual(polls, ['poll=0']);
  await teardown(loop);
});

// ---------------------------------------------------------------- 1.H stop()

type StopSite = 'timer' | 'idle' | 'prepare' | 'check' | 'close' | 'async';

/**
 * What each site's first run and the following NOWAIT run log. `late` is a
 * 0 ms timer the stopping callback starts: 1.52 still runs the
 * end-of-iteration timers after a stop (rule 1.31), 1.44 does not (but its
 * timers pass runs a timer restarted with 0 ms at once, rule 3.9).
 */
const STOP_EXPECTED: Record<Profile, Record<StopSite, [string, string]>> = {
  '1.44': {
    timer: ['z late p poll=0 a c', 'p poll=0 c'],
    idle: ['z i p poll=0 a c', 'late i p poll=0 c'],
    prepare: ['z p poll=0 a c', 'late p poll=0 c'],
    check: ['z p poll=-1 a c', 'late p poll=0 c'],
    close: ['z p poll=0 a c x', 'late p poll=0 c'],
    async: ['z p poll=-1 a c', 'late p poll=0 c'],
  },
  '1.52': {
    timer: ['z', 'p poll=0 a c late'],
    idle: ['z i p poll=0 a c late', 'i p poll=0 c'],
    prepare: ['z p poll=0 a c late', 'p poll=0 c'],
    check: ['z p poll=-1 a c late', 'p poll=0 c'],
    close: ['z p poll=0 a c x late', 'p poll=0 c'],
    async: ['z p poll=-1 a c late', 'p poll=0 c'],
  },
};

for (const site of ['timer', 'idle', 'prepare', 'check', 'close', 'async'] as const) {
  bothProfiles(`stop() from a ${site} callback (rules 1.30, 1.31, 1.33)`, async (profile) => {
    const loop = new Loop({ libuv: profile });
    const log = pollLog(loop);
    const late = new Timer(loop);
    let stopped = false;
    // Each callback logs its label; the one at `site` also stops the loop
    // (once) and starts `late`.
    const at = (where: StopSite, label: string) => (): void => {
      log.push(label);
      if (where !== site || stopped) return;
      stopped = true;
      loop.stop();
      late.start(() => log.push('late'), 0);
    };
    new Timer(loop).start(at('timer', 'z'), 0);
    new Prepare(loop).start(at('prepare', 'p'));
    new Check(loop).start(at('check', 'c'));
    if (site === 'idle') new Idle(loop).start(at('idle', 'i'));
    if (site === 'close') new Timer(loop).close(at('close', 'x'));
    // A send before run() makes the first POLL return at once with `a`.
    new Async(loop, at('async', 'a')).send();

    assert.equal(await loop.run('default'), true);
    const first = log.splice(0).join(' ');
    assert.equal(await loop.run('nowait'), true, 'the stop flag was cleared on exit');
    assert.deepEqual([first, log.join(' ')], STOP_EXPECTED[profile][site]);
    await teardown(loop);
  });
}

bothProfiles('stop() while not running (rule 1.32)', async (profile) => {
  // On a dead loop: run() returns false at once, and the flag is gone.
  const loop = new Loop({ libuv: profile });
  loop.stop();
  loop.stop();
  assert.equal(await loop.run('default'), false);
  let fired = 0;
  new Timer(loop).start(() => fired++, 0);
  // On a live loop: nothing runs, not even a due timer; run() says alive.
  loop.stop();
  const lines = traceLines(loop);
  assert.equal(await loop.run('once'), true);
  assert.deepEqual(lines, ['run once', 'return true']);
  assert.equal(fired, 0);
  // The flag was cleared: the next run fires the timer.
  assert.equal(await loop.run('default'), false);
  assert.equal(fired, 1);
  await teardown(loop);
});

bothProfiles(
  'rule 1.27: stop() in the first timers pass and the value run() returns',
  async (profile) => {
    // The one-shot timer is the only handle; it stops the loop and is then
    // inactive, so the loop is dead. 1.44 finishes the iteration and returns
    // the recomputed liveness (false, as luv shows); 1.52 leaves right after
    // its start-of-run pass and returns the liveness computed at entry.
    const loop = new Loop({ libuv: profile });
    new Timer(loop).start(() => loop.stop(), 0);
    assert.equal(await loop.run('default'), profile === '1.52');
    assert.equal(loop.alive, false);
    await teardown(loop);
  },
);

// ---------------------------------------------------------------- 1.I ONCE and NOWAIT

bothProfiles('ONCE blocks until a timer is due and fires it (rule 1.34)', async (profile) => {
  // Measured from before the loop exists: the due time counts from the
  // loop's cached now(), taken at construction.
  const started = hrtime();
  const loop = new Loop({ libuv: profile });
  // 100 ms: the timer must not be due yet when the iteration starts.
  const timer = new Timer(loop).start(() => {}, 100);
  const lines = traceLines(loop);
  let pollTimeout = -2;
  const recordLines = loop.tracer;
  loop.tracer = (event) => {
    if (event.type === 'poll-start') pollTimeout = event.timeout;
    recordLines?.(event);
  };
  assert.equal(await loop.run('once'), false);
  assert.ok(Number(hrtime() - started) / 1e6 >= 95, 'ONCE waited for the timer');
  assert.ok(pollTimeout > 0, `POLL blocked (timeout ${pollTimeout})`);
  // Both profiles fire it in the pass after POLL: 1.44's second ONCE pass,
  // 1.52's end-of-iteration pass.
  assert.deepEqual(lines.slice(-3), [
    'timers(end-of-iteration)',
    `  timer timer#${timer.id}`,
    'return false',
  ]);
  await teardown(loop);
});

bothProfiles('ONCE does not block while an idle watcher is active (rule 1.34)', async (profile) => {
  const loop = new Loop({ libuv: profile });
  let fired = 0;
  new Timer(loop).start(() => fired++, 10000);
  new Idle(loop).start((idle) => idle.stop());
  const log = pollLog(loop);
  assert.equal(await loop.run('once'), true);
  assert.deepEqual(log, ['poll=0']);
  assert.equal(fired, 0);
  await teardown(loop);
});

/** Where a 0 ms timer started in PREPARE fires (rule 3.13, §10.1). */
for (const mode of ['once', 'nowait'] as const) {
  bothProfiles(`a 0 ms timer started in PREPARE, ${mode.toUpperCase()}`, async (profile) => {
    const loop = new Loop({ libuv: profile });
    const timer = new Timer(loop);
    const log = pollLog(loop);
    const prepare = new Prepare(loop).start(() => {
      log.push('p');
      timer.start(() => log.push('t'), 0);
      prepare.stop();
    });
    new Check(loop).start(() => log.push('c'));
    assert.equal(await loop.run(mode), true);
    // ONCE: both profiles fire it at the end of the call (1.44 in ONCE's
    // second pass); the poll does not block because the timer is due.
    // NOWAIT: only 1.52 has a timers pass after POLL; 1.44 fires it at the
    // start of the next call.
    const firesNow = mode === 'once' || profile === '1.52';
    assert.deepEqual(log, firesNow ? ['p', 'poll=0', 'c', 't'] : ['p', 'poll=0', 'c']);
    log.length = 0;
    assert.equal(await loop.run('nowait'), true);
    assert.deepEqual(log, firesNow ? ['poll=0', 'c'] : ['t', 'poll=0', 'c']);
    await teardown(loop);
  });
}

test('POLL refreshes now() even when it does not block (rule 1.18)', async () => {
  for (const profile of PROFILES) {
    const loop = new Loop({ libuv: profile });
    let before = 0;
    let advanced = -1;
    new Prepare(loop).start(() => {
      before = loop.now();
      sleep(30);
    });
    new Check(loop).start(() => {
      advanced = loop.now() - before;
    });
    assert.equal(await loop.run('nowait'), true);
    assert.ok(advanced >= 25, `${profile}: CHECK saw now() advance by ${advanced} ms`);
    await teardown(loop);
  }
});

bothProfiles(
  'each mode runs idle, prepare and check once per call (rule 1.36)',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const order = traceCallbacks(loop);
    new Idle(loop).start(() => {});
    new Prepare(loop).start(() => {});
    new Check(loop).start(() => {});
    for (const mode of ['once', 'nowait'] as const) {
      order.length = 0;
      assert.equal(await loop.run(mode), true);
      assert.deepEqual(order, ['idle#1', 'prepare#2', 'check#3']);
    }
    await teardown(loop);
  },
);
