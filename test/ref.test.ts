/**
 * libuv's "Ref / active / close / walk" tests that need no I/O handle
 * (test-ref.c, test-active.c, test-walk-handles.c), with libuv's names, in
 * both profiles, with the fs_event, fs_poll and getters_setters ones. The
 * TCP ones (tcp_ref…tcp_ref4) live in tcp-ref.test.ts, the UDP ones in
 * udp.test.ts, process_ref in process.test.ts. Close order and the §2 rules
 * are in close.test.ts.
 */
import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import {
  Async,
  Check,
  FSEvent,
  FSPoll,
  fs,
  Idle,
  Loop,
  Pipe,
  Prepare,
  Timer,
} from '../src/index.js';
import type { LoopHandle } from '../src/index.js';
import { bothProfiles, teardown, traceLines } from './helpers.js';

const fail = (): void => assert.fail('callback must not run');

/** libuv's do_close(): the close callback is not called synchronously, only by run(). */
async function doClose(loop: Loop, handle: LoopHandle): Promise<void> {
  let closeCalls = 0;
  handle.close(() => closeCalls++);
  assert.equal(closeCalls, 0);
  assert.equal(await loop.run('default'), false);
  assert.equal(closeCalls, 1);
}

/** run(DEFAULT) on a loop kept only by unref'd handles: returns at once, no iteration. */
async function runReturnsAtOnce(loop: Loop): Promise<void> {
  const lines = traceLines(loop);
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(lines, ['run default', 'return false']);
  loop.tracer = null;
}

bothProfiles('ref', async (profile) => {
  const loop = new Loop({ libuv: profile });
  await runReturnsAtOnce(loop);
  await teardown(loop);
});

for (const [name, Kind] of [
  ['idle_ref', Idle],
  ['prepare_ref', Prepare],
  ['check_ref', Check],
] as const) {
  bothProfiles(name, async (profile) => {
    const loop = new Loop({ libuv: profile });
    const handle = new Kind(loop).start(fail);
    handle.unref();
    await runReturnsAtOnce(loop);
    await doClose(loop, handle);
    await teardown(loop);
  });
}

bothProfiles('async_ref', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const handle = new Async(loop, fail);
  assert.equal(handle.active, true, 'an async handle is active from creation');
  handle.unref();
  await runReturnsAtOnce(loop);
  await doClose(loop, handle);
  await teardown(loop);
});

bothProfiles('unref_in_prepare_cb', async (profile) => {
  // Unref inside a callback counts for the same iteration: nothing keeps
  // the loop alive, so POLL gets timeout 0 and run() returns.
  const loop = new Loop({ libuv: profile });
  let prepareCalls = 0;
  const prepare = new Prepare(loop).start((self) => {
    prepareCalls++;
    self.unref();
  });
  const timeouts: number[] = [];
  loop.tracer = (event) => {
    if (event.type === 'poll-start') timeouts.push(event.timeout);
  };
  assert.equal(await loop.run('default'), false);
  assert.equal(prepareCalls, 1);
  assert.deepEqual(timeouts, [0]);
  loop.tracer = null;
  await doClose(loop, prepare);
  await teardown(loop);
});

bothProfiles('timer_ref', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const timer = new Timer(loop);
  timer.unref();
  await runReturnsAtOnce(loop);
  await doClose(loop, timer);
  await teardown(loop);
});

bothProfiles('timer_ref2', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const timer = new Timer(loop).start(fail, 42, 42);
  timer.unref();
  await runReturnsAtOnce(loop);
  await doClose(loop, timer);
  await teardown(loop);
});

bothProfiles('has_ref', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const idle = new Idle(loop);
  idle.ref();
  assert.equal(idle.hasRef(), true);
  assert.equal(idle.referenced, true);
  idle.unref();
  assert.equal(idle.hasRef(), false);
  assert.equal(idle.referenced, false);
  await teardown(loop);
});

