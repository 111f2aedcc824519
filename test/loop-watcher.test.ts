/**
 * Idle, prepare and check: libuv's tests (test-idle.c, test-loop-handles.c
 * and the watcher parts of test-ref.c) with libuv's names, then the rules
 * of docs/semantics.md §4 — start order (rules 4.1, 4.3), the
 * detach-and-requeue walk of a phase with every bullet of rule 4.4, and the
 * effect on the poll timeout (rules 4.5, 4.6).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Async, Check, Idle, Loop, Prepare, Timer } from '../src/index.js';
import { bothProfiles, teardown } from './helpers.js';

/** One of the three watcher types (`Watcher`'s `this`-typed callbacks make the union the useful type). */
type Watcher = Idle | Prepare | Check;

bothProfiles('idle_starvation', async (profile) => {
  // S26: the idle watcher keeps POLL at timeout 0, yet the timer still fires.
  // libuv starts the 50 ms timer before run() and asserts idle > 0, which
  // fails if the process is descheduled for 50 ms before the first pass (the
  // timer then fires and closes the idle watcher before it ever runs). Here
  // the first idle callback starts the timer, so idle > 0 always holds and
  // the timer must still fire while the idle watcher spins.
  const loop = new Loop({ libuv: profile });
  let idleCalls = 0;
  let timerCalls = 0;
  let closeCalls = 0;
  const closeCallback = (): void => {
    closeCalls++;
  };
  const timer = new Timer(loop);
  const idle = new Idle(loop).start(() => {
    if (idleCalls++ > 0) return;
    timer.start(() => {
      idle.close(closeCallback);
      check.close(closeCallback);
      timer.close(closeCallback);
      timerCalls++;
    }, 50);
  });
  const check = new Check(loop).start(() => {});
  assert.equal(await loop.run('default'), false);
  assert.ok(idleCalls > 0);
  assert.equal(timerCalls, 1);
  assert.equal(closeCalls, 3);
  await teardown(loop);
});

bothProfiles('idle_check', async (profile) => {
  // S27: an idle watcher started at the top of the iteration makes ONCE
  // non-blocking even though it stops itself.
  const loop = new Loop({ libuv: profile });
  let checkCalls = 0;
  let closeCalls = 0;
  const closeCallback = (): void => {
    closeCalls++;
  };
  const idle = new Idle(loop).start((self) => self.stop());
  const check = new Check(loop).start(() => checkCalls++);
  assert.equal(await loop.run('once'), true);
  assert.equal(checkCalls, 1);
  assert.equal(closeCalls, 0);
  idle.close(closeCallback);
  check.close(closeCallback);
  assert.equal(await loop.run('once'), false);
  assert.equal(closeCalls, 2);
  await teardown(loop);
});

