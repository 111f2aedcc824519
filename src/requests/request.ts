/**
 * `Request`: what every request shares (`uv_req_t`).
 *
 * A request counts toward its loop's liveness from submission until *just
 * before* its callback runs (rule 2.3): inside the callback it no longer
 * counts, so a callback that starts nothing new lets the loop end. Requests
 * cannot be unref'd; an in-flight write keeps the loop alive even when its
 * handle is unref'd.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';

/** The request types of libuv, by the names `uv_req_type_name()` gives them. */
export type RequestType =
  | 'connect'
  | 'write'
  | 'shutdown'
  | 'udp_send'
  | 'fs'
  | 'work'
  | 'getaddrinfo'
  | 'getnameinfo'
  | 'random';

/** The base class of every request (`uv_req_t`). */
export abstract class Request {
  /** The loop the request was submitted on. */
  readonly loop: Loop;
  /** The request's type name. */
  abstract readonly type: RequestType;
  /** Free for the user; uvts never touches it. */
  data: unknown = undefined;
  private inFlight = true;

  /** Registers the request with `loop` (`uv__req_register`). */
  protected constructor(loop: Loop) {
    this.loop = loop;
    loop.activeRequests++;
    loop.noteChange();
  }

  /** True from submission until its callback starts. */
  get active(): boolean {
    return this.inFlight;
  }

  /**
   * Cancels the request (`uv_cancel`). libuv can cancel only thread-pool
   * requests (fs, work, DNS, random) that have not started; for every other
   * request this throws `UVError` EINVAL, as `uv_cancel` returns.
   */
  cancel(): void {
    throw this.loop.errors.error(StatusCode.EINVAL, 'uv_cancel');
  }

  /**
   * @internal Unregisters the request, right before its callback runs.
   * Returns false if it had already finished (a callback never runs twice).
   */
  finish(): boolean {
    if (!this.inFlight) return false;
    this.inFlight = false;
    this.loop.activeRequests--;
    this.loop.noteChange();
    return true;
  }
}
