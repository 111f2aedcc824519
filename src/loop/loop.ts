/**
 * The event loop: libuv's `uv_loop_t` and `uv_run`.
 *
 * Three files make the loop, each a layer of one class:
 *
 * - `loop-state.ts`: what decides *when* a callback runs — the cached
 *   clock, the timer heap, the idle/prepare/check queues, the async list,
 *   the pending and closing queues, the counts of active handles and
 *   requests, the stop flag. Handles only put themselves into these
 *   structures (through the interfaces in `types.ts`).
 * - `phases.ts`: each phase, taking its work out of those structures.
 * - this file: `uv_run`, which runs the phases in libuv's order, and the
 *   public `Loop`.
 *
 * One iteration is plain synchronous code. It gives control back to Node
 * only in POLL, and only when the poll must actually wait (see `poller.ts`),
 * so a loop that is busy with timers and idle watchers runs as fast as a
 * `while` loop. When it does wait, the run is resumed by the poller's
 * callback (see `startRun`).
 *
 * The two profiles' `uv_run`s differ in where the timers phase sits: the
 * three switch points are the flags `timersBeforeRun`,
 * `timersAtIterationStart` and `timersAtIterationEnd` of the loop's
 * `behaviour` (profile.ts), so `startRun()`, `iterate()` and `afterPoll()`
 * read as both versions of `uv_run` (docs/semantics.md rules 1.B, 1.C,
 * 10.1). Every other difference is a flag of the same table.
 *
 * @module
 */
import { DEFAULT_PROFILE, LoopClosedError, StatusCode, UVError } from '../errors/index.js';
import type { Profile } from '../errors/index.js';
import { ProfileErrors } from '../errors/internal.js';
import { installedLoopHook } from './loop-hook.js';
import { LoopPhases } from './phases.js';
import { behaviourOf } from './profile.js';
import type { Behaviour } from './profile.js';
import type { RunModeName } from './trace.js';

/** The libuv versions whose observable behaviour a loop can follow (defined with the error table, whose names depend on it too). */
export type { Profile };
export type { Behaviour };

/**
 * The function called with errors thrown by callbacks; see
 * {@link Loop.excepthook}.
 */
export type ExceptHook = (loop: Loop, error: unknown) => void;

/** Options for `new Loop()`. */
export interface LoopOptions {
  /** Which libuv to behave like: `'1.52'` (current libuv, the default) or `'1.44'` (Debian's 1.44.2). */
  libuv?: Profile;
}

/** `uv_run_mode`: the numeric run modes. `run()` also takes their names. */
export const RunMode = Object.freeze({
  /** Run until the loop is not alive or `stop()` is called. */
  DEFAULT: 0,
  /** Run one iteration, waiting in POLL if there is nothing pending. */
  ONCE: 1,
  /** Run one iteration without waiting. */
  NOWAIT: 2,
} as const);

/** A run mode: one of {@link RunMode}'s numbers or its lower-case name. */
export type RunModeValue = (typeof RunMode)[keyof typeof RunMode] | RunModeName;

const MODE_NAMES: readonly RunModeName[] = ['default', 'once', 'nowait'];
/** libuv runs at most this many pending batches after POLL (rule 1.24). */
const POST_POLL_PENDING_BATCHES = 8;

let defaultLoop: Loop | null = null;

/** The two ends of a pending `run()` promise. */
interface RunSettlement {
  resolve(alive: boolean): void;
  reject(error: unknown): void;
}

function parseMode(mode: RunModeValue): RunModeName {
  if (typeof mode === 'string') {
    if ((MODE_NAMES as readonly string[]).includes(mode)) return mode as RunModeName;
  } else if (typeof mode === 'number') {
    const name = MODE_NAMES[mode];
    if (name !== undefined && Number.isInteger(mode)) return name;
  } else {
    throw new TypeError(`run mode must be a RunMode number or name, got ${typeof mode}`);
  }
  throw new UVError(StatusCode.EINVAL, { syscall: 'uv_run' });
}

/**
 * An event loop (`uv_loop_t`).
 *
 * ```ts
 * const loop = new Loop();
 * new Timer(loop).start(() => console.log('tick'), 10);
 * await loop.run();
 * loop.close();
 * ```
 */
export class Loop extends LoopPhases {
  /**
   * How this loop behaves where libuv 1.44 and 1.52 differ: its profile's
   * row of the profile table, one named flag per difference.
   */
  readonly behaviour: Behaviour;
  /** @internal Builds errors with this loop's profile (its error table). */
  readonly errors: ProfileErrors;
  /** Free for the user; the loop never touches it. */
  data: unknown = undefined;
  /**
   * What happens when a callback throws. `null` (the default): the loop
   * finishes the current iteration as if `stop()` had been called, then the
   * pending `run()` rejects with the error (or an `AggregateError` when
   * several callbacks threw); the loop stays consistent and can be run
   * again. A function: it is called with the loop and the error, and the
   * loop carries on; if the hook itself throws, the default applies.
   */
  excepthook: ExceptHook | null = null;

