/**
 * A readable, indented rendering of trace events, one line per event — what
 * a teacher prints to show a loop at work:
 *
 * ```text
 * run(default) alive=true
 * iteration 1 now=+0ms
 *   timers
 *     → timer callback of timer#1
 *   pending
 * ```
 *
 * Times are shown relative to the first `run()` the formatter saw, so traces
 * of different runs line up.
 *
 * @module
 */
import type { TraceEvent } from './trace.js';

/** Options for {@link createTraceFormatter}. */
export interface TraceFormatOptions {
  /** Show `now` values (relative to the first event). Off gives traces that are identical run to run. */
  readonly times?: boolean;
}

/**
 * Returns a function that turns each trace event into one line of text.
 * Use it as `loop.tracer = (e) => console.log(format(e))`.
 */
export function createTraceFormatter(
  options: TraceFormatOptions = {},
): (event: TraceEvent) => string {
  const times = options.times ?? true;
  let origin: number | null = null;
  const at = (now: number): string => {
    if (!times) return '';
    origin ??= now;
    return ` now=+${now - origin}ms`;
  };
  return (event) => {
    switch (event.type) {
      case 'run-start':
        return `run(${event.mode}) alive=${event.alive}`;
      case 'iteration':
        return `iteration ${event.iteration}${at(event.now)}`;
      case 'phase':
        return `  ${event.phase}${event.detail === undefined ? '' : ` (${event.detail})`}`;
      case 'poll-start':
        return `    wait ${event.timeout === -1 ? 'without limit' : `${event.timeout}ms`}${event.waits ? '' : ' (no wait: nothing outside can wake the loop)'}`;
      case 'poll-end':
        return `    dispatched ${event.dispatched} completion${event.dispatched === 1 ? '' : 's'}${at(event.now)}`;
      case 'callback':
        return `    → ${event.kind} callback of ${event.handleType}#${event.handleId}`;
      case 'run-end':
        return `return ${event.result} (${event.reason})`;
    }
  };
}
