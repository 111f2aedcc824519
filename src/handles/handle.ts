/**
 * `Handle`: what every handle type shares (`uv_handle_t`).
 *
 * The state that decides liveness is four flags, as in libuv: ACTIVE (the
 * type's start/stop logic sets it), REF (from creation on; `ref()`/`unref()`
 * toggle it), CLOSING and CLOSED. The loop's count of active handles holds
 * exactly the handles that are ACTIVE and REF and not CLOSING, and only the
 * two helpers `activate()` and `deactivate()` plus `ref()`/`unref()` touch
 * that count, so it cannot drift (rule 2.2).
 *
 * Closing follows `uv_close` (§6): the handle becomes CLOSING at once, its
 * type-specific resources are released synchronously (`closeResources`), it
 * goes onto the loop's closing queue, and in the next CLOSING phase it is
 * marked CLOSED, unref'd, removed from the handle list, and its close
 * callback runs.
 *
 * @module
 */
import { StatusCode } from '../errors/index.js';
import { requireFunction } from '../errors/internal.js';
import { Loop } from '../loop/loop.js';
import type { Bivariant, ClosableHandle, HandleType } from '../loop/types.js';

const ACTIVE = 1;
const REF = 2;
const CLOSING = 4;
const CLOSED = 8;

/** A close callback: receives the handle that finished closing (bivariant, see `Bivariant`). */
export type CloseCallback<H> = Bivariant<(handle: H) => void>;

/** The base class of every handle (`uv_handle_t`). */
export abstract class Handle {
  /** The loop this handle belongs to. */
  readonly loop: Loop;
  /** A per-loop number, unique among the loop's handles, in creation order. */
  readonly id: number;
  /** The handle's type name (`uv_handle_type_name`). */
  abstract readonly type: HandleType;
  /** Free for the user; uvts never touches it. */
  data: unknown = undefined;
  /** @internal Internal handles are invisible to `walk()` and to `loop.close()`'s EBUSY check. */
  readonly internal: boolean;

  /** @internal The loop's handle list runs through its handles (loop-state.ts). */
  handleListPrev: ClosableHandle | null = null;
  /** @internal */
  handleListNext: ClosableHandle | null = null;
  /** @internal */
  handleListed = false;

  private flags = REF;
  private closeCallback: CloseCallback<this> | null = null;
  /** Set by `deferClose()`: the close waits for `closeReady()`. */
  private closeWaits = false;

  /**
   * @param loop The loop; the default loop when omitted (`undefined`), a TypeError for anything else that is no Loop.
   * @param internal For handles uvts creates for itself.
   */
  protected constructor(loop: Loop | undefined, internal = false) {
    // Only an omitted loop means the default one: `null` is a mistake.
    const owner = loop === undefined ? Loop.defaultLoop() : loop;
    if (!(owner instanceof Loop)) throw new TypeError('the first argument must be a Loop');
    this.loop = owner;
    this.internal = internal;
    this.id = owner.registerHandle(this);
    if (internal) this.flags &= ~REF;
  }

  /** True while the handle is active (`uv_is_active`); what "active" means depends on the type. */
  get active(): boolean {
    return (this.flags & ACTIVE) !== 0;
  }

  /** True from `close()` on (`uv_is_closing`). */
  get closing(): boolean {
    return (this.flags & (CLOSING | CLOSED)) !== 0;
  }

  /** True once the close callback phase has finished with the handle. */
  get closed(): boolean {
    return (this.flags & CLOSED) !== 0;
  }

  /** Whether the handle is ref'd; assigning calls `ref()` or `unref()`. */
  get referenced(): boolean {
    return (this.flags & REF) !== 0;
  }

  /** `true` calls `ref()`, `false` calls `unref()`. */
  set referenced(value: boolean) {
    if (value) this.ref();
    else this.unref();
  }

  /** Refs the handle (`uv_ref`): an active ref'd handle keeps the loop alive. Idempotent. */
  ref(): void {
    this.assertOpen('ref');
    if ((this.flags & REF) !== 0) return;
    this.flags |= REF;
    if ((this.flags & ACTIVE) !== 0) this.loop.activeHandles++;
    this.loop.noteChange();
  }

  /** Unrefs the handle (`uv_unref`): it no longer keeps the loop alive. Idempotent. */
  unref(): void {
    this.assertOpen('unref');
    if ((this.flags & REF) === 0) return;
    this.flags &= ~REF;
    if ((this.flags & ACTIVE) !== 0) this.loop.activeHandles--;
    this.loop.noteChange();
  }

  /** `uv_has_ref`. */
  hasRef(): boolean {
    return (this.flags & REF) !== 0;
  }

  /**
   * Closes the handle (`uv_close`). It stops at once (inactive, no more
   * callbacks of its type); `callback` runs in the loop's next CLOSING
   * phase. Requests still in flight get ECANCELED. A second call does
   * nothing (libuv asserts instead; see docs/deviations.md).
   */
  close(callback?: CloseCallback<this>): void {
    if (callback !== undefined && callback !== null) requireFunction(callback, 'close callback');
    if ((this.flags & (CLOSING | CLOSED)) !== 0) return;
    this.flags |= CLOSING;
    this.closeCallback = callback ?? null;
    this.closeResources();
    this.deactivate();
    if (!this.closeWaits) this.loop.queueClosing(this);
  }

  /**
   * For a type whose close must wait for something of its own (fs_poll:
   * its internal timer's close; libuv's src/fs-poll.c): called from
   * `closeResources()`, it keeps the handle off the closing queue until
   * the type calls {@link closeReady} (libuv's `uv__make_close_pending`).
   */
  protected deferClose(): void {
    this.closeWaits = true;
  }

  /** Ends a wait begun by {@link deferClose}: the close callback comes in the next CLOSING phase. */
  protected closeReady(): void {
    if (!this.closeWaits) return;
    this.closeWaits = false;
    this.loop.queueClosing(this);
  }

  /** @internal Runs in the CLOSING phase. */
  finishClose(): void {
    this.flags = (this.flags | CLOSED) & ~(CLOSING | REF);
    this.loop.unregisterHandle(this);
    this.afterClose();
    const callback = this.closeCallback;
    if (callback !== null) {
      this.closeCallback = null;
      this.loop.invoke(this, 'close', callback);
    }
  }

  /**
   * Throws `HandleClosedError` if the handle is closing or closed. `errno`
   * is what libuv answers for that operation on a closed handle (EINVAL for
   * most, EBADF for a write, ENOTCONN for a shutdown).
   */
  protected assertOpen(operation: string, errno: number = StatusCode.EINVAL): void {
    if ((this.flags & (CLOSING | CLOSED)) !== 0) {
      throw this.loop.errors.closed(errno, `${this.type}.${operation}`);
    }
  }

  /** Marks the handle active; counts it for liveness if it is ref'd (`uv__handle_start`). */
  protected activate(): void {
    if ((this.flags & ACTIVE) !== 0) return;
    this.flags |= ACTIVE;
    if ((this.flags & REF) !== 0) this.loop.activeHandles++;
    this.loop.noteChange();
  }

  /** Marks the handle inactive (`uv__handle_stop`). */
  protected deactivate(): void {
    if ((this.flags & ACTIVE) === 0) return;
    this.flags &= ~ACTIVE;
    if ((this.flags & REF) !== 0) this.loop.activeHandles--;
    this.loop.noteChange();
  }

  /** Releases the type's resources synchronously, as `uv_close` does for each type. */
  protected abstract closeResources(): void;

  /** Hook run in CLOSING before the close callback (streams cancel their requests here). */
  protected afterClose(): void {}
}
