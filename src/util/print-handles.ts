/**
 * `uv_print_all_handles` and `uv_print_active_handles`: a debugging dump
 * of a loop's handles, one line each, in libuv's format:
 *
 * ```
 * [R--] timer    0x000000000001
 * [RA-] idle     0x000000000002
 * ```
 *
 * The flags are R (referenced), A (active) and I (internal); then the type
 * name padded to eight characters and the handle's address. A handle has
 * no address in JavaScript, so its id (unique within the loop, in creation
 * order) stands in for one. libuv's loop owns two internal handles of its
 * own (the child-exit signal watcher and the thread pool's async); uvts's
 * loop hides its internal handles from `walk()`, so they are not listed
 * (docs/deviations.md X1).
 *
 * @module
 */
import { writeSync } from 'node:fs';

/** What the dump needs of a handle (a `LoopHandle`). */
export interface PrintableHandle {
  /** The type name. */
  readonly type: string;
  /** The per-loop id. */
  readonly id: number;
  /** `uv_is_active`. */
  readonly active: boolean;
  /** `uv_has_ref`. */
  readonly referenced: boolean;
}

/** What the dump needs of a loop (a `Loop`): its handles in creation order. */
export interface PrintableLoop {
  /** The loop's handles, as `walk()` visits them. */
  readonly handles: readonly PrintableHandle[];
}

/** Where the dump goes: a file descriptor (written synchronously, as libuv does) or something with `write()`. */
export type PrintTarget =
  | number
  | {
      /** Receives the whole dump as one string. */
      write(text: string): unknown;
    };

/** The dump line of one handle. */
function line(handle: PrintableHandle): string {
  const flags = `${handle.referenced ? 'R' : '-'}${handle.active ? 'A' : '-'}-`;
  return `[${flags}] ${handle.type.padEnd(8)} 0x${handle.id.toString(16).padStart(12, '0')}\n`;
}

function print(loop: PrintableLoop, target: PrintTarget, onlyActive: boolean): void {
  if (typeof loop !== 'object' || loop === null || !Array.isArray(loop.handles))
    throw new TypeError('the first argument must be a Loop');
  let text = '';
  for (const handle of loop.handles) if (!onlyActive || handle.active) text += line(handle);
  if (typeof target === 'number') writeSync(target, text);
  else target.write(text);
}

/** Prints every handle of `loop` (`uv_print_all_handles`), to standard error by default. */
export function printAllHandles(loop: PrintableLoop, target: PrintTarget = 2): void {
  print(loop, target, false);
}

/** Prints the active handles of `loop` (`uv_print_active_handles`), to standard error by default. */
export function printActiveHandles(loop: PrintableLoop, target: PrintTarget = 2): void {
  print(loop, target, true);
}
