/**
 * Thread primitives: libuv's test-mutexes.c, test-barrier.c,
 * test-condvar.c and test-semaphore.c, with a real worker
 * thread as the `uv_thread_create`d peer, then stress from four workers
 * and the misuse uvts reports instead of deadlocking (docs/deviations.md,
 * T1).
 *
 * The loop's thread blocks in some of these tests, as the C tests' main
 * thread does. A blocked thread cannot be interrupted by a test timeout, so
 * a watchdog thread kills the process if a test blocks far too long: a
 * broken primitive fails the run instead of hanging it.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, beforeEach, afterEach, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import {
  Barrier,
  Condition,
  Mutex,
  Once,
  RWLock,
  Semaphore,
  ThreadLocalKey,
} from '../src/thread/index.js';
import { sleep } from '../src/util/time.js';
import type { PeerData } from './fixtures/thread-peer.worker.js';
import { errorCode, tsWorker, uvError } from './helpers.js';

const PEER = new URL('./fixtures/thread-peer.worker.ts', import.meta.url);
const WORKER_TEST = { timeout: 120_000 };

// ---------------------------------------------------------------- harness

/** A thread that kills the process if the armed word is not cleared within 60 s. */
const watchdogWord = new Int32Array(new SharedArrayBuffer(4));
const watchdog = new Worker(
  `const { workerData } = require('node:worker_threads');
   const word = new Int32Array(workerData);
   for (;;) {
     Atomics.wait(word, 0, 0);
     if (Atomics.wait(word, 0, 1, 60000) === 'timed-out') {
       process.stderr.write('thread.test.ts: a test blocked for 60 s; killing the process\\n');
       process.kill(process.pid, 'SIGKILL');
     }
   }`,
  { eval: true, workerData: watchdogWord.buffer },
);
watchdog.unref();
beforeEach(() => {
  Atomics.store(watchdogWord, 0, 1);
  Atomics.notify(watchdogWord, 0);
});
afterEach(() => {
  Atomics.store(watchdogWord, 0, 0);
  Atomics.notify(watchdogWord, 0);
});

const live = new Set<Worker>();
after(async () => {
  for (const worker of live) await worker.terminate();
  await watchdog.terminate();
});

/** Starts the peer thread on `scenario` and resolves once it has started running it. */
async function peer(data: PeerData): Promise<Worker> {
  const worker = tsWorker(PEER, data);
  live.add(worker);
  worker.on('exit', () => live.delete(worker));
  await once(worker, 'message');
  return worker;
}

/** Runs one peer per element of `variants`, each with `data(variant)`, and waits for all to end. */
async function runPeers<V>(variants: readonly V[], data: (variant: V) => PeerData): Promise<void> {
  const workers = await Promise.all(variants.map((variant) => peer(data(variant))));
  for (const worker of workers) await join(worker);
}

const FOUR = [1, 2, 3, 4] as const;

/** Waits for the peer to end and fails the test if it threw. */
async function join(worker: Worker): Promise<void> {
  const errors: unknown[] = [];
  worker.on('error', (error) => errors.push(error));
  if (live.has(worker)) await once(worker, 'exit');
  if (errors.length > 0) throw errors[0];
}

/**
 * Polls `word[index]` without blocking the thread until it equals `value`
 * (a timer per turn: a pending `Atomics.waitAsync` alone would not keep
 * Node's event loop alive).
 */
async function until(word: Int32Array, index: number, value: number): Promise<void> {
  while (Atomics.load(word, index) !== value)
    await new Promise((resolve) => setTimeout(resolve, 1));
}

const shared = (words: number): Int32Array => new Int32Array(new SharedArrayBuffer(words * 4));

// ---------------------------------------------------------------- test-mutexes.c

test('thread_mutex', () => {
  const mutex = new Mutex();
  mutex.lock();
  mutex.unlock();
});

test('thread_mutex_recursive', () => {
  const mutex = new Mutex({ recursive: true });
  assert.equal(mutex.recursive, true);
  mutex.lock();
  mutex.lock();
  mutex.tryLock();
  mutex.unlock();
  mutex.unlock();
  mutex.unlock();
  assert.throws(() => mutex.unlock(), uvError('EPERM'));
});

