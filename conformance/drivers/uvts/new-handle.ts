/**
 * Creation of uvts handles for the `init` action: one constructor call per
 * handle kind of the scenario schema, made the way the luv driver makes the
 * libuv handle of the same kind.
 */
import { Async, Check, FSEvent, FSPoll, Idle, Pipe, Prepare, Signal, TCP, Timer, UDP } from 'uvts';
import type { Loop } from 'uvts';
import type { HandleKind } from '../../lib/scenario.js';
import type { AnyHandle } from './handle-values.js';
import { UnsupportedScenario } from './scenario-errors.js';

/**
 * A new handle of the given kind on the loop. `asyncCallback` is used only
 * by an async handle, whose callback is fixed at init as in uv_async_init;
 * undefined makes an async handle without one.
 */
export function newHandle(
  loop: Loop,
  kind: HandleKind | undefined,
  asyncCallback: (() => void) | undefined,
): AnyHandle {
  switch (kind) {
    case 'timer':
      return new Timer(loop);
    case 'idle':
      return new Idle(loop);
    case 'prepare':
      return new Prepare(loop);
    case 'check':
      return new Check(loop);
    case 'tcp':
      return new TCP(loop);
    case 'pipe':
      // uv_pipe_init(loop, pipe, 0): not an IPC pipe.
      return new Pipe(loop, false);
    case 'signal':
      return new Signal(loop);
    case 'udp':
      return new UDP(loop);
    case 'fs_poll':
      return new FSPoll(loop);
    case 'fs_event':
      return new FSEvent(loop);
    case 'async':
      return asyncCallback === undefined ? new Async(loop) : new Async(loop, asyncCallback);
    default:
      throw new UnsupportedScenario(`handle kind ${String(kind)}`);
  }
}
