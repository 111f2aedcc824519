/**
 * What crosses between the loop's thread and a pool worker when a
 * `queueWork` job runs: how the work function travels, the messages, and
 * how an error thrown in the worker comes back as an error.
 *
 * A JavaScript function cannot cross a thread: structured cloning refuses
 * functions (docs/node.md Q13). So `queueWork` accepts two forms of work:
 *
 * - a *self-contained* function, sent as its source text and compiled again
 *   in the worker. It sees only its arguments and the worker's globals, never
 *   the variables around it where it was written (its closure). A function
 *   that uses one fails in the worker with a `ReferenceError` that says so.
 * - a *module export*, `{ module, name }`: the worker imports the module and
 *   calls the named export, which may use whatever its module imports.
 *
 * Arguments and results are structured-cloned (or transferred); thread
 * primitives among the arguments (a `Mutex`, …) arrive as the same lock.
 * The worker side itself lives in `pool-worker.ts`.
 *
 * @module
 */
import type { TransferListItem } from 'node:worker_threads';
import { UVError } from '../errors/index.js';
import { primitiveNameOf } from './shared-primitive.js';
import type { PrimitiveName } from './shared-primitive.js';

/** A work function that names a module export; the worker imports `module` and calls export `name`. */
export interface WorkModuleReference {
  /** The module: a URL, a `file:` URL string, or an absolute path. */
  readonly module: URL | string;
  /** The name of the exported function (default: `'default'`). */
  readonly name?: string;
}

/**
 * The work of a `queueWork` job: a self-contained function (sent as source;
 * see the module comment) or a module export.
 */
export type WorkFunction = ((...args: never[]) => unknown) | WorkModuleReference;

/** @internal How the function travels: its source, or where to import it from. */
export type WorkFunctionSpec =
  | { readonly kind: 'source'; readonly source: string; readonly name: string }
  | { readonly kind: 'module'; readonly module: string; readonly name: string };

/** @internal Where, in a job's argument list, a thread primitive must be wrapped again. */
export interface PrimitivePlace {
  /** The path of keys from the argument list down to the primitive. */
  readonly path: readonly (string | number)[];
  /** Its class. */
  readonly name: PrimitiveName;
}

/** @internal The loop's thread → worker: run a job. */
export interface JobMessage {
  readonly id: number;
  readonly work: WorkFunctionSpec;
  readonly args: readonly unknown[];
  readonly primitives: readonly PrimitivePlace[];
}

/**
 * @internal An error as it crosses threads: its class name, text, stack,
 * own properties, and whether it was a `UVError` (made in `pool-worker.ts`).
 */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly properties: Record<string, unknown>;
  readonly uv: boolean;
}

/** @internal Worker → the loop's thread: a job's outcome. */
export type ResultMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/**
 * The key of a work result that asks for transfer instead of copy: a work
 * function returns `{ [Symbol.for('uvts.transfer')]: [buffer, …], value }`
 * (or `transferResult(value, [buffer, …])` where it can import uvts), and
 * the loop's thread receives `value`, with the listed buffers moved rather
 * than copied. `Symbol.for` gives the same symbol in every thread.
 */
export const TRANSFER: unique symbol = Symbol.for('uvts.transfer') as never;

/** A work result whose listed buffers are transferred; see {@link transferResult}. */
export interface TransferredResult<T> {
  /** The buffers (or ports) to move to the loop's thread. */
  readonly [TRANSFER]: readonly TransferListItem[];
  /** The result `afterWork` receives. */
  readonly value: T;
}

/**
 * Wraps a work function's result so that `transferList` is moved to the
 * loop's thread instead of copied (for large `ArrayBuffer`s). The function
 * may also build the same object itself: `{ [Symbol.for('uvts.transfer')]:
 * transferList, value }`.
 */
export function transferResult<T>(
  value: T,
  transferList: readonly TransferListItem[],
): TransferredResult<T> {
  return { [TRANSFER]: transferList, value };
}

