// libuv's test-signal.c, test-signal-multiple-loops.c and
// test-signal-pending-on-close.c, ported with
// process.kill(process.pid, ...) raising signals whose default action is
// harmless where possible (SIGCHLD, SIGWINCH, SIGURG: ignored). SIGUSR1 is
// Node's inspector signal, so we_get_signals uses SIGWINCH in its place;
// signal_multiple_loops runs many loops on this one thread instead of threads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Loop, Signal, Timer } from '../src/index.js';
import { teardown } from './helpers.js';

const NSIGNALS = 10;

interface SignalCtx {
  handle: Signal;
  signum: string;
  ncalls: number;
  stopOrClose: 'stop' | 'close';
}

interface TimerCtx {
  handle: Timer;
  ncalls: number;
}

/** libuv's start_timer: a 5/5 ms timer raising `signum` NSIGNALS times, then closing itself. */
function startTimer(loop: Loop, signum: string): TimerCtx {
  const ctx: TimerCtx = { handle: new Timer(loop), ncalls: 0 };
  ctx.handle.start(
    (timer) => {
      process.kill(process.pid, signum);
      if (++ctx.ncalls === NSIGNALS) timer.close();
    },
    5,
    5,
  );
  return ctx;
}

/** libuv's start_watcher: counts; a normal watcher stops or closes at NSIGNALS, a one-shot at once. */
function startWatcher(loop: Loop, signum: string, oneShot: boolean, ctx?: SignalCtx): SignalCtx {
  const watcher: SignalCtx = ctx ?? {
    handle: new Signal(loop),
    signum,
    ncalls: 0,
    stopOrClose: 'stop',
  };
  watcher.ncalls = 0;
  const expected = watcher.handle.signum;
  const onSignal = (handle: Signal, received: number): void => {
    assert.equal(received, handle.signum);
    assert.ok(expected === 0 || received === expected, 'signum unchanged');
    watcher.ncalls++;
    if (oneShot) {
      if (watcher.stopOrClose === 'close') handle.close();
    } else if (watcher.ncalls === NSIGNALS) {
      if (watcher.stopOrClose === 'stop') handle.stop();
      else handle.close();
    }
  };
  if (oneShot) watcher.handle.startOneshot(onSignal, signum);
  else watcher.handle.start(onSignal, signum);
  return watcher;
}

