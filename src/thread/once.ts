/**
 * `Once` (`uv_once_t`): run an initialiser exactly once among all the
 * threads that share the guard.
 *
 * One word: 0 not run, 1 running, 2 done. The thread that swaps 0 for 1
 * runs its function and stores 2; the others sleep until the word is 2. If
 * the function throws, the word goes back to 0 (and sleepers are woken) so
 * that another call can try again, as `pthread_once` does when its routine
 * is cancelled; the error goes to the caller that ran it.
 *
 * Each thread passes its own function (a function cannot cross threads):
 * what is shared is the promise that only one of them runs.
 *
 * @module
 */
import { requireFunction } from '../errors/internal.js';
import { rewrap, SharedPrimitive, STATE, waitWhile } from './shared-primitive.js';
import type { SharedSource } from './shared-primitive.js';

const STATUS = STATE;
const NOT_RUN = 0;
const RUNNING = 1;
const DONE = 2;

/**
 * A once-guard (`uv_once_t`), usable from the loop's thread and from worker
 * threads (share it as a {@link Mutex} is shared; re-wrap with
 * {@link Once.from}).
 */
export class Once extends SharedPrimitive {
  /** Creates a guard whose function has not run (`UV_ONCE_INIT`). */
  constructor() {
    super('Once', 1, null);
  }

  /** Wraps a guard that came from another thread (the guard, its clone, or its buffer). */
  static from(source: SharedSource): Once {
    return rewrap(Once, 'Once', 1, source);
  }

  /** True once a `run()` has completed its function. */
  get done(): boolean {
    return Atomics.load(this.words, STATUS) === DONE;
  }

  /**
   * Calls `callback` if no thread has run this guard's function yet
   * (`uv_once`); if another thread is running it, waits until it is done.
   * Returns true to the caller whose `callback` ran.
   */
  run(callback: () => void): boolean {
    requireFunction(callback, 'once callback');
    const words = this.words;
    for (;;) {
      const status = Atomics.compareExchange(words, STATUS, NOT_RUN, RUNNING);
      if (status === DONE) return false;
      if (status === RUNNING) {
        waitWhile(words, STATUS, RUNNING);
        continue;
      }
      try {
        callback();
      } catch (error) {
        Atomics.store(words, STATUS, NOT_RUN);
        Atomics.notify(words, STATUS);
        throw error;
      }
      Atomics.store(words, STATUS, DONE);
      Atomics.notify(words, STATUS);
      return true;
    }
  }
}
