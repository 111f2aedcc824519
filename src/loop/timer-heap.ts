/**
 * The loop's timer min-heap.
 *
 * libuv orders timers by `(due, startId)`: the earliest due time first and,
 * for equal due times, the timer started first (rule 3.3). `startId` comes
 * from a per-loop counter that every start and re-arm advances, so the order
 * is total and stable, and a restarted timer goes behind its peers.
 *
 * The heap is an array-backed binary heap. Each timer remembers its own index
 * (`heapIndex`, -1 when not in the heap), which turns removal of an arbitrary
 * timer — `timer.stop()` — into O(log n) instead of a linear search. A binary
 * heap over a plain array keeps a million timers cheap: no per-node
 * allocation beyond the timer itself, and sift operations that touch only
 * O(log n) slots.
 *
 * @module
 */

/**
 * What the heap needs to know about a timer.
 * @internal
 */
export interface HeapTimer {
  /** Absolute due time in loop milliseconds. */
  due: number;
  /** The loop-wide start counter value taken when the timer was (re)started. */
  startId: number;
  /** Position in the heap array, or -1 when the timer is not in the heap. */
  heapIndex: number;
}

function before(a: HeapTimer, b: HeapTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.startId < b.startId);
}

/** @internal */
export class TimerHeap<T extends HeapTimer> {
  private readonly nodes: T[] = [];

  /** Number of timers in the heap. */
  get size(): number {
    return this.nodes.length;
  }

  /** The timer that is due first, or `undefined` when the heap is empty. */
  peek(): T | undefined {
    return this.nodes[0];
  }

  /** Adds `timer` (which must not be in the heap). */
  insert(timer: T): void {
    const index = this.nodes.length;
    this.nodes.push(timer);
    timer.heapIndex = index;
    this.siftUp(index);
  }

  /** Removes `timer` if it is in the heap. */
  remove(timer: T): void {
    const index = timer.heapIndex;
    if (index < 0) return;
    const last = this.nodes.pop() as T;
    timer.heapIndex = -1;
    if (last === timer) return;
    this.nodes[index] = last;
    last.heapIndex = index;
    // The moved node may belong above or below its new slot.
    if (index > 0 && before(last, this.nodes[(index - 1) >> 1] as T)) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(index: number): void {
    const nodes = this.nodes;
    const node = nodes[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = nodes[parentIndex] as T;
      if (!before(node, parent)) break;
      nodes[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    nodes[index] = node;
    node.heapIndex = index;
  }

  private siftDown(index: number): void {
    const nodes = this.nodes;
    const length = nodes.length;
    const node = nodes[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(nodes[right] as T, nodes[left] as T)) child = right;
      const childNode = nodes[child] as T;
      if (!before(childNode, node)) break;
      nodes[index] = childNode;
      childNode.heapIndex = index;
      index = child;
    }
    nodes[index] = node;
    node.heapIndex = index;
  }
}