/** Source texts of functions already checked, so a function is compiled on this side once. */
const sources = new WeakMap<(...args: never[]) => unknown, WorkFunctionSpec>();

/**
 * @internal Checks `work` and says how it travels. Throws TypeError for
 * anything else, and for functions whose source cannot stand alone
 * (built-in and bound functions, classes).
 */
export function describeWork(work: unknown): WorkFunctionSpec {
  if (typeof work === 'function') {
    const fn = work as (...args: never[]) => unknown;
    const known = sources.get(fn);
    if (known !== undefined) return known;
    const spec: WorkFunctionSpec = {
      kind: 'source',
      source: standaloneSource(fn),
      name: fn.name === '' ? 'anonymous' : fn.name,
    };
    sources.set(fn, spec);
    return spec;
  }
  if (typeof work === 'object' && work !== null && 'module' in work) {
    const { module, name = 'default' } = work as WorkModuleReference;
    if (typeof name !== 'string') throw new TypeError('work name must be a string');
    return { kind: 'module', module: moduleUrl(module), name };
  }
  throw new TypeError('work must be a self-contained function or a module export { module, name }');
}

/**
 * The text that evaluates to `fn` in another realm: function and arrow
 * sources as they are, method shorthand (`name(a) { … }`) as a function
 * expression. Proved by compiling it here.
 */
function standaloneSource(fn: (...args: never[]) => unknown): string {
  const text = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text))
    throw new TypeError('a built-in or bound function cannot be sent to a worker');
  if (/^class\b/.test(text)) throw new TypeError('a class cannot be a work function');
  for (const candidate of [text, `function ${text.replace(/^async\s+/, '')}`]) {
    const source =
      text.startsWith('async ') && candidate !== text ? `async ${candidate}` : candidate;
    try {
      new Function(`return (${source});`);
      return source;
    } catch {
      // Not this form; try the next.
    }
  }
  throw new TypeError(`the source of work function '${fn.name}' does not compile on its own`);
}

function moduleUrl(module: URL | string): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '')
    throw new TypeError('work module must be a URL or a path');
  if (module.startsWith('/')) return new URL(`file://${module}`).href;
  try {
    return new URL(module).href;
  } catch {
    throw new TypeError(`work module must be a URL or an absolute path, got '${module}'`);
  }
}

/**
 * @internal Finds the thread primitives in `args` (top level, and inside
 * plain objects and arrays), so the worker can wrap them again. Returns the
 * argument list to post, where each primitive is its `{ shared }` clone.
 */
export function findPrimitives(args: readonly unknown[]): PrimitivePlace[] {
  const places: PrimitivePlace[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const name = primitiveNameOf(value);
    if (name !== null && !(value instanceof SharedArrayBuffer)) {
      places.push({ path, name });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (Object.getPrototypeOf(value) === Object.prototype)
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  args.forEach((arg, index) => visit(arg, [index]));
  return places;
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

/**
 * @internal The error the loop's thread hands to `afterWork` for an error
 * thrown in a worker: a `UVError` if it was one (by its `errno`), else an
 * error of the same built-in class with the same message, the worker's
 * stack and the same own properties.
 */
export function reviveError(serialized: SerializedError): Error {
  const { name, message, stack, properties } = serialized;
  let error: Error;
  if (serialized.uv && typeof properties.errno === 'number') {
    error = new UVError(properties.errno, {
      ...(typeof properties.syscall === 'string' ? { syscall: properties.syscall } : {}),
      ...(typeof properties.path === 'string' ? { path: properties.path } : {}),
      ...(typeof properties.dest === 'string' ? { dest: properties.dest } : {}),
    });
  } else {
    const ErrorClass = ERROR_CLASSES[name] ?? Error;
    error = new ErrorClass(message);
    if (!(name in ERROR_CLASSES))
      Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
    for (const [key, value] of Object.entries(properties))
      (error as unknown as Record<string, unknown>)[key] = value;
  }
  if (stack !== undefined) error.stack = stack;
  return error;
}