describe('signals (test-signal*.c)', () => {
  it('we_get_signal (S41)', async () => {
    const loop = new Loop();
    const sc = startWatcher(loop, 'SIGCHLD', false);
    let tc = startTimer(loop, 'SIGCHLD');
    assert.equal(await loop.run(), false);
    assert.equal(tc.ncalls, NSIGNALS);
    assert.equal(sc.ncalls, NSIGNALS);

    tc = startTimer(loop, 'SIGCHLD');
    assert.equal(await loop.run(), false);
    assert.equal(tc.ncalls, NSIGNALS);
    assert.equal(sc.ncalls, NSIGNALS);

    sc.stopOrClose = 'close';
    startWatcher(loop, 'SIGCHLD', false, sc);
    tc = startTimer(loop, 'SIGCHLD');
    assert.equal(await loop.run(), false);
    assert.equal(tc.ncalls, NSIGNALS);
    assert.equal(sc.ncalls, NSIGNALS);
    await teardown(loop);
  });

  it('we_get_signals (SIGUSR2 and SIGWINCH, two watchers each)', async () => {
    const loop = new Loop();
    const watchers = ['SIGUSR2', 'SIGUSR2', 'SIGWINCH', 'SIGWINCH'].map((name) => {
      const ctx = startWatcher(loop, name, false);
      ctx.stopOrClose = 'close';
      return ctx;
    });
    const timers = [startTimer(loop, 'SIGUSR2'), startTimer(loop, 'SIGWINCH')];
    assert.equal(await loop.run(), false);
    for (const ctx of watchers) assert.equal(ctx.ncalls, NSIGNALS);
    for (const ctx of timers) assert.equal(ctx.ncalls, NSIGNALS);
    await teardown(loop);
  });

  it('we_get_signal_one_shot', async () => {
    const loop = new Loop();
    const sc = startWatcher(loop, 'SIGCHLD', true);
    let tc = startTimer(loop, 'SIGCHLD');
    assert.equal(await loop.run(), false);
    assert.equal(tc.ncalls, NSIGNALS);
    assert.equal(sc.ncalls, 1);
    assert.equal(sc.handle.active, false);

    tc = startTimer(loop, 'SIGCHLD');
    assert.equal(await loop.run(), false);
    assert.equal(sc.ncalls, 1);

    sc.stopOrClose = 'close';
    startWatcher(loop, 'SIGCHLD', true, sc);
    tc = startTimer(loop, 'SIGCHLD');
    assert.equal(await loop.run(), false);
    assert.equal(tc.ncalls, NSIGNALS);
    assert.equal(sc.ncalls, 1);
    await teardown(loop);
  });

  it('we_get_signals_mixed', async () => {
    const loop = new Loop();
    const watcher = (oneShot: boolean, close: boolean): SignalCtx => {
      const ctx = startWatcher(loop, 'SIGCHLD', oneShot);
      if (close) ctx.stopOrClose = 'close';
      return ctx;
    };
    const round = async (): Promise<void> => {
      assert.equal(await loop.run(), false);
    };

    // 2 one-shot.
    let tc = startTimer(loop, 'SIGCHLD');
    let sc = [watcher(true, true), watcher(true, true)];
    await round();
    assert.equal(tc.ncalls, NSIGNALS);
    assert.deepEqual(
      sc.map((c) => c.ncalls),
      [1, 1],
    );

    // 2 one-shot, 1 normal then remove normal.
    tc = startTimer(loop, 'SIGCHLD');
    sc = [watcher(true, true), watcher(true, true), watcher(false, false)];
    (sc[2] as SignalCtx).handle.close();
    await round();
    assert.deepEqual(
      sc.map((c) => c.ncalls),
      [1, 1, 0],
    );

    // 2 normal, 1 one-shot then remove one-shot.
    tc = startTimer(loop, 'SIGCHLD');
    sc = [watcher(false, true), watcher(false, true), watcher(true, false)];
    (sc[2] as SignalCtx).handle.close();
    await round();
    assert.deepEqual(
      sc.map((c) => c.ncalls),
      [NSIGNALS, NSIGNALS, 0],
    );

    // 2 normal, 2 one-shot then remove 2 normal.
    tc = startTimer(loop, 'SIGCHLD');
    sc = [watcher(false, false), watcher(false, false), watcher(true, true), watcher(true, true)];
    (sc[0] as SignalCtx).handle.close();
    (sc[1] as SignalCtx).handle.close();
    await round();
    assert.deepEqual(
      sc.map((c) => c.ncalls),
      [0, 0, 1, 1],
    );

    // 1 normal, 1 one-shot, 2 normal then remove 1st normal, 2nd normal.
    tc = startTimer(loop, 'SIGCHLD');
    sc = [watcher(false, false), watcher(true, false), watcher(false, false), watcher(false, true)];
    (sc[0] as SignalCtx).handle.close();
    (sc[2] as SignalCtx).handle.close();
    await round();
    assert.equal(tc.ncalls, NSIGNALS);
    assert.deepEqual(
      sc.map((c) => c.ncalls),
      [0, 1, 0, NSIGNALS],
    );
    await teardown(loop);
  });

  it('signal_multiple_loops (loops on one thread instead of threads)', async () => {
    const kinds: string[][] = [];
    for (let index = 0; index < 4; index++) {
      kinds.push(['SIGWINCH', 'SIGWINCH'], ['SIGURG', 'SIGURG'], ['SIGWINCH', 'SIGURG']);
    }
    const loops = kinds.map(() => new Loop());
    const counts = new Map<string, number>([
      ['SIGWINCH', 0],
      ['SIGURG', 0],
    ]);
    let churned = 0;
    for (let round = 0; round < 2; round++) {
      loops.forEach((loop, index) => {
        for (const name of kinds[index] as string[]) {
          // Each watcher fires once per round and stops itself.
          new Signal(loop).startOneshot(() => counts.set(name, (counts.get(name) ?? 0) + 1), name);
        }
      });
      const runs = loops.map((loop) => loop.run());
      process.kill(process.pid, 'SIGWINCH');
      process.kill(process.pid, 'SIGURG');
      // Loops created and destroyed meanwhile never see a signal.
      for (let index = 0; index < 5; index++) {
        const churn = new Loop();
        new Signal(churn).start(() => assert.fail('closed watcher called'), 'SIGWINCH').close();
        await churn.run();
        churn.close();
        churned++;
      }
      assert.deepEqual(await Promise.all(runs), Array(loops.length).fill(false));
    }
    // 12 SIGWINCH watchers and 12 SIGURG watchers, each once per round.
    assert.equal(counts.get('SIGWINCH'), 24);
    assert.equal(counts.get('SIGURG'), 24);
    assert.equal(churned, 10);
    for (const loop of loops) await teardown(loop);
  });

  it('signal_close_loop_alive', async () => {
    const loop = new Loop();
    const handle = new Signal(loop);
    handle.start((h) => h.stop(), 'SIGPIPE');
    handle.unref();
    process.kill(process.pid, 'SIGPIPE');
    assert.equal(await loop.run(), false);
    let closed = 0;
    handle.close(() => closed++);
    assert.equal(loop.alive, true);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });
});
