/**
 * The tracer: the exact event objects a small program produces, in both
 * profiles — run-start, iteration, phases, poll-start (timeout, waits),
 * poll-end (dispatched, now), callbacks (phase, kind, handle) and run-end
 * (result, reason). Only the clock values vary from run to run; they are
 * checked for type and order and then replaced by `NOW`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Async, Loop, Timer } from '../src/index.js';
import type { TraceEvent } from '../src/index.js';
import { bothProfiles, teardown } from './helpers.js';

const NOW = 'NOW';

/** Records events with their `now` values checked (non-decreasing, = loop time) and masked. */
function record(loop: Loop): object[] {
  const events: object[] = [];
  let last = -Infinity;
  loop.tracer = (event: TraceEvent) => {
    if ('now' in event) {
      assert.equal(typeof event.now, 'number');
      assert.ok(event.now >= last, 'now never goes back');
      assert.equal(event.now, loop.now(), 'the event carries the cached time');
      last = event.now;
      events.push({ ...event, now: NOW });
    } else {
      events.push({ ...event });
    }
  };
  return events;
}

/** True when `events` holds an event deep-equal to `expected`. */
const includes = (events: object[], expected: object): boolean =>
  events.some((event) => isDeepStrictEqual(event, expected));

const phase = (name: string, detail?: string): object =>
  detail === undefined ? { type: 'phase', phase: name } : { type: 'phase', phase: name, detail };

bothProfiles('trace: a timer that closes itself', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const timer = new Timer(loop).start((self) => self.close(() => {}), 0);
  const events = record(loop);
  assert.equal(await loop.run('default'), false);
  const id = timer.id;
  const timerCallback = {
    type: 'callback',
    phase: 'timers',
    kind: 'timer',
    handleType: 'timer',
    handleId: id,
  };
  const iterationBody = [
    phase('pending'),
    phase('idle'),
    phase('prepare'),
    phase('poll'),
    { type: 'poll-start', timeout: 0, waits: false },
    { type: 'poll-end', dispatched: 0, now: NOW },
    phase('check'),
    phase('closing'),
    { type: 'callback', phase: 'closing', kind: 'close', handleType: 'timer', handleId: id },
  ];
  const start = { type: 'run-start', mode: 'default', alive: true };
  const end = { type: 'run-end', result: false, reason: 'not-alive' };
  const iteration = { type: 'iteration', iteration: 1, now: NOW };
  assert.deepEqual(
    events,
    profile === '1.44'
      ? [start, iteration, phase('timers'), timerCallback, ...iterationBody, end]
      : [
          start,
          phase('timers', 'start-of-run'),
          timerCallback,
          iteration,
          ...iterationBody,
          phase('timers', 'end-of-iteration'),
          end,
        ],
  );
  await teardown(loop);
});

bothProfiles('trace: POLL waits, dispatches an async send, and ends by mode', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const async = new Async(loop, () => {});
  const events = record(loop);
  // Nothing pending: ONCE would block forever (timeout -1), so send first
  // and watch POLL return at once with one dispatched wake-up.
  async.send();
  assert.equal(await loop.run('once'), true);
  const polls = events.filter((event) => 'type' in event && String(event.type).startsWith('poll'));
  assert.deepEqual(polls, [
    { type: 'poll-start', timeout: -1, waits: false },
    { type: 'poll-end', dispatched: 1, now: NOW },
  ]);
  assert.deepEqual(events.at(-1), { type: 'run-end', result: true, reason: 'mode' });
  assert.ok(
    includes(events, {
      type: 'callback',
      phase: 'poll',
      kind: 'async',
      handleType: 'async',
      handleId: async.id,
    }),
  );

  // A timer bounds a POLL that really waits.
  events.length = 0;
  const timer = new Timer(loop).start(() => {}, 100);
  async.unref();
  assert.equal(await loop.run('default'), false);
  const start = events.find((event) => (event as { type: string }).type === 'poll-start') as {
    timeout: number;
    waits: boolean;
  };
  assert.equal(start.waits, true);
  assert.ok(start.timeout > 0 && start.timeout <= 100);
  assert.ok(
    includes(events, {
      type: 'callback',
      phase: 'timers',
      kind: 'timer',
      handleType: 'timer',
      handleId: timer.id,
    }),
  );
  await teardown(loop);
});

test('trace: run-end reasons and the empty run', async () => {
  const loop = new Loop();
  const events = record(loop);
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(events.splice(0), [
    { type: 'run-start', mode: 'default', alive: false },
    { type: 'run-end', result: false, reason: 'not-alive' },
  ]);
  new Timer(loop).start(() => loop.stop(), 0, 1000);
  assert.equal(await loop.run('default'), true);
  assert.deepEqual(events.at(-1), { type: 'run-end', result: true, reason: 'stopped' });
  // Without a tracer nothing is reported (and nothing breaks).
  loop.tracer = null;
  events.length = 0;
  assert.equal(await loop.run('nowait'), true);
  assert.deepEqual(events, []);
  await teardown(loop);
});
