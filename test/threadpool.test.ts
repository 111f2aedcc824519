/**
 * The thread pool and `queueWork`: libuv's test/test-threadpool.c and the
 * work part of test/test-threadpool-cancel.c (S33–S34), then the
 * rules of docs/semantics.md §8.G that the C tests leave implicit: cancel
 * in every state, completion order in POLL, saturation, liveness, and what
 * crosses the thread boundary.
 *
 * The pool is one per thread, sized at its first job; this file pins it to
 * libuv's default of 4 (the C tests saturate "the 4 threads").
 *
 * Blocking jobs wait on a shared word that the test releases; the loop's
 * thread never blocks on them, so a broken pool fails by timeout instead of
 * hanging the run.
 */
process.env.UV_THREADPOOL_SIZE = '4';

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Async, Loop, Mutex, TCP, Timer, UVError } from '../src/index.js';
import type { Profile } from '../src/index.js';
import { queueWork } from '../src/work/index.js';
import { poolWorkers } from '../src/work/work-request.js';
import type { WorkRequest } from '../src/work/index.js';
import { bothProfiles, errorCode, teardown, uvError } from './helpers.js';

const JOBS = new URL('./fixtures/work-jobs.mjs', import.meta.url);
const POOL_TEST = { timeout: 60_000 };

/** Every gate of the file: a failed test must not leave the pool blocked for the next ones. */
const gates = new Set<Gate>();
afterEach(() => {
  for (const gate of gates) gate.open();
  gates.clear();
});

/**
 * A gate for blocking jobs: `block` (a work function) counts itself in
 * `started` and waits until the test calls `open()`.
 */
class Gate {
  readonly words = new Int32Array(new SharedArrayBuffer(8)); // [0] open, [1] started

  constructor() {
    gates.add(this);
  }

  /** The work function: self-contained, it gets the gate's buffer as its argument. */
  static readonly block = (buffer: SharedArrayBuffer): string => {
    const words = new Int32Array(buffer);
    Atomics.add(words, 1, 1);
    Atomics.notify(words, 1);
    Atomics.wait(words, 0, 0);
    return 'unblocked';
  };

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  get started(): number {
    return Atomics.load(this.words, 1);
  }

  open(): void {
    Atomics.store(this.words, 0, 1);
    Atomics.notify(this.words, 0);
  }

