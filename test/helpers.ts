/**
 * Shared test helpers.
 *
 * `teardown()` is libuv's MAKE_VALGRIND_HAPPY: close every handle that is not
 * already closing, run the loop until it is dead, and check that
 * `loop.close()` succeeds — the implicit "nothing leaked" check at the end of
 * every libuv test.
 *
 * @module
 */
import assert from 'node:assert/strict';
import type { Loop, TraceEvent } from '../src/index.js';

/** Closes everything, runs the loop dry, asserts it is dead and that `close()` succeeds. */
export async function teardown(loop: Loop): Promise<void> {
  loop.walk((handle) => {
    if (!handle.closing) handle.close();
  });
  assert.equal(await loop.run('default'), false, 'loop still alive after closing every handle');
  assert.equal(loop.alive, false);
  assert.deepEqual(loop.handles, []);
  loop.close();
  assert.equal(loop.closed, true);
}

/** Records callback events as short strings (`timer#1`, `close#2`...) for order assertions. */
export function traceCallbacks(loop: Loop): string[] {
  const seen: string[] = [];
  loop.tracer = (event: TraceEvent) => {
    if (event.type === 'callback') seen.push(`${event.kind}#${event.handleId}`);
  };
  return seen;
}

/** Records every trace event as one compact line, for whole-iteration assertions. */
export function traceLines(loop: Loop): string[] {
  const lines: string[] = [];
  loop.tracer = (event: TraceEvent) => {
    switch (event.type) {
      case 'run-start':
        lines.push(`run ${event.mode}`);
        break;
      case 'iteration':
        lines.push('iteration');
        break;
      case 'phase':
        lines.push(event.detail === undefined ? event.phase : `${event.phase}(${event.detail})`);
        break;
      case 'poll-start':
        lines.push(`poll timeout=${event.timeout}`);
        break;
      case 'poll-end':
        break;
      case 'callback':
        lines.push(`  ${event.kind} ${event.handleType}#${event.handleId}`);
        break;
      case 'run-end':
        lines.push(`return ${event.result}`);
        break;
    }
  };
  return lines;
}
