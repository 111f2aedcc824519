/**
 * The worker side of the thread pool: what a pool worker thread runs.
 *
 * A pool worker receives one job at a time (`JobMessage`), runs the work
 * function with the job's arguments, and posts the outcome back
 * (`ResultMessage`); see `work-protocol.ts` for what crosses and why.
 *
 * The worker's program is {@link poolWorkerMain}, sent as *source text*
 * and started with `new Worker(source, { eval: true })`. That way a worker
 * needs no module loader of its own: started from a file, it would have to
 * import this module, which in a TypeScript checkout would mean registering
 * a TypeScript loader in every worker (seconds per worker on this project's
 * machines). So `poolWorkerMain` is written like a work function:
 * self-contained, using only its parameters and the worker's globals. It
 * loads modules only when a job needs them: the module of a `{ module, name
 * }` work function, and uvts's thread primitives when the arguments hold
 * one, which must be wrapped again on this side.
 *
 * @module
 */

import type * as workerThreads from 'node:worker_threads';
import type { MessagePort, TransferListItem } from 'node:worker_threads';
import type { JobMessage, ResultMessage, SerializedError } from './work-protocol.js';

/** @internal What a pool worker is started with. */
export interface PoolWorkerInit {
  /** The URL of uvts's `thread/index` module, for wrapping primitives again. */
  readonly threadModule: string;
  /**
   * The URL of a module whose `register()` installs a TypeScript loader, used
   * before importing a `.ts` module; null when uvts itself runs as
   * JavaScript.
   */
  readonly loader: string | null;
}

type WorkerThreads = typeof workerThreads;
type Job = JobMessage;
type Outcome = ResultMessage;
type Serialized = SerializedError;
type AnyFunction = (...args: unknown[]) => unknown;

/**
 * @internal The program of a pool worker. Self-contained on purpose (see the
 * module comment): it must not use anything from outside its own body.
 */
