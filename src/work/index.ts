/**
 * uvts's thread pool, loop side: the scheduler, pool requests and
 * `queueWork`.
 *
 * @module
 */
export { PoolRequest } from './pool-request.js';
export { queueWork, WorkRequest } from './work-request.js';
export type { AfterWorkCallback, QueueWorkOptions } from './work-request.js';
export type { WorkKind } from './thread-pool.js';
export { random, RandomRequest } from './random.js';
export type { RandomCallback } from './random.js';
/** @internal For the DNS layer's synchronous resolver (dns/ may not import thread/). */
export { programSource } from '../thread/pool-worker.js';
