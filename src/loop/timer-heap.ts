/**
 * The loop's timer queue: libuv's timer min-heap, bucketed by due time.
 *
 * libuv orders timers by `(due, startId)`: the earliest due time first and,
 * for equal due times, the timer started first (rule 3.3). `startId` comes
 * from a per-loop counter that every start and re-arm advances, so the order
 * is total and stable, and a restarted timer goes behind its peers.
 *
 * Why buckets (performance, not semantics): due times are whole
 * milliseconds, so real programs start many timers with the same due time —
 * every timer started in one callback with the same timeout, a million
 * timers with `i % 100` ms. A plain binary heap of a million timers pays
 * ~20 levels of pointer-chasing comparisons per expiry, and those cache
 * misses made `million_timers` several times slower than Node's
 * `setTimeout` (docs/benchmarks.md). So timers with equal `due` share a
 * *bucket*: an array in `startId` order, and only the buckets — one per
 * distinct due time — sit in the binary heap. Taking the first timer is
 * then O(1) while its bucket lasts, and the order is exactly the heap's:
 * buckets by `due`, timers inside a bucket by `startId`.
 *
 * A timer started through `Timer` always has the largest `startId` yet, so
 * it is appended; any other caller gets an ordered insertion. Each timer
 * remembers its slot in its bucket (`heapIndex`, -1 when not queued), so
 * removing an arbitrary timer — `timer.stop()` — is O(1): the slot becomes
 * a hole, skipped by the head and compacted away once holes outnumber
 * timers (amortized O(1)). A bucket that empties leaves the heap.
 *
 * @module
 */

/**
 * What the heap needs to know about a timer.
 */
export interface HeapTimer {
  /** Absolute due time in loop milliseconds; must not change while queued. */
  due: number;
  /** The loop-wide start counter value taken when the timer was (re)started. */
  startId: number;
  /** Position in the timer's bucket, or -1 when the timer is not in the heap. */
  heapIndex: number;
}

/** The timers of one due time, in `startId` order. */
interface Bucket<T> {
  /** The shared due time (NaN while the bucket is unused, so no lookup matches it). */
  due: number;
  /** Timers in `startId` order; `undefined` marks a removed timer's hole. */
  readonly items: (T | undefined)[];
  /** Index of the first live timer (valid while `live > 0`). */
  head: number;
  /** Number of timers (non-holes) in `items`. */
  live: number;
  /** Position in the bucket heap. */
  heapIndex: number;
}

/** A bucket is compacted when it holds more than this many holes beyond its timer count. */
const COMPACT_SLACK = 16;

/** @internal */
export class TimerHeap<T extends HeapTimer> {
  /** Binary min-heap of buckets by `due` (all distinct). */
  private readonly buckets: Bucket<T>[] = [];
  private readonly byDue = new Map<number, Bucket<T>>();
  /** One emptied bucket kept for reuse: a lone repeating timer then allocates nothing. */
  private spare: Bucket<T> | null = null;
  private count = 0;

  /** Number of timers in the heap. */
  get size(): number {
    return this.count;
  }

  /** The timer that is due first, or `undefined` when the heap is empty. */
  peek(): T | undefined {
    const top = this.buckets[0];
    return top === undefined ? undefined : top.items[top.head];
  }

  /** Adds `timer` (which must not be in the heap). */
  insert(timer: T): void {
    const due = timer.due;
    let bucket = this.byDue.get(due);
    if (bucket === undefined) bucket = this.addBucket(due);
    const items = bucket.items;
    // The last slot is never a hole (remove() trims them), so one comparison
    // tells whether appending keeps startId order — always true for Timer.
    const last = items[items.length - 1];
    if (bucket.live === 0 || (last as T).startId <= timer.startId) {
      timer.heapIndex = items.length;
      items.push(timer);
    } else {
      this.insertOrdered(bucket, timer);
    }
    bucket.live++;
    this.count++;
  }