export function poolWorkerMain(threads: WorkerThreads, init: PoolWorkerInit): void {
  const jobs = threads.parentPort;
  const port = (threads.workerData as { results: MessagePort } | null)?.results;
  if (jobs === null || port === undefined)
    throw new Error('uvts: the pool worker program runs only in a pool worker thread');
  const TRANSFER = Symbol.for('uvts.transfer');
  const UV_ERROR_BRAND = Symbol.for('uvts.UVError');
  const compiled = new Map<string, AnyFunction>();
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  let loaderReady: Promise<void> | null = null;

  const importModule = (url: string): Promise<Record<string, unknown>> => {
    let loaded = modules.get(url);
    if (loaded === undefined) {
      const loader = init.loader;
      const typescript = loader !== null && /\.[cm]?ts$/.test(new URL(url).pathname);
      if (typescript && loaderReady === null)
        loaderReady = import(loader).then((api: { register(): void }) => api.register());
      loaded = (typescript ? (loaderReady ?? Promise.resolve()) : Promise.resolve()).then(
        () => import(url) as Promise<Record<string, unknown>>,
      );
      modules.set(url, loaded);
    }
    return loaded;
  };

  const functionOf = async (job: Job): Promise<AnyFunction> => {
    const work = job.work;
    if (work.kind === 'source') {
      let fn = compiled.get(work.source);
      if (fn === undefined) {
        // Indirect eval: compiled in the worker's global scope, not in this function's.
        fn = (0, eval)(`(${work.source})`) as AnyFunction;
        compiled.set(work.source, fn);
      }
      return fn;
    }
    const exported = (await importModule(work.module))[work.name];
    if (typeof exported !== 'function')
      throw new TypeError(`work module ${work.module} has no function export '${work.name}'`);
    return exported as AnyFunction;
  };

  const argumentsOf = async (job: Job): Promise<unknown[]> => {
    const args = [...job.args];
    if (job.primitives.length === 0) return args;
    const classes = await importModule(init.threadModule);
    for (const { path, name } of job.primitives) {
      let holder: Record<string | number, unknown> = args as unknown as Record<number, unknown>;
      for (let i = 0; i < path.length - 1; i++)
        holder = holder[path[i] as string | number] as Record<string | number, unknown>;
      const key = path[path.length - 1] as string | number;
      holder[key] = (classes[name] as { from(value: unknown): unknown }).from(holder[key]);
    }
    return args;
  };

  const serialize = (error: unknown, job: Job): Serialized => {
    if (!(error instanceof Error)) {
      let thrown: unknown = error;
      try {
        structuredClone(thrown);
      } catch {
        thrown = String(error);
      }
      return {
        name: 'Error',
        message: String(error),
        stack: undefined,
        properties: { thrown },
        uv: false,
      };
    }
    let message = error.message;
    const missing = /^(\S+) is not defined$/.exec(message);
    if (error instanceof ReferenceError && missing !== null && job.work.kind === 'source') {
      message =
        `work function '${job.work.name}' uses '${missing[1]}', which does not exist in the ` +
        'worker thread: a function sent to a worker is compiled from its source and keeps no ' +
        'closure. Pass the value as an argument, import it inside the function, or use a ' +
        'module export ({ module, name }).';
    }
    const properties: Record<string, unknown> = {};
    for (const key of Object.keys(error)) {
      const value = (error as unknown as Record<string, unknown>)[key];
      try {
        properties[key] = structuredClone(value);
      } catch {
        properties[key] = String(value);
      }
    }
    const uv = Array.isArray((error as unknown as Record<symbol, unknown>)[UV_ERROR_BRAND]);
    const stack = error.stack?.replace(error.message, message);
    return { name: error.name, message, stack, properties, uv };
  };

  const post = (outcome: Outcome, transfer: readonly TransferListItem[] = []): void => {
    port.postMessage(outcome, transfer);
  };

  const run = async (job: Job): Promise<void> => {
    try {
      const fn = await functionOf(job);
      let value = fn(...(await argumentsOf(job)));
      if (typeof (value as { then?: unknown } | null)?.then === 'function') value = await value;
      if (typeof value === 'object' && value !== null && TRANSFER in value) {
        const wrapped = value as { [TRANSFER]: TransferListItem[]; value: unknown };
        post({ id: job.id, ok: true, value: wrapped.value }, wrapped[TRANSFER]);
      } else {
        post({ id: job.id, ok: true, value });
      }
    } catch (error) {
      try {
        post({ id: job.id, ok: false, error: serialize(error, job) });
      } catch (postError) {
        post({ id: job.id, ok: false, error: serialize(postError, job) });
      }
    }
  };

  jobs.on('message', (job: Job) => void run(job));
}

/**
 * @internal The source text of a worker that runs `program`, a
 * self-contained function, with `args`: each either the name of a Node
 * built-in module (`{ builtin: 'node:dns' }`, passed as the module) or a
 * JSON value. Start it with `new Worker(source, { eval: true })`.
 *
 * The first line defines `__name` if the worker lacks it: when uvts (or the
 * program that queues work) runs through esbuild-based tooling such as tsx,
 * function sources contain calls to esbuild's `__name` helper, which exists
 * only in the module they were compiled in. In the worker it only has to
 * give back its argument.
 */
export function programSource(
  program: (...args: never[]) => void,
  args: readonly ({ readonly builtin: string } | unknown)[],
): string {
  const argumentList = args
    .map((arg) =>
      typeof arg === 'object' && arg !== null && 'builtin' in arg
        ? `require(${JSON.stringify((arg as { builtin: string }).builtin)})`
        : JSON.stringify(arg),
    )
    .join(', ');
  return (
    "if (typeof globalThis.__name !== 'function') Object.defineProperty(globalThis, '__name', " +
    '{ value: (target) => target, configurable: true, writable: true });\n' +
    `(${program.toString()})(${argumentList});\n`
  );
}

/** @internal The source text a pool worker is started with: `poolWorkerMain` applied to `init`. */
export function poolWorkerSource(init: PoolWorkerInit): string {
  return programSource(poolWorkerMain, [{ builtin: 'node:worker_threads' }, init]);
}
