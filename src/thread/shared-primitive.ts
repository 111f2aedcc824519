/**
 * What every thread primitive shares: its state lives in a
 * `SharedArrayBuffer`, so the same lock can be used from the loop's thread
 * and from worker threads.
 *
 * A JavaScript object cannot cross a thread: structured cloning (what
 * `postMessage` and `queueWork` do to their arguments) drops its class and
 * private fields and copies the rest. The memory of a `SharedArrayBuffer`
 * is the exception, it is shared instead of copied. So a primitive keeps all
 * of its state in one shared buffer, exposes that buffer as its only own
 * property (`shared`), and the receiving thread wraps the same memory again
 * with `Mutex.from(received)` (`queueWork` does this for its arguments by
 * itself). The wrapper is new; the lock is the same.
 *
 * Every buffer starts with a header of three 32-bit words: a tag that says
 * which primitive the buffer holds (so `Mutex.from()` refuses a semaphore's
 * buffer), then a random 64-bit identity, which lets a thread keep its own
 * notes about a primitive (which read locks it holds, its thread-local
 * values) however many wrappers of it it has.
 *
 * @module
 */
import { randomFillSync } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { StatusCode, UVError } from '../errors/index.js';

/** Index of the first word a primitive may use for its own state. */
export const STATE = 3;

/** The tags of the primitives, one per class (arbitrary, but unlikely to occur by chance). */
export const Tag = {
  Mutex: 0x75764d01,
  RWLock: 0x75764d02,
  Semaphore: 0x75764d03,
  Condition: 0x75764d04,
  Barrier: 0x75764d05,
  Once: 0x75764d06,
  ThreadLocalKey: 0x75764d07,
} as const;

/** The name of a primitive class, which is also the key of its tag. */
export type PrimitiveName = keyof typeof Tag;

/**
 * This thread's number in the owner words of the primitives: Node's
 * `threadId` plus one (the main thread is 0 in Node), so that 0 can mean
 * "nobody".
 */
export const SELF = threadId + 1;

/** What the primitives' `from()` functions accept: a primitive, its clone, or its buffer. */
export type SharedSource =
  | SharedArrayBuffer
  | {
      /** The primitive's shared buffer. */
      readonly shared: SharedArrayBuffer;
    };

/**
 * The base class of the thread primitives: owns the shared buffer and the
 * `Int32Array` view the subclasses operate on with `Atomics`.
 */
export abstract class SharedPrimitive {
  /**
   * The shared memory that holds this primitive's state. It is the only own
   * property, so a structured clone of the primitive is `{ shared }` and
   * still refers to the same memory; wrap it again on the other side with the
   * class's `from()`.
   */
  readonly shared: SharedArrayBuffer;
  /** The view that `Atomics` works on; private so that clones do not carry it. */
  readonly #words: Int32Array;

  /**
   * Wraps `source` (a buffer of this kind) or makes a fresh buffer of
   * `STATE + stateWords` words when `source` is null.
   */
  protected constructor(name: PrimitiveName, stateWords: number, source: SharedSource | null) {
    if (source === null) {
      this.shared = new SharedArrayBuffer((STATE + stateWords) * 4);
      this.#words = new Int32Array(this.shared);
      randomFillSync(this.#words, 1, 2);
      this.#words[0] = Tag[name];
    } else {
      this.shared = bufferOf(source, name);
      this.#words = new Int32Array(this.shared);
      if (this.#words.length !== STATE + stateWords || Atomics.load(this.#words, 0) !== Tag[name])
        throw new TypeError(`${name}.from() needs the shared buffer of a ${name}`);
    }
  }

  /** @internal The state words (`Atomics` operations go through this view). */
  protected get words(): Int32Array {
    return this.#words;
  }

  /** @internal The primitive's identity as a string key, the same in every thread. */
  protected get identity(): string {
    return `${this.#words[1]}:${this.#words[2]}`;
  }
}

/**
 * Wraps an existing buffer as an instance of `Class` without running
 * `Class`'s constructor (which would make a fresh buffer or reset state):
 * only {@link SharedPrimitive}'s runs, checking the tag and the size. This is
 * why the primitive classes keep no fields of their own; all their state is
 * in the buffer.
 */
export function rewrap<T extends SharedPrimitive>(
  Class: abstract new (...args: never[]) => T,
  name: PrimitiveName,
  stateWords: number,
  source: SharedSource,
): T {
  return Reflect.construct(SharedPrimitive, [name, stateWords, source], Class) as T;
}

/** Picks the buffer out of what a `from()` was given. */
function bufferOf(source: SharedSource, name: PrimitiveName): SharedArrayBuffer {
  if (source instanceof SharedArrayBuffer) return source;
  if (typeof source === 'object' && source !== null && source.shared instanceof SharedArrayBuffer)
    return source.shared;
  throw new TypeError(`${name}.from() needs a ${name}, its structured clone or its shared buffer`);
}

/**
 * The tag name of the primitive whose buffer or clone `value` is, or null.
 * Used by the pool's worker side to re-wrap primitives found in arguments.
 */
export function primitiveNameOf(value: unknown): PrimitiveName | null {
  let buffer: unknown = value;
  if (typeof value === 'object' && value !== null && !(value instanceof SharedArrayBuffer)) {
    const keys = Object.keys(value);
    if (keys.length !== 1 || keys[0] !== 'shared') return null;
    buffer = (value as { shared: unknown }).shared;
  }
  if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < STATE * 4) return null;
  const tag = Atomics.load(new Int32Array(buffer, 0, 1), 0);
  for (const name of Object.keys(Tag) as PrimitiveName[]) if (Tag[name] === tag) return name;
  return null;
}

/**
 * Blocks this thread until `words[index]` is no longer `expected` or
 * `timeout` ms pass (`Infinity`: no limit). Node allows `Atomics.wait` on its
 * main thread too, where it blocks the whole event loop, exactly as a
 * `uv_mutex_lock` blocks a libuv loop thread.
 */
export function waitWhile(
  words: Int32Array,
  index: number,
  expected: number,
  timeout = Infinity,
): 'ok' | 'not-equal' | 'timed-out' {
  return Atomics.wait(words, index, expected, timeout);
}

/**
 * Validates a count given to a primitive's constructor: a non-number is a
 * TypeError; anything but an integer in `[min, 2^31 - 1]` is EINVAL, as
 * libuv's init functions return for values their `unsigned int` or the
 * kernel refuses.
 */
export function toCount(value: unknown, what: string, min: number, syscall: string): number {
  if (typeof value !== 'number')
    throw new TypeError(`${what} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < min || value > 0x7fffffff)
    throw new UVError(StatusCode.EINVAL, { syscall });
  return value;
}

/**
 * The error a misuse gets where libuv would deadlock or corrupt state:
 * `code` with a message that says what went wrong.
 */
export function misuse(code: number, syscall: string, message: string): UVError {
  return new UVError(code, { syscall, message });
}