bothProfiles('loop_handles', async (profile) => {
  // S28, following test-loop-handles.c.
  const ITERATIONS = 21;
  const IDLE_COUNT = 7;
  const loop = new Loop({ libuv: profile });
  const c = { iteration: 0, p1: 0, p1Close: 0, p2: 0, p2Close: 0, check: 0, checkClose: 0 };
  const i = { idle1: 0, idle1Close: 0, idles1Active: 0, idle2: 0, idle2Close: 0, idle2Starts: 0 };
  let idle2: Idle | null = null;
  let idle2Active = false;

  const prepare1 = new Prepare(loop);
  const check = new Check(loop);
  const prepare2 = new Prepare(loop);
  const idles1 = Array.from({ length: IDLE_COUNT }, () => new Idle(loop));
  const timer = new Timer(loop);

  const idle2Callback = (handle: Idle): void => {
    i.idle2++;
    handle.close(() => {
      assert.ok(idle2Active);
      i.idle2Close++;
      idle2Active = false;
    });
  };
  const idle1Callback = (handle: Idle): void => {
    assert.ok(i.idles1Active > 0);
    // uv_is_closing() is true for closing *and* closed handles, so idle_2
    // is created once and never again after its close.
    if (!idle2Active && !(idle2 !== null && idle2.closing)) {
      idle2 = new Idle(loop).start(idle2Callback);
      idle2Active = true;
      i.idle2Starts++;
    }
    i.idle1++;
    if (i.idle1 % 5 === 0) {
      handle.stop();
      i.idles1Active--;
    }
  };
  const prepare2Callback = (handle: Prepare): void => {
    // Started by prepare1 when the count was even: never in that same pass.
    assert.notEqual(c.iteration % 2, 0);
    handle.stop();
    c.p2++;
  };
  prepare1.start(() => {
    if (c.iteration % 2 === 0) prepare2.start(prepare2Callback);
    c.p1++;
    c.iteration++;
  });
  check.start(() => {
    if (c.iteration < ITERATIONS) {
      for (let k = 0; k < 1 + (c.iteration % IDLE_COUNT); k++) {
        (idles1[k] as Idle).start(idle1Callback);
        i.idles1Active++;
      }
    } else {
      prepare1.close(() => c.p1Close++);
      check.close(() => c.checkClose++);
      prepare2.close(() => c.p2Close++);
      for (const idle of idles1) idle.close(() => i.idle1Close++);
      if (idle2Active) idle2?.close(() => i.idle2Close++);
    }
    c.check++;
  });
  // Keeps the loop polling but not alive.
  timer.start(() => {}, 100, 100);
  timer.unref();

  assert.equal(await loop.run('default'), false);
  assert.deepEqual(c, {
    iteration: ITERATIONS,
    p1: ITERATIONS,
    p1Close: 1,
    p2: 10, // ITERATIONS / 2 in C's integer division
    p2Close: 1,
    check: ITERATIONS,
    checkClose: 1,
  });
  assert.equal(i.idle1Close, IDLE_COUNT);
  assert.ok(i.idle1 > 0);
  assert.equal(i.idle2Close, i.idle2Starts);
  assert.equal(idle2Active, false);
  await teardown(loop);
});

bothProfiles('queue_foreach_delete', async (profile) => {
  // S29 without the Linux fs_event part (needs fs events): in each phase
  // the newest watcher closes itself and the one queued after it, which then
  // never runs. The 0 ms helper timer fires once in either profile's pass.
  const loop = new Loop({ libuv: profile });
  const calls = { idle: [0, 0, 0], prepare: [0, 0, 0], check: [0, 0, 0] };
  const kinds = { idle: Idle, prepare: Prepare, check: Check } as const;
  for (const kind of ['idle', 'prepare', 'check'] as const) {
    const handles: Watcher[] = [0, 1, 2].map(() => new kinds[kind](loop));
    const counts = calls[kind];
    handles.forEach((handle, index) =>
      handle.start(() => {
        counts[index] = (counts[index] ?? 0) + 1;
        if (index === 1) assert.fail(`${kind} #1 must not run`);
        if (index === 2) {
          (handles[2] as Watcher).close();
          (handles[1] as Watcher).close();
        }
      }),
    );
  }
  let helperTimerCalls = 0;
  new Timer(loop).start(() => helperTimerCalls++, 0);
  assert.equal(await loop.run('nowait'), true);
  assert.deepEqual(calls, { idle: [1, 0, 1], prepare: [1, 0, 1], check: [1, 0, 1] });
  assert.equal(helperTimerCalls, 1);
  await teardown(loop);
});

// ---------------------------------------------------------------- rules 4.1–4.4

const WATCHER_KINDS = [
  ['idle', Idle],
  ['prepare', Prepare],
  ['check', Check],
] as const;

/**
 * Runs `setup` once per watcher type, each on a fresh loop, calls
 * run('nowait') `calls` times and returns what each call logged. The three
 * types come from one macro in libuv, so all three must log the same.
 */
async function phaseRuns(
  setup: (make: () => Watcher, log: string[]) => void,
  calls = 2,
): Promise<string[]> {
  const results: string[][] = [];
  for (const [, Kind] of WATCHER_KINDS) {
    const loop = new Loop();
    const log: string[] = [];
    setup(() => new Kind(loop), log);
    const runs: string[] = [];
    for (let k = 0; k < calls; k++) {
      await loop.run('nowait');
      runs.push(log.splice(0).join(' '));
    }
    results.push(runs);
    await teardown(loop);
  }
  const [idle, prepare, check] = results;
  assert.deepEqual(prepare, idle);
  assert.deepEqual(check, idle);
  return idle ?? [];
}

