/**
 * `Timer` (`uv_timer_t`): a callback after `timeout` ms, optionally repeating
 * every `repeat` ms.
 *
 * The timer is a node of its loop's heap (`loop/timer-heap.ts`): `due` is
 * the loop's cached `now` at start plus the timeout, `startId` the loop's
 * start counter, which breaks ties in start order (rule 3.3). The TIMERS
 * phase calls `stopForExpiry()` and then `fire()`, which re-arms a repeating
 * timer *before* calling back — so inside its callback a repeating timer is
 * active and a one-shot timer is not (rule 3.8).
 *
 * JavaScript numbers are exact up to 2^53, not libuv's 2^64: a due time past
 * `Number.MAX_SAFE_INTEGER` saturates there, which still means "never" for
 * any loop (libuv saturates at 2^64-1; docs/deviations.md).
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import { requireFunction, toMilliseconds } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import { Handle } from './handle.js';

/** A timer callback. */
export type TimerCallback = (timer: Timer) => void;

const MAX_DUE = Number.MAX_SAFE_INTEGER;

/** A timer handle (`uv_timer_t`). */
export class Timer extends Handle {
  /** Always `'timer'`. */
  readonly type = 'timer';
  /** @internal Absolute due time in loop milliseconds. */
  due = 0;
  /** @internal */
  startId = 0;
  /** @internal */
  heapIndex = -1;
  /** @internal */
  inDueBatch = false;

  private callback: TimerCallback | null = null;
  private repeatMs = 0;

  /**
   * Creates a stopped timer on `loop` (the default loop when omitted).
   * `internal` is for timers uvts makes for itself (fs_poll's): unref'd
   * and invisible to `walk()`, like libuv's `UV_HANDLE_INTERNAL`.
   */
  constructor(loop?: Loop, internal = false) {
    super(loop, internal);
  }

  /**
   * Starts the timer (`uv_timer_start`): `callback` runs `timeout` ms from
   * the loop's cached `now`, then every `repeat` ms if `repeat` is not 0.
   * Restarting an active timer replaces its callback, timeout and repeat.
   */
  start(callback: TimerCallback, timeout: number, repeat = 0): this {
    this.assertOpen('start');
    requireFunction(callback, 'timer callback');
    const timeoutMs = toMilliseconds(timeout, 'timeout', 'uv_timer_start');
    const repeatMs = toMilliseconds(repeat, 'repeat', 'uv_timer_start');
    this.unschedule();
    this.callback = callback;
    this.repeatMs = repeatMs;
    this.schedule(timeoutMs);
    return this;
  }

  /** Stops the timer (`uv_timer_stop`); a no-op if it is not active. */
  stop(): this {
    this.assertOpen('stop');
    this.unschedule();
    return this;
  }

  /**
   * Restarts a repeating timer with `timeout = repeat` (`uv_timer_again`).
   * With `repeat` 0 it does nothing, even to an active timer (rule 3.5).
   * Throws `UVError` EINVAL if the timer was never started.
   */
  again(): this {
    this.assertOpen('again');
    if (this.callback === null) throw this.loop.errors.error(StatusCode.EINVAL, 'uv_timer_again');
    if (this.repeatMs !== 0) {
      this.unschedule();
      this.schedule(this.repeatMs);
    }
    return this;
  }

  /**
   * The repeat interval in ms (`uv_timer_get_repeat` / `uv_timer_set_repeat`).
   * Setting it takes effect at the next re-arm.
   */
  get repeat(): number {
    return this.repeatMs;
  }

  /** Sets the repeat interval in ms (`uv_timer_set_repeat`). */
  set repeat(value: number) {
    this.assertOpen('repeat');
    this.repeatMs = toMilliseconds(value, 'repeat', 'uv_timer_set_repeat');
  }

  /** Milliseconds until the stored due time, 0 if it has passed (`uv_timer_get_due_in`). */
  get dueIn(): number {
    const now = this.loop.now();
    return this.due > now ? this.due - now : 0;
  }

  /** @internal TIMERS phase, step 1: off the heap, inactive. */
  stopForExpiry(): void {
    this.loop.timerHeap.remove(this);
    this.deactivate();
  }

  /** @internal TIMERS phase, step 2: re-arm if repeating, then call back. */
  fire(): void {
    if (this.repeatMs !== 0) this.schedule(this.repeatMs);
    const callback = this.callback;
    if (callback !== null) this.loop.invoke(this, 'timer', callback);
  }

  protected closeResources(): void {
    this.unschedule();
  }

  private schedule(timeout: number): void {
    const loop = this.loop;
    const due = loop.now() + timeout;
    this.due = due > MAX_DUE ? MAX_DUE : due;
    this.startId = loop.timerStartCounter++;
    loop.timerHeap.insert(this);
    // Always unscheduled first, so activate() reports the change to the loop.
    this.activate();
  }

  /** Off the heap and out of 1.52's due batch (rule 3.4), inactive. */
  private unschedule(): void {
    this.inDueBatch = false;
    this.loop.timerHeap.remove(this);
    this.deactivate();
  }
}