  // The run in progress, kept between the halves of an iteration that a
  // POLL wait separates (see `startRun`).
  private runMode: RunModeName = 'default';
  /** `uv_run`'s `r`: whether the loop was alive at the last check. */
  private runAlive = false;
  private runIteration = 0;
  private waitTimeout = 0;
  private waitStart = 0;
  /** How to settle `run()`'s promise once the run has had to wait. */
  private runSettlement: RunSettlement | null = null;
  /** Errors thrown by callbacks of the current run, for `run()` to reject with. */
  private callbackErrors: unknown[] = [];

  /** Creates a loop (`uv_loop_init`). */
  constructor(options: LoopOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('Loop options must be an object');
    }
    // A tool such as uvts-trace may watch every loop (loop-hook.ts).
    const hook = installedLoopHook();
    const behaviour = behaviourOf(options.libuv ?? hook?.profile ?? DEFAULT_PROFILE);
    if (behaviour === null) throw new UVError(StatusCode.EINVAL, { syscall: 'uv_loop_init' });
    this.behaviour = behaviour;
    this.errors = ProfileErrors.of(behaviour.profile);
    hook?.loopCreated?.(this);
  }

  /**
   * The shared default loop (`uv_default_loop`). After it has been closed,
   * the next call creates a fresh one.
   */
  static defaultLoop(): Loop {
    if (defaultLoop === null) defaultLoop = new Loop();
    return defaultLoop;
  }

  // ---------------------------------------------------------------- state

  /** True once `close()` has succeeded. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** True while `run()` is executing. */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Releases the loop (`uv_loop_close`). Throws `UVError` EBUSY while any
   * request is in flight or any handle has not finished closing, and while
   * `run()` is executing.
   */
  close(): void {
    if (this.isClosed) return;
    if (this.running || this.activeRequests > 0)
      throw new UVError(StatusCode.EBUSY, { syscall: 'uv_loop_close' });
    for (const handle of this.registry) {
      if (!handle.internal) throw new UVError(StatusCode.EBUSY, { syscall: 'uv_loop_close' });
    }
    this.isClosed = true;
    for (const handle of [...this.registry]) handle.loopClosed?.();
    this.poller.dispose();
    if (defaultLoop === this) defaultLoop = null;
  }

  // ---------------------------------------------------------------- run

  /**
   * Runs the loop (`uv_run`) and resolves to what `uv_run` returns: `true`
   * while the loop is still alive (work remains, or `stop()` ended a DEFAULT
   * run early), `false` when it ran out of work.
   *
   * Throws at once (instead of returning a rejected promise) when the loop is
   * closed or already running.
   */
  run(mode: RunModeValue = RunMode.DEFAULT): Promise<boolean> {
    const modeName = parseMode(mode);
    if (this.isClosed) throw new LoopClosedError();
    if (this.running)
      throw new UVError(StatusCode.EBUSY, {
        syscall: 'uv_run',
        message: 'loop is already running',
      });
    this.running = true;
    this.runMode = modeName;
    return this.startRun();
  }

  /**
   * `uv_run` up to its first wait. The run is a small state machine rather
   * than an async function: when POLL has to wait, `iterate()` returns, and
   * the poller calls `afterWait` from the Node callback that ended the
   * wait, which carries on from there. That saves a promise and two async
   * resumptions per wake-up, about a tenth of a ping-pong round trip
   * (docs/benchmarks.md), and a run that never has to wait is over — and
   * the loop runnable again — as soon as `run()` returns.
   */
  private startRun(): Promise<boolean> {
    try {
      this.runAlive = this.alive;
      if (!this.runAlive) this.updateTime();
      if (this.tracer !== null)
        this.trace({ type: 'run-start', mode: this.runMode, alive: this.runAlive });
      if (
        this.behaviour.timersBeforeRun &&
        this.runMode === 'default' &&
        this.runAlive &&
        !this.stopFlag
      ) {
        this.updateTime();
        this.runTimers('start-of-run');
      }
      this.runIteration = 0;
      if (this.iterate()) return Promise.resolve(this.endRun());
    } catch (error) {
      this.leaveRun();
      return Promise.reject(error);
    }
    return new Promise<boolean>((resolve, reject) => {
      this.runSettlement = { resolve, reject };
    });
  }

  /**
   * `uv_run`'s `while (alive && !stop)` loop: each statement is one phase,
   * in libuv's order. Returns `false` when POLL has started to wait (the
   * run goes on in `afterWait`), `true` when the run is over.
   */
  private iterate(): boolean {
    const timersFirst = this.behaviour.timersAtIterationStart;
    const mode = this.runMode;
    while (this.runAlive && !this.stopFlag) {
      this.runIteration++;
      if (timersFirst) this.updateTime();
      if (this.tracer !== null)
        this.trace({ type: 'iteration', iteration: this.runIteration, now: this.cachedNow });
      if (timersFirst) this.runTimers();

      const canSleep = this.pendingQueue.isEmpty() && this.idleQueue.isEmpty();
      this.runPending();
      this.runWatchers('idle', this.idleQueue);
      this.runWatchers('prepare', this.prepareQueue);

      let timeout = 0;
      if (mode === 'default' || (mode === 'once' && canSleep)) timeout = this.getTimeout();
      this.pollCount++;
      this.poller.beginPoll();
      this.metricsState.readyBeforePoll = this.poller.hasReady();
      if (this.mustWait(timeout)) {
        this.startWait(timeout);
        return false;
      }
      this.traceSyncPoll(timeout);
      // libuv refreshes `now` after every return from epoll_wait, a
      // non-blocking one included (rule 1.18), so CHECK and later phases
      // see the time spent in earlier callbacks (test/run-modes.test.ts).
      this.updateTime();
      if (!this.afterPoll()) break;
    }
    return true;
  }

  /**
   * The rest of an iteration once POLL is done waiting: its dispatch, the
   * pending batches it fed, CHECK, closing callbacks, and (1.52, or a ONCE
   * run) the end-of-iteration timers. Returns whether `uv_run` loops again.
   */
  private afterPoll(): boolean {
    this.poller.settle();
    this.metricsState.dispatched(this.dispatchCompletions());
    for (let batch = 0; batch < POST_POLL_PENDING_BATCHES; batch++) {
      if (this.pendingQueue.isEmpty()) break;
      this.runPending('post-poll');
    }
    this.runWatchers('check', this.checkQueue);
    this.runClosing();
    if (this.behaviour.timersAtIterationEnd || this.runMode === 'once') {
      this.updateTime();
      this.runTimers('end-of-iteration');
    }
    this.runAlive = this.alive;
    return this.runMode === 'default';
  }

  /** POLL starts waiting for completions, at most `timeout` ms (-1: no limit). */
  private startWait(timeout: number): void {
    this.enterPhase('poll');
    if (this.tracer !== null) this.trace({ type: 'poll-start', timeout, waits: true });
    // A writable UDP socket (ready without Node) makes epoll_wait return at once.
    const effective = this.poller.hasReady() ? 0 : timeout;
    this.waitTimeout = effective;
    this.waitStart = this.cachedNow;
    this.metricsState.waitStarted();
    this.poller.wait(effective, this.cachedNow, this.afterWait);
  }

  /**
   * The poller ends a wait. Like `epoll_wait`, POLL returns after one batch
   * of events, and waits again for the rest of the timeout only when it
   * woke with nothing to do before the timeout had elapsed in loop time
   * (rule 1.17). Then the run goes on where `iterate()` left it.
   */
  private readonly afterWait = (): void => {
    let result: boolean;
    try {
      this.metricsState.waitEnded();
      this.updateTime();
      const timeout = this.waitTimeout;
      if (!this.poller.hasReady() && timeout !== 0) {
        const remaining = timeout < 0 ? -1 : timeout - (this.cachedNow - this.waitStart);
        if (timeout < 0 || remaining > 0) {
          this.metricsState.waitStarted();
          this.poller.wait(remaining, this.cachedNow, this.afterWait);
          return;
        }
      }
      if (this.afterPoll() && !this.iterate()) return;
      result = this.endRun();
    } catch (error) {
      this.leaveRun();
      this.takeSettlement().reject(error);
      return;
    }
    this.takeSettlement().resolve(result);
  };

  /** `uv_run` returns: what it returns, or what loop callbacks threw (see `excepthook`). */
  private endRun(): boolean {
    try {
      const stopped = this.stopFlag;
      if (this.tracer !== null)
        this.trace({
          type: 'run-end',
          result: this.runAlive,
          reason: stopped ? 'stopped' : this.runAlive ? 'mode' : 'not-alive',
        });
      // After the event: a tracer that throws on it must not stop the next run.
      this.stopFlag = false;
      this.throwCallbackErrors();
      return this.runAlive;
    } finally {
      this.leaveRun();
    }
  }

  /**
   * A callback threw: the excepthook decides, and without one (or when it
   * throws itself) the run ends after this iteration and rejects with the
   * error (see `excepthook`).
   */
  protected reportCallbackError(error: unknown): void {
    const hook = this.excepthook;
    if (hook !== null) {
      try {
        hook(this, error);
        return;
      } catch (hookError) {
        error = hookError;
      }
    }
    this.callbackErrors.push(error);
    this.stopFlag = true;
  }

  private throwCallbackErrors(): void {
    const errors = this.callbackErrors;
    if (errors.length === 0) return;
    this.callbackErrors = [];
    if (errors.length === 1) throw errors[0];
    throw new AggregateError(errors, `${errors.length} loop callbacks threw`);
  }

  /** The loop is no longer running, however the run ended. */
  private leaveRun(): void {
    this.running = false;
    this.currentPhase = 'outside';
    this.poller.release();
  }

  private takeSettlement(): RunSettlement {
    const settlement = this.runSettlement;
    this.runSettlement = null;
    if (settlement === null)
      throw new Error('uvts internal error: a run resumed without its promise');
    return settlement;
  }
}
