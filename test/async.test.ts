/**
 * Async handles: libuv's `async` and `async_null_cb` (test-async.c,
 * test-async-null-cb.c) with a real worker thread calling `sendAsync()`, then
 * the rules of docs/semantics.md §5 (coalescing, delivery in POLL, init order,
 * close) on one thread.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { Async, Check, HandleClosedError, Loop, Prepare, sendAsync } from '../src/index.js';
import type { AsyncSendTarget } from '../src/index.js';
import type { AsyncWorkerData } from './fixtures/async-sender.worker.js';
import { bothProfiles, teardown, traceCallbacks, tsWorker, uvError } from './helpers.js';

const WORKER = new URL('./fixtures/async-sender.worker.ts', import.meta.url);
/** A hang (a worker that never sends) fails the test instead of blocking the run. */
const WORKER_TEST = { timeout: 60_000 };

/** Workers not yet exited; a test that fails half-way must not leave one running. */
const liveWorkers = new Set<Worker>();
after(async () => {
  for (const worker of liveWorkers) await worker.terminate();
});

function startWorker(data: AsyncWorkerData): Worker {
  const worker = tsWorker(WORKER, data);
  liveWorkers.add(worker);
  worker.on('exit', () => liveWorkers.delete(worker));
  return worker;
}

async function joinWorker(worker: Worker | null): Promise<void> {
  assert.ok(worker !== null, 'the worker was started');
  const [code] = (await once(worker, 'exit')) as [number];
  assert.equal(code, 0);
}

bothProfiles(
  'async',
  async (profile) => {
    // S31: the main thread "holds the mutex" (lock = 1) until the first
    // prepare callback has started the worker. The worker sends until it sees
    // the callback count reach 3; the third callback closes async and
    // prepare, so exactly three callbacks run however many sends coalesce.
    const loop = new Loop({ libuv: profile });
    const lock = new Int32Array(new SharedArrayBuffer(4));
    const counter = new Int32Array(new SharedArrayBuffer(4));
    lock[0] = 1;
    let prepareCalls = 0;
    let asyncCalls = 0;
    let closeCalls = 0;
    let worker: Worker | null = null;
    let workerError: unknown = null;
    const closeCallback = (): void => {
      closeCalls++;
    };
    const prepare = new Prepare(loop);
    const async = new Async(loop, (handle) => {
      if (workerError !== null) {
        handle.close();
        prepare.close();
        return;
      }
      const n = ++asyncCalls;
      Atomics.store(counter, 0, n);
      Atomics.notify(counter, 0);
      if (n === 3) {
        handle.close(closeCallback);
        prepare.close(closeCallback);
      }
    });
    prepare.start(() => {
      if (prepareCalls++ > 0) return;
      worker = startWorker({
        mode: 'until',
        target: async.sendTarget,
        lock: lock.buffer as SharedArrayBuffer,
        counter: counter.buffer as SharedArrayBuffer,
        limit: 3,
      });
      worker.on('error', (error: unknown) => {
        // Wake the loop from this thread so the test fails instead of hanging.
        workerError = error;
        if (!async.closing) async.send();
      });
      Atomics.store(lock, 0, 0);
      Atomics.notify(lock, 0);
    });

    assert.equal(await loop.run('default'), false);
    assert.equal(workerError, null);
    assert.equal(asyncCalls, 3);
    assert.ok(prepareCalls >= 1);
    assert.equal(closeCalls, 2);
    await joinWorker(worker);
    await teardown(loop);
  },
  WORKER_TEST,
);

bothProfiles(
  'async_null_cb',
  async (profile) => {
    // S32: a send on an async handle without a callback only wakes POLL.
    const loop = new Loop({ libuv: profile });
    let checkCalls = 0;
    let workerError: unknown = null;
    const async = new Async(loop, null);
    const check = new Check(loop).start(() => {
      assert.equal(checkCalls, 0);
      async.close();
      check.close();
      checkCalls++;
    });
    const worker = startWorker({ mode: 'once', target: async.sendTarget });
    worker.on('error', (error: unknown) => {
      workerError = error;
      if (!async.closing) async.send();
    });
    assert.equal(await loop.run('default'), false);
    assert.equal(workerError, null);
    assert.equal(checkCalls, 1);
    await joinWorker(worker);
    await teardown(loop);
  },
  WORKER_TEST,
);

