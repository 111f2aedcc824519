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
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { TestOptions } from 'node:test';
import { Worker } from 'node:worker_threads';
import { queueWork, UVError } from '../src/index.js';
import { tempDir } from './fixtures/child-util.js';
import type { Loop, Profile, TraceEvent } from '../src/index.js';

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

// ---------------------------------------------------------------- added for the loop-core tests

/** Both libuv profiles, oldest first: tests whose order differs run once per profile. */
export const PROFILES = ['1.44', '1.52'] as const;

/**
 * Declares a test named after the libuv test (`name`) that runs `body` once
 * per profile, each as a subtest named after the profile, so a failure says
 * which profile broke while the top-level name stays libuv's.
 */
export function bothProfiles(
  name: string,
  body: (profile: Profile) => Promise<void>,
  options: TestOptions = {},
): void {
  test(name, options, async (t) => {
    for (const profile of PROFILES) await t.test(profile, () => body(profile));
  });
}

/**
 * An `assert.throws` validator: the error is a `UVError` (or the given
 * subclass) whose `code` is `code`.
 */
export function uvError(
  code: string,
  ErrorClass: abstract new (...args: never[]) => UVError = UVError,
): (error: unknown) => true {
  return (error: unknown) => {
    assert.ok(error instanceof ErrorClass, `expected a ${ErrorClass.name}, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  };
}

/**
 * Starts a worker thread running a TypeScript file. On Node 20 a worker does
 * not inherit tsx's module hooks even with `execArgv: ['--import', 'tsx']`
 * (nodejs/node#47747, privatenumber/tsx#354), so the worker starts from a
 * tiny JavaScript bootstrap that registers tsx and then imports `entry`.
 */
export function tsWorker(entry: URL, workerData?: unknown): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(api)}).then(({ register }) => {` +
    ` register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Runs `fn` and returns the `code` of the `UVError` it throws, or `'OK'` (any other error is rethrown). */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UVError) return error.code;
    throw error;
  }
  return 'OK';
}

/** Paths in a suite's temporary directory; see {@link suiteTempDir}. */
export interface SuiteTempDir {
  /** `name` inside the directory (which exists once the suite's tests run). */
  path(...names: string[]): string;
  /** A new name in the directory at each call: `stem1`, `stem2`, … */
  fresh(stem?: string): string;
}

/**
 * A temporary directory for the tests of the enclosing `describe`, made
 * before they run and removed after them. Call it in the `describe` body.
 */
export function suiteTempDir(prefix: string): SuiteTempDir {
  let dir = '';
  let remove = (): void => {};
  let counter = 0;
  before(() => ({ dir, remove } = tempDir(prefix)));
  after(() => remove());
  return {
    path: (...names) => path.join(dir, ...names),
    fresh: (stem = 'uv-test-sock') => path.join(dir, `${stem}${++counter}`),
  };
}

/** The gates of {@link saturatePool} not opened yet. */
const poolGates = new Set<() => void>();

/**
 * Fills `slots` of the thread pool's slots (all four of
 * `UV_THREADPOOL_SIZE=4` by default) with work that waits on a shared word
 * until `open()`, so that requests queued next stay queued (cancellable). Call {@link openSaturatedPools} from
 * `afterEach`, so that a failed test never leaves the pool blocked.
 */
export function saturatePool(loop: Loop, slots = 4): { open: () => void } {
  const words = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < slots; i++) {
    queueWork(
      loop,
      (buffer: SharedArrayBuffer) => {
        Atomics.wait(new Int32Array(buffer), 0, 0);
      },
      null,
      { args: [words.buffer] },
    );
  }
  const open = (): void => {
    Atomics.store(words, 0, 1);
    Atomics.notify(words, 0);
    poolGates.delete(open);
  };
  poolGates.add(open);
  return { open };
}

/** Opens every gate of {@link saturatePool} still closed. */
export function openSaturatedPools(): void {
  for (const open of [...poolGates]) open();
}

/**
 * The environment under which `lua5.4` loads the luv of libuv `profile`:
 * Debian's lua-luv for 1.44, the build `UVTS_LUV_1_52` names for 1.52
 * (docs/conformance.md). `null` when no such build is named. The caller
 * still checks `uv.version_string()`.
 */
export function luvEnvironment(profile: '1.44' | '1.52'): NodeJS.ProcessEnv | null {
  const env = { ...process.env };
  if (profile === '1.52') {
    const dir = process.env['UVTS_LUV_1_52'];
    if (dir === undefined) return null;
    env['LUA_CPATH'] = `${dir}/?.so;${process.env['LUA_CPATH'] ?? ';'}`;
  }
  return env;
}
