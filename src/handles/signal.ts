/**
 * `Signal` (`uv_signal_t`): Unix signals as loop callbacks.
 *
 * libuv installs one process-wide handler per signal; the handler writes a
 * message per watching handle into each owning loop's signal pipe, and the
 * loop reads the pipe last in POLL (rules 8.9–8.15, 1.20). uvts does the same
 * with Node's `process.on(name)`: one Node listener per signal, installed
 * when the first handle starts watching it and removed when the last one
 * stops (so the disposition goes back to the default, rule 8.14). The
 * listener only records a completion per watching handle with
 * `poller.enqueueLate()`, so callbacks run after every I/O completion of the
 * same poll, and a message for a handle that no longer watches that signal
 * (stopped, closed, restarted on another one) is dropped at dispatch (8.13).
 *
 * Liveness: Node's signal listener does not hold the process (docs/node.md
 * Q5), but none is needed: an active ref'd Signal keeps its loop alive, and
 * the loop's poller holds the process while it waits (poller.ts). Each
 * watching handle attaches the signal's listener to its Node-object
 * watcher, which counts it, so that a zero-timeout poll still gives Node
 * the turn in which its signal listener runs.
 *
 * Differences from libuv, each pinned by a test in `test/signal*.test.ts`:
 * watchers of one signal are called in start order (libuv's order is that
 * of an internal tree, effectively unspecified); only signals Node can name
 * (`os.constants.signals`) are accepted, so real-time signals are EINVAL;
 * SIGPIPE stays caught (and ignored) after its last watcher stops, because
 * Node ignores SIGPIPE and JavaScript cannot restore SIG_IGN — the default
 * disposition would kill the process at the next broken-pipe write; the
 * one-shot flag is cleared by `stop()` (libuv keeps it, so a later `start()`
 * would still stop after one delivery); and a one-shot watcher does not
 * reset the kernel disposition at delivery (SA_RESETHAND), it stops at
 * dispatch. Signals are delivered to the main thread only (Q5), so `start()`
 * in a worker thread throws ENOTSUP instead of never firing.
 *
 * @module
 */
import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { StatusCode } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';
import { requireFunction } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import { Handle } from './handle.js';

/** A signal callback: the handle and the signal number it caught. */
export type SignalCallback = (handle: Signal, signum: number) => void;

/** Signal numbers by name, and names by number, as Node knows them. */
const NUMBERS: Readonly<Record<string, number>> = os.constants.signals;
const NAMES = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(NUMBERS)) {
  // Aliases (SIGIOT = SIGABRT, SIGPOLL = SIGIO) come after the real name.
  if (!NAMES.has(number)) NAMES.set(number, name as NodeJS.Signals);
}

/** The two signals no process can catch (`sigaction` answers EINVAL). */
const UNCATCHABLE = new Set([NUMBERS.SIGKILL, NUMBERS.SIGSTOP]);

/** Watching handles per signal number, in start order (8.13: uvts uses start order). */
const watchers = new Map<number, Set<Signal>>();
/** The Node listener installed for each watched signal. */
const listeners = new Map<number, () => void>();
/** Signals whose listener stays installed once added; see the module comment. */
const KEEP_CAUGHT = new Set([NUMBERS.SIGPIPE]);

function toSignum(value: unknown, syscall: string, errors: ProfileErrors): number {
  let signum: number | undefined;
  if (typeof value === 'number') signum = value;
  else if (typeof value === 'string') signum = Object.hasOwn(NUMBERS, value) ? NUMBERS[value] : 0;
  else throw new TypeError(`signum must be a number or a signal name, got ${typeof value}`);
  if (
    signum === undefined ||
    !Number.isInteger(signum) ||
    !NAMES.has(signum) ||
    UNCATCHABLE.has(signum)
  ) {
    throw errors.error(StatusCode.EINVAL, syscall);
  }
  return signum;
}

/**
 * Adds `handle` to the watchers of `signum`, installing the Node listener
 * first if needed; returns that listener, the Node object the handle's
 * watcher attaches.
 */
function addWatcher(handle: Signal, signum: number): () => void {
  let set = watchers.get(signum);
  let listener = listeners.get(signum);
  if (listener === undefined) {
    const installed = (): void => broadcast(signum);
    process.on(NAMES.get(signum) as NodeJS.Signals, installed);
    listeners.set(signum, installed);
    listener = installed;
  }
  if (set === undefined) {
    set = new Set();
    watchers.set(signum, set);
  }
  set.add(handle);
  return listener;
}

