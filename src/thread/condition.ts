/**
 * `Condition` (`uv_cond_t`): wait until another thread signals, releasing
 * a mutex meanwhile.
 *
 * The whole state is a sequence word. `wait()` reads it, unlocks the
 * mutex, and sleeps while the word still has the value it read; `signal()`
 * and `broadcast()` bump the word and wake one or all sleepers. A signal
 * between the read and the sleep changes the word, so the sleep returns at
 * once: no wake-up is lost. As with pthreads (and libuv says so), a waiter
 * may wake without a signal, so callers re-check their predicate in a loop.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import { statusError, toMilliseconds } from '../errors/internal.js';
import { Mutex } from './mutex.js';
import { misuse, rewrap, SharedPrimitive, STATE, waitWhile } from './shared-primitive.js';
import type { SharedSource } from './shared-primitive.js';

const SEQUENCE = STATE;

/**
 * A condition variable (`uv_cond_t`), usable from the loop's thread and
 * from worker threads (share it as a {@link Mutex} is shared; re-wrap with
 * {@link Condition.from}). Unlike pyuv's, it is not bound to one mutex:
 * `wait()` takes the mutex, as `uv_cond_wait` does.
 */
export class Condition extends SharedPrimitive {
  /** Creates a condition variable (`uv_cond_init`). */
  constructor() {
    super('Condition', 1, null);
  }

  /** Wraps a condition variable that came from another thread (it, its clone, or its buffer). */
  static from(source: SharedSource): Condition {
    return rewrap(Condition, 'Condition', 1, source);
  }

  /** Wakes at least one thread waiting on this condition (`uv_cond_signal`). */
  signal(): void {
    Atomics.add(this.words, SEQUENCE, 1);
    Atomics.notify(this.words, SEQUENCE, 1);
  }

  /** Wakes every thread waiting on this condition (`uv_cond_broadcast`). */
  broadcast(): void {
    Atomics.add(this.words, SEQUENCE, 1);
    Atomics.notify(this.words, SEQUENCE);
  }

  /**
   * Unlocks `mutex`, waits for a signal, and locks `mutex` again before
   * returning (`uv_cond_wait`). The calling thread must hold `mutex`
   * (EPERM otherwise). Spurious wake-ups are possible.
   */
  wait(mutex: Mutex): void {
    this.block(mutex, Infinity, 'uv_cond_wait');
  }

  /**
   * Like {@link wait}, but gives up after `timeout` ms
   * (`uv_cond_timedwait`, whose timeout is in ns) and then throws `UVError`
   * ETIMEDOUT, with `mutex` locked again.
   */
  timedWait(mutex: Mutex, timeout: number): void {
    const ms = toMilliseconds(timeout, 'timeout', 'uv_cond_timedwait');
    if (this.block(mutex, ms, 'uv_cond_timedwait') === 'timed-out')
      throw statusError(StatusCode.ETIMEDOUT, { syscall: 'uv_cond_timedwait' });
  }

  private block(mutex: Mutex, timeout: number, syscall: string): string {
    if (!(mutex instanceof Mutex)) throw new TypeError(`${syscall} needs a Mutex`);
    if (!mutex.heldByThisThread)
      throw misuse(StatusCode.EPERM, syscall, 'the mutex is not locked by this thread');
    const seen = Atomics.load(this.words, SEQUENCE);
    mutex.unlock();
    try {
      return waitWhile(this.words, SEQUENCE, seen, timeout);
    } finally {
      mutex.lock();
    }
  }
}
