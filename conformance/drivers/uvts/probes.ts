/**
 * What a `log` action measures: loop state, clocks against a mark, call
 * counts, counters and handle values. The interpreter prints the result;
 * this file only decides the label and the value, from what the
 * interpreter exposes through {@link ProbeState}.
 */
import { hrtime } from 'uvts';
import type { Loop } from 'uvts';
import type { Action, ActionArgs } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import { handleValue } from './handle-values.js';
import type { AnyHandle } from './handle-values.js';
import { ScenarioError } from './scenario-errors.js';

/** What a probe can read of the scenario run. */
export interface ProbeState {
  /** The loop the scenario runs on. */
  readonly loop: Loop;
  /** The time a `mark` action recorded; a scenario error if it never ran. */
  mark(name: string): number;
  /** How many times a callback has been called. */
  callCount(name: string): number;
  /** The value of a scenario counter; 0 before its first `incr`. */
  counter(name: string): number;
  /** The handle a scenario reference (`$self` included) names, and its name. */
  lookup(ref: string | undefined, context: CallbackContext | undefined): [AnyHandle, string];
}

/** One probe's outcome: the label the trace prints and the measured value. */
export type ProbeResult = [label: string, value: number | boolean];

/** The current time of one of the two clocks a scenario can mark, in milliseconds. */
export function clockNow(loop: Loop, clock: 'now' | 'hrtime'): number {
  // uvts's hrtime() is uv_hrtime; libuv derives the loop time from the same
  // clock, and the timer_early_check scenario checks that uvts does too.
  return clock === 'hrtime' ? Number(hrtime() / 1_000_000n) : loop.now();
}

/** Measures what a `log` action asks for (`args.value`). */
export function probe(
  action: Action,
  args: ActionArgs,
  context: CallbackContext | undefined,
  state: ProbeState,
): ProbeResult {
  switch (args.value) {
    case 'alive':
      return ['alive', state.loop.alive];
    case 'timeout':
      return ['timeout', state.loop.getTimeout()];
    case 'now':
    case 'hrtime': {
      // Raw clocks are never printed: only their distance from a mark,
      // through a comparison, so that traces stay deterministic.
      if (args.minus === undefined || args.cmp === undefined) {
        throw new ScenarioError(`${args.value} needs minus and cmp`);
      }
      return [
        `${args.value}-${args.minus}`,
        clockNow(state.loop, args.value) - state.mark(args.minus),
      ];
    }
    case 'count':
      return [`count(${args.callback ?? ''})`, state.callCount(args.callback ?? '')];
    case 'counter':
      return [`counter(${args.counter ?? ''})`, state.counter(args.counter ?? '')];
    default: {
      const [handle, name] = state.lookup(action.handle, context);
      return [`${name}.${String(args.value)}`, handleValue(handle, name, args.value)];
    }
  }
}