  /** Resolves once `count` blocking jobs run in worker threads (polling, never blocking). */
  async whenStarted(count: number): Promise<void> {
    while (this.started < count) await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Fills the pool's four slots with blocking jobs; their callbacks are counted in `done`. */
function saturate(loop: Loop, gate: Gate, log: string[]): WorkRequest[] {
  return [1, 2, 3, 4].map((n) =>
    queueWork(
      loop,
      Gate.block,
      (_request, result, error) =>
        log.push(`pause${n} ${String(result)} ${(error as UVError | null)?.code ?? 'ok'}`),
      {
        args: [gate.buffer],
      },
    ),
  );
}

function mustNotRun(): never {
  throw new Error('a cancelled work function ran');
}

// ---------------------------------------------------------------- test-threadpool.c

bothProfiles(
  'threadpool_queue_work_simple',
  async (profile) => {
    // S33: the work runs off the loop's thread, once; after_work runs on the
    // loop with status 0 and the same request, whose data is untouched.
    const loop = new Loop({ libuv: profile });
    const data = { value: 42 };
    const seen: unknown[] = [];
    const request = queueWork(loop, { module: JOBS }, (req, result, error) => {
      seen.push(req, result, error, req.data);
    });
    request.data = data;
    assert.equal(request.type, 'work');
    assert.equal(request.active, true);
    assert.equal(loop.alive, true, 'a queued request keeps the loop alive');
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, [request, 'worker', null, data]);
    assert.equal(request.active, false);
    await teardown(loop);
  },
  POOL_TEST,
);

bothProfiles('threadpool_queue_work_einval', async (profile) => {
  // S33: a null work callback: EINVAL in libuv, a wrong type here (P4).
  const loop = new Loop({ libuv: profile });
  let called = 0;
  assert.throws(() => queueWork(loop, null as never, () => called++), TypeError);
  assert.throws(() => queueWork(loop, Math.max as never), TypeError, 'a built-in has no source');
  class Job {
    run(): number {
      return 1;
    }
  }
  assert.throws(() => queueWork(loop, Job as never), TypeError, 'a class is no work function');
  assert.throws(() => queueWork(loop, () => 1, 'x' as never), TypeError);
  assert.throws(() => queueWork(loop, () => 1, null, { args: 1 as never }), TypeError);
  assert.throws(() => queueWork(loop, { module: 'relative.js' }), TypeError);
  assert.equal(loop.alive, false, 'nothing was queued');
  assert.equal(await loop.run(), false);
  assert.equal(called, 0);
  await teardown(loop);
});

// ---------------------------------------------------------------- test-threadpool-cancel.c

bothProfiles(
  'threadpool_cancel_work',
  async (profile) => {
    // S34: 16 requests behind a saturated pool are cancelled from a 10 ms
    // timer, which then closes itself and opens the gate.
    const loop = new Loop({ libuv: profile });
    const gate = new Gate();
    const log: string[] = [];
    saturate(loop, gate, log);
    let canceledCalls = 0;
    const requests = Array.from({ length: 16 }, () =>
      queueWork(loop, mustNotRun, (_request, result, error) => {
        assert.equal(result, undefined);
        assert.ok(error instanceof UVError);
        assert.equal(error.code, 'ECANCELED');
        canceledCalls++;
      }),
    );
    let timerCalls = 0;
    new Timer(loop).start((timer) => {
      timerCalls++;
      for (const request of requests) request.cancel();
      timer.close();
      gate.open();
    }, 10);
    assert.equal(await loop.run(), false);
    assert.equal(timerCalls, 1);
    assert.equal(canceledCalls, 16);
    assert.deepEqual(
      log.sort(),
      [1, 2, 3, 4].map((n) => `pause${n} unblocked ok`),
    );
    await teardown(loop);
  },
  POOL_TEST,
);

bothProfiles(
  'threadpool_cancel_single',
  async (profile) => {
    // S34: cancel before the run: no callback yet, then ECANCELED once.
    const loop = new Loop({ libuv: profile });
    const gate = new Gate();
    const log: string[] = [];
    saturate(loop, gate, log);
    const request = queueWork(loop, mustNotRun, (_request, _result, error) =>
      log.push(`after ${(error as UVError | null)?.code ?? 'ok'}`),
    );
    request.cancel();
    assert.equal(log.length, 0, 'the callback is not called synchronously');
    assert.equal(request.canceled, true);
    gate.open();
    assert.equal(await loop.run(), false);
    assert.equal(log.filter((line) => line.startsWith('after')).join(), 'after ECANCELED');
    await teardown(loop);
  },
  POOL_TEST,
);

bothProfiles(
  'threadpool_cancel_when_busy',
  async (profile) => {
    // S34: once the work has started, cancel() is EBUSY and after_work gets 0.
    const loop = new Loop({ libuv: profile });
    const gate = new Gate();
    const statuses: string[] = [];
    const request = queueWork(
      loop,
      Gate.block,
      (_request, result, error) =>
        statuses.push(`${String(result)} ${(error as UVError | null)?.code ?? 'ok'}`),
      {
        args: [gate.buffer],
      },
    );
    await gate.whenStarted(1);
    assert.throws(() => request.cancel(), uvError('EBUSY'));
    gate.open();
    assert.equal(await loop.run(), false);
    assert.deepEqual(statuses, ['unblocked ok']);
    await teardown(loop);
  },
  POOL_TEST,
);

// ---------------------------------------------------------------- cancel in every state (rule 8.38)

bothProfiles(
  'cancel: a slot takes a job at once, so a job behind a free slot is already EBUSY',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const request = queueWork(loop, () => 1);
    assert.throws(() => request.cancel(), uvError('EBUSY'));
    await loop.run();
    await teardown(loop);
  },
  POOL_TEST,
);

bothProfiles(
  'cancel: twice returns twice and calls back once; done but not called back is EBUSY; after the callback EBUSY',
  async (profile) => {
    // luv 1.44.2 and 1.52.1: a second uv_cancel of a cancelled request
    // returns 0 again (libuv re-queues its completion); a request that ran
    // but whose callback has not run yet is EBUSY.
    const loop = new Loop({ libuv: profile });
    const gate = new Gate();
    const log: string[] = [];
    saturate(loop, gate, log);
    const twice = queueWork(loop, mustNotRun, (_r, _v, error) =>
      log.push(`twice ${(error as UVError | null)?.code ?? 'ok'}`),
    );
    twice.cancel();
    twice.cancel();
    gate.open();
    // Run until the blocking jobs are back, without calling back the next one.
    assert.equal(await loop.run(), false);
    assert.deepEqual(
      log.filter((line) => line.startsWith('twice')),
      ['twice ECANCELED'],
    );
    assert.throws(() => twice.cancel(), uvError('EBUSY'), 'its callback has run');

    const finished = queueWork(
      loop,
      () => 'ran',
      (_r, value) => log.push(`finished ${String(value)}`),
    );
    // Let the job end while the loop is not running: its completion waits in
    // the loop's done list (the pool's state says so) for the next POLL.
    while (finished.poolState !== 'done') await new Promise((resolve) => setTimeout(resolve, 2));
    assert.equal(finished.active, true, 'its callback has not run');
    assert.throws(() => finished.cancel(), uvError('EBUSY'));
    await loop.run();
    assert.ok(log.includes('finished ran'));
    await teardown(loop);
  },
  POOL_TEST,
);