  /** Removes `timer` if it is in the heap. */
  remove(timer: T): void {
    const slot = timer.heapIndex;
    if (slot < 0) return;
    // Expiry removes from the top bucket: skip the map lookup then.
    const top = this.buckets[0];
    const bucket = top !== undefined && top.due === timer.due ? top : this.byDue.get(timer.due);
    if (bucket === undefined || bucket.items[slot] !== timer)
      throw new Error('timer heap corrupted: a queued timer changed its due time');
    timer.heapIndex = -1;
    this.count--;
    if (--bucket.live === 0) {
      this.dropBucket(bucket);
      return;
    }
    const items = bucket.items;
    items[slot] = undefined;
    if (slot === bucket.head) {
      let head = slot + 1;
      while (items[head] === undefined) head++;
      bucket.head = head;
    } else if (slot === items.length - 1) {
      while (items[items.length - 1] === undefined) items.pop();
    }
    if (items.length > 2 * bucket.live + COMPACT_SLACK) compact(bucket);
  }

  /** The rare path: a timer whose startId is below its bucket's last one. */
  private insertOrdered(bucket: Bucket<T>, timer: T): void {
    const items = bucket.items;
    let position = items.length;
    while (position > bucket.head) {
      const previous = items[position - 1];
      if (previous !== undefined && previous.startId <= timer.startId) break;
      position--;
    }
    items.splice(position, 0, timer);
    for (let index = position; index < items.length; index++) {
      const item = items[index];
      if (item !== undefined) item.heapIndex = index;
    }
  }

  private addBucket(due: number): Bucket<T> {
    let bucket = this.spare;
    if (bucket === null) {
      bucket = { due, items: [], head: 0, live: 0, heapIndex: 0 };
    } else {
      this.spare = null;
      bucket.due = due;
    }
    this.byDue.set(due, bucket);
    const buckets = this.buckets;
    bucket.heapIndex = buckets.length;
    buckets.push(bucket);
    this.siftUp(bucket.heapIndex);
    return bucket;
  }

  private dropBucket(bucket: Bucket<T>): void {
    this.byDue.delete(bucket.due);
    const buckets = this.buckets;
    const index = bucket.heapIndex;
    const last = buckets.pop() as Bucket<T>;
    if (last !== bucket) {
      buckets[index] = last;
      last.heapIndex = index;
      // The moved bucket may belong above or below its new slot.
      if (index > 0 && last.due < (buckets[(index - 1) >> 1] as Bucket<T>).due) this.siftUp(index);
      else this.siftDown(index);
    }
    bucket.due = Number.NaN;
    bucket.items.length = 0;
    bucket.head = 0;
    bucket.live = 0;
    this.spare = bucket;
  }

  private siftUp(index: number): void {
    const buckets = this.buckets;
    const node = buckets[index] as Bucket<T>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = buckets[parentIndex] as Bucket<T>;
      if (!(node.due < parent.due)) break;
      buckets[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    buckets[index] = node;
    node.heapIndex = index;
  }

  private siftDown(index: number): void {
    const buckets = this.buckets;
    const length = buckets.length;
    const node = buckets[index] as Bucket<T>;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && (buckets[right] as Bucket<T>).due < (buckets[left] as Bucket<T>).due)
        child = right;
      const childNode = buckets[child] as Bucket<T>;
      if (!(childNode.due < node.due)) break;
      buckets[index] = childNode;
      childNode.heapIndex = index;
      index = child;
    }
    buckets[index] = node;
    node.heapIndex = index;
  }
}

/** Moves a bucket's timers to the front of its array, dropping the holes. */
function compact<T extends HeapTimer>(bucket: Bucket<T>): void {
  const items = bucket.items;
  let write = 0;
  for (let read = bucket.head; read < items.length; read++) {
    const item = items[read];
    if (item === undefined) continue;
    items[write] = item;
    item.heapIndex = write;
    write++;
  }
  items.length = write;
  bucket.head = 0;
}
