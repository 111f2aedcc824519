/**
 * Executes a conformance scenario against uvts and prints its trace.
 *
 * This is the TypeScript twin of `conformance/drivers/luv.lua`: the two must
 * print the same line for the same event, so every format decision lives in
 * docs/conformance.md and both drivers follow it literally. Like the luv
 * driver, it translates scenario steps into library calls and never decides
 * an ordering itself.
 *
 * This file holds the steps, callbacks, actions, loop operations and probes;
 * the stream operations (stream-ops.ts), conditions (conditions.ts), probe
 * values (probes.ts), handle creation (new-handle.ts) and value conversions
 * (handle-values.ts, scenario-values.ts) live beside it.
 */
import {
  Check,
  FSEvent,
  FSPoll,
  Idle,
  Poll,
  Prepare,
  Process,
  Signal,
  Timer,
  UDP,
  sleep,
} from 'uvts';
import type { Async, Loop } from 'uvts';
import type { Action, ActionArgs, CallbackSpec, Scenario, SignalName } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import { conditionHolds } from './conditions.js';
import type { ConditionState } from './conditions.js';
import { asAsync, asSignal, asStream, asTimer, asWatcher, isClosing } from './handle-values.js';
import type { AnyHandle } from './handle-values.js';
import { newHandle } from './new-handle.js';
import { clockNow, probe } from './probes.js';
import type { ProbeState } from './probes.js';
import { ScenarioError } from './scenario-errors.js';
import {
  callbackArg,
  compare,
  errorName,
  formatValue,
  signalArg,
  toMs,
} from './scenario-values.js';
import { RequestOperations } from './request-ops.js';
import { ProcessPollOperations } from './process-poll-ops.js';
import { FsOperations } from './fs-ops.js';
import { StreamOperations } from './stream-ops.js';
import { UdpOperations } from './udp-ops.js';
import type { ThreadSender } from './thread-pool.js';

/** One scenario run on one loop. */
export class ScenarioInterpreter {
  private readonly handles = new Map<string, AnyHandle>();
  private readonly names = new Map<AnyHandle, string>();
  private readonly callCounts = new Map<string, number>();
  private readonly counters = new Map<string, number>();
  private readonly marks = new Map<string, number>();
  private readonly callbacks: Record<string, CallbackSpec>;
  /**
   * The stream operations and the state only they need. They reach back
   * through these three methods alone, bound here so they stay private.
   */
  private readonly streams = new StreamOperations({
    invokeCallback: (line, context) => this.invokeCallback(line, context),
    makeCallback: (handleName, callbackName, isClose) =>
      this.makeCallback(handleName, callbackName, isClose),
    lookup: (ref, context) => this.lookup(ref, context),
  });
  /** The thread-pool requests (queueWork, getaddrinfo, getnameinfo, random, cancel). */
  private readonly requests: RequestOperations;
  /** The process and poll kinds; they reach back like the stream operations. */
  private readonly processesAndPolls: ProcessPollOperations;
  /** The UDP operations; they reach back for callbacks and the handle table only. */
  private readonly udp = new UdpOperations({
    invokeCallback: (line, context) => this.invokeCallback(line, context),
    handles: () => this.handles,
  });
  /** The fs requests and the run's directory (fs-ops.ts). */
  private readonly files: FsOperations;
  /** What the `when` conditions and the `log` probes may read of this run. */
  private readonly state: ConditionState & ProbeState;

  /** Prepares a run of `scenario` on `loop`, printing its trace through `emit`. */
  constructor(
    private readonly scenario: Scenario,
    private readonly loop: Loop,
    private readonly emit: (line: string) => void,
    private readonly threads: ThreadSender | undefined,
  ) {
    this.callbacks = scenario.callbacks ?? {};
    this.requests = new RequestOperations(loop, scenario.threadpoolSize, {
      invokeCallback: (line, context) => this.invokeCallback(line, context),
      emit: (line) => this.emit(line),
    });
    this.processesAndPolls = new ProcessPollOperations(loop, {
      invokeCallback: (line, context) => this.invokeCallback(line, context),
      lookup: (ref, context) => this.lookup(ref, context),
    });
    this.files = new FsOperations(loop, {
      invokeCallback: (line, context) => this.invokeCallback(line, context),
      emit: (line) => this.emit(line),
      sizePool: () => this.requests.sizePool(),
      keepRequest: (name, request) => this.requests.keep(name, request),
    });
    // Built here rather than as a field initializer: it needs `loop`, which
    // the parameter properties set only once the initializers have run.
    this.state = {
      loop,
      mark: (name) => this.mark(name),
      callCount: (name) => this.callCounts.get(name) ?? 0,
      counter: (name) => this.counters.get(name) ?? 0,
      lookup: (ref, context) => this.lookup(ref, context),
    };
  }

