/**
 * An intrusive, circular, doubly linked queue — the shape of libuv's
 * `uv__queue`.
 *
 * libuv keeps its idle, prepare, check, async and pending lists as intrusive
 * queues because three operations must be O(1) and allocation-free: insert at
 * either end, unlink a node from whatever list it is in (a watcher stopped
 * from a callback may sit in the live list *or* in the temporary list of the
 * phase that is running), and move a whole list onto another one (the
 * "detach, then requeue as you go" iteration of rule 4.4). An array gives
 * none of these for free, so we keep the same structure: every participant
 * owns one {@link QueueNode} per list it can be on, and a queue is just a
 * sentinel node.
 *
 * @module
 */

/**
 * One link of a {@link Queue}. A node that is not in any queue points at
 * itself, so `linked` is a constant-time test and `remove()` is always safe.
 */
export class QueueNode<T> {
  /** The previous node (the sentinel for the first element). */
  prev: QueueNode<T> = this;
  /** The next node (the sentinel for the last element). */
  next: QueueNode<T> = this;

  /** @param owner The object this link belongs to; `null` only for a queue's sentinel. */
  constructor(readonly owner: T | null) {}

  /** True while the node is in a queue. */
  get linked(): boolean {
    return this.next !== this;
  }

  /** Unlinks the node from whichever queue holds it; a no-op when unlinked. */
  remove(): void {
    this.prev.next = this.next;
    this.next.prev = this.prev;
    this.prev = this;
    this.next = this;
  }
}

/**
 * A queue of {@link QueueNode}s with a sentinel head.
 */
export class Queue<T> {
  private readonly head = new QueueNode<T>(null);

  /** True when the queue holds no node. */
  isEmpty(): boolean {
    return this.head.next === this.head;
  }

  /** The owner of the first node, or `null` when empty. */
  first(): T | null {
    return this.head.next.owner;
  }

  /** Links `node` at the front. The node must not be in a queue. */
  insertHead(node: QueueNode<T>): void {
    node.next = this.head.next;
    node.prev = this.head;
    this.head.next.prev = node;
    this.head.next = node;
  }

  /** Links `node` at the back. The node must not be in a queue. */
  insertTail(node: QueueNode<T>): void {
    node.prev = this.head.prev;
    node.next = this.head;
    this.head.prev.next = node;
    this.head.prev = node;
  }

  /** Moves every node of this queue, in order, to the (empty) queue `target`. */
  moveTo(target: Queue<T>): void {
    if (this.isEmpty()) return;
    const first = this.head.next;
    const last = this.head.prev;
    target.head.next = first;
    target.head.prev = last;
    first.prev = target.head;
    last.next = target.head;
    this.head.next = this.head;
    this.head.prev = this.head;
  }

  /** Counts the nodes (O(n); used by diagnostics, not by the loop's phases). */
  get size(): number {
    let count = 0;
    for (let node = this.head.next; node !== this.head; node = node.next) count++;
    return count;
  }
}
