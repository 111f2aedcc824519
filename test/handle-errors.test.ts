/**
 * How the loop-core handles report bad calls: wrong argument types throw
 * `TypeError`; bad values (negative or NaN times, unknown modes or profiles,
 * `again()` before any `start()`) throw `UVError` with code EINVAL, as libuv
 * returns UV_EINVAL; operations on a closing or closed handle throw
 * `HandleClosedError` (code EINVAL, libuv's answer for them); a closed loop
 * throws `LoopClosedError`. A call that throws changes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Async,
  Check,
  HandleClosedError,
  Idle,
  Loop,
  LoopClosedError,
  Prepare,
  Timer,
  UVError,
  sleep,
} from '../src/index.js';
import type { RunModeValue } from '../src/index.js';
import { teardown, uvError } from './helpers.js';

/** Casts a deliberately wrong argument past the type checker. */
function wrong<T>(value: unknown): T {
  return value as T;
}

const noop = (): void => {};

test('wrong argument types throw TypeError', async () => {
  const loop = new Loop();
  const timer = new Timer(loop);
  assert.throws(() => new Timer(wrong<Loop>({})), TypeError);
  assert.throws(() => new Idle(wrong<Loop>(42)), TypeError);
  assert.throws(() => timer.start(wrong<() => void>('callback'), 1), TypeError);
  assert.throws(() => timer.start(noop, wrong<number>('10')), TypeError);
  assert.throws(() => timer.start(noop, 1, wrong<number>(1n)), TypeError);
  assert.throws(() => {
    timer.repeat = wrong<number>('5');
  }, TypeError);
  for (const Kind of [Idle, Prepare, Check]) {
    assert.throws(() => new Kind(loop).start(wrong<() => void>(undefined)), TypeError);
  }
  assert.throws(() => new Async(loop, wrong<() => void>('callback')), TypeError);
  assert.throws(() => timer.close(wrong<() => void>(42)), TypeError);
  assert.equal(timer.closing, false, 'a rejected close() does not close');
  assert.throws(() => loop.walk(wrong<() => void>(null)), TypeError);
  assert.throws(() => loop.run(wrong<RunModeValue>({})), TypeError);
  assert.throws(() => new Loop(wrong<object>(null)), TypeError);
  assert.throws(() => sleep(wrong<number>('1')), TypeError);
  await teardown(loop);
});

test('bad values throw UVError EINVAL', async () => {
  const loop = new Loop();
  const timer = new Timer(loop);
  for (const [timeout, repeat] of [
    [-1, 0],
    [Number.NaN, 0],
    [1, -1],
    [1, Number.NaN],
  ] as const) {
    assert.throws(() => timer.start(noop, timeout, repeat), uvError('EINVAL'));
  }
  assert.throws(() => {
    timer.repeat = -5;
  }, uvError('EINVAL'));
  assert.equal(timer.repeat, 0);
  assert.throws(() => timer.again(), uvError('EINVAL'), 'again() before any start()');
  assert.throws(() => loop.run(wrong<RunModeValue>('forever')), uvError('EINVAL'));
  assert.throws(() => loop.run(wrong<RunModeValue>(7)), uvError('EINVAL'));
  assert.throws(() => loop.run(wrong<RunModeValue>(0.5)), uvError('EINVAL'));
  assert.throws(() => new Loop({ libuv: wrong<'1.52'>('1.40') }), uvError('EINVAL'));
  assert.equal(loop.isRunning, false, 'a rejected run() leaves the loop idle');
  await teardown(loop);
});

test('a rejected start() leaves an active timer as it was', async () => {
  const loop = new Loop();
  let fired = '';
  const timer = new Timer(loop).start(() => (fired = 'original'), 0, 0);
  const dueIn = timer.dueIn;
  assert.throws(() => timer.start(() => (fired = 'replacement'), -1), UVError);
  assert.throws(() => timer.start(wrong<() => void>(null), 5), TypeError);
  assert.equal(timer.active, true);
  assert.equal(timer.dueIn, dueIn);
  assert.equal(await loop.run('default'), false);
  assert.equal(fired, 'original');
  await teardown(loop);
});

test('times are whole milliseconds; Infinity means never', async () => {
  const loop = new Loop();
  const timer = new Timer(loop).start(noop, 1.9, 2.5);
  assert.equal(timer.dueIn, 1);
  assert.equal(timer.repeat, 2);
  timer.start(noop, Infinity);
  assert.ok(timer.dueIn > 2 ** 48);
  await teardown(loop);
});

/** Every operation of each type that must refuse a closing or closed handle. */
function closedOperations(loop: Loop): [string, () => void][] {
  const timer = new Timer(loop).start(noop, 1000);
  const idle = new Idle(loop).start(noop);
  const prepare = new Prepare(loop);
  const check = new Check(loop);
  const async = new Async(loop);
  for (const handle of [timer, idle, prepare, check, async]) handle.close();
  return [
    ['timer.start', () => timer.start(noop, 1)],
    ['timer.stop', () => timer.stop()],
    ['timer.again', () => timer.again()],
    ['timer.repeat', () => (timer.repeat = 1)],
    ['idle.start', () => idle.start(noop)],
    ['idle.stop', () => idle.stop()],
    ['prepare.start', () => prepare.start(noop)],
    ['check.stop', () => check.stop()],
    ['async.send', () => async.send()],
    ['async.sendTarget', () => async.sendTarget],
    ['timer.ref', () => timer.ref()],
    ['idle.unref', () => idle.unref()],
  ];
}

test('operations on a closing or closed handle throw HandleClosedError', async () => {
  const loop = new Loop();
  const operations = closedOperations(loop);
  const check = (when: string): void => {
    for (const [name, operation] of operations) {
      assert.throws(
        operation,
        (error: unknown) => {
          assert.ok(error instanceof HandleClosedError, `${name} ${when}: ${String(error)}`);
          assert.ok(error instanceof UVError);
          assert.equal(error.code, 'EINVAL');
          assert.equal(error.syscall, name);
          return true;
        },
        `${name} ${when}`,
      );
    }
  };
  check('while closing');
  assert.equal(await loop.run('default'), false);
  check('after the close callback');
  assert.deepEqual(loop.handles, []);
  await teardown(loop);
});

test('a closed loop throws LoopClosedError', async () => {
  const loop = new Loop();
  loop.close();
  assert.throws(() => loop.run('default'), uvError('EINVAL', LoopClosedError));
  assert.throws(() => new Timer(loop), LoopClosedError);
  assert.throws(() => new Async(loop), LoopClosedError);
  loop.close(); // idempotent
  // Nothing half-made was left behind by the refused constructors.
  assert.deepEqual(loop.handles, []);
});

test('close() with a live handle is EBUSY, and works after teardown', async () => {
  const loop = new Loop();
  new Timer(loop); // never started, never closed: still counts (rule 2.7)
  assert.throws(() => loop.close(), uvError('EBUSY'));
  assert.equal(loop.closed, false);
  await teardown(loop);
  assert.equal(loop.closed, true);
});
