/**
 * `ThreadLocalKey` (`uv_key_t`): one key, a separate value in every thread.
 *
 * Every JavaScript thread already has its own heap, so the values live in
 * an ordinary per-thread map, indexed by the key's identity (the random
 * number in its shared buffer), which is the same in every thread the key
 * is sent to. The buffer also records whether the key has been deleted, so
 * a deleted key fails in every thread.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import { misuse, rewrap, SharedPrimitive, STATE } from './shared-primitive.js';
import type { SharedSource } from './shared-primitive.js';

const DELETED = STATE;

/** This thread's values, by key identity. */
const valuesHere = new Map<string, unknown>();

/**
 * A thread-local storage key (`uv_key_t`): `get()` returns what `set()`
 * stored *in the same thread*; other threads see their own values
 * (undefined until they set one). Share the key as a {@link Mutex} is
 * shared; re-wrap with {@link ThreadLocalKey.from}.
 */
export class ThreadLocalKey extends SharedPrimitive {
  /** Creates a key (`uv_key_create`); no thread has a value for it yet. */
  constructor() {
    super('ThreadLocalKey', 1, null);
  }

  /** Wraps a key that came from another thread (the key, its clone, or its buffer). */
  static from(source: SharedSource): ThreadLocalKey {
    return rewrap(ThreadLocalKey, 'ThreadLocalKey', 1, source);
  }

  /** This thread's value for the key (`uv_key_get`); undefined if it set none. */
  get(): unknown {
    this.assertLive('uv_key_get');
    return valuesHere.get(this.identity);
  }

  /** Sets this thread's value for the key (`uv_key_set`). */
  set(value: unknown): void {
    this.assertLive('uv_key_set');
    if (value === undefined) valuesHere.delete(this.identity);
    else valuesHere.set(this.identity, value);
  }

  /**
   * Deletes the key (`uv_key_delete`): every thread's later `get()` or
   * `set()` throws EINVAL. Only this thread's value is released at once;
   * another thread's goes on its next use of the key (or with the thread).
   */
  delete(): void {
    this.assertLive('uv_key_delete');
    Atomics.store(this.words, DELETED, 1);
    valuesHere.delete(this.identity);
  }

  private assertLive(syscall: string): void {
    if (Atomics.load(this.words, DELETED) === 0) return;
    valuesHere.delete(this.identity);
    throw misuse(StatusCode.EINVAL, syscall, 'the key has been deleted');
  }
}