test('thread_rwlock', () => {
  const rwlock = new RWLock();
  rwlock.rdLock();
  rwlock.rdUnlock();
  rwlock.wrLock();
  rwlock.wrUnlock();
});

test('thread_rwlock_trylock', WORKER_TEST, async () => {
  const condvar = new Condition();
  const mutex = new Mutex();
  const rwlock = new RWLock();
  const step = shared(1);
  const synchronize = (): void => {
    step[0] = (step[0] ?? 0) + 1;
    condvar.signal();
    for (const current = step[0]; current === step[0];) condvar.wait(mutex);
  };
  mutex.lock();
  const worker = await peer({
    scenario: 'rwlockTrylockPeer',
    mutex,
    condvar,
    rwlock,
    step: step.buffer,
  });
  // Hold the write lock.
  rwlock.tryWrLock();
  synchronize(); // releases the mutex to the other thread
  // Release the write lock and take a read lock.
  rwlock.wrUnlock();
  rwlock.tryRdLock();
  synchronize();
  // Release the read lock.
  rwlock.rdUnlock();
  synchronize();
  // Write lock held by the other thread.
  assert.equal(
    errorCode(() => rwlock.tryRdLock()),
    'EBUSY',
  );
  assert.equal(
    errorCode(() => rwlock.tryWrLock()),
    'EBUSY',
  );
  synchronize();
  // Read lock held by the other thread.
  rwlock.tryRdLock();
  rwlock.rdUnlock();
  assert.equal(
    errorCode(() => rwlock.tryWrLock()),
    'EBUSY',
  );
  synchronize();
  mutex.unlock();
  await join(worker);
});

// ---------------------------------------------------------------- test-barrier.c

async function barrierCase(
  delay: number,
  niter: number,
  mainSleep: number,
): Promise<[number, number]> {
  const barrier = new Barrier(2);
  const result = shared(1);
  const worker = await peer({
    scenario: 'barrierWorker',
    barrier,
    delay,
    niter,
    result: result.buffer,
  });
  sleep(mainSleep);
  let mainSerials = 0;
  for (let i = 0; i < niter; i++) if (barrier.wait()) mainSerials++;
  await join(worker);
  return [mainSerials, result[0] ?? 0];
}

test('barrier_1', WORKER_TEST, async () => {
  const [main, worker] = await barrierCase(0, 1, 100);
  assert.equal(main ^ worker, 1);
});

test('barrier_2', WORKER_TEST, async () => {
  const [main, worker] = await barrierCase(100, 1, 0);
  assert.equal(main ^ worker, 1);
});

test('barrier: the serial thread is the last to arrive (glibc)', WORKER_TEST, async () => {
  const barrier = new Barrier(2);
  const result = shared(1);
  const worker = await peer({
    scenario: 'barrierWorker',
    barrier,
    niter: 1,
    result: result.buffer,
  });
  // Wait (without blocking) until the worker has arrived: the barrier's
  // arrival count is the word after its count (barrier.ts).
  await until(new Int32Array(barrier.shared), 4, 1);
  assert.equal(barrier.wait(), true);
  await join(worker);
  assert.equal(result[0], 0);
});

test('barrier_3', WORKER_TEST, async () => {
  const [main, worker] = await barrierCase(0, 5, 0);
  assert.equal(main + worker, 5);
});

test('barrier_serial_thread', WORKER_TEST, async () => {
  const barrier = new Barrier(5);
  const serials = shared(1);
  const workers = await Promise.all(
    FOUR.map(() => peer({ scenario: 'barrierSerialWorker', barrier, serials: serials.buffer })),
  );
  let mine = 0;
  for (let i = 0; i < 5; i++) barrier.wait();
  if (barrier.wait()) mine++;
  for (const worker of workers) await join(worker);
  assert.equal(mine + (serials[0] ?? 0), 1, 'exactly one serial thread in the last round');
});

