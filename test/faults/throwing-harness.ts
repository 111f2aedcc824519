/**
 * What the throwing-tracer and throwing-callback fault tests share: a run
 * to the end that collects what each `run()` rejects with, and the three
 * runs each scenario is compared across — quiet, under a tracer that
 * throws at every event, and with callbacks that throw after their work.
 */
import assert from 'node:assert/strict';
import { Loop } from '../../src/index.js';
import type { Profile } from '../../src/index.js';
import { teardown } from '../helpers.js';

/** The error a throwing tracer throws. */
export const boom = new Error('boom');

/** A scenario: starts its work on `loop`; its callbacks throw when `throwing`. */
export type Scenario<T> = (loop: Loop, throwing: boolean) => T;

/** Runs until the loop is done, collecting what runs reject with, one entry per error. */
export async function runToEnd(loop: Loop): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let runs = 0; runs < 1000; runs++) {
    try {
      if (!(await loop.run())) return errors;
    } catch (error) {
      if (error instanceof AggregateError) errors.push(...error.errors);
      else errors.push(error);
    }
  }
  throw new Error('the loop never finished');
}

/** `scenario` on a loop where nothing throws: what the other runs are compared with. */
export async function quietRun<T>(profile: Profile, scenario: Scenario<T>): Promise<T> {
  const loop = new Loop({ libuv: profile });
  const result = scenario(loop, false);
  assert.deepEqual(await runToEnd(loop), []);
  await teardown(loop);
  return result;
}

/**
 * `scenario` under a tracer that throws `boom` at every event, the errors
 * going to an excepthook; checks that every error reported was `boom`.
 */
export async function tracerThrowingRun<T>(profile: Profile, scenario: Scenario<T>): Promise<T> {
  const loop = new Loop({ libuv: profile });
  const errors: unknown[] = [];
  loop.excepthook = (_loop, error) => errors.push(error);
  loop.tracer = () => {
    throw boom;
  };
  const result = scenario(loop, false);
  await runToEnd(loop);
  loop.tracer = null;
  assert.ok(errors.length > 0 && errors.every((error) => error === boom));
  await teardown(loop);
  return result;
}

/**
 * `scenario` with throwing callbacks under the default excepthook (each
 * run stops and rejects); returns the result and the errors in order.
 */
export async function callbacksThrowingRun<T>(
  profile: Profile,
  scenario: Scenario<T>,
): Promise<{ result: T; errors: unknown[] }> {
  const loop = new Loop({ libuv: profile });
  const result = scenario(loop, true);
  const errors = await runToEnd(loop);
  await teardown(loop);
  return { result, errors };
}
