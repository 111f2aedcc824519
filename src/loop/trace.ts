/**
 * Trace events: the loop explaining itself.
 *
 * Assign a function to `loop.tracer` and the loop reports, as plain objects,
 * every step a teacher would draw on a whiteboard: a `run()` starting, each
 * iteration with its cached `now`, each phase entered, the poll timeout it
 * chose and how many completions the poll dispatched, every callback it ran
 * (which handle, which kind of callback, in which phase) and what `run()`
 * returned. With `tracer === null` (the default) each site costs one
 * comparison and builds no object.
 *
 * The events are ordered exactly as the loop acts, so a printed trace is a
 * faithful, step-by-step account of one `uv_run`. See `docs/tracing.md`.
 *
 * @module
 */

/** The phases of one loop iteration, named as in libuv's documentation. */
export type Phase = 'timers' | 'pending' | 'idle' | 'prepare' | 'poll' | 'check' | 'closing';

/** Run modes by name, as accepted by `loop.run()`. */
export type RunModeName = 'default' | 'once' | 'nowait';

/**
 * What kind of callback ran: the handle's main callback for its type
 * (`'timer'`, `'idle'`, `'prepare'`, `'check'`, `'async'`), a close callback,
 * or the callback of a request or I/O event (streams, processes, fs add their
 * own kinds).
 */
export type CallbackKind = string;

/** `run()` was called. `alive` is the liveness computed at entry. */
export interface RunStartEvent {
  /** Discriminant. */
  readonly type: 'run-start';
  /** The run mode. */
  readonly mode: RunModeName;
  /** `uv_loop_alive` at entry; when false nothing runs. */
  readonly alive: boolean;
}

/** An iteration of the `while (alive && !stop)` loop begins. */
export interface IterationEvent {
  /** Discriminant. */
  readonly type: 'iteration';
  /** 1-based count of iterations within this `run()` call. */
  readonly iteration: number;
  /** The loop's cached time when the iteration began. */
  readonly now: number;
}

/** A phase begins. Emitted even when the phase has nothing to run. */
export interface PhaseEvent {
  /** Discriminant. */
  readonly type: 'phase';
  /** The phase that begins. */
  readonly phase: Phase;
  /**
   * Distinguishes the timers passes of one `run()` in profile 1.52
   * (`'start-of-run'` before the first iteration, `'end-of-iteration'`) and of
   * ONCE in 1.44 (`'end-of-iteration'`); pending batches after POLL say
   * `'post-poll'`.
   */
  readonly detail?: 'start-of-run' | 'end-of-iteration' | 'post-poll';
}

/** POLL computed its timeout (ms; -1 = wait without limit) and starts waiting. */
export interface PollStartEvent {
  /** Discriminant. */
  readonly type: 'poll-start';
  /** The computed poll timeout in ms; -1 = no limit, 0 = do not block. */
  readonly timeout: number;
  /** Whether the poll yields to Node at all (it does not when nothing outside can wake it). */
  readonly waits: boolean;
}

/** POLL finished waiting and dispatched `dispatched` completions. */
export interface PollEndEvent {
  /** Discriminant. */
  readonly type: 'poll-end';
  /** Completions run: I/O events, the async wake-up (counted once), signals. */
  readonly dispatched: number;
  /** The loop's cached time, refreshed after the wait. */
  readonly now: number;
}

/** A user callback is about to run. */
export interface CallbackEvent {
  /** Discriminant. */
  readonly type: 'callback';
  /** The phase the callback runs in. */
  readonly phase: Phase | 'outside';
  /** Which callback: `timer`, `close`, `read`, `write`, … */
  readonly kind: CallbackKind;
  /** The type of the handle the callback belongs to. */
  readonly handleType: string;
  /** That handle's per-loop id (creation order). */
  readonly handleId: number;
}

/** `run()` is returning `result`. */
export interface RunEndEvent {
  /** Discriminant. */
  readonly type: 'run-end';
  /** What `run()` returns: true while the loop is still alive. */
  readonly result: boolean;
  /** Why the loop left: not alive any more, `stop()` was called, or ONCE/NOWAIT finished its iteration. */
  readonly reason: 'not-alive' | 'stopped' | 'mode';
}

/** Every event a loop can report to its tracer. */
export type TraceEvent =
  | RunStartEvent
  | IterationEvent
  | PhaseEvent
  | PollStartEvent
  | PollEndEvent
  | CallbackEvent
  | RunEndEvent;

/** The tracer signature: called synchronously, in order, for every event. */
export type Tracer = (event: TraceEvent) => void;
