/**
 * The thread-pool request operations of the uvts driver: `queueWork`,
 * `getaddrinfo`, `getnameinfo`, `random` and `cancel`, the twin of the luv
 * driver's kinds/work.lua (the trace lines are the same: `cb <request>
 * after_work 0`, `cb <request> getaddrinfo <status>`, `cb <request>
 * getnameinfo <status>`, `cb <request> random <status> bytes=<n>`,
 * `<request>.cancel -> 0|<error>`).
 *
 * The pool's size is the scenario's `threadpoolSize`, put in the
 * environment before the first request: uvts's pool, like libuv's, reads it
 * once, at its first job.
 */
import { getaddrinfo, getnameinfo, queueWork, random, UVError } from 'uvts';
import type { Loop, PoolRequest } from 'uvts';
import type { ActionArgs } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import { ScenarioError } from './scenario-errors.js';
import { callbackArg } from './scenario-values.js';

/** What the request operations need from the interpreter. */
export interface RequestOperationsHost {
  /** Prints `line` (unless the spec says not to) and runs the callback's actions. */
  invokeCallback(line: string, context: Omit<CallbackContext, 'count'>): void;
  /** Prints a trace line. */
  emit(line: string): void;
}

/** A work function that sleeps `ms` on its pool thread (self-contained: it is sent as source). */
const sleepingWork = (ms: number): void => {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** The thread-pool requests of one scenario run. */
export class RequestOperations {
  private readonly requests = new Map<string, PoolRequest>();
  private sized = false;

  constructor(
    private readonly loop: Loop,
    private readonly threadpoolSize: number | undefined,
    private readonly host: RequestOperationsHost,
  ) {}

  /** `queueWork`: work that sleeps `args.ms` on a pool thread. */
  queueWork(args: ActionArgs): void {
    const name = this.requestName(args);
    const done = this.callback(name, args, 'after_work');
    const request = queueWork(this.loop, sleepingWork, (_request, _result, error) => done(error), {
      args: [args.ms ?? 0],
    });
    this.requests.set(name, request);
  }

  /** `getaddrinfo`: a lookup of `args.host`, with no hints. */
  getaddrinfo(args: ActionArgs): void {
    const name = this.requestName(args);
    const done = this.callback(name, args, 'getaddrinfo');
    try {
      const request = getaddrinfo(
        this.loop,
        (_request, _result, error) => done(error),
        args.host ?? null,
      );
      this.requests.set(name, request);
    } catch (error) {
      if (!(error instanceof UVError)) throw error;
      this.host.emit(`${name}.getaddrinfo -> ${error.code}`);
    }
  }

  /** `getnameinfo`: a reverse lookup of the address `args.host`, port `args.port`, flags 0. */
  getnameinfo(args: ActionArgs): void {
    const name = this.requestName(args);
    const done = this.callback(name, args, 'getnameinfo');
    try {
      const address = { address: args.host ?? '', port: args.port ?? 0 };
      const request = getnameinfo(
        this.loop,
        (_request, _host, _service, error) => done(error),
        address,
      );
      this.requests.set(name, request);
    } catch (error) {
      if (!(error instanceof UVError)) throw error;
      this.host.emit(`${name}.getnameinfo -> ${error.code}`);
    }
  }

  /**
   * `random`: `args.length` random bytes with `args.flags` (default 0). The
   * callback prints the status and, on success, the number of bytes it got,
   * never the bytes. `"callback": null` is libuv's NULL callback, the
   * synchronous form, whose success prints only with `logResult`. A random
   * request is not kept for `cancel`: luv's `uv.random` returns no request
   * to cancel, so neither driver offers one.
   */
  random(args: ActionArgs, logResult: boolean): void {
    const name = this.requestName(args);
    const flags = args.flags ?? 0;
    if (typeof flags !== 'number') throw new ScenarioError('random takes integer flags');
    const buffer = new Uint8Array(args.length ?? 0);
    try {
      if (callbackArg(args, name) === null) {
        random(null, buffer, flags);
        if (logResult) this.host.emit(`${name}.random -> bytes=${buffer.byteLength}`);
        return;
      }
      const done = this.callback(name, args, 'random');
      random(this.loop, buffer, flags, (_request, filled, error) =>
        done(error, error === null ? `bytes=${filled.byteLength}` : undefined),
      );
    } catch (error) {
      if (!(error instanceof UVError)) throw error;
      this.host.emit(`${name}.random -> ${error.code}`);
    }
  }

  /** `cancel`: prints `<request>.cancel -> 0` or the error. */
  cancel(args: ActionArgs): void {
    const name = args.request ?? '';
    const request = this.requests.get(name);
    if (request === undefined) throw new ScenarioError(`unknown request ${name}`);
    let outcome = '0';
    try {
      request.cancel();
    } catch (error) {
      if (!(error instanceof UVError)) throw error;
      outcome = error.code;
    }
    this.host.emit(`${name}.cancel -> ${outcome}`);
  }

  /** Keeps `request` under `name` for `cancel` (fs requests, fs-ops.ts). */
  keep(name: string, request: PoolRequest): void {
    this.requests.set(name, request);
  }

  /** Puts the scenario's threadpoolSize in the environment before the first request. */
  sizePool(): void {
    if (!this.sized && this.threadpoolSize !== undefined) {
      process.env.UV_THREADPOOL_SIZE = String(this.threadpoolSize);
      this.sized = true;
    }
  }

  private requestName(args: ActionArgs): string {
    if (args.request === undefined)
      throw new ScenarioError('a request operation needs args.request');
    this.sizePool();
    return args.request;
  }

  /**
   * The function a request calls back with its error: prints `cb <request>
   * <word> <status>`, followed by `detail` when the request has one to show
   * (random's byte count).
   */
  private callback(
    name: string,
    args: ActionArgs,
    event: string,
  ): (error: Error | null, detail?: string) => void {
    const callbackName = callbackArg(args, name);
    if (callbackName === null) return () => {};
    return (error, detail) => {
      const status = error === null ? '0' : error instanceof UVError ? error.code : error.name;
      const word = callbackName === name ? event : callbackName;
      const suffix = detail === undefined ? '' : ` ${detail}`;
      this.host.invokeCallback(`cb ${name} ${word} ${status}${suffix}`, {
        handle: name,
        callback: callbackName,
        status: status === '0' ? 'ok' : status,
      });
    };
  }
}
