/**
 * uvts's thread primitives (`uv_mutex_t`, `uv_rwlock_t`, `uv_sem_t`,
 * `uv_cond_t`, `uv_barrier_t`, `uv_once_t`, `uv_key_t`) over
 * `SharedArrayBuffer` and `Atomics`, usable from any thread.
 *
 * @module
 */
export { Barrier } from './barrier.js';
export { Condition } from './condition.js';
export { Mutex } from './mutex.js';
export type { MutexOptions } from './mutex.js';
export { Once } from './once.js';
export { RWLock } from './rwlock.js';
export { Semaphore } from './semaphore.js';
export { SharedPrimitive } from './shared-primitive.js';
export type { SharedSource } from './shared-primitive.js';
export { ThreadLocalKey } from './thread-local-key.js';
