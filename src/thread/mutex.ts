/**
 * `Mutex` (`uv_mutex_t`): a lock shared by threads through its buffer.
 *
 * The lock word follows Drepper's "Futexes Are Tricky" mutex: 0 unlocked,
 * 1 locked, 2 locked with (possible) waiters. Locking is one
 * compare-and-swap when nobody holds it; only a contended lock sleeps in
 * `Atomics.wait`, and only an unlock that saw waiters pays for a notify.
 *
 * Beside it the mutex records its owner (see `SELF`). libuv's release build
 * deadlocks when a thread locks a mutex it already holds, and unlocking a
 * mutex another thread holds is undefined behaviour; with the owner at hand
 * uvts turns both into errors (EBUSY and EPERM, docs/deviations.md). A
 * recursive mutex (`uv_mutex_init_recursive`) counts its owner's locks
 * instead.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import { statusError } from '../errors/internal.js';
import { misuse, rewrap, SELF, SharedPrimitive, STATE, waitWhile } from './shared-primitive.js';
import type { SharedSource } from './shared-primitive.js';

const LOCK = STATE;
const OWNER = STATE + 1;
const DEPTH = STATE + 2;
const RECURSIVE = STATE + 3;

/** Options of {@link Mutex}. */
export interface MutexOptions {
  /**
   * A recursive mutex (`uv_mutex_init_recursive`): its owner may lock it
   * again and must unlock it as many times.
   */
  recursive?: boolean;
}

/**
 * A mutual-exclusion lock (`uv_mutex_t`), usable from the loop's thread and
 * from worker threads.
 *
 * Pass it to another thread through `queueWork`'s arguments (it arrives as
 * a `Mutex`) or through `postMessage` (re-wrap it there with
 * {@link Mutex.from}): both sides then lock the same lock.
 *
 * `lock()` blocks the calling thread; on the loop's thread that blocks the
 * whole loop and Node's event loop with it, as `uv_mutex_lock` blocks a
 * libuv loop.
 *
 * @example
 * ```ts
 * const mutex = new Mutex();
 * mutex.lock();
 * try { counter[0]++; } finally { mutex.unlock(); }
 * ```
 */
export class Mutex extends SharedPrimitive {
  /** Creates an unlocked mutex (`uv_mutex_init`, or `uv_mutex_init_recursive`). */
  constructor(options: MutexOptions = {}) {
    super('Mutex', 4, null);
    if (typeof options !== 'object' || options === null)
      throw new TypeError('Mutex options must be an object');
    if (options.recursive === true) this.words[RECURSIVE] = 1;
  }

  /**
   * Wraps a mutex that came from another thread: the `Mutex` itself, its
   * structured clone, or its `shared` buffer. The result locks the same lock.
   */
  static from(source: SharedSource): Mutex {
    return rewrap(Mutex, 'Mutex', 4, source);
  }

  /** True if this mutex was made recursive. */
  get recursive(): boolean {
    return this.words[RECURSIVE] === 1;
  }

  /**
   * Locks the mutex, waiting as long as another thread holds it
   * (`uv_mutex_lock`). Locking a non-recursive mutex this thread already
   * holds throws `UVError` EBUSY where libuv would deadlock.
   */
  lock(): void {
    const words = this.words;
    let state = Atomics.compareExchange(words, LOCK, 0, 1);
    if (state === 0) {
      this.own();
      return;
    }
    if (this.heldHere('uv_mutex_lock')) return;
    // Contended: announce a waiter (state 2) and sleep until an unlock.
    if (state !== 2) state = Atomics.exchange(words, LOCK, 2);
    while (state !== 0) {
      waitWhile(words, LOCK, 2);
      state = Atomics.exchange(words, LOCK, 2);
    }
    this.own();
  }

  /**
   * Locks the mutex if no thread holds it (`uv_mutex_trylock`); throws
   * `UVError` EBUSY otherwise, also when this thread holds it (unless the
   * mutex is recursive).
   */
  tryLock(): void {
    if (Atomics.compareExchange(this.words, LOCK, 0, 1) === 0) {
      this.own();
      return;
    }
    if (this.recursive && Atomics.load(this.words, OWNER) === SELF) {
      Atomics.add(this.words, DEPTH, 1);
      return;
    }
    throw statusError(StatusCode.EBUSY, { syscall: 'uv_mutex_trylock' });
  }

  /**
   * Unlocks the mutex (`uv_mutex_unlock`). Throws `UVError` EPERM if this
   * thread does not hold it (undefined behaviour in libuv).
   */
  unlock(): void {
    const words = this.words;
    if (Atomics.load(words, OWNER) !== SELF)
      throw misuse(StatusCode.EPERM, 'uv_mutex_unlock', 'mutex is not locked by this thread');
    if (Atomics.load(words, DEPTH) > 1) {
      Atomics.sub(words, DEPTH, 1);
      return;
    }
    words[DEPTH] = 0;
    Atomics.store(words, OWNER, 0);
    if (Atomics.sub(words, LOCK, 1) !== 1) {
      Atomics.store(words, LOCK, 0);
      Atomics.notify(words, LOCK, 1);
    }
  }

  /** @internal True if the calling thread holds the mutex (used by `Condition`). */
  get heldByThisThread(): boolean {
    return Atomics.load(this.words, OWNER) === SELF;
  }

  private own(): void {
    this.words[DEPTH] = 1;
    Atomics.store(this.words, OWNER, SELF);
  }

  /**
   * For a lock that found the mutex taken: true if this thread holds it and
   * the mutex is recursive (one more level); throws if it holds it and the
   * mutex is not recursive; false if another thread holds it.
   */
  private heldHere(syscall: string): boolean {
    if (Atomics.load(this.words, OWNER) !== SELF) return false;
    if (!this.recursive)
      throw misuse(
        StatusCode.EBUSY,
        syscall,
        'mutex is already locked by this thread (libuv would deadlock)',
      );
    Atomics.add(this.words, DEPTH, 1);
    return true;
  }
}