test('rules 4.1/4.3: newest started runs first; restarting keeps callback and place', async () => {
  const runs = await phaseRuns((make, log) => {
    const a = make().start(() => log.push('a'));
    make().start(() => log.push('b'));
    make().start(() => log.push('c'));
    a.start(() => log.push('a with a new callback'));
  });
  assert.deepEqual(runs, ['c b a', 'c b a']);
});

test('rule 4.4: a watcher started during the phase waits for the next one, at the front', async () => {
  const runs = await phaseRuns((make, log) => {
    const d = make();
    const e = make();
    make().start(() => log.push('a'));
    make().start(() => log.push('b'));
    make().start(() => {
      log.push('c');
      d.start(() => log.push('d'));
      e.start(() => log.push('e'));
    });
  });
  // After the phase: [started during it, newest first] + [ran, in order].
  assert.deepEqual(runs, ['c b a', 'e d c b a']);
});

test('rule 4.4: a watcher stopped or closed before its turn does not run', async () => {
  const runs = await phaseRuns((make, log) => {
    const a = make().start(() => log.push('a'));
    const b = make().start(() => log.push('b'));
    make().start(() => {
      log.push('c');
      b.stop();
      a.close();
    });
  });
  assert.deepEqual(runs, ['c', 'c']);
});

test('rule 4.4: stopped and restarted before its turn: skipped, then first', async () => {
  const runs = await phaseRuns((make, log) => {
    const a = make().start(() => log.push('a'));
    make().start(() => log.push('b'));
    const c = make();
    c.start(() => {
      log.push('c');
      if (c.data === undefined) {
        c.data = 'done';
        a.stop();
        a.start(() => log.push('a'));
      }
    });
  });
  assert.deepEqual(runs, ['c b', 'a c b']);
});

test('rule 4.4: a watcher that restarts itself in its callback moves to the front', async () => {
  const runs = await phaseRuns((make, log) => {
    const a = make();
    const callback = (): void => {
      log.push('a');
      if (a.data === undefined) {
        a.data = 'done';
        a.stop();
        a.start(callback);
      }
    };
    a.start(callback);
    make().start(() => log.push('b'));
  });
  assert.deepEqual(runs, ['b a', 'a b']);
});

test('rule 6.10: a watcher closed from its own callback stops at once', async () => {
  const runs = await phaseRuns((make, log) => {
    make().start((self) => {
      log.push('a');
      self.close(() => log.push('closed a'));
      assert.equal(self.active, false);
    });
    make().start(() => log.push('b'));
  });
  assert.deepEqual(runs, ['b a closed a', 'b']);
});

// ---------------------------------------------------------------- rules 4.5, 4.6

/** The poll timeouts of one DEFAULT run whose check callback closes everything. */
async function pollTimeouts(loop: Loop): Promise<number[]> {
  const timeouts: number[] = [];
  loop.tracer = (event) => {
    if (event.type === 'poll-start') timeouts.push(event.timeout);
  };
  new Check(loop).start(() => loop.walk((handle) => handle.close()));
  assert.equal(await loop.run('default'), false);
  return timeouts;
}

bothProfiles('rule 4.5: an unref idle watcher still makes POLL non-blocking', async (profile) => {
  // Without the idle watcher the ref'd async handle would let POLL block
  // forever; an unref'd, active idle watcher forces timeout 0.
  const loop = new Loop({ libuv: profile });
  new Async(loop);
  new Idle(loop).start(() => {}).unref();
  assert.deepEqual(await pollTimeouts(loop), [0]);
  await teardown(loop);
});

bothProfiles('rule 4.5: prepare and check do not change the timeout', async (profile) => {
  const loop = new Loop({ libuv: profile });
  new Prepare(loop).start(() => {});
  new Timer(loop).start(() => {}, 100);
  const [timeout] = await pollTimeouts(loop);
  assert.ok(timeout !== undefined && timeout > 0 && timeout <= 100, `timeout ${timeout}`);
  await teardown(loop);
});

bothProfiles(
  'rule 4.6: an idle watcher started in PREPARE makes that POLL non-blocking',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    new Async(loop);
    const idle = new Idle(loop);
    new Prepare(loop).start(() => idle.start(() => {}));
    assert.deepEqual(await pollTimeouts(loop), [0]);
    await teardown(loop);
  },
);
