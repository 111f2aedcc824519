/**
 * The loop hook: how a tool sees every `Loop` a program creates.
 *
 * `uvts-trace program.js` has to trace loops it did not create, in a program
 * that may import its own copy of uvts (another version, another
 * `node_modules`). So the hook is not a module-level variable but a property
 * of `globalThis` under a registered symbol, `Symbol.for('uvts.loopHook')`,
 * which every copy of uvts finds. The tool installs it before the program
 * starts (`node --import`); the `Loop` constructor reads it once and, when it
 * is there, asks it for a default profile and hands it the new loop.
 *
 * When nothing is installed (every ordinary program) the cost is that one
 * property read per `new Loop()`: nothing per iteration, phase or callback.
 * See `docs/tracing.md`, "Tracing a whole program".
 *
 * @module
 */
import type { Profile } from '../errors/index.js';

/** The registered symbol under which a {@link LoopHook} is installed on `globalThis`. */
export const LOOP_HOOK = Symbol.for('uvts.loopHook');

/**
 * What a tool installs as `globalThis[Symbol.for('uvts.loopHook')]`. Both
 * members are optional; the hook is read once per `new Loop()`.
 */
export interface LoopHook {
  /** The profile of loops created without a `libuv` option (a program's own choice wins). */
  readonly profile?: Profile;
  /**
   * Called at the end of the `Loop` constructor with the new loop. The loop
   * may come from any copy of uvts, so a hook should use only its public
   * API (`tracer`, `profile`, `handles`, `isRunning`).
   */
  loopCreated?(loop: object): void;
}

/** @internal The installed hook, or `undefined` (the usual case). */
export function installedLoopHook(): LoopHook | undefined {
  return (globalThis as { [LOOP_HOOK]?: LoopHook })[LOOP_HOOK];
}
