/**
 * `FSPoll` (`uv_fs_poll_t`): watch a path by stat-ing it every `interval`
 * milliseconds, and call back when what the stat shows changes.
 *
 * libuv builds it from two of its own pieces, a timer and an fs stat
 * request (src/fs-poll.c), and so does uvts: an internal `Timer` and the
 * `stat` of this module, as a thread-pool request. That gives libuv's rules
 * without a single Node watcher (docs/semantics.md rules 8.28-8.33):
 *
 * - Each `start()` makes a *context*: the path, the callback, the
 *   interval, the last good stat (zeros at first), the last result
 *   (`busyPolling`: 0 before the first stat, 1 after a success, the errno
 *   after a failure), its internal timer, and the context of an earlier
 *   start that is still winding down (`previous`).
 * - A stat's completion: a failure calls back only when its errno differs
 *   from the last result, with the last good stat and a zero stat; a
 *   success after a failure always calls back; a success after a success
 *   calls back only if one of the compared fields changed (ctime, mtime,
 *   birthtime, size, mode, uid, gid, inode, device, flags, generation);
 *   the first stat is silent. Then the timer is armed for the rest of the
 *   interval counted from when this stat was started, so the polls keep to
 *   the interval's grid.
 * - `stop()` makes the handle inactive at once and closes the timer if it
 *   is armed; a stat in flight ends without calling back and then closes
 *   the timer. Every stat counts as an active request until it ends (as
 *   in libuv 1.44.2 and 1.52.1).
 * - `close()` stops; the handle reaches the closing queue only when the
 *   last context's timer has closed, so its close callback comes at least
 *   one iteration after an ordinary handle's.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { requireFunction, toMilliseconds } from '../errors/internal.js';
import { Handle } from '../handles/handle.js';
import { Timer } from '../handles/timer.js';
import type { Loop } from '../loop/loop.js';
import { toPath } from './arguments.js';
import { stat } from './paths.js';
import { Stat } from './stat.js';

/**
 * An fs poll callback (pyuv's order): the handle, the last good stat (all
 * zeros before the first), the new stat (all zeros after a failure), and
 * the error (`null` on success).
 */
export type FSPollCallback = (
  handle: FSPoll,
  prev: Stat,
  curr: Stat,
  error: UVError | null,
) => void;

/** One start()..stop() period of a handle (libuv's `struct poll_ctx`). */
interface PollContext {
  readonly handle: FSPoll;
  readonly path: string;
  readonly interval: number;
  readonly callback: FSPollCallback;
  readonly timer: Timer;
  /** 0 before the first stat, 1 after a success, the errno after a failure. */
  busyPolling: number;
  /** When the current round's stat was started, in loop time. */
  startTime: number;
  /** The last good stat. */
  statbuf: Stat;
  /** The context of an earlier start that is still winding down. */
  previous: PollContext | null;
}

const ZERO = Stat.zero();

function sameTime(a: Stat['mtime'], b: Stat['mtime']): boolean {
  return a.sec === b.sec && a.nsec === b.nsec;
}

/** libuv's `statbuf_eq`: the fields whose change fs_poll reports. */
function statbufEqual(a: Stat, b: Stat): boolean {
  return (
    sameTime(a.ctime, b.ctime) &&
    sameTime(a.mtime, b.mtime) &&
    sameTime(a.birthtime, b.birthtime) &&
    a.size === b.size &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.ino === b.ino &&
    a.dev === b.dev &&
    a.flags === b.flags &&
    a.gen === b.gen
  );
}

/** An fs poll handle (`uv_fs_poll_t`). */
export class FSPoll extends Handle {
  /** Always `'fs_poll'`. */
  readonly type = 'fs_poll';
  /** The current context; older ones hang off its `previous` until their timers have closed. */
  private context: PollContext | null = null;

  /** Creates a stopped poll handle on `loop` (the default loop when omitted). */
  constructor(loop?: Loop) {
    super(loop);
  }

