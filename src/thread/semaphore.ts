/**
 * `Semaphore` (`uv_sem_t`): a counter that `wait()` decrements, sleeping
 * while it is 0, and `post()` increments.
 *
 * One word holds the count. `wait()` takes one with a compare-and-swap
 * when the count is positive and otherwise sleeps on the word until it
 * changes; `post()` adds one and wakes one sleeper.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import { statusError } from '../errors/internal.js';
import { rewrap, SharedPrimitive, STATE, toCount, waitWhile } from './shared-primitive.js';
import type { SharedSource } from './shared-primitive.js';

const COUNT = STATE;

/**
 * A counting semaphore (`uv_sem_t`), usable from the loop's thread and from
 * worker threads (share it as a {@link Mutex} is shared; re-wrap with
 * {@link Semaphore.from}).
 */
export class Semaphore extends SharedPrimitive {
  /**
   * Creates a semaphore whose count starts at `value` (`uv_sem_init`;
   * pyuv's default is 1). A value that is not an integer in
   * `[0, 2^31 - 1]` is EINVAL.
   */
  constructor(value = 1) {
    const count = toCount(value, 'semaphore value', 0, 'uv_sem_init');
    super('Semaphore', 1, null);
    this.words[COUNT] = count;
  }

  /** Wraps a semaphore that came from another thread (the semaphore, its clone, or its buffer). */
  static from(source: SharedSource): Semaphore {
    return rewrap(Semaphore, 'Semaphore', 1, source);
  }

  /** Increments the count and wakes one waiter (`uv_sem_post`). */
  post(): void {
    Atomics.add(this.words, COUNT, 1);
    Atomics.notify(this.words, COUNT, 1);
  }

  /** Decrements the count, waiting while it is 0 (`uv_sem_wait`). */
  wait(): void {
    const words = this.words;
    for (;;) {
      const count = Atomics.load(words, COUNT);
      if (count === 0) waitWhile(words, COUNT, 0);
      else if (Atomics.compareExchange(words, COUNT, count, count - 1) === count) return;
    }
  }

  /** Decrements the count if it is positive (`uv_sem_trywait`); else throws `UVError` EAGAIN. */
  tryWait(): void {
    const words = this.words;
    for (;;) {
      const count = Atomics.load(words, COUNT);
      if (count === 0) throw statusError(StatusCode.EAGAIN, { syscall: 'uv_sem_trywait' });
      if (Atomics.compareExchange(words, COUNT, count, count - 1) === count) return;
    }
  }
}
