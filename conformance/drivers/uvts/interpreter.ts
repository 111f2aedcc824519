/**
 * Executes a conformance scenario against uvts and prints its trace.
 *
 * This is the TypeScript twin of `conformance/drivers/luv.lua`: the two must
 * print the same line for the same event, so every format decision lives in
 * docs/conformance.md and both drivers follow it literally. Like the luv
 * driver, it translates scenario steps into library calls and never decides
 * an ordering itself.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Async,
  Check,
  Idle,
  Pipe,
  Prepare,
  Signal,
  TCP,
  Timer,
  UVError,
  hrtime,
  sleep,
} from '../../../src/index.js';
import type { Loop } from '../../../src/index.js';
import type {
  Action,
  ActionArgs,
  CallbackSpec,
  Comparison,
  Condition,
  ConditionObject,
  HandleKind,
  Scenario,
  SignalName,
  U64,
} from '../../lib/scenario.js';
import { formatData, writePayload } from './stream-format.js';
import type { ThreadSender } from './thread-pool.js';

/** The handle surface the driver uses; every uvts handle provides it. */
type AnyHandle = Timer | Idle | Prepare | Check | Async | TCP | Pipe | Signal;

/** The stream handles: what the stream operations accept. */
type StreamHandle = TCP | Pipe;

/** What a stream callback is called for; also the default callback name's suffix. */
type StreamEvent = 'connection' | 'connect' | 'write' | 'shutdown' | 'read';

/** Every stream in the suite lives on the loopback interface. */
const LOOPBACK = '127.0.0.1';

/** The default backlog, libuv's tests' value. */
const DEFAULT_BACKLOG = 128;

/** Which callback is running, for `$self`, the call* and status conditions, and echo writes. */
interface CallbackContext {
  handle: string;
  callback: string;
  count: number;
  /** Stream callbacks: 'ok', or the libuv error name (EOF included). */
  status?: string;
  /** Read callbacks with data: the data. */
  data?: Buffer;
}

/** Raised when a scenario uses something this driver cannot execute. */
export class UnsupportedScenario extends Error {}

/** Raised when a scenario is malformed (unknown handle, missing mark...). */
export class ScenarioError extends Error {}

/**
 * The largest number the driver passes for 'UINT64_MAX'. JavaScript numbers
 * cannot hold 2^64-1; uvts saturates due times, so the nearest double is the
 * faithful stand-in.
 */
const UINT64_MAX_AS_NUMBER = 2 ** 64 - 1;

/** Maps what a uvts call threw to the libuv error name the trace prints. */
function errorName(error: unknown): string {
  if (error instanceof UVError) return error.code;
  // uvts follows JavaScript practice and throws TypeError for a missing
  // callback, where libuv returns UV_EINVAL.
  if (error instanceof TypeError) return 'EINVAL';
  throw error;
}