test('rule 5.2: sends from another thread coalesce into one callback', WORKER_TEST, async () => {
  const loop = new Loop();
  let calls = 0;
  const async = new Async(loop, () => calls++);
  await joinWorker(startWorker({ mode: 'burst', count: 50, target: async.sendTarget }));
  assert.equal(await loop.run('nowait'), true);
  assert.equal(calls, 1);
  assert.equal(await loop.run('nowait'), true);
  assert.equal(calls, 1, 'nothing left pending');
  await teardown(loop);
});

// ---------------------------------------------------------------- one thread

bothProfiles(
  'rules 5.2/5.4: sends before a dispatch coalesce; a send in the callback is a new one',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const log: string[] = [];
    let calls = 0;
    const async = new Async(loop, (handle) => {
      log.push('a');
      // The pending mark was cleared before the callback: this send counts,
      // for a later POLL (the current walk is over).
      if (++calls === 1) handle.send();
    });
    new Check(loop).start(() => log.push('c'));
    async.send();
    async.send();
    async.send();
    assert.equal(await loop.run('nowait'), true);
    assert.deepEqual(log.splice(0), ['a', 'c']);
    assert.equal(await loop.run('nowait'), true);
    assert.deepEqual(log.splice(0), ['a', 'c']);
    assert.equal(await loop.run('nowait'), true);
    assert.deepEqual(log.splice(0), ['c']);
    await teardown(loop);
  },
);

bothProfiles(
  'rule 5.3: pending handles run in init order; closed ones are skipped; new ones wait',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const log: string[] = [];
    let late: Async | null = null;
    const second = new Async(loop, () => log.push('second'));
    const first = new Async(loop, () => {
      log.push('first');
      third.close();
      late = new Async(loop, () => log.push('late'));
      late.send();
    });
    const third = new Async(loop, () => log.push('third'));
    third.send();
    second.send();
    first.send();
    assert.equal(await loop.run('nowait'), true);
    // Creation order, not send order; `third` was closed (pending) before its turn.
    assert.deepEqual(log.splice(0), ['second', 'first']);
    assert.equal(await loop.run('nowait'), true);
    assert.deepEqual(log, ['late'], 'a handle created during the walk waits for the next POLL');
    await teardown(loop);
  },
);

bothProfiles(
  'rule 5.5: a send from PREPARE is delivered in the same POLL, from CHECK in the next',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const order = traceCallbacks(loop);
    const async = new Async(loop, () => {});
    let prepareCalls = 0;
    let checkCalls = 0;
    const prepare = new Prepare(loop).start(() => {
      if (prepareCalls++ === 0) async.send();
    });
    const check = new Check(loop).start(() => {
      if (checkCalls++ === 0) async.send();
    });
    assert.equal(await loop.run('nowait'), true);
    assert.equal(await loop.run('nowait'), true);
    const [p, a, c] = [`prepare#${prepare.id}`, `async#${async.id}`, `check#${check.id}`];
    assert.deepEqual(order, [p, a, c, p, a, c]);
    await teardown(loop);
  },
);

bothProfiles('rule 5.7: close drops a pending send', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const log: string[] = [];
  const async = new Async(loop, () => log.push('async'));
  const target: AsyncSendTarget = async.sendTarget;
  async.send();
  async.close(() => log.push('closed'));
  assert.equal(await loop.run('default'), false);
  assert.deepEqual(log, ['closed']);
  // A send through the target of a closed handle does nothing.
  sendAsync(target);
  assert.equal(loop.alive, false);
  assert.throws(() => async.send(), uvError('EINVAL', HandleClosedError));
  assert.throws(() => async.sendTarget, HandleClosedError);
  await teardown(loop);
});

test('async: active and ref from creation; bad arguments', async () => {
  const loop = new Loop();
  const async = new Async(loop);
  assert.equal(async.active, true);
  assert.equal(loop.alive, true, 'a ref async handle keeps the loop alive forever');
  assert.throws(() => new Async(loop, 42 as unknown as () => void), TypeError);
  assert.deepEqual(
    loop.handles,
    [async],
    'a failed constructor leaves no handle behind (rule 2.9)',
  );
  assert.throws(() => sendAsync({} as AsyncSendTarget), TypeError);
  assert.throws(() => sendAsync(null as unknown as AsyncSendTarget), TypeError);
  const target = async.sendTarget;
  assert.equal(target.kind, 'uvts.async-send-target');
  assert.ok(Object.isFrozen(target));
  await teardown(loop);
});
