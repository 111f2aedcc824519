/**
 * How the uvts driver turns scenario arguments into library arguments and
 * library results into trace text. The luv driver makes the same
 * conversions, so each one here follows docs/conformance.md to the letter.
 */
import { UVError } from 'uvts';
import type { ActionArgs, Comparison, SignalName, U64 } from '../../lib/scenario.js';
import { ScenarioError } from './scenario-errors.js';

/**
 * The largest number the driver passes for 'UINT64_MAX'. JavaScript numbers
 * cannot hold 2^64-1; uvts saturates due times, so the nearest double is the
 * faithful stand-in.
 */
const UINT64_MAX_AS_NUMBER = 2 ** 64 - 1;

/** Maps what a uvts call threw to the libuv error name the trace prints. */
export function errorName(error: unknown): string {
  if (error instanceof UVError) return error.code;
  // uvts follows JavaScript practice and throws TypeError for a missing
  // callback, where libuv returns UV_EINVAL.
  if (error instanceof TypeError) return 'EINVAL';
  throw error;
}

/** Applies a scenario comparison (`cmp`) to a probed value and its `than`. */
export function compare(left: number | boolean, op: Comparison, right: number): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return Number(left) < right;
    case '<=':
      return Number(left) <= right;
    case '>':
      return Number(left) > right;
    case '>=':
      return Number(left) >= right;
  }
}

/** A probed value or a run result as the trace prints it. */
export function formatValue(value: number | boolean | string): string {
  return String(value);
}

/** A scenario's millisecond count as uvts takes it; absent means 0. */
export function toMs(value: U64 | undefined): number {
  if (value === undefined) return 0;
  return value === 'UINT64_MAX' ? UINT64_MAX_AS_NUMBER : value;
}

/** The signal an action names; the schema requires it for startOneshot and kill. */
export function signalArg(args: ActionArgs): SignalName {
  const signum = args.signum;
  if (signum === undefined) throw new ScenarioError('the action needs args.signum');
  if (signum !== 'SIGUSR1' && signum !== 'SIGUSR2')
    throw new ScenarioError(
      `a signal handle or the driver itself only takes SIGUSR1 or SIGUSR2, not ${signum}`,
    );
  return signum;
}

/** The callback an action names; undefined means the default, null none. */
export function callbackArg(args: ActionArgs, fallback: string): string | null {
  return args.callback === undefined ? fallback : args.callback;
}