function compare(left: number | boolean, op: Comparison, right: number): boolean {
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

function formatValue(value: number | boolean | string): string {
  return String(value);
}

function toMs(value: U64 | undefined): number {
  if (value === undefined) return 0;
  return value === 'UINT64_MAX' ? UINT64_MAX_AS_NUMBER : value;
}

/** One scenario run on one loop. */
export class ScenarioInterpreter {
  private readonly handles = new Map<string, AnyHandle>();
  private readonly names = new Map<AnyHandle, string>();
  private readonly callCounts = new Map<string, number>();
  private readonly counters = new Map<string, number>();
  private readonly marks = new Map<string, number>();
  /** Port of every tcp handle that listened, by scenario name (connect's `to`). */
  private readonly ports = new Map<string, number>();
  /** Path of every pipe that bound, by scenario name (connect's `to`, bind's `pathOf`). */
  private readonly paths = new Map<string, string>();
  /** Every path a bind succeeded on, removed by {@link cleanUp}. */
  private readonly madePaths: string[] = [];
  /** Makes a re-used handle name bind a fresh path. */
  private pathSerial = 0;
  private readonly callbacks: Record<string, CallbackSpec>;

  constructor(
    private readonly scenario: Scenario,
    private readonly loop: Loop,
    private readonly emit: (line: string) => void,
    private readonly threads: ThreadSender | undefined,
  ) {
    this.callbacks = scenario.callbacks ?? {};
  }

  /** Runs the top-level steps; only `run` and `teardown` need to await. */
  async runSteps(): Promise<void> {
    for (const action of this.scenario.steps) {
      if (action.when !== undefined && !this.holds(action.when, undefined)) continue;
      if (action.op === 'run') {
        await this.runLoop(action.args ?? {});
      } else if (action.op === 'teardown') {
        this.walk(true);
        await this.runLoop({ mode: 'default' });
        this.closeLoop();
      } else {
        this.execute(action, undefined);
      }
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

  // -------------------------------------------------------------------------
  // Callbacks

  private makeCallback(handleName: string, callbackName: string, isClose: boolean): () => void {
    return () => {
      const spec = this.callbacks[callbackName] ?? {};
      const count = (this.callCounts.get(callbackName) ?? 0) + 1;
      this.callCounts.set(callbackName, count);
      if (spec.log !== false) {
        const word = isClose ? 'close' : 'cb';
        const defaultName = isClose ? `${handleName}.close` : handleName;
        this.emit(
          callbackName === defaultName
            ? `${word} ${handleName}`
            : `${word} ${handleName} ${callbackName}`,
        );
      }
      this.runCallbackActions(spec, { handle: handleName, callback: callbackName, count });
    };
  }

  private runCallbackActions(spec: CallbackSpec, context: CallbackContext): void {
    for (const action of spec.do ?? []) {
      if (action.when !== undefined && !this.holds(action.when, context)) continue;
      if (action.op === 'run' || action.op === 'teardown') {
        throw new ScenarioError(`${action.op} inside a callback: uv_run is not re-entrant`);
      }
      this.execute(action, context);
    }
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
    const spec = this.callbacks[callbackName] ?? {};
    const count = (this.callCounts.get(callbackName) ?? 0) + 1;
    this.callCounts.set(callbackName, count);
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
    if (spec.log !== false) {
      const word = callbackName === `${handleName}.${event}` ? event : callbackName;
      this.emit(`cb ${handleName} ${word} ${result}`);
    }
    const context: CallbackContext = { handle: handleName, callback: callbackName, count, status };
    if (event === 'read' && data !== null) context.data = data;
    this.runCallbackActions(spec, context);
  }

  /** A connection, connect, write or shutdown callback: `(handle, error)`. */
  private statusCallback(
    args: ActionArgs,
    handleName: string,
    event: Exclude<StreamEvent, 'read'>,
  ): ((handle: unknown, error: UVError | null) => void) | undefined {
    const callbackName = ScenarioInterpreter.callbackArg(args, `${handleName}.${event}`);
    if (callbackName === null) return undefined;
    return (_handle, error) => this.streamEvent(handleName, callbackName, event, error, null);
  }

  /** A read callback: `(handle, data, error)`. */
  private readCallback(
    args: ActionArgs,
    handleName: string,
  ): ((handle: unknown, data: Buffer | null, error: UVError | null) => void) | undefined {
    const callbackName = ScenarioInterpreter.callbackArg(args, `${handleName}.read`);
    if (callbackName === null) return undefined;
    return (_handle, data, error) =>
      this.streamEvent(handleName, callbackName, 'read', error, data);
  }

  /** The callback an action names; undefined means the default, null none. */
  private static callbackArg(args: ActionArgs, fallback: string): string | null {
    return args.callback === undefined ? fallback : args.callback;
  }

  // -------------------------------------------------------------------------
  // Conditions

  private holds(condition: Condition, context: CallbackContext | undefined): boolean {
    if (Array.isArray(condition)) return condition.every((part) => this.holds(part, context));
    return this.holdsOne(condition, context);
  }

  private holdsOne(condition: ConditionObject, context: CallbackContext | undefined): boolean {
    const count = context?.count ?? 0;
    if (condition.call !== undefined && count !== condition.call) return false;
    if (condition.callAtLeast !== undefined && count < condition.callAtLeast) return false;
    if (condition.callAtMost !== undefined && count > condition.callAtMost) return false;
    if (condition.callEvery !== undefined && count % condition.callEvery !== 0) return false;
    if (condition.counter !== undefined) {
      let value = this.counters.get(condition.counter) ?? 0;
      if (condition.mod !== undefined) value %= condition.mod;
      if (!compare(value, condition.cmp ?? '==', condition.than ?? 0)) return false;
    }
    if (condition.status !== undefined) {
      // 'ok' (status 0, or data), 'error' (anything else, EOF included), or one error name.
      const status = context?.status;
      if (status === undefined) return false;
      if (condition.status === 'ok' || condition.status === 'error') {
        if ((status === 'ok') !== (condition.status === 'ok')) return false;
      } else if (status !== condition.status) {
        return false;
      }
    }
    if (condition.handle !== undefined) {
      const [handle] = this.lookup(condition.handle, context);
      if (condition.active !== undefined && handle.active !== condition.active) return false;
      if (condition.closing !== undefined && isClosing(handle) !== condition.closing) return false;
      if (condition.hasRef !== undefined && handle.hasRef() !== condition.hasRef) return false;
    }
    return true;
  }

  // -------------------------------------------------------------------------
  // Actions

  private resolveName(ref: string | undefined, context: CallbackContext | undefined): string {
    if (ref === undefined) throw new ScenarioError('the action needs a handle');
    if (ref !== '$self') return ref;
    if (context === undefined) throw new ScenarioError('$self used outside a callback');
    return context.handle;
  }

  private lookup(
    ref: string | undefined,
    context: CallbackContext | undefined,
  ): [AnyHandle, string] {
    const name = this.resolveName(ref, context);
    const handle = this.handles.get(name);
    if (handle === undefined) throw new ScenarioError(`unknown handle ${name}`);
    return [handle, name];
  }

  private execute(action: Action, context: CallbackContext | undefined): void {
    const args = action.args ?? {};
    switch (action.op) {
      case 'log':
        this.probe(action, args, context);
        return;
      case 'init':
        this.init(this.resolveName(action.handle, context), args);
        return;
      case 'stop':
        if (action.handle === undefined) {
          this.loop.stop();
          return;
        }
        break;
      case 'updateTime':
        this.loop.updateTime();
        return;
      case 'sleep':
        sleep(args.ms ?? 0);
        return;
      case 'walk':
        this.walk(args.close === true);
        return;
      case 'closeLoop':
        this.closeLoop();
        return;
      case 'note':
        this.emit(`note ${args.text ?? ''}`);
        return;
      case 'kill':
        this.kill(signalArg(args));
        return;
      case 'mark':
        this.marks.set(args.name ?? '', this.clock(args.clock ?? 'now') + (args.plus ?? 0));
        return;
      case 'incr': {
        // '$nread': the byte count of the running read callback's data.
        const by = args.by === '$nread' ? (context?.data?.length ?? 0) : (args.by ?? 1);
        this.counters.set(args.counter ?? '', (this.counters.get(args.counter ?? '') ?? 0) + by);
        return;
      }
      case 'run':
      case 'teardown':
        throw new ScenarioError(`${action.op} is only allowed as a top-level step`);
      default:
        break;
    }
    const [handle, name] = this.lookup(action.handle, context);
    let code: string | undefined;
    let value: number | undefined;
    try {
      value = this.handleOp(action, handle, name, args, context);
    } catch (error) {
      code = errorName(error);
    }
    if (code !== undefined) this.emit(`${name}.${action.op} -> ${code}`);
    else if (action.logResult === true) this.emit(`${name}.${action.op} -> ${value ?? 0}`);
  }

  private init(name: string, args: ActionArgs): void {
    const kind: HandleKind | undefined = args.kind;
    let handle: AnyHandle;
    switch (kind) {
      case 'timer':
        handle = new Timer(this.loop);
        break;
      case 'idle':
        handle = new Idle(this.loop);
        break;
      case 'prepare':
        handle = new Prepare(this.loop);
        break;
      case 'check':
        handle = new Check(this.loop);
        break;
      case 'tcp':
        handle = new TCP(this.loop);
        break;
      case 'pipe':
        // uv_pipe_init(loop, pipe, 0): not an IPC pipe.
        handle = new Pipe(this.loop, false);
        break;
      case 'signal':
        handle = new Signal(this.loop);
        break;
      case 'async': {
        const callbackName = ScenarioInterpreter.callbackArg(args, name);
        handle =
          callbackName === null
            ? new Async(this.loop)
            : new Async(this.loop, this.makeCallback(name, callbackName, false));
        break;
      }
      default:
        throw new UnsupportedScenario(`handle kind ${String(kind)}`);
    }
    this.handles.set(name, handle);
    this.names.set(handle, name);
  }

  /** Runs a handle operation; returns what it returns beyond success (tryWrite's byte count). */
  private handleOp(
    action: Action,
    handle: AnyHandle,
    name: string,
    args: ActionArgs,
    context: CallbackContext | undefined,
  ): number | undefined {
    switch (action.op) {
      case 'start': {
        const callbackName = ScenarioInterpreter.callbackArg(args, name);
        const callback =
          callbackName === null ? undefined : this.makeCallback(name, callbackName, false);
        if (handle instanceof Timer) {
          // A missing callback is passed through as undefined on purpose:
          // the scenario checks the library's own validation.
          (handle.start as (cb: unknown, timeout: number, repeat: number) => void)(
            callback,
            toMs(args.timeout),
            toMs(args.repeat),
          );
        } else if (handle instanceof Idle || handle instanceof Prepare || handle instanceof Check) {
          (handle.start as (cb: unknown) => void)(callback);
        } else if (handle instanceof Signal) {
          (handle.start as (cb: unknown, signum: string) => void)(callback, signalArg(args));
        } else {
          throw new ScenarioError(`${name} cannot be started`);
        }
        return;
      }
      case 'startOneshot': {
        const callbackName = ScenarioInterpreter.callbackArg(args, name);
        const callback =
          callbackName === null ? undefined : this.makeCallback(name, callbackName, false);
        (asSignal(handle, name).startOneshot as (cb: unknown, signum: string) => void)(
          callback,
          signalArg(args),
        );
        return;
      }
      case 'stop':
        asWatcher(handle, name).stop();
        return;
      case 'again':
        asTimer(handle, name).again();
        return;
      case 'setRepeat':
        asTimer(handle, name).repeat = toMs(args.repeat);
        return;
      case 'close': {
        const callbackName = ScenarioInterpreter.callbackArg(args, `${name}.close`);
        if (callbackName === null) handle.close();
        else handle.close(this.makeCallback(name, callbackName, true));
        return;
      }
      case 'ref':
        handle.ref();
        return;
      case 'unref':
        handle.unref();
        return;
      case 'send':
        this.send(asAsync(handle, name), args);
        return;
      default:
        return this.streamOp(action, asStream(handle, name), name, args, context);
    }
  }

  /** The stream operations; a missing callback is passed as undefined, as libuv gets NULL. */
  private streamOp(
    action: Action,
    tcp: StreamHandle,
    name: string,
    args: ActionArgs,
    context: CallbackContext | undefined,
  ): number | undefined {
    switch (action.op) {
      case 'bind':
        if (tcp instanceof Pipe) this.bindPipe(tcp, name, args);
        else tcp.bind(LOOPBACK, 0);
        return;
      case 'listen': {
        const callback = this.statusCallback(args, name, 'connection');
        (tcp.listen as (cb: unknown, backlog: number) => void)(
          callback,
          args.backlog ?? DEFAULT_BACKLOG,
        );
        // A pipe is found by the path it bound; only tcp needs its port.
        if (tcp instanceof TCP) this.ports.set(name, tcp.getsockname().port);
        return;
      }
      case 'accept': {
        const [client, clientName] = this.lookup(args.client, context);
        tcp.accept(asStream(client, clientName));
        return;
      }
      case 'connect': {
        if (tcp instanceof Pipe) {
          const path = this.paths.get(args.to ?? '');
          if (path === undefined)
            throw new ScenarioError(`connect: ${String(args.to)} has not bound`);
          // Like uv_pipe_connect, uvts's never throws for an unreachable
          // path: every failure reaches the callback.
          tcp.connect(path, this.statusCallback(args, name, 'connect'));
          return;
        }
        const port = this.ports.get(args.to ?? '');
        if (port === undefined)
          throw new ScenarioError(`connect: ${String(args.to)} has not listened`);
        tcp.connect(LOOPBACK, port, this.statusCallback(args, name, 'connect'));
        return;
      }
      case 'readStart':
        (tcp.startRead as (cb: unknown) => void)(this.readCallback(args, name));
        return;
      case 'readStop':
        tcp.stopRead();
        return;
      case 'write': {
        // `times` writes in a row, as separate requests; the first error ends them.
        const data = this.payload(args, context);
        for (let i = 0; i < (args.times ?? 1); i += 1) {
          tcp.write(data, this.statusCallback(args, name, 'write'));
        }
        return;
      }
      case 'tryWrite':
        return tcp.tryWrite(this.payload(args, context));
      case 'shutdown':
        tcp.shutdown(this.statusCallback(args, name, 'shutdown'));
        return;
      case 'closeReset': {
        const callbackName = ScenarioInterpreter.callbackArg(args, `${name}.close`);
        asTCP(tcp, name).closeReset(
          callbackName === null ? undefined : this.makeCallback(name, callbackName, true),
        );
        return;
      }
      default:
        throw new ScenarioError(`unknown operation ${action.op}`);
    }
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
   * Sends a signal to this process (the luv driver's uv_kill(getpid)).
   * Node's process.kill() is a plain kill(2); a failure is printed the way
   * a failed handle operation is.
   */
  private kill(signum: SignalName): void {
    try {
      process.kill(process.pid, signum);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.emit(`kill -> ${code ?? 'UNKNOWN'}`);
    }
  }

  private payload(args: ActionArgs, context: CallbackContext | undefined): Buffer {
    const data = writePayload(args, context?.data);
    if (data === undefined) {
      throw new ScenarioError('write needs data, size, or echo inside a read callback with data');
    }
    return data;
  }

  private send(handle: Async, args: ActionArgs): void {
    const times = args.times ?? 1;
    if (args.thread === true) {
      if (this.threads === undefined) throw new ScenarioError('no thread sender was started');
      this.threads.send(handle.sendTarget, times, args.delayMs);
      return;
    }
    for (let i = 0; i < times; i += 1) handle.send();
  }

  // -------------------------------------------------------------------------
  // Loop operations and probes

  private async runLoop(args: ActionArgs): Promise<void> {
    const mode = args.mode ?? 'default';
    if (args.untilFalse !== true && args.untilElapsed === undefined) {
      this.emit(`run ${mode}`);
      this.emit(`run ${mode} -> ${formatValue(await this.loop.run(mode))}`);
      return;
    }
    let seenTrue = false;
    let seenFalse = false;
    const max = args.max ?? 100_000;
    for (let i = 0; i < max; i += 1) {
      if (args.quiet !== true) this.emit(`run ${mode}`);
      const alive = await this.loop.run(mode);
      if (args.quiet !== true) this.emit(`run ${mode} -> ${formatValue(alive)}`);
      if (alive) seenTrue = true;
      else seenFalse = true;
      if (args.untilFalse === true && !alive) break;
      const target = args.untilElapsed;
      if (target !== undefined && this.loop.now() - this.mark(target.mark) >= target.ms) break;
    }
    if (args.quiet === true) {
      const summary = seenTrue && seenFalse ? 'mixed' : formatValue(seenTrue);
      this.emit(`run ${mode} repeated -> ${summary}`);
    }
  }

  private walk(close: boolean): void {
    const visited: string[] = [];
    this.loop.walk((handle) => {
      const name = this.names.get(handle as AnyHandle) ?? '?';
      visited.push(name);
      if (close && !isClosing(handle as AnyHandle)) {
        (handle as AnyHandle).close(this.makeCallback(name, `${name}.close`, true));
      }
    });
    this.emit(`${close ? 'walk-close' : 'walk'} [${visited.join(', ')}]`);
  }

  private closeLoop(): void {
    let result = '0';
    try {
      this.loop.close();
    } catch (error) {
      result = errorName(error);
    }
    this.emit(`loop.close -> ${result}`);
  }

  private mark(name: string): number {
    const value = this.marks.get(name);
    if (value === undefined) throw new ScenarioError(`unknown mark ${name}`);
    return value;
  }

  private clock(clock: 'now' | 'hrtime'): number {
    // uvts's hrtime() is uv_hrtime; libuv derives the loop time from the same
    // clock, and the timer_early_check scenario checks that uvts does too.
    return clock === 'hrtime' ? Number(hrtime() / 1_000_000n) : this.loop.now();
  }

  private probe(action: Action, args: ActionArgs, context: CallbackContext | undefined): void {
    let label: string;
    let value: number | boolean;
    switch (args.value) {
      case 'alive':
        [label, value] = ['alive', this.loop.alive];
        break;
      case 'timeout':
        [label, value] = ['timeout', this.loop.getTimeout()];
        break;
      case 'now':
      case 'hrtime': {
        // Raw clocks are never printed: only their distance from a mark,
        // through a comparison, so that traces stay deterministic.
        if (args.minus === undefined || args.cmp === undefined) {
          throw new ScenarioError(`${args.value} needs minus and cmp`);
        }
        [label, value] = [
          `${args.value}-${args.minus}`,
          this.clock(args.value) - this.mark(args.minus),
        ];
        break;
      }
      case 'count':
        label = `count(${args.callback ?? ''})`;
        value = this.callCounts.get(args.callback ?? '') ?? 0;
        break;
      case 'counter':
        label = `counter(${args.counter ?? ''})`;
        value = this.counters.get(args.counter ?? '') ?? 0;
        break;
      default: {
        const [handle, name] = this.lookup(action.handle, context);
        label = `${name}.${String(args.value)}`;
        value = handleValue(handle, name, args.value);
      }
    }
    if (args.cmp !== undefined) {
      const than = args.than ?? 0;
      this.emit(`${label} ${args.cmp} ${than} : ${formatValue(compare(value, args.cmp, than))}`);
    } else {
      this.emit(`${label} = ${formatValue(value)}`);
    }
  }
}

/** libuv's uv_is_closing: true from uv_close on, also once fully closed. */
function isClosing(handle: AnyHandle): boolean {
  return handle.closing || handle.closed;
}

function handleValue(
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
    default:
      throw new ScenarioError(`unknown log value ${String(value)}`);
  }
}

function asTimer(handle: AnyHandle, name: string): Timer {
  if (!(handle instanceof Timer)) throw new ScenarioError(`${name} is not a timer`);
  return handle;
}

function asTCP(handle: AnyHandle, name: string): TCP {
  if (!(handle instanceof TCP)) throw new ScenarioError(`${name} is not a tcp handle`);
  return handle;
}

function asStream(handle: AnyHandle, name: string): StreamHandle {
  if (!(handle instanceof TCP || handle instanceof Pipe))
    throw new ScenarioError(`${name} is not a stream handle`);
  return handle;
}

function asSignal(handle: AnyHandle, name: string): Signal {
  if (!(handle instanceof Signal)) throw new ScenarioError(`${name} is not a signal handle`);
  return handle;
}

/** The signal an action names; the schema requires it for startOneshot and kill. */
function signalArg(args: ActionArgs): SignalName {
  if (args.signum === undefined) throw new ScenarioError('the action needs args.signum');
  return args.signum;
}

function asAsync(handle: AnyHandle, name: string): Async {
  if (!(handle instanceof Async)) throw new ScenarioError(`${name} is not an async handle`);
  return handle;
}

function asWatcher(handle: AnyHandle, name: string): Timer | Idle | Prepare | Check | Signal {
  if (handle instanceof Async || handle instanceof TCP || handle instanceof Pipe)
    throw new ScenarioError(`${name} cannot be stopped`);
  return handle;
}