/** Removes `handle`; the last watcher of a signal takes the Node listener with it (8.14). */
function removeWatcher(handle: Signal, signum: number): void {
  const set = watchers.get(signum);
  if (set === undefined) return;
  set.delete(handle);
  if (set.size > 0) return;
  watchers.delete(signum);
  const listener = listeners.get(signum);
  if (listener === undefined || KEEP_CAUGHT.has(signum)) return;
  listeners.delete(signum);
  process.removeListener(NAMES.get(signum) as NodeJS.Signals, listener);
}

/**
 * The Node listener's whole job: one message per watching handle, on that
 * handle's loop (8.12). No user code runs here (docs/architecture.md, the one rule).
 */
function broadcast(signum: number): void {
  const set = watchers.get(signum);
  if (set === undefined) return;
  for (const handle of set) handle.caught(signum);
}

/**
 * A signal handle (`uv_signal_t`).
 *
 * ```ts
 * const sig = new Signal(loop);
 * sig.start((handle, signum) => handle.close(), 'SIGINT');
 * ```
 */
export class Signal extends Handle {
  /** Always `'signal'`. */
  readonly type = 'signal';

  private watched = 0;
  private oneShot = false;
  private callback: SignalCallback | null = null;
  /** Attaches the Node listener of the watched signal while the handle watches. */
  private readonly watcher = new NodeWatcher<() => void>(this.loop);

  /** Creates a signal handle (`uv_signal_init`); it watches nothing until `start()`. */
  constructor(loop?: Loop) {
    super(loop);
  }

  /** The signal being watched, or 0 when the handle is stopped (`uv_signal_t.signum`). */
  get signum(): number {
    return this.watched;
  }

  /**
   * Starts watching `signum`, a number or a name such as `'SIGINT'`
   * (`uv_signal_start`); `callback(handle, signum)` runs in POLL, after the
   * I/O callbacks of the same poll, once per caught signal. Watching the
   * same signal again only replaces the callback. Throws EINVAL for 0, an
   * unknown signal, SIGKILL or SIGSTOP.
   */
  start(callback: SignalCallback, signum: number | string): this {
    return this.startWatching(callback, signum, false, 'uv_signal_start');
  }

  /**
   * Like {@link start}, but the handle stops itself after the first
   * delivery (`uv_signal_start_oneshot`): right after that callback, so the
   * handle is still active inside it and restarting it there on the same
   * signal changes nothing (libuv's order).
   */
  startOneshot(callback: SignalCallback, signum: number | string): this {
    return this.startWatching(callback, signum, true, 'uv_signal_start_oneshot');
  }

  /** Stops watching (`uv_signal_stop`); a no-op when stopped. Messages not yet dispatched are dropped. */
  stop(): this {
    this.assertOpen('stop');
    this.stopWatching();
    return this;
  }

  /** @internal The Node listener caught `signum`: records its dispatch, last in POLL (rule 1.20). */
  caught(signum: number): void {
    this.watcher.reportLate(() => this.dispatch(signum));
  }

  /** Runs one caught signal for this handle, in POLL (libuv's `uv__signal_event`). */
  private dispatch(signum: number): void {
    if (this.closing) return;
    if (signum === this.watched) {
      this.loop.invoke1(this, 'signal', this.callback as SignalCallback, signum);
    }
    if (this.oneShot && !this.closing) this.stopWatching();
  }

  protected closeResources(): void {
    this.stopWatching();
  }

  private startWatching(
    callback: SignalCallback,
    value: number | string,
    oneShot: boolean,
    syscall: string,
  ): this {
    this.assertOpen(oneShot ? 'startOneshot' : 'start');
    requireFunction(callback, 'signal callback');
    const errors = this.loop.errors;
    const signum = toSignum(value, syscall, errors);
    if (signum === this.watched) {
      this.callback = callback;
      return this;
    }
    if (!isMainThread) {
      // Node delivers signals to the main thread only (docs/node.md Q5).
      throw errors.error(StatusCode.ENOTSUP, syscall, {
        message: 'signals can only be watched on the main thread',
      });
    }
    this.stopWatching();
    let listener: () => void;
    try {
      listener = addWatcher(this, signum);
    } catch (error) {
      // Node refused the signal (e.g. one the OS will not let us catch).
      throw errors.error(StatusCode.EINVAL, syscall, { cause: error });
    }
    this.watched = signum;
    this.oneShot = oneShot;
    this.callback = callback;
    // Counted as a Node-backed watcher, so that a zero-timeout POLL still
    // gives Node the turn in which its signal listener runs.
    this.watcher.attach(listener);
    this.activate();
    return this;
  }

  private stopWatching(): void {
    const signum = this.watched;
    if (signum === 0) return;
    removeWatcher(this, signum);
    this.watched = 0;
    this.oneShot = false;
    this.callback = null;
    this.watcher.detach();
    this.deactivate();
  }
}
