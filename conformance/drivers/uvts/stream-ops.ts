/**
 * The stream operations of the uvts driver: tcp and pipe `bind`, `listen`,
 * `accept`, `connect`, reads, writes, `shutdown` and `closeReset`, with the
 * callbacks they pass to uvts and the trace lines those callbacks print.
 *
 * The class keeps the state only streams need (the ports and paths that
 * `connect` and `bind` look up, the socket files to remove) and reaches the
 * rest of the interpreter only through {@link StreamOperationsHost}, so that
 * it never depends on the interpreter's internals and never imports it.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipe, TCP } from 'uvts';
import type { UVError } from 'uvts';
import type { Action, ActionArgs } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import { asStream, asTCP } from './handle-values.js';
import type { AnyHandle, StreamHandle } from './handle-values.js';
import { ScenarioError } from './scenario-errors.js';
import { callbackArg } from './scenario-values.js';
import { formatData, writePayload } from './stream-format.js';

/** What a stream callback is called for; also the default callback name's suffix. */
type StreamEvent = 'connection' | 'connect' | 'write' | 'shutdown' | 'read';

/** Every stream in the suite lives on the loopback interface. */
const LOOPBACK = '127.0.0.1';

/** The default backlog, libuv's tests' value. */
const DEFAULT_BACKLOG = 128;

/** What the stream operations need from the interpreter that owns them. */
export interface StreamOperationsHost {
  /**
   * Counts one call of `context.callback`, prints `line` unless the
   * callback's spec turns logging off, and runs the callback's actions with
   * the context (and the new call count).
   */
  invokeCallback(line: string, context: Omit<CallbackContext, 'count'>): void;
  /** A plain or close callback of a handle, as the interpreter builds for every handle kind. */
  makeCallback(handleName: string, callbackName: string, isClose: boolean): () => void;
  /** The handle a scenario reference (`$self` included) names, and its name. */
  lookup(ref: string | undefined, context: CallbackContext | undefined): [AnyHandle, string];
}

/** The stream operations of one scenario run. */
export class StreamOperations {
  /** Port of every tcp handle that listened, by scenario name (connect's `to`). */
  private readonly ports = new Map<string, number>();
  /** Path of every pipe that bound, by scenario name (connect's `to`, bind's `pathOf`). */
  private readonly paths = new Map<string, string>();
  /** Every path a bind succeeded on, removed by {@link cleanUp}. */
  private readonly madePaths: string[] = [];
  /** Makes a re-used handle name bind a fresh path. */
  private pathSerial = 0;

  /** Creates the operations for one run; `host` is the interpreter's side of the bargain. */
  constructor(private readonly host: StreamOperationsHost) {}

  /**
   * Runs one stream operation; returns what it returns beyond success
   * (tryWrite's byte count). A missing callback is passed as undefined, as
   * libuv gets NULL.
   */
  run(
    op: Action['op'],
    stream: StreamHandle,
    name: string,
    args: ActionArgs,
    context: CallbackContext | undefined,
  ): number | undefined {
    switch (op) {
      case 'bind':
        if (stream instanceof Pipe) this.bindPipe(stream, name, args);
        else stream.bind(LOOPBACK, 0);
        return;
      case 'listen': {
        const callback = this.statusCallback(args, name, 'connection');
        (stream.listen as (cb: unknown, backlog: number) => void)(
          callback,
          args.backlog ?? DEFAULT_BACKLOG,
        );
        // A pipe is found by the path it bound; only tcp needs its port.
        if (stream instanceof TCP) this.ports.set(name, stream.getsockname().port);
        return;
      }
      case 'accept': {
        const [client, clientName] = this.host.lookup(args.client, context);
        stream.accept(asStream(client, clientName));
        return;
      }
      case 'connect': {
        if (stream instanceof Pipe) {
          const path = this.paths.get(args.to ?? '');
          if (path === undefined)
            throw new ScenarioError(`connect: ${String(args.to)} has not bound`);
          // Like uv_pipe_connect, uvts's never throws for an unreachable
          // path: every failure reaches the callback.
          stream.connect(path, this.statusCallback(args, name, 'connect'));
          return;
        }
        const port = this.ports.get(args.to ?? '');
        if (port === undefined)
          throw new ScenarioError(`connect: ${String(args.to)} has not listened`);
        stream.connect(LOOPBACK, port, this.statusCallback(args, name, 'connect'));
        return;
      }
      case 'readStart':
        (stream.startRead as (cb: unknown) => void)(this.readCallback(args, name));
        return;
      case 'readStop':
        stream.stopRead();
        return;
      case 'write': {
        // `times` writes in a row, as separate requests; the first error ends them.
        const data = this.payload(args, context);
        for (let i = 0; i < (args.times ?? 1); i += 1) {
          stream.write(data, this.statusCallback(args, name, 'write'));
        }
        return;
      }
      case 'tryWrite':
        return stream.tryWrite(this.payload(args, context));
      case 'shutdown':
        stream.shutdown(this.statusCallback(args, name, 'shutdown'));
        return;
      case 'closeReset': {
        const callbackName = callbackArg(args, `${name}.close`);
        asTCP(stream, name).closeReset(
          callbackName === null ? undefined : this.host.makeCallback(name, callbackName, true),
        );
        return;
      }
      default:
        throw new ScenarioError(`unknown operation ${op}`);
    }
  }

