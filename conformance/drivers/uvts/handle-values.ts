/**
 * The uvts handles as the driver sees them: the types it accepts, the casts
 * that turn a scenario's handle into the kind an operation needs (a wrong
 * kind is a malformed scenario, not a library error), and the values a
 * `log` action can probe on a handle.
 */
import { Async, Pipe, Process, Signal, TCP, Timer, UDP } from 'uvts';
import type { Check, FSEvent, FSPoll, Idle, Poll, Prepare } from 'uvts';
import type { ActionArgs } from '../../lib/scenario.js';
import { ScenarioError } from './scenario-errors.js';

/** The handle surface the driver uses; every uvts handle provides it. */
export type AnyHandle =
  | Timer
  | Idle
  | Prepare
  | Check
  | Async
  | TCP
  | Pipe
  | Signal
  | Process
  | Poll
  | UDP
  | FSPoll
  | FSEvent;

/** The stream handles: what the stream operations accept. */
export type StreamHandle = TCP | Pipe;

/** The handles that have a plain `stop()`. */
export type WatcherHandle = Timer | Idle | Prepare | Check | Signal | Poll | FSPoll | FSEvent;

/** libuv's uv_is_closing: true from uv_close on, also once fully closed. */
export function isClosing(handle: AnyHandle): boolean {
  return handle.closing || handle.closed;
}

/** The value a `log` action probes on one handle (`active`, `dueIn`, ...). */
export function handleValue(
  handle: AnyHandle,
  name: string,
  value: ActionArgs['value'],
): number | boolean {
  switch (value) {
    case 'active':
      return handle.active;
    case 'closing':
      return isClosing(handle);
    case 'hasRef':
      return handle.hasRef();
    case 'dueIn':
      return asTimer(handle, name).dueIn;
    case 'repeat':
      return asTimer(handle, name).repeat;
    case 'readable':
      return asStream(handle, name).readable;
    case 'writable':
      return asStream(handle, name).writable;
    case 'writeQueueSize':
      return asStream(handle, name).writeQueueSize;
    case 'sendQueueSize':
      return asUDP(handle, name).sendQueueSize;
    case 'sendQueueCount':
      return asUDP(handle, name).sendQueueCount;
    default:
      throw new ScenarioError(`unknown log value ${String(value)}`);
  }
}

/** The handle as a timer, or a scenario error naming it. */
export function asTimer(handle: AnyHandle, name: string): Timer {
  if (!(handle instanceof Timer)) throw new ScenarioError(`${name} is not a timer`);
  return handle;
}

/** The handle as a tcp handle, or a scenario error naming it. */
export function asTCP(handle: AnyHandle, name: string): TCP {
  if (!(handle instanceof TCP)) throw new ScenarioError(`${name} is not a tcp handle`);
  return handle;
}

/** The handle as a stream (tcp or pipe), or a scenario error naming it. */
export function asStream(handle: AnyHandle, name: string): StreamHandle {
  if (!(handle instanceof TCP || handle instanceof Pipe))
    throw new ScenarioError(`${name} is not a stream handle`);
  return handle;
}

/** The handle as a UDP handle, or a scenario error naming it. */
export function asUDP(handle: AnyHandle, name: string): UDP {
  if (!(handle instanceof UDP)) throw new ScenarioError(`${name} is not a udp handle`);
  return handle;
}

/** The handle as a signal handle, or a scenario error naming it. */
export function asSignal(handle: AnyHandle, name: string): Signal {
  if (!(handle instanceof Signal)) throw new ScenarioError(`${name} is not a signal handle`);
  return handle;
}

/** The handle as an async handle, or a scenario error naming it. */
export function asAsync(handle: AnyHandle, name: string): Async {
  if (!(handle instanceof Async)) throw new ScenarioError(`${name} is not an async handle`);
  return handle;
}

/** The handle as one that `stop` applies to, or a scenario error naming it. */
export function asWatcher(handle: AnyHandle, name: string): WatcherHandle {
  if (
    handle instanceof Async ||
    handle instanceof TCP ||
    handle instanceof Pipe ||
    handle instanceof Process ||
    handle instanceof UDP
  )
    throw new ScenarioError(`${name} cannot be stopped`);
  return handle;
}