test('barrier_serial_thread_single', () => {
  const barrier = new Barrier(1);
  assert.equal(barrier.wait(), true);
  assert.equal(barrier.wait(), true, 'reusable');
});

// ---------------------------------------------------------------- test-condvar.c

interface CondvarCase {
  signalDelay?: number;
  waitDelay?: number;
  broadcast?: boolean;
  timed?: boolean;
}

async function condvarCase(options: CondvarCase): Promise<void> {
  const mutex = new Mutex();
  const cond = new Condition();
  const flags = shared(2); // posted_1, posted_2
  const worker = await peer({
    scenario: 'condvarWorker',
    mutex,
    cond,
    flags: flags.buffer,
    ...options,
  });
  // wait_cond(posted_1)
  mutex.lock();
  sleep(options.waitDelay ?? 0);
  while (flags[0] === 0) {
    if (options.timed === true) cond.timedWait(mutex, 150);
    else cond.wait(mutex);
  }
  assert.equal(flags[0], 1);
  mutex.unlock();
  // signal_cond(posted_2)
  sleep(options.signalDelay ?? 0);
  mutex.lock();
  assert.equal(flags[1], 0);
  flags[1] = 1;
  if (options.broadcast === true) cond.broadcast();
  else cond.signal();
  mutex.unlock();
  await join(worker);
}

test('condvar_1', WORKER_TEST, () => condvarCase({ waitDelay: 100 }));
test('condvar_2', WORKER_TEST, () => condvarCase({ signalDelay: 100 }));
test('condvar_3', WORKER_TEST, () => condvarCase({ signalDelay: 100, timed: true }));
test('condvar_4', WORKER_TEST, () => condvarCase({ signalDelay: 100, timed: true }));
test('condvar_5', WORKER_TEST, () => condvarCase({ signalDelay: 100, broadcast: true }));

test('condvar timedwait with nobody signalling: ETIMEDOUT, mutex held again', () => {
  const mutex = new Mutex();
  const cond = new Condition();
  mutex.lock();
  assert.throws(() => cond.timedWait(mutex, 1), uvError('ETIMEDOUT'));
  assert.equal(
    errorCode(() => mutex.tryLock()),
    'EBUSY',
    'still locked, by this thread',
  );
  mutex.unlock();
  assert.throws(() => cond.timedWait(mutex, -1), uvError('EINVAL'));
  assert.throws(() => cond.timedWait(mutex, Number.NaN), uvError('EINVAL'));
  assert.throws(() => cond.timedWait(mutex, '1' as unknown as number), TypeError);
});

// ---------------------------------------------------------------- test-semaphore.c

test('semaphore_1', WORKER_TEST, async () => {
  const mutex = new Mutex();
  const sem = new Semaphore(0);
  const posted = shared(1);
  const worker = await peer({ scenario: 'semaphoreWorker', mutex, sem, posted: posted.buffer });
  await until(posted, 0, 1);
  mutex.lock();
  assert.equal(posted[0], 1);
  sem.wait(); // does not block
  mutex.unlock();
  await join(worker);
});

test('semaphore_2', WORKER_TEST, async () => {
  const mutex = new Mutex();
  const sem = new Semaphore(0);
  const posted = shared(1);
  const worker = await peer({
    scenario: 'semaphoreWorker',
    mutex,
    sem,
    posted: posted.buffer,
    delay: 100,
  });
  sem.wait();
  await join(worker);
});

test('semaphore_3', () => {
  const sem = new Semaphore(3);
  sem.wait();
  sem.wait();
  sem.tryWait();
  assert.throws(() => sem.tryWait(), uvError('EAGAIN'));
  sem.post();
  sem.tryWait();
  assert.throws(() => sem.tryWait(), uvError('EAGAIN'));
});

// ---------------------------------------------------------------- thread_local_storage, once

