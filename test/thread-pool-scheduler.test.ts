/**
 * The pool's scheduler alone (src/work/thread-pool.ts), with jobs that end
 * when the test says: libuv's `UV_THREADPOOL_SIZE` parsing and its slow-I/O
 * rule (docs/semantics.md rules 8.34, 8.35), as measured with luv 1.44.2 and
 * 1.52.1 (the values in the tables are those measurements).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueueNode } from '../src/loop/queue.js';
import { parseThreadpoolSize, slowIoThreshold } from '../src/work/pool-size.js';
import { ThreadPool } from '../src/work/thread-pool.js';
import type { JobState, PoolJob, QueueEntry, WorkKind } from '../src/work/thread-pool.js';

test('UV_THREADPOOL_SIZE is parsed as libuv parses it (luv 1.44.2 and 1.52.1)', () => {
  // [value, 1.44 threads, 1.52 threads]
  const measured: [string | undefined, number, number][] = [
    [undefined, 4, 4],
    ['0', 1, 1],
    ['1', 1, 1],
    ['2', 2, 2],
    ['3abc', 3, 3],
    ['abc', 1, 1],
    ['', 1, 1],
    [' 2', 2, 2],
    ['+2', 2, 2],
    ['-1', 1024, 1024],
    ['-0', 1, 1],
    ['2000', 1024, 1024],
    ['4294967297', 1, 1],
    ['99999999999', 1024, 1024],
    ['1e3', 1, 1],
    ['0x10', 1, 1],
    ['000000000000002', 2, 2],
    ['0000000000000002', 2, 4],
    ['00000000000000002', 2, 4],
  ];
  for (const [value, old, current] of measured) {
    assert.equal(parseThreadpoolSize(value, false), old, `1.44: ${JSON.stringify(value)}`);
    assert.equal(parseThreadpoolSize(value, true), current, `1.52: ${JSON.stringify(value)}`);
  }
});

test('slow I/O may hold (size + 1) / 2 slots (luv: 1 → 1, 3 → 2, 4 → 2, 5 → 3)', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 1024].map(slowIoThreshold), [1, 1, 2, 2, 3, 512]);
});

class FakeJob implements PoolJob {
  readonly poolNode: QueueNode<QueueEntry> = new QueueNode<QueueEntry>(this);
  poolState: JobState = 'queued';
  pool: ThreadPool | null = null;

  constructor(
    readonly name: string,
    readonly workKind: WorkKind,
    private readonly started: string[],
  ) {}

  startJob(pool: ThreadPool): void {
    this.pool = pool;
    this.started.push(this.name);
  }

  jobFinished(): void {}

  end(): void {
    this.pool?.jobDone(this);
  }
}

function jobs(pool: ThreadPool, specs: string, started: string[]): Map<string, FakeJob> {
  const made = new Map<string, FakeJob>();
  for (const name of specs.split(' ')) {
    const kind: WorkKind = name.startsWith('S')
      ? 'slow-io'
      : name.startsWith('F')
        ? 'fast-io'
        : 'cpu';
    const job = new FakeJob(name, kind, started);
    made.set(name, job);
    pool.submit(job);
  }
  return made;
}

test('4 slots: two DNS jobs run, fs jobs take the other slots, the next DNS job waits for a DNS job', () => {
  // luv, UV_THREADPOOL_SIZE=4, four lookups that time out and three stats:
  // two queries reach the DNS server at once, the stats finish at once, and
  // the next two queries leave when the first two time out.
  const started: string[] = [];
  const pool = new ThreadPool(4);
  const made = jobs(pool, 'S1 S2 S3 S4 F1 F2 F3', started);
  assert.deepEqual(started, ['S1', 'S2', 'F1', 'F2']);
  made.get('F1')?.end();
  assert.deepEqual(started, ['S1', 'S2', 'F1', 'F2', 'F3']);
  made.get('F2')?.end();
  made.get('F3')?.end();
  assert.equal(pool.running, 2, 'free slots wait: only DNS is queued, and two DNS jobs run');
  made.get('S1')?.end();
  assert.deepEqual(started.slice(5), ['S3']);
  made.get('S2')?.end();
  assert.deepEqual(started.slice(5), ['S3', 'S4']);
});

test('at the slow-I/O limit the marker goes behind the jobs queued after it', () => {
  // 2 slots, limit 1: S1 runs; S2 waits; W1, queued after S2, runs first.
  // Then the marker is the head again, so S2 goes before W2 when S1 ends.
  // luv 1.44.2 and 1.52.1 (two lookups that time out after 1 s, a 1.5 s and
  // a short work item): s2's query leaves at 1.0 s, W2 starts at 1.5 s.
  const started: string[] = [];
  const pool = new ThreadPool(2);
  const made = jobs(pool, 'S1 S2 W1 W2', started);
  assert.deepEqual(started, ['S1', 'W1']);
  made.get('S1')?.end();
  assert.deepEqual(started, ['S1', 'W1', 'S2']);
  made.get('W1')?.end();
  assert.deepEqual(started, ['S1', 'W1', 'S2', 'W2']);
});

test('one slot: a FIFO; a cancelled job never starts; DNS jobs run at the place of the first one queued', () => {
  const started: string[] = [];
  const pool = new ThreadPool(1);
  const made = jobs(pool, 'W1 S1 W2 S2 F1', started);
  assert.equal(pool.cancel(made.get('S1') as FakeJob), true);
  assert.equal(pool.cancel(made.get('S1') as FakeJob), false, 'no longer queued');
  assert.equal(pool.cancel(made.get('W1') as FakeJob), false, 'running');
  // The marker entered the FIFO with S1, before W2: S2 inherits that place.
  for (const name of ['W1', 'S2', 'W2']) made.get(name)?.end();
  assert.deepEqual(started, ['W1', 'S2', 'W2', 'F1']);
  made.get('F1')?.end();
  assert.equal(pool.busy, false);
});
