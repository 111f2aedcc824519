/**
 * The timer heap against a model: a plain array kept sorted by
 * (due, startId). Random inserts, removals of arbitrary timers and pops of
 * the minimum must agree with the model at every step — the heap's
 * bucketing (timers with equal due times share a bucket) is an
 * optimization that must never change the order rule 3.3 defines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimerHeap } from '../src/loop/timer-heap.js';
import type { HeapTimer } from '../src/loop/timer-heap.js';

interface FakeTimer extends HeapTimer {
  readonly name: number;
}

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function before(a: HeapTimer, b: HeapTimer): number {
  return a.due - b.due || a.startId - b.startId;
}

for (const seed of [1, 2, 3, 42, 1234]) {
  test(`timer heap agrees with a sorted model (seed ${seed})`, () => {
    const next = random(seed);
    const heap = new TimerHeap<FakeTimer>();
    const model: FakeTimer[] = [];
    let startId = 0;
    let name = 0;
    for (let step = 0; step < 20000; step++) {
      const action = next();
      if (action < 0.5 || model.length === 0) {
        // Few distinct due times, so buckets fill up and holes appear.
        const timer: FakeTimer = {
          name: name++,
          due: Math.floor(next() * 20),
          startId: startId++,
          heapIndex: -1,
        };
        heap.insert(timer);
        model.push(timer);
        model.sort(before);
      } else if (action < 0.8) {
        const victim = model.splice(Math.floor(next() * model.length), 1)[0] as FakeTimer;
        heap.remove(victim);
        assert.equal(victim.heapIndex, -1);
        heap.remove(victim); // removing twice is a no-op
      } else {
        const first = heap.peek();
        assert.equal(first, model[0]);
        if (first !== undefined) {
          heap.remove(first);
          model.shift();
        }
      }
      assert.equal(heap.size, model.length);
      assert.equal(heap.peek()?.name, model[0]?.name);
    }
    while (model.length > 0) {
      const first = heap.peek() as FakeTimer;
      assert.equal(first, model.shift());
      heap.remove(first);
    }
    assert.equal(heap.peek(), undefined);
    assert.equal(heap.size, 0);
  });
}

test('a timer re-inserted with an older startId keeps (due, startId) order', () => {
  const heap = new TimerHeap<FakeTimer>();
  const late: FakeTimer = { name: 1, due: 5, startId: 10, heapIndex: -1 };
  const early: FakeTimer = { name: 2, due: 5, startId: 3, heapIndex: -1 };
  heap.insert(late);
  heap.insert(early);
  assert.equal(heap.peek(), early);
  heap.remove(early);
  assert.equal(heap.peek(), late);
});
