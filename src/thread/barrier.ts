/**
 * `Barrier` (`uv_barrier_t`): `count` threads wait until all have arrived.
 *
 * Two words: how many threads have arrived in the current round, and the
 * round's number. The last to arrive resets the count, bumps the round and
 * wakes everyone; the others sleep while the round number is the one they
 * arrived in. The round number is what makes the barrier reusable at once:
 * a thread that leaves and arrives again belongs to the next round.
 *
 * libuv on Linux is `pthread_barrier_wait`, which returns "serial thread"
 * to exactly one thread; glibc picks the last to arrive, and so does uvts.
 *
 * @module
 */
import { rewrap, SharedPrimitive, STATE, toCount, waitWhile } from './shared-primitive.js';
import type { SharedSource } from './shared-primitive.js';

const COUNT = STATE;
const ARRIVED = STATE + 1;
const ROUND = STATE + 2;

/**
 * A barrier for `count` threads (`uv_barrier_t`), usable from the loop's
 * thread and from worker threads (share it as a {@link Mutex} is shared;
 * re-wrap with {@link Barrier.from}).
 */
export class Barrier extends SharedPrimitive {
  /** Creates a barrier for `count` threads (`uv_barrier_init`); a count below 1 is EINVAL. */
  constructor(count: number) {
    const threads = toCount(count, 'barrier count', 1, 'uv_barrier_init');
    super('Barrier', 3, null);
    this.words[COUNT] = threads;
  }

  /** Wraps a barrier that came from another thread (the barrier, its clone, or its buffer). */
  static from(source: SharedSource): Barrier {
    return rewrap(Barrier, 'Barrier', 3, source);
  }

  /** The number of threads the barrier waits for. */
  get count(): number {
    return Atomics.load(this.words, COUNT);
  }

  /**
   * Waits until `count` threads have called `wait()` (`uv_barrier_wait`).
   * Returns true to exactly one of them, the last to arrive, and false to
   * the others.
   */
  wait(): boolean {
    const words = this.words;
    const round = Atomics.load(words, ROUND);
    if (Atomics.add(words, ARRIVED, 1) + 1 === words[COUNT]) {
      Atomics.store(words, ARRIVED, 0);
      Atomics.add(words, ROUND, 1);
      Atomics.notify(words, ROUND);
      return true;
    }
    while (Atomics.load(words, ROUND) === round) waitWhile(words, ROUND, round);
    return false;
  }
}
