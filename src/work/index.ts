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