  /**
   * Removes the socket files of the pipes the scenario bound. uvts removes a
   * listening pipe's file when it closes, as libuv does; this covers
   * scenarios that end early or leave a pipe open.
   */
  cleanUp(): void {
    for (const path of this.madePaths) rmSync(path, { force: true });
  }

  /**
   * Binds a pipe to a fresh path in the temporary directory, or (`pathOf`)
   * to the path another pipe bound. The path carries the pid and the
   * handle's name, so concurrent drivers never collide; it never reaches
   * the trace.
   */
  private bindPipe(pipe: Pipe, name: string, args: ActionArgs): void {
    let path: string;
    if (args.pathOf !== undefined) {
      const bound = this.paths.get(args.pathOf);
      if (bound === undefined) throw new ScenarioError(`bind: ${args.pathOf} has not bound`);
      path = bound;
    } else {
      this.pathSerial += 1;
      path = join(tmpdir(), `uvts-conformance-uvts-${process.pid}-${name}-${this.pathSerial}.sock`);
    }
    pipe.bind(path);
    this.paths.set(name, path);
    this.madePaths.push(path);
  }

  /**
   * Logs one stream callback and runs its actions. The line is
   * `cb <handle> <event> <result>` for the default name `<handle>.<event>`,
   * else `cb <handle> <callback> <result>`.
   */
  private streamEvent(
    handleName: string,
    callbackName: string,
    event: StreamEvent,
    error: UVError | null,
    data: Buffer | null,
  ): void {
    let result: string;
    let status: string;
    if (error !== null) {
      result = status = error.code;
    } else if (event === 'read') {
      // uvts reports the end of the stream as an EOF error, so a read
      // callback without an error always has data.
      if (data === null) throw new ScenarioError('read callback without data or error');
      result = formatData(data);
      status = 'ok';
    } else {
      result = '0';
      status = 'ok';
    }
    const word = callbackName === `${handleName}.${event}` ? event : callbackName;
    const context: Omit<CallbackContext, 'count'> = {
      handle: handleName,
      callback: callbackName,
      status,
    };
    if (event === 'read' && data !== null) context.data = data;
    this.host.invokeCallback(`cb ${handleName} ${word} ${result}`, context);
  }

  /** A connection, connect, write or shutdown callback: `(handle, error)`. */
  private statusCallback(
    args: ActionArgs,
    handleName: string,
    event: Exclude<StreamEvent, 'read'>,
  ): ((handle: unknown, error: UVError | null) => void) | undefined {
    const callbackName = callbackArg(args, `${handleName}.${event}`);
    if (callbackName === null) return undefined;
    return (_handle, error) => this.streamEvent(handleName, callbackName, event, error, null);
  }

  /** A read callback: `(handle, data, error)`. */
  private readCallback(
    args: ActionArgs,
    handleName: string,
  ): ((handle: unknown, data: Buffer | null, error: UVError | null) => void) | undefined {
    const callbackName = callbackArg(args, `${handleName}.read`);
    if (callbackName === null) return undefined;
    return (_handle, data, error) =>
      this.streamEvent(handleName, callbackName, 'read', error, data);
  }

  /** The bytes a write sends; echo needs the data of the running read callback. */
  private payload(args: ActionArgs, context: CallbackContext | undefined): Buffer {
    const data = writePayload(args, context?.data);
    if (data === undefined) {
      throw new ScenarioError('write needs data, size, or echo inside a read callback with data');
    }
    return data;
  }
}
