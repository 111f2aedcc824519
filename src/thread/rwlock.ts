/**
 * `RWLock` (`uv_rwlock_t`): many readers or one writer.
 *
 * libuv's rwlock on Linux is glibc's default `pthread_rwlock_t`, which
 * prefers readers: a read lock is granted whenever no writer *holds* the
 * lock, even while writers wait (so a steady stream of readers can starve a
 * writer). One word says it all: -1 while a writer holds the lock, otherwise
 * the number of readers. A reader increments it unless it is -1; a writer
 * swaps 0 for -1. Whoever brings it back to 0 wakes every sleeper, and each
 * tries again.
 *
 * Misuse that glibc reports or that would deadlock becomes an error: a
 * thread that holds the write lock and asks for either lock gets EBUSY
 * (glibc: EDEADLK, which libuv has no code for); a thread that holds read
 * locks and asks for the write lock gets EBUSY too (glibc would deadlock);
 * an unlock by a thread that holds nothing gets EPERM. The read locks a
 * thread holds are counted per thread, by the lock's identity, in this
 * module.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import { statusError } from '../errors/internal.js';
import { misuse, rewrap, SELF, SharedPrimitive, STATE, waitWhile } from './shared-primitive.js';
import type { SharedSource } from './shared-primitive.js';

const STATE_WORD = STATE;
const WRITER = STATE + 1;
const WRITE_LOCKED = -1;

/** Read locks held by this thread, per lock identity (absent: none). */
const readsHere = new Map<string, number>();

/**
 * A reader-writer lock (`uv_rwlock_t`), reader-preferring like glibc's,
 * usable from the loop's thread and from worker threads (share it as a
 * {@link Mutex} is shared; re-wrap with {@link RWLock.from}).
 */
export class RWLock extends SharedPrimitive {
  /** Creates an unlocked rwlock (`uv_rwlock_init`). */
  constructor() {
    super('RWLock', 2, null);
  }

  /** Wraps a rwlock that came from another thread (the lock, its clone, or its buffer). */
  static from(source: SharedSource): RWLock {
    return rewrap(RWLock, 'RWLock', 2, source);
  }

  /** Takes a read lock, waiting while a writer holds the lock (`uv_rwlock_rdlock`). */
  rdLock(): void {
    this.refuseWhileWriting('uv_rwlock_rdlock');
    const words = this.words;
    for (;;) {
      const state = Atomics.load(words, STATE_WORD);
      if (state === WRITE_LOCKED) waitWhile(words, STATE_WORD, WRITE_LOCKED);
      else if (Atomics.compareExchange(words, STATE_WORD, state, state + 1) === state) break;
    }
    this.countRead(1);
  }

  /** Takes a read lock if no writer holds the lock (`uv_rwlock_tryrdlock`); else throws `UVError` EBUSY. */
  tryRdLock(): void {
    this.refuseWhileWriting('uv_rwlock_tryrdlock');
    const words = this.words;
    for (;;) {
      const state = Atomics.load(words, STATE_WORD);
      if (state === WRITE_LOCKED)
        throw statusError(StatusCode.EBUSY, { syscall: 'uv_rwlock_tryrdlock' });
      if (Atomics.compareExchange(words, STATE_WORD, state, state + 1) === state) break;
    }
    this.countRead(1);
  }

  /** Releases a read lock (`uv_rwlock_rdunlock`); EPERM if this thread holds none. */
  rdUnlock(): void {
    if (!readsHere.has(this.identity))
      throw misuse(
        StatusCode.EPERM,
        'uv_rwlock_rdunlock',
        'rwlock is not read-locked by this thread',
      );
    this.countRead(-1);
    if (Atomics.sub(this.words, STATE_WORD, 1) === 1) Atomics.notify(this.words, STATE_WORD);
  }

  /** Takes the write lock, waiting until no reader or writer holds the lock (`uv_rwlock_wrlock`). */
  wrLock(): void {
    this.refuseWhileHeld('uv_rwlock_wrlock');
    const words = this.words;
    for (;;) {
      const state = Atomics.compareExchange(words, STATE_WORD, 0, WRITE_LOCKED);
      if (state === 0) break;
      waitWhile(words, STATE_WORD, state);
    }
    Atomics.store(words, WRITER, SELF);
  }

  /** Takes the write lock if nobody holds the lock (`uv_rwlock_trywrlock`); else throws `UVError` EBUSY. */
  tryWrLock(): void {
    this.refuseWhileHeld('uv_rwlock_trywrlock');
    if (Atomics.compareExchange(this.words, STATE_WORD, 0, WRITE_LOCKED) !== 0)
      throw statusError(StatusCode.EBUSY, { syscall: 'uv_rwlock_trywrlock' });
    Atomics.store(this.words, WRITER, SELF);
  }

  /** Releases the write lock (`uv_rwlock_wrunlock`); EPERM if this thread does not hold it. */
  wrUnlock(): void {
    const words = this.words;
    if (Atomics.load(words, WRITER) !== SELF)
      throw misuse(
        StatusCode.EPERM,
        'uv_rwlock_wrunlock',
        'rwlock is not write-locked by this thread',
      );
    Atomics.store(words, WRITER, 0);
    Atomics.store(words, STATE_WORD, 0);
    Atomics.notify(words, STATE_WORD);
  }

  private countRead(delta: number): void {
    const key = this.identity;
    const count = (readsHere.get(key) ?? 0) + delta;
    if (count === 0) readsHere.delete(key);
    else readsHere.set(key, count);
  }

  private refuseWhileWriting(syscall: string): void {
    if (Atomics.load(this.words, WRITER) === SELF)
      throw misuse(
        StatusCode.EBUSY,
        syscall,
        'rwlock is write-locked by this thread (libuv would deadlock)',
      );
  }

  private refuseWhileHeld(syscall: string): void {
    this.refuseWhileWriting(syscall);
    if (readsHere.has(this.identity))
      throw misuse(
        StatusCode.EBUSY,
        syscall,
        'rwlock is read-locked by this thread (libuv would deadlock)',
      );
  }
}
