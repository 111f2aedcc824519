/**
 * Operations that take several Node calls — sendfile, mkdtemp, mkstemp,
 * readdir, utime with an omitted time — written once, as a generator that
 * yields each call as a {@link Step}, and run by one of two drivers: the
 * synchronous driver calls each step's `*Sync` form in a loop, the
 * asynchronous one chains the steps' callbacks. An error of a step is
 * thrown into the generator at its `yield`, so the algorithm handles it
 * (EEXIST → try another name; EAGAIN after progress → report the count)
 * the same way in both forms.
 *
 * @module
 */
import type { FsJob, JobDone, NodeCallback } from './operation.js';
import { job } from './operation.js';

/** One Node fs call in its two forms. */
export interface Step<T> {
  /** The synchronous call. */
  sync(): T;
  /** The asynchronous call. */
  async(callback: NodeCallback<T>): void;
}

/** @internal A step from the two forms of one call. */
export function step<T>(sync: () => T, async: (callback: NodeCallback<T>) => void): Step<T> {
  return { sync, async };
}

/**
 * An algorithm over steps: each `yield` hands a step to the driver and
 * receives its result (typed by the caller, since a generator's `yield`
 * has one type for all its steps).
 */
export type StepAlgorithm<R> = Generator<Step<unknown>, R, unknown>;

/** Runs an algorithm synchronously. */
function runStepsSync<R>(algorithm: StepAlgorithm<R>): R {
  let next = algorithm.next();
  while (next.done !== true) {
    let value: unknown;
    let failure: { error: unknown } | null = null;
    try {
      value = next.value.sync();
    } catch (error) {
      failure = { error };
    }
    next = failure === null ? algorithm.next(value) : algorithm.throw(failure.error);
  }
  return next.value;
}

/** Runs an algorithm through Node's asynchronous calls; `done` is called once. */
function runStepsAsync<R>(algorithm: StepAlgorithm<R>, done: JobDone<R>): void {
  const advance = (failure: { error: unknown } | null, value: unknown): void => {
    let next: IteratorResult<Step<unknown>, R>;
    try {
      next = failure === null ? algorithm.next(value) : algorithm.throw(failure.error);
    } catch (error) {
      done(error);
      return;
    }
    if (next.done === true) {
      done(null, next.value);
      return;
    }
    next.value.async((error, result) => {
      if (error !== null && error !== undefined) advance({ error }, undefined);
      else advance(null, result);
    });
  };
  advance(null, undefined);
}

/**
 * @internal A job whose work is the algorithm `start(job)` makes (a fresh
 * generator for each run; it may update the job's `path`).
 */
export function stepsJob<R>(
  path: string | null,
  dest: string | null,
  start: (self: FsJob<R>) => StepAlgorithm<R>,
  failure = 0,
): FsJob<R> {
  const self: FsJob<R> = job(
    path,
    dest,
    () => runStepsSync(start(self)),
    (done) => runStepsAsync(start(self), done),
    failure,
  );
  return self;
}