test('thread_local_storage', WORKER_TEST, async () => {
  const key = new ThreadLocalKey();
  assert.equal(key.get(), undefined);
  key.set('main');
  assert.equal(key.get(), 'main');
  await join(await peer({ scenario: 'threadLocal', key }));
  assert.equal(key.get(), 'main', "the worker's value is its own");
  const again = ThreadLocalKey.from(key.shared);
  assert.equal(again.get(), 'main', 'a second wrapper of the same key in the same thread');
  key.delete();
  assert.throws(() => again.get(), uvError('EINVAL'));
  assert.throws(() => key.set(1), uvError('EINVAL'));
});

test(
  'once: one function runs among five threads, the others wait for it',
  WORKER_TEST,
  async () => {
    const guard = new Once();
    const counter = shared(1);
    const start = new Barrier(4);
    await runPeers(FOUR, () => ({
      scenario: 'onceRun',
      once: guard,
      counter: counter.buffer,
      start,
    }));
    assert.equal(counter[0], 1);
    assert.equal(
      guard.run(() => assert.fail('must not run')),
      false,
    );
    const fresh = new Once();
    assert.throws(
      () =>
        fresh.run(() => {
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(fresh.done, false, 'a throw lets the next call try again');
    assert.equal(
      fresh.run(() => {}),
      true,
    );
  },
);

// ---------------------------------------------------------------- stress from four workers

test(
  'mutex stress: 4 workers increment a counter 100,000 times under the lock',
  WORKER_TEST,
  async () => {
    const mutex = new Mutex();
    const counter = shared(1);
    const start = new Barrier(4);
    await runPeers(FOUR, () => ({
      scenario: 'mutexCounter',
      mutex,
      counter: counter.buffer,
      start,
      count: 25_000,
    }));
    assert.equal(counter[0], 100_000);
  },
);

test(
  'semaphore stress: a semaphore of 1 as the lock, 4 workers × 25,000',
  WORKER_TEST,
  async () => {
    const sem = new Semaphore(1);
    const counter = shared(1);
    const start = new Barrier(4);
    await runPeers(FOUR, () => ({
      scenario: 'semaphoreCounter',
      sem,
      counter: counter.buffer,
      start,
      count: 25_000,
    }));
    assert.equal(counter[0], 100_000);
    sem.tryWait();
    assert.throws(() => sem.tryWait(), uvError('EAGAIN'), 'the count is back to exactly 1');
  },
);

test(
  'rwlock stress: 2 writers and 2 readers never see a half-written pair',
  WORKER_TEST,
  async () => {
    const rwlock = new RWLock();
    const pair = shared(2);
    const start = new Barrier(4);
    await runPeers([true, true, false, false], (writer) => ({
      scenario: 'rwlockPair',
      rwlock,
      pair: pair.buffer,
      start,
      writer,
      count: 20_000,
    }));
    assert.deepEqual([pair[0], pair[1]], [40_000, 40_000]);
  },
);

test(
  'condition stress: 2 producers and 2 consumers hand over 2 × 5,000 values',
  WORKER_TEST,
  async () => {
    const mutex = new Mutex();
    const cond = new Condition();
    const queue = shared(3);
    await runPeers([true, true, false, false], (producer) => ({
      scenario: 'conditionQueue',
      mutex,
      cond,
      queue: queue.buffer,
      producer,
      count: 5_000,
    }));
    assert.equal(queue[2], 2 * ((5_000 * 5_001) / 2));
  },
);

test(
  'barrier stress: 4 workers, 1,000 rounds, one serial thread per round',
  WORKER_TEST,
  async () => {
    const rounds = 1_000;
    const barrier = new Barrier(4);
    const serials = shared(rounds);
    await runPeers(FOUR, () => ({
      scenario: 'barrierRounds',
      barrier,
      serials: serials.buffer,
      rounds,
    }));
    assert.ok(serials.every((count) => count === 1));
  },
);

// ---------------------------------------------------------------- glibc semantics, misuse

test(
  'rwlock prefers readers: a read lock is granted while a writer waits (glibc)',
  WORKER_TEST,
  async () => {
    const rwlock = new RWLock();
    const held = new Semaphore(0);
    const release = new Semaphore(0);
    const wrote = shared(1);
    const reader = await peer({ scenario: 'holdRead', rwlock, held, release });
    held.wait();
    const writer = await peer({ scenario: 'writeOnce', rwlock, wrote: wrote.buffer });
    await until(wrote, 0, 1);
    sleep(50); // let the writer reach its wait
    rwlock.tryRdLock(); // granted although a writer waits
    rwlock.rdUnlock();
    assert.equal(Atomics.load(wrote, 0), 1, 'the writer still waits for the other reader');
    release.post();
    await join(reader);
    await join(writer);
    assert.equal(Atomics.load(wrote, 0), 2);
  },
);

test('misuse: relocking a held mutex on the same thread is EBUSY, not a deadlock', () => {
  const mutex = new Mutex();
  mutex.lock();
  assert.throws(() => mutex.lock(), uvError('EBUSY'));
  assert.throws(() => mutex.tryLock(), uvError('EBUSY'));
  mutex.unlock();
  assert.throws(() => mutex.unlock(), uvError('EPERM'));
});

test('misuse: unlocking a mutex another thread holds is EPERM', WORKER_TEST, async () => {
  const mutex = new Mutex();
  const held = new Semaphore(0);
  const release = new Semaphore(0);
  const worker = await peer({ scenario: 'holdMutex', mutex, held, release });
  held.wait();
  assert.throws(() => mutex.unlock(), uvError('EPERM'));
  assert.throws(() => mutex.tryLock(), uvError('EBUSY'));
  release.post();
  await join(worker);
  mutex.tryLock();
  mutex.unlock();
});

test('misuse: rwlock deadlocks and foreign unlocks are errors', () => {
  const rwlock = new RWLock();
  rwlock.wrLock();
  assert.throws(() => rwlock.rdLock(), uvError('EBUSY'));
  assert.throws(() => rwlock.wrLock(), uvError('EBUSY'));
  assert.throws(() => rwlock.tryRdLock(), uvError('EBUSY'));
  assert.throws(() => rwlock.rdUnlock(), uvError('EPERM'));
  rwlock.wrUnlock();
  assert.throws(() => rwlock.wrUnlock(), uvError('EPERM'));
  rwlock.rdLock();
  rwlock.rdLock();
  assert.throws(() => rwlock.wrLock(), uvError('EBUSY'));
  assert.throws(() => rwlock.tryWrLock(), uvError('EBUSY'));
  rwlock.rdUnlock();
  rwlock.rdUnlock();
  assert.throws(() => rwlock.rdUnlock(), uvError('EPERM'));
  rwlock.tryWrLock();
  rwlock.wrUnlock();
});

test('misuse: waiting on a condition without holding the mutex is EPERM', () => {
  const mutex = new Mutex();
  const cond = new Condition();
  assert.throws(() => cond.wait(mutex), uvError('EPERM'));
  assert.throws(() => cond.wait({} as Mutex), TypeError);
});

test('bad input: counts and sources', () => {
  assert.throws(() => new Barrier(0), uvError('EINVAL'));
  assert.throws(() => new Barrier(1.5), uvError('EINVAL'));
  assert.throws(() => new Barrier('2' as unknown as number), TypeError);
  assert.throws(() => new Semaphore(-1), uvError('EINVAL'));
  assert.throws(() => new Semaphore(2 ** 31), uvError('EINVAL'));
  assert.throws(() => Mutex.from(new Semaphore().shared), TypeError);
  assert.throws(() => Mutex.from({} as SharedArrayBuffer), TypeError);
  assert.throws(() => Mutex.from(new SharedArrayBuffer(28)), TypeError);
  assert.throws(() => new Once().run(1 as unknown as () => void), TypeError);
});

test('a structured clone is the same lock, not a copy', () => {
  const mutex = new Mutex();
  const clone = structuredClone(mutex);
  assert.deepEqual(Object.keys(clone), ['shared']);
  const again = Mutex.from(clone);
  assert.notEqual(again, mutex);
  mutex.lock();
  assert.throws(
    () => again.lock(),
    uvError('EBUSY'),
    'held by this thread through the other wrapper',
  );
  again.unlock();
});