  /**
   * Starts polling `path` every `interval` ms (`uv_fs_poll_start`; 0 means
   * 1). The first stat starts at once. A handle that is already active is
   * left as it is: same path, same callback (libuv returns 0).
   */
  start(path: string, callback: FSPollCallback, interval: number): void {
    this.assertOpen('start');
    requireFunction(callback, 'fs poll callback');
    const file = toPath(path, 'path', 'uv_fs_poll_start');
    const ms = toMilliseconds(interval, 'interval', 'uv_fs_poll_start');
    if (this.active) return;
    const context: PollContext = {
      handle: this,
      path: file,
      interval: ms === 0 ? 1 : ms,
      callback,
      timer: new Timer(this.loop, true),
      busyPolling: 0,
      startTime: this.loop.now(),
      statbuf: ZERO,
      previous: this.context,
    };
    this.startStat(context);
    this.context = context;
    this.activate();
  }

  /** Stops polling (`uv_fs_poll_stop`): inactive at once; a stat in flight ends silently. */
  stop(): void {
    this.assertOpen('stop');
    this.stopPolling();
  }

  /** The path being polled (`uv_fs_poll_getpath`); EINVAL when the handle is not active. */
  getpath(): string {
    if (!this.active || this.context === null) {
      throw this.loop.errors.error(StatusCode.EINVAL, 'uv_fs_poll_getpath');
    }
    return this.context.path;
  }

  protected closeResources(): void {
    this.stopPolling();
    // libuv's uv__fs_poll_close: the close waits for the last context.
    if (this.context !== null) this.deferClose();
  }

  private stopPolling(): void {
    if (!this.active) return;
    const context = this.context;
    // An armed timer closes now; otherwise a stat is in flight and its
    // completion closes the timer.
    if (context !== null && context.timer.active) {
      context.timer.close(() => this.timerClosed(context));
    }
    this.deactivate();
  }

  /** Whether `context` is still the one polling (the handle may have been stopped, restarted or closed since). */
  private polling(context: PollContext): boolean {
    return this.active && !this.closing && this.context === context;
  }

  private startStat(context: PollContext): void {
    stat(this.loop, context.path, (_request, result, error) =>
      this.statDone(context, result, error),
    );
  }

  /** libuv's `poll_cb`: a stat of `context` completed. */
  private statDone(context: PollContext, result: Stat | undefined, error: UVError | null): void {
    if (this.polling(context)) {
      if (error !== null) {
        if (context.busyPolling !== error.errno) {
          this.callBack(context, context.statbuf, ZERO, error);
          context.busyPolling = error.errno;
        }
      } else if (result !== undefined) {
        if (
          context.busyPolling !== 0 &&
          (context.busyPolling < 0 || !statbufEqual(context.statbuf, result))
        ) {
          this.callBack(context, context.statbuf, result, null);
        }
        context.statbuf = result;
        context.busyPolling = 1;
      }
    }
    // The callback may have stopped or closed the handle.
    if (!this.polling(context)) {
      context.timer.close(() => this.timerClosed(context));
      return;
    }
    const elapsed = this.loop.now() - context.startTime;
    const wait = context.interval - (elapsed % context.interval);
    context.timer.start(() => this.timerFired(context), wait, 0);
  }

  /** libuv's `timer_cb`: the next round's stat. */
  private timerFired(context: PollContext): void {
    context.startTime = this.loop.now();
    this.startStat(context);
  }

  /** libuv's `timer_close_cb`: the context is gone; the last one lets a close complete. */
  private timerClosed(context: PollContext): void {
    if (this.context === context) {
      this.context = context.previous;
      if (this.context === null && this.closing) this.closeReady();
      return;
    }
    for (let later = this.context; later !== null; later = later.previous) {
      if (later.previous === context) {
        later.previous = context.previous;
        return;
      }
    }
  }

  private callBack(context: PollContext, prev: Stat, curr: Stat, error: UVError | null): void {
    const callback = context.callback;
    this.loop.invoke(this, 'fs_poll', (handle) => callback(handle, prev, curr, error));
  }
}
