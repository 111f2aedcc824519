/**
 * The `when` conditions of scenario actions. They are evaluated apart from
 * the interpreter, which hands over only the two things a condition may
 * read beyond the running callback: a counter's value and a handle.
 */
import type { Condition, ConditionObject } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import { isClosing } from './handle-values.js';
import type { AnyHandle } from './handle-values.js';
import { compare } from './scenario-values.js';

/** What a condition can see of the scenario run besides the running callback. */
export interface ConditionState {
  /** The value of a scenario counter; 0 before its first `incr`. */
  counter(name: string): number;
  /** The handle a scenario reference (`$self` included) names, and its name. */
  lookup(ref: string | undefined, context: CallbackContext | undefined): [AnyHandle, string];
}

/**
 * True when the condition holds: an array holds when all its parts do.
 * `context` is the running callback, undefined for a top-level step.
 */
export function conditionHolds(
  condition: Condition,
  context: CallbackContext | undefined,
  state: ConditionState,
): boolean {
  if (Array.isArray(condition)) {
    return condition.every((part) => conditionHolds(part, context, state));
  }
  return holdsOne(condition, context, state);
}

function holdsOne(
  condition: ConditionObject,
  context: CallbackContext | undefined,
  state: ConditionState,
): boolean {
  const count = context?.count ?? 0;
  if (condition.call !== undefined && count !== condition.call) return false;
  if (condition.callAtLeast !== undefined && count < condition.callAtLeast) return false;
  if (condition.callAtMost !== undefined && count > condition.callAtMost) return false;
  if (condition.callEvery !== undefined && count % condition.callEvery !== 0) return false;
  if (condition.counter !== undefined) {
    let value = state.counter(condition.counter);
    if (condition.mod !== undefined) value %= condition.mod;
    if (!compare(value, condition.cmp ?? '==', condition.than ?? 0)) return false;
  }
  if (condition.status !== undefined) {
    // 'ok' (status 0, or data), 'error' (anything else, EOF included), or one
    // error name; a UDP receive callback's "nothing more" call is 'none', neither.
    const status = context?.status;
    if (status === undefined) return false;
    if (condition.status === 'ok' || condition.status === 'error') {
      if (status === 'none' || (status === 'ok') !== (condition.status === 'ok')) return false;
    } else if (status !== condition.status) {
      return false;
    }
  }
  if (condition.handle !== undefined) {
    const [handle] = state.lookup(condition.handle, context);
    if (condition.active !== undefined && handle.active !== condition.active) return false;
    if (condition.closing !== undefined && isClosing(handle) !== condition.closing) return false;
    if (condition.hasRef !== undefined && handle.hasRef() !== condition.hasRef) return false;
  }
  return true;
}
