/**
 * Loop metrics (`uv_metrics_info`, `uv_metrics_idle_time`) and the options
 * of `uv_loop_configure`.
 *
 * libuv counts, per loop: iterations that reached POLL (`loop_count`, kept
 * by the loop itself as `pollCount`, since handles use it too), events POLL
 * dispatched (`events`), and those of them that were already
 * waiting when POLL began (`events_waiting`). With `METRICS_IDLE_TIME`
 * configured it also sums the time spent blocked in the kernel wait — not
 * time spent in callbacks — which is what `uv_metrics_idle_time` returns, in
 * nanoseconds. Here "blocked" is the time the poller's wait for Node (or a
 * doorbell) took.
 *
 * @module
 */

/** `uv_loop_option`: the options `loop.configure()` takes. */
export const LoopOption = Object.freeze({
  /** Block a signal while polling (libuv: only SIGPROF). Accepted; Node cannot block signals. */
  BLOCK_SIGNAL: 0,
  /** Measure the time the loop spends waiting in POLL (`metricsIdleTime()`). */
  METRICS_IDLE_TIME: 1,
  /** io_uring SQPOLL (libuv 1.49+). Accepted by profile 1.52 and without effect; ENOSYS in 1.44. */
  USE_IO_URING_SQPOLL: 2,
} as const);

/** A `LoopOption` value. */
export type LoopOptionValue = (typeof LoopOption)[keyof typeof LoopOption];

/** `uv_metrics_t`: what `loop.metrics` reports. */
export interface LoopMetricsInfo {
  /** Iterations that reached POLL. */
  readonly loopCount: number;
  /** Events (completions) POLL dispatched. */
  readonly events: number;
  /** Of those, the events that were already waiting when POLL began. */
  readonly eventsWaiting: number;
}

/** @internal The counters behind `loop.metrics` and `loop.metricsIdleTime()`. */
export class LoopMetrics {
  events = 0;
  eventsWaiting = 0;
  /** Set by `configure(METRICS_IDLE_TIME)`. */
  idleTimeEnabled = false;
  private idleNanoseconds = 0;
  private waitStartedAt = 0n;

  /** A wait in POLL begins. */
  waitStarted(): void {
    if (this.idleTimeEnabled) this.waitStartedAt = process.hrtime.bigint();
  }

  /** The wait ended; its duration counts as idle time. */
  waitEnded(): void {
    if (this.idleTimeEnabled && this.waitStartedAt !== 0n) {
      this.idleNanoseconds += Number(process.hrtime.bigint() - this.waitStartedAt);
      this.waitStartedAt = 0n;
    }
  }

  /**
   * Whether the current POLL found completions already recorded when it
   * began: its events then count as waiting (docs/deviations.md M2).
   */
  readyBeforePoll = false;

  /**
   * POLL dispatched `count` events: the loop's own count, and the thread
   * pool's extra completions (libuv's src/threadpool.c `uv__work_done`
   * counts every request it calls back after the first as one more event).
   */
  dispatched(count: number): void {
    this.events += count;
    if (this.readyBeforePoll) this.eventsWaiting += count;
  }

  /** Idle time so far, in nanoseconds. */
  get idleTime(): number {
    return this.idleNanoseconds;
  }
}