  /** Runs the top-level steps; only `run` and `teardown` need to await. */
  async runSteps(): Promise<void> {
    for (const action of this.scenario.steps) {
      if (action.when !== undefined && !conditionHolds(action.when, undefined, this.state))
        continue;
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
    this.streams.cleanUp();
    this.processesAndPolls.cleanUp();
    this.files.cleanUp();
  }

  // -------------------------------------------------------------------------
  // Callbacks

  /** A plain or close callback of a handle: prints `cb`/`close` and runs its actions. */
  private makeCallback(handleName: string, callbackName: string, isClose: boolean): () => void {
    const word = isClose ? 'close' : 'cb';
    const defaultName = isClose ? `${handleName}.close` : handleName;
    const line =
      callbackName === defaultName
        ? `${word} ${handleName}`
        : `${word} ${handleName} ${callbackName}`;
    return () => this.invokeCallback(line, { handle: handleName, callback: callbackName });
  }

  /**
   * One call of a callback, whatever its kind: counts it, prints `line`
   * unless the spec turns logging off, then runs the spec's actions.
   */
  private invokeCallback(line: string, partial: Omit<CallbackContext, 'count'>): void {
    const spec = this.callbacks[partial.callback] ?? {};
    const count = (this.callCounts.get(partial.callback) ?? 0) + 1;
    this.callCounts.set(partial.callback, count);
    if (spec.log !== false) this.emit(line);
    this.runCallbackActions(spec, { ...partial, count });
  }

  private runCallbackActions(spec: CallbackSpec, context: CallbackContext): void {
    for (const action of spec.do ?? []) {
      if (action.when !== undefined && !conditionHolds(action.when, context, this.state)) continue;
      if (action.op === 'run' || action.op === 'teardown') {
        throw new ScenarioError(`${action.op} inside a callback: uv_run is not re-entrant`);
      }
      this.execute(action, context);
    }
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
        if (action.handle !== undefined) break;
        this.kill(signalArg(args));
        return;
      case 'mark':
        this.marks.set(
          args.name ?? '',
          clockNow(this.loop, args.clock ?? 'now') + (args.plus ?? 0),
        );
        return;
      case 'incr': {
        // '$nread': the byte count of the running read callback's data.
        const by = args.by === '$nread' ? (context?.data?.length ?? 0) : (args.by ?? 1);
        this.counters.set(args.counter ?? '', (this.counters.get(args.counter ?? '') ?? 0) + by);
        return;
      }
      case 'queueWork':
        this.requests.queueWork(args);
        return;
      case 'getaddrinfo':
        this.requests.getaddrinfo(args);
        return;
      case 'cancel':
        this.requests.cancel(args);
        return;
      case 'fs':
        this.files.run(args, action.logResult === true);
        return;
      case 'getnameinfo':
        this.requests.getnameinfo(args);
        return;
      case 'random':
        this.requests.random(args, action.logResult === true);
        return;
      case 'run':
      case 'teardown':
        throw new ScenarioError(`${action.op} is only allowed as a top-level step`);
      default:
        break;
    }
    const [handle, name] = this.lookup(action.handle, context);
    let code: string | undefined;
    let value: number | string | undefined;
    try {
      value = this.handleOp(action, handle, name, args, context);
    } catch (error) {
      code = errorName(error);
    }
    if (code !== undefined) this.emit(`${name}.${action.op} -> ${code}`);
    else if (action.logResult === true) this.emit(`${name}.${action.op} -> ${value ?? 0}`);
  }

  private init(name: string, args: ActionArgs): void {
    // Only an async handle takes its callback at init, as uv_async_init does.
    const callbackName = args.kind === 'async' ? callbackArg(args, name) : null;
    const callback =
      callbackName === null ? undefined : this.makeCallback(name, callbackName, false);
    const handle =
      args.kind === 'process' || args.kind === 'poll'
        ? this.processesAndPolls.init(name, args, this.emit)
        : newHandle(this.loop, args.kind, callback);
    // A spawn or a poll init that failed made no handle.
    if (handle === null) return;
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
  ): number | string | undefined {
    if (handle instanceof Process || handle instanceof Poll) {
      const op = action.op;
      if (
        op === 'kill' ||
        op === 'start' ||
        op === 'readFd' ||
        op === 'writeFd' ||
        (op === 'stop' && handle instanceof Poll)
      )
        return this.processesAndPolls.run(op, handle, name, args);
    }
    switch (action.op) {
      case 'start': {
        const callbackName = callbackArg(args, name);
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
        } else if (handle instanceof FSPoll || handle instanceof FSEvent) {
          this.files.start(handle, name, args);
        } else {
          throw new ScenarioError(`${name} cannot be started`);
        }
        return;
      }
      case 'getpath':
        return this.files.getpath(handle, name);
      case 'startOneshot': {
        const callbackName = callbackArg(args, name);
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
        const callbackName = callbackArg(args, `${name}.close`);
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
        if (handle instanceof UDP) return this.udp.run(action.op, handle, name, args, context);
        this.send(asAsync(handle, name), args);
        return;
      default:
        if (handle instanceof UDP) return this.udp.run(action.op, handle, name, args, context);
        return this.streams.run(action.op, asStream(handle, name), name, args, context);
    }
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

  private probe(action: Action, args: ActionArgs, context: CallbackContext | undefined): void {
    const [label, value] = probe(action, args, context, this.state);
    if (args.cmp !== undefined) {
      const than = args.than ?? 0;
      this.emit(`${label} ${args.cmp} ${than} : ${formatValue(compare(value, args.cmp, than))}`);
    } else {
      this.emit(`${label} = ${formatValue(value)}`);
    }
  }
}