bothProfiles('cancel: requests that are not pool requests say EINVAL', async (profile) => {
  // luv: uv.cancel(write_req) is EINVAL.
  const loop = new Loop({ libuv: profile });
  const tcp = new TCP(loop);
  const connect = tcp.connect('127.0.0.1', 9, () => tcp.close());
  assert.equal(
    errorCode(() => connect.cancel()),
    'EINVAL',
  );
  await loop.run();
  await teardown(loop);
});

// ---------------------------------------------------------------- POLL delivery (rules 1.21, 8.36)

bothProfiles(
  'a cancelled request calls back in the next POLL, before user async handles',
  async (profile: Profile) => {
    // luv: cancel(statB) then a user async send: statB(ECANCELED) and then
    // user_async in the same POLL, thread-pool completions first.
    const loop = new Loop({ libuv: profile });
    const gate = new Gate();
    const log: string[] = [];
    const async = new Async(loop, (handle) => {
      log.push('user async');
      handle.close();
    });
    saturate(loop, gate, log);
    const request = queueWork(loop, mustNotRun, (_r, _v, error) =>
      log.push(`work ${(error as UVError | null)?.code ?? 'ok'}`),
    );
    request.cancel();
    async.send();
    try {
      await loop.run('once');
      assert.deepEqual(log, ['work ECANCELED', 'user async'], 'both in the first POLL');
    } finally {
      gate.open();
    }
    await loop.run();
    await teardown(loop);
  },
  POOL_TEST,
);

bothProfiles(
  'saturation: at most UV_THREADPOOL_SIZE jobs run at once, the rest wait in FIFO order',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const gate = new Gate();
    const log: string[] = [];
    saturate(loop, gate, log);
    const order: number[] = [];
    for (let n = 1; n <= 3; n++)
      queueWork(
        loop,
        (x: number) => x,
        (_r, value) => order.push(value as number),
        { args: [n] },
      );
    try {
      await gate.whenStarted(4);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(gate.started, 4, 'a fifth job did not start');
    } finally {
      gate.open();
    }
    assert.equal(await loop.run(), false);
    assert.equal(log.length, 4);
    assert.deepEqual(order.sort(), [1, 2, 3]);
    await teardown(loop);
  },
  POOL_TEST,
);

bothProfiles(
  'a request keeps the loop alive and loop.close() busy until its callback',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    let alive: boolean | null = null;
    queueWork(
      loop,
      () => 1,
      () => {
        alive = loop.alive;
      },
    );
    assert.throws(() => loop.close(), uvError('EBUSY'));
    assert.equal(await loop.run(), false);
    assert.equal(alive, false, 'inside its callback the request no longer counts (rule 2.3)');
    await teardown(loop);
  },
  POOL_TEST,
);

// ---------------------------------------------------------------- what crosses the thread

test(
  'work functions: module exports, async functions, arguments and results',
  POOL_TEST,
  async () => {
    const loop = new Loop();
    const results: unknown[] = [];
    const collect = (_request: WorkRequest, result: unknown, error: Error | null): void => {
      results.push(error === null ? result : `${error.name}: ${error.message}`);
    };
    queueWork(loop, { module: JOBS, name: 'double' }, collect, { args: [21] });
    queueWork(loop, { module: JOBS.href, name: 'notAFunction' }, collect);
    queueWork(
      loop,
      async (ms: number) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return { map: new Map([[1, 'one']]), bytes: new Uint8Array([1, 2]) };
      },
      collect,
      { args: [5] },
    );
    queueWork(loop, () => () => 1, collect);
    await loop.run();
    assert.equal(results.length, 4);
    assert.ok(results.includes(42));
    assert.ok(
      results.some(
        (value) => typeof value === 'string' && /has no function export 'notAFunction'/.test(value),
      ),
    );
    assert.ok(
      results.some((value) => typeof value === 'string' && value.startsWith('DataCloneError')),
    );
    const cloned = results.find((value) => typeof value === 'object') as {
      map: Map<number, string>;
      bytes: Uint8Array;
    };
    assert.equal(cloned.map.get(1), 'one');
    assert.deepEqual([...cloned.bytes], [1, 2]);
    await teardown(loop);
  },
);

