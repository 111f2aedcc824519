/**
 * `Idle`, `Prepare` and `Check`: one definition for three handles, as libuv's
 * `src/unix/loop-watcher.c` generates all three from one macro.
 *
 * Each watcher type has its own queue on the loop, walked once per iteration
 * in its phase. `start()` links the watcher at the *front*, so watchers run
 * most recently started first (rule 4.3), and starting an active watcher
 * keeps its old callback (rule 4.1). How a phase walks its queue — detach,
 * then requeue each watcher just before its callback — is in
 * `loop/phases.ts` (rule 4.4).
 *
 * What sets the three apart is only where their phase sits (idle before
 * prepare, both before POLL; check after it) and that an active idle watcher,
 * ref'd or not, makes POLL non-blocking (rule 4.5).
 *
 * @module
 */
import type { Loop } from '../loop/loop.js';
import { QueueNode } from '../loop/queue.js';
import type { Queue } from '../loop/queue.js';
import type { PhaseWatcher } from '../loop/types.js';
import { requireFunction } from '../errors/internal.js';
import { Handle } from './handle.js';

/**
 * The shared implementation of {@link Idle}, {@link Prepare} and
 * {@link Check}; not exported from the package.
 */
export abstract class LoopWatcher extends Handle {
  /** @internal This watcher's link in its phase queue. */
  readonly phaseNode: QueueNode<PhaseWatcher> = new QueueNode<PhaseWatcher>(this);
  private callback: ((handle: this) => void) | null = null;

  /** The loop queue this watcher type lives in. */
  protected abstract phaseQueue(): Queue<PhaseWatcher>;

  /**
   * Starts the watcher: `callback` runs once per loop iteration in the
   * watcher's phase. A no-op if already active (the old callback stays).
   */
  start(callback: (handle: this) => void): this {
    this.assertOpen('start');
    requireFunction(callback, `${this.type} callback`);
    if (this.active) return this;
    this.phaseQueue().insertHead(this.phaseNode);
    this.callback = callback;
    this.activate();
    return this;
  }

  /** Stops the watcher; a no-op if it is not active. */
  stop(): this {
    this.assertOpen('stop');
    this.unlink();
    return this;
  }

  /** @internal */
  runPhase(): void {
    const callback = this.callback;
    if (callback !== null) this.loop.invoke(this, this.type, callback);
  }

  protected closeResources(): void {
    this.unlink();
  }

  private unlink(): void {
    if (!this.active) return;
    this.phaseNode.remove();
    this.deactivate();
  }
}

/**
 * An idle watcher (`uv_idle_t`): runs once per iteration before PREPARE, and
 * while active keeps POLL from blocking.
 */
export class Idle extends LoopWatcher {
  /** Always `'idle'`. */
  readonly type = 'idle';
  /** Creates a stopped idle watcher on `loop` (the default loop when omitted). */
  constructor(loop?: Loop) {
    super(loop);
  }
  protected phaseQueue(): Queue<PhaseWatcher> {
    return this.loop.idleQueue;
  }
}

/** A prepare watcher (`uv_prepare_t`): runs once per iteration right before POLL. */
export class Prepare extends LoopWatcher {
  /** Always `'prepare'`. */
  readonly type = 'prepare';
  /** Creates a stopped prepare watcher on `loop` (the default loop when omitted). */
  constructor(loop?: Loop) {
    super(loop);
  }
  protected phaseQueue(): Queue<PhaseWatcher> {
    return this.loop.prepareQueue;
  }
}

/** A check watcher (`uv_check_t`): runs once per iteration right after POLL. */
export class Check extends LoopWatcher {
  /** Always `'check'`. */
  readonly type = 'check';
  /** Creates a stopped check watcher on `loop` (the default loop when omitted). */
  constructor(loop?: Loop) {
    super(loop);
  }
  protected phaseQueue(): Queue<PhaseWatcher> {
    return this.loop.checkQueue;
  }
}