bothProfiles('active', async (profile) => {
  // S11
  const loop = new Loop({ libuv: profile });
  const timer = new Timer(loop);
  const state = (): [boolean, boolean] => [timer.active, timer.closing];
  assert.deepEqual(state(), [false, false]);
  timer.start(fail, 1000);
  assert.deepEqual(state(), [true, false]);
  timer.stop();
  assert.deepEqual(state(), [false, false]);
  timer.start(fail, 1000);
  assert.deepEqual(state(), [true, false]);
  let closeCalls = 0;
  timer.close(() => closeCalls++);
  assert.deepEqual(state(), [false, true]);
  assert.equal(await loop.run('default'), false);
  assert.equal(closeCalls, 1);
  await teardown(loop);
});

bothProfiles('walk_handles', async (profile) => {
  // S12: the walk visits the timer once, inside its own callback; after
  // the close phase it is gone.
  const loop = new Loop({ libuv: profile });
  const cookie = { magic: 0x01234567 };
  let seen = 0;
  const walker =
    (expected: LoopHandle | null) =>
    (handle: LoopHandle): void => {
      assert.equal(handle, expected);
      assert.equal(cookie.magic, 0x01234567);
      seen++;
    };
  const timer = new Timer(loop);
  timer.start((self) => {
    loop.walk(walker(self));
    assert.equal(seen, 1);
    self.close();
  }, 1);
  assert.equal(await loop.run('default'), false);
  assert.equal(seen, 1);
  seen = 0;
  loop.walk(walker(null));
  assert.equal(seen, 0);
  await teardown(loop);
});

bothProfiles('fs_event_ref', async (profile) => {
  // An unref'd watcher of "." leaves the loop dead: run returns at once.
  const loop = new Loop({ libuv: profile });
  const watcher = new FSEvent(loop);
  watcher.start('.', 0, fail);
  watcher.unref();
  await runReturnsAtOnce(loop);
  assert.equal(watcher.active, true);
  await doClose(loop, watcher);
  await teardown(loop);
});

bothProfiles('fs_poll_ref', async (profile) => {
  // An unref'd poller is not what keeps the loop alive, but its first stat
  // is a request, and requests count (rule 2.3): run returns once that stat
  // is back. The first stat only records a baseline, so no callback runs.
  const loop = new Loop({ libuv: profile });
  const poller = new FSPoll(loop);
  poller.start('.', fail, 999);
  poller.unref();
  assert.equal(loop.alive, true, 'the first stat is in flight');
  assert.equal(await loop.run('default'), false);
  assert.equal(poller.active, true);
  await doClose(loop, poller);
  await teardown(loop);
});

// udp_ref, udp_ref2 and udp_ref3 are ported with the UDP tests
// (test/udp.test.ts); process_ref with the process tests (test/process.test.ts).

bothProfiles('getters_setters', async (profile) => {
  // libuv's test-getters-setters.c: the accessors of a loop, a handle, a
  // stream and an fs request.
  const loop = new Loop({ libuv: profile });
  const cookie1 = { name: 'cookie1' };
  const cookie2 = { name: 'cookie2' };
  loop.data = cookie1;
  assert.equal(loop.data, cookie1);

  const pipe = new Pipe(loop);
  assert.equal(pipe.type, 'pipe');
  assert.equal(pipe.loop, loop);
  pipe.data = cookie2;
  assert.equal(pipe.data, cookie2);
  pipe.data = cookie1;
  assert.equal(pipe.data, cookie1);
  assert.equal(pipe.writeQueueSize, 0);
  pipe.close();
  assert.equal(await loop.run('default'), false);
  let handles = 0;
  loop.walk(() => handles++);
  assert.equal(handles, 0, 'the closed pipe is gone from the loop');

  let statResult: fs.Stat | undefined;
  const request = fs.stat(loop, '.', (_request, result) => {
    statResult = result;
  });
  assert.equal(await loop.run('default'), false);
  assert.equal(request.fsType, 'stat');
  assert.equal(request.error, null);
  assert.equal(request.path, '.');
  assert.ok(statResult !== undefined);
  assert.equal(request.result, statResult, 'the request holds the stat it passed');
  assert.equal(statResult.mode & constants.S_IFMT, constants.S_IFDIR);
  await teardown(loop);
});