test(
  'errors thrown by work come back as errors of the same class, with their properties',
  POOL_TEST,
  async () => {
    const loop = new Loop();
    const errors: Error[] = [];
    const collect = (_request: WorkRequest, _result: unknown, error: Error | null): void => {
      if (error !== null) errors.push(error);
    };
    queueWork(
      loop,
      () => {
        const error = new RangeError('out of range') as RangeError & { code: string };
        error.code = 'E_RANGE';
        throw error;
      },
      collect,
    );
    queueWork(
      loop,
      () => {
        throw 'a string';
      },
      collect,
    );
    await loop.run();
    const range = errors.find((error) => error instanceof RangeError) as RangeError & {
      code: string;
    };
    assert.ok(range !== undefined);
    assert.equal(range.message, 'out of range');
    assert.equal(range.code, 'E_RANGE');
    assert.match(range.stack ?? '', /out of range/);
    assert.ok(errors.some((error) => error.message === 'a string'));
    await teardown(loop);
  },
);

test('a work function that uses its closure fails clearly', POOL_TEST, async () => {
  const loop = new Loop();
  const outside = 7;
  let failure: Error | null = null;
  queueWork(
    loop,
    () => outside * 2,
    (_request, _result, error) => {
      failure = error;
    },
  );
  await loop.run();
  assert.ok(failure !== null);
  const error = failure as Error;
  assert.ok(error instanceof ReferenceError);
  assert.match(error.message, /uses 'outside', which does not exist in the worker thread/);
  assert.match(error.message, /keeps no closure/);
  await teardown(loop);
});

test('a worker that dies fails its job; the pool goes on', POOL_TEST, async () => {
  const loop = new Loop();
  const results: string[] = [];
  queueWork(
    loop,
    () => process.exit(3),
    (_request, _result, error) => results.push(error?.message ?? 'ok'),
  );
  await loop.run();
  queueWork(
    loop,
    () => 'still working',
    (_request, result) => results.push(String(result)),
  );
  await loop.run();
  assert.match(results[0] ?? '', /exited with code 3/);
  assert.equal(results[1], 'still working');
  await teardown(loop);
});

test('transferred arguments and results move instead of being copied', POOL_TEST, async () => {
  const loop = new Loop();
  const input = new ArrayBuffer(1024);
  let output: ArrayBuffer | null = null;
  queueWork(
    loop,
    (buffer: ArrayBuffer) => {
      new Uint8Array(buffer)[0] = 7;
      return { [Symbol.for('uvts.transfer')]: [buffer], value: buffer };
    },
    (_request, result) => {
      output = result as ArrayBuffer;
    },
    { args: [input], transfer: [input] },
  );
  assert.equal(input.byteLength, 0, 'the argument moved to the worker');
  await loop.run();
  assert.ok(output !== null);
  assert.equal((output as ArrayBuffer).byteLength, 1024);
  assert.equal(new Uint8Array(output as ArrayBuffer)[0], 7);
  await teardown(loop);
});

test(
  'a Mutex passed to queueWork arrives as the same lock; a UVError thrown there comes back as one',
  POOL_TEST,
  async () => {
    const loop = new Loop();
    const mutex = new Mutex();
    mutex.lock();
    const outcome: unknown[] = [];
    queueWork(
      loop,
      (holder: { nested: Mutex[] }) => {
        const lock = holder.nested[0] as Mutex; // primitives are found inside plain objects and arrays too
        const name = lock.constructor.name;
        try {
          lock.tryLock();
          return `${name} was free`;
        } catch (error) {
          if ((error as { code?: string }).code !== 'EBUSY') throw error;
        }
        lock.unlock(); // not held by this thread: EPERM
        return 'unreachable';
      },
      (_request, result, error) => outcome.push(result, error),
      { args: [{ nested: [mutex] }] },
    );
    await loop.run();
    mutex.unlock();
    const [result, error] = outcome;
    assert.equal(result, undefined);
    assert.ok(error instanceof UVError, `expected a UVError, got ${String(error)}`);
    assert.equal(error.code, 'EPERM');
    await teardown(loop);
  },
);

test("the pool's workers end when the last loop that used it closes", POOL_TEST, async () => {
  const first = new Loop();
  const second = new Loop();
  queueWork(first, () => 1);
  queueWork(second, () => 2);
  await first.run();
  await second.run();
  const workers = poolWorkers();
  assert.ok(workers.count > 0, 'work started workers');
  first.close();
  assert.ok(workers.count > 0, 'another open loop used the pool');
  second.close();
  assert.equal(workers.count, 0);
  // The next job starts a worker again.
  const third = new Loop();
  let result: unknown = null;
  queueWork(
    third,
    () => 3,
    (_request, value) => {
      result = value;
    },
  );
  await third.run();
  assert.equal(result, 3);
  await teardown(third);
});
