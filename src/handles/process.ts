/**
 * `Process` (`uv_process_t`): a child process, over Node's
 * `child_process.spawn`.
 *
 * `Process.spawn(loop, options)` is `uv_spawn`: the handle joins the loop,
 * the child starts, and the call returns the active handle — or throws.
 * libuv reports every exec failure synchronously (rule 8.18); Node says
 * only that `pid` is missing and names the error a tick later for ENOENT,
 * EACCES, EAGAIN, EMFILE and ENFILE, so uvts works the errno out itself the
 * way the child met it (platform/spawn-check.ts). A failed spawn never calls
 * the exit callback; the pipes it was given are still opened and read EOF,
 * as in libuv; and since the caller never gets the handle, it is closed
 * here, as pyuv and luv do (the loop stays alive until that close
 * completes).
 *
 * The exit: Node reaps the child and emits `'exit'`; the handle records a
 * *late* completion (node-watcher.ts), which POLL runs after every other
 * event of its batch, where libuv reaps children from its signal pipe
 * (rules 1.20, 8.20). Several children that exited together are therefore
 * reported in spawn order, and a child that wrote and exited gives its
 * data before its exit. The callback gets `(handle, exitStatus,
 * termSignal)`: the exit code and 0, or 0 and the signal that killed it.
 * The handle is active from the spawn until the exit callback, whether or
 * not it has one (rule 8.19); `close()` never kills the child, and after it
 * the exit is not reported (rule 8.21).
 *
 * `kill()`: while the child runs, `kill(2)`. Between Node's reaping and the
 * exit callback libuv would still see a zombie, which accepts any signal,
 * so uvts answers 0 without signalling a pid that may already be reused;
 * after the exit callback, ESRCH, which is what libuv gets from the kernel
 * then (docs/deviations.md).
 *
 * @module
 */
import {
  spawn as nodeSpawn,
  type ChildProcess,
  type SpawnOptions as NodeSpawnOptions,
} from 'node:child_process';
import type net from 'node:net';
import os from 'node:os';
import { StatusCode, UVError } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';
import { requireFunction } from '../errors/internal.js';
import { Loop } from '../loop/loop.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import { spawnFailureCode } from '../platform/spawn-check.js';
import { Handle } from './handle.js';
import { Pipe } from './pipe.js';
import { IpcStream } from './pipe-ipc.js';
import { planStdio, StdIO, type StdioPlan } from './process-stdio.js';

export { StdIO };
export type { StdIOOptions } from './process-stdio.js';

/** An exit callback: the handle, the exit status (0 if killed) and the signal that killed it (0 if none). */
export type ExitCallback = (handle: Process, exitStatus: number, termSignal: number) => void;

/** What `Process.spawn()` runs and how (`uv_process_options_t`; pyuv's `spawn` arguments). */
export interface SpawnOptions {
  /** The argument vector; `args[0]` is the program's name as it sees it. Required, not empty. */
  readonly args: readonly string[];
  /** The program to run (libuv's `file`); default `args[0]`. Looked up in the child's PATH without a slash. */
  readonly executable?: string;
  /** The child's whole environment, as an object or as `NAME=value` strings; default: the parent's. */
  readonly env?: Readonly<Record<string, string>> | readonly string[];
  /** The child's working directory; default: the parent's. */
  readonly cwd?: string;
  /** The user to switch to, with the `SETUID` flag. */
  readonly uid?: number;
  /** The group to switch to, with the `SETGID` flag. */
  readonly gid?: number;
  /** `Process.DETACHED`, `SETUID`, `SETGID`, and the Windows flags (accepted, no effect). */
  readonly flags?: number;
  /** The child's descriptors, in order; missing ones are `IGNORE`. */
  readonly stdio?: readonly (StdIO | null | undefined)[];
  /** Called once when the child exits (in POLL). */
  readonly exitCallback?: ExitCallback | null;
}

const SIGNALS: Readonly<Record<string, number>> = os.constants.signals;
const SIGNAL_NUMBERS = new Set(Object.values(SIGNALS));

/** A validated `SpawnOptions`. */
interface SpawnSpec {
  readonly file: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string> | undefined;
  readonly cwd: string | undefined;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly detached: boolean;
  readonly stdio: readonly (StdIO | null | undefined)[];
  readonly exitCallback: ExitCallback | null;
}

function requireString(value: unknown, what: string, errors: ProfileErrors): string {
  if (typeof value !== 'string')
    throw new TypeError(`${what} must be a string, got ${typeof value}`);
  // A C string ends at its first NUL; libuv would pass a shorter string, uvts refuses it.
  if (value.includes('\0')) throw errors.error(StatusCode.EINVAL, 'uv_spawn');
  return value;
}

function toEnvironment(
  value: SpawnOptions['env'],
  errors: ProfileErrors,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  if (Array.isArray(value)) {
    for (const entry of value as readonly unknown[]) {
      const text = requireString(entry, 'an env entry', errors);
      const equals = text.indexOf('=');
      // An entry without '=' names nothing a child could look up; execve passes it on, Node cannot.
      if (equals <= 0) throw errors.error(StatusCode.EINVAL, 'uv_spawn');
      env[text.slice(0, equals)] = text.slice(equals + 1);
    }
    return env;
  }
  if (typeof value !== 'object')
    throw new TypeError('env must be an object or an array of strings');
  for (const [name, text] of Object.entries(value)) {
    requireString(name, 'an env name', errors);
    if (name === '' || name.includes('=')) throw errors.error(StatusCode.EINVAL, 'uv_spawn');
    env[name] = requireString(text, `env.${name}`, errors);
  }
  return env;
}

function optionalId(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new TypeError(`${what} must be a non-negative integer`);
  return value;
}

/** Checks `options` as far as their types go (TypeError), and libuv's asserts (EINVAL). */
function specOf(options: SpawnOptions, errors: ProfileErrors): SpawnSpec {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('spawn options must be an object');
  if (!Array.isArray(options.args) || options.args.length === 0)
    throw new TypeError('args must be a non-empty array of strings');
  const argv = (options.args as readonly unknown[]).map((arg) =>
    requireString(arg, 'an argument', errors),
  );
  const file = requireString(options.executable ?? argv[0], 'executable', errors);
  const flags = options.flags ?? 0;
  if (typeof flags !== 'number' || !Number.isInteger(flags))
    throw new TypeError('flags must be an integer');
  if ((flags & ~Process.KNOWN_FLAGS) !== 0) throw errors.error(StatusCode.EINVAL, 'uv_spawn');
  const cwd = options.cwd === undefined ? undefined : requireString(options.cwd, 'cwd', errors);
  const uid = optionalId(options.uid, 'uid');
  const gid = optionalId(options.gid, 'gid');
  const stdio = options.stdio ?? [];
  if (!Array.isArray(stdio)) throw new TypeError('stdio must be an array of StdIO containers');
  const exitCallback = options.exitCallback ?? null;
  if (exitCallback !== null) requireFunction(exitCallback, 'exit callback');
  return {
    file,
    argv,
    env: toEnvironment(options.env, errors),
    cwd,
    // libuv switches only with the flag, and to 0 when no id was given.
    uid: (flags & Process.SETUID) !== 0 ? (uid ?? 0) : undefined,
    gid: (flags & Process.SETGID) !== 0 ? (gid ?? 0) : undefined,
    detached: (flags & Process.DETACHED) !== 0,
    stdio,
    exitCallback,
  };
}

/** The signal number `value` names (a number, or a name such as `'SIGTERM'`); EINVAL for none. */
function toSignum(value: unknown, errors: ProfileErrors, syscall: string): number {
  if (typeof value === 'string') {
    if (!Object.hasOwn(SIGNALS, value)) throw errors.error(StatusCode.EINVAL, syscall);
    return SIGNALS[value] as number;
  }
  if (typeof value !== 'number')
    throw new TypeError(`signum must be a number or a signal name, got ${typeof value}`);
  if (!Number.isInteger(value) || (value !== 0 && !SIGNAL_NUMBERS.has(value)))
    throw errors.error(StatusCode.EINVAL, syscall);
  return value;
}

/** `kill(2)` through Node, with its errno as a `UVError`. */
function killPid(pid: number, signum: number, errors: ProfileErrors): void {
  try {
    process.kill(pid, signum);
  } catch (error) {
    throw errors.fromNode(error, 'uv_kill');
  }
}

/** A child process handle (`uv_process_t`). */
export class Process extends Handle {
  /** Always `'process'`. */
  readonly type = 'process';

  /** Switch the child to `uid` (`UV_PROCESS_SETUID`). */
  static readonly SETUID = 1 << 0;
  /** Switch the child to `gid` (`UV_PROCESS_SETGID`). */
  static readonly SETGID = 1 << 1;
  /** Windows only: pass the arguments unquoted (`UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS`). Accepted, no effect. */
  static readonly WINDOWS_VERBATIM_ARGUMENTS = 1 << 2;
  /** Start the child in a session of its own (`UV_PROCESS_DETACHED`, `setsid()`). */
  static readonly DETACHED = 1 << 3;
  /** Windows only: hide the child's window (`UV_PROCESS_WINDOWS_HIDE`). Accepted, no effect. */
  static readonly WINDOWS_HIDE = 1 << 4;
  /** Windows only (`UV_PROCESS_WINDOWS_HIDE_CONSOLE`). Accepted, no effect. */
  static readonly WINDOWS_HIDE_CONSOLE = 1 << 5;
  /** Windows only (`UV_PROCESS_WINDOWS_HIDE_GUI`). Accepted, no effect. */
  static readonly WINDOWS_HIDE_GUI = 1 << 6;
  /** Windows only (`UV_PROCESS_WINDOWS_FILE_PATH_EXACT_NAME`). Accepted, no effect. */
  static readonly WINDOWS_FILE_PATH_EXACT_NAME = 1 << 7;
  /** @internal Every flag `spawn` accepts; libuv asserts on others, uvts throws EINVAL. */
  static readonly KNOWN_FLAGS = (1 << 8) - 1;

  private readonly watcher = new NodeWatcher<ChildProcess>(this.loop);
  private readonly exitCallback: ExitCallback | null;
  private processId = 0;
  /** Node has reaped the child; the exit callback may still be to come. */
  private reaped = false;
  /** The exit was dispatched: the child is gone for `kill()`. */
  private exited = false;

  private constructor(loop: Loop, exitCallback: ExitCallback | null) {
    super(loop);
    this.exitCallback = exitCallback;
  }

  /**
   * Spawns a child (`uv_spawn`) and returns its active handle. Throws a
   * `TypeError` for options of the wrong type; `UVError` EINVAL for unknown
   * flags, a NUL in a string, or a bad `StdIO` container; and whatever
   * stopped the child from starting, synchronously, as libuv does: ENOENT
   * (no such program or working directory), EACCES, ENOTDIR, EPERM (no
   * right to switch user or group), E2BIG, EAGAIN, EMFILE… No exit
   * callback is ever called for a failed spawn, and its `CREATE_PIPE`
   * pipes are opened and read EOF.
   */
  static spawn(loop: Loop | undefined, options: SpawnOptions): Process {
    const owner = loop ?? Loop.defaultLoop();
    if (!(owner instanceof Loop)) throw new TypeError('the first argument must be a Loop');
    const errors = owner.errors;
    const spec = specOf(options, errors);
    let plan: StdioPlan;
    try {
      plan = planStdio(spec.stdio, Pipe, errors);
    } catch (error) {
      if (error instanceof UVError) {
        // libuv has initialized the handle by now (rule 8.17): 1.44 leaves
        // it in the handle list, 1.52 takes it out. Either way the caller
        // never sees it, so it is closed here.
        const handle = new Process(owner, null);
        handle.close();
        if (!owner.behaviour.spawnSetupErrorKeepsHandle) owner.unregisterHandle(handle);
      }
      throw error;
    }
    const handle = new Process(owner, spec.exitCallback);
    handle.start(spec, plan);
    return handle;
  }

  /**
   * Sends a signal to a process (`uv_kill`): a number or a name such as
   * `'SIGTERM'`; 0 only checks that the process exists. Throws ESRCH,
   * EPERM or EINVAL as `kill(2)` does.
   */
  static kill(pid: number, signum: number | string): void {
    if (typeof pid !== 'number' || !Number.isInteger(pid))
      throw new TypeError('pid must be an integer');
    const errors = Loop.defaultLoop().errors;
    killPid(pid, toSignum(signum, errors, 'uv_kill'), errors);
  }

  /**
   * Makes the descriptors this process inherited not pass on to its
   * children (`uv_disable_stdio_inheritance`). Node does this itself when
   * it starts, so there is nothing left to do.
   */
  static disableStdioInheritance(): void {}

  /** The child's process id (`uv_process_get_pid`). */
  get pid(): number {
    return this.processId;
  }

  /**
   * Sends a signal to the child (`uv_process_kill`): a number or a name;
   * 0 checks that it is there. Throws ESRCH once its exit was reported,
   * EPERM or EINVAL as `kill(2)` does.
   */
  kill(signum: number | string): void {
    this.assertOpen('kill');
    const errors = this.loop.errors;
    const number = toSignum(signum, errors, 'uv_process_kill');
    if (this.exited) throw errors.error(StatusCode.ESRCH, 'uv_process_kill');
    // Reaped by Node, not reported yet: libuv would signal a zombie.
    if (this.reaped) return;
    killPid(this.processId, number, errors);
  }

  private start(spec: SpawnSpec, plan: StdioPlan): void {
    const nodeOptions: NodeSpawnOptions = {
      argv0: spec.argv[0] as string,
      stdio: plan.stdio,
      detached: spec.detached,
      windowsHide: false,
      ...(spec.env === undefined ? {} : { env: spec.env }),
      ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid }),
      ...(plan.ipcIndex >= 0 ? { serialization: 'advanced' as const } : {}),
    };
    let child: ChildProcess;
    try {
      child = nodeSpawn(spec.file, spec.argv.slice(1), nodeOptions);
    } catch (error) {
      // Node throws for what it does not defer: ENOTDIR, E2BIG, EPERM…
      this.fail(this.loop.errors.fromNode(error, 'uv_spawn'), plan, null);
      return;
    }
    // Node's own report of a failed spawn, a tick later; uvts has thrown by then.
    child.on('error', () => {});
    if (child.pid === undefined) {
      const code = spawnFailureCode(spec.file, spec);
      this.fail(
        this.loop.errors.error(StatusCode[code as keyof typeof StatusCode], 'uv_spawn'),
        plan,
        child,
      );
      return;
    }
    this.processId = child.pid;
    this.adoptPipes(plan, child);
    const watcher = this.watcher;
    watcher.attach(child);
    child.on(
      'exit',
      watcher.guard(child, (code: number | null, signal: NodeJS.Signals | null) => {
        this.reaped = true;
        const status = code ?? 0;
        const termSignal = signal === null ? 0 : (SIGNALS[signal] ?? 0);
        watcher.reportLate(() => this.onExit(status, termSignal));
      }),
    );
    this.activate();
  }

  /** The exit, in POLL: inactive first, then the callback (rule 8.20). */
  private onExit(status: number, termSignal: number): void {
    if (this.closing) return;
    this.exited = true;
    this.watcher.detach();
    this.deactivate();
    const callback = this.exitCallback;
    if (callback !== null) this.loop.invoke2(this, 'exit', callback, status, termSignal);
  }

  /** Hands the parent's ends of the new pipes (and the IPC channel) to their `Pipe` handles. */
  private adoptPipes(plan: StdioPlan, child: ChildProcess): void {
    for (const entry of plan.pipes) {
      if (entry.index === plan.ipcIndex && child.pid !== undefined) {
        entry.pipe.adoptChannel(new IpcStream(child));
        continue;
      }
      const socket = child.stdio[entry.index] as net.Socket | null | undefined;
      if (socket === null || socket === undefined) continue;
      entry.pipe.adoptChildEnd(socket, entry.readable, entry.writable);
    }
  }

  /**
   * A spawn that failed: its pipes still open and read EOF (rule 8.18),
   * then the handle closes and the error is thrown. Node made the pipes for
   * the errors it defers; for those it throws at once it made none, so a
   * spawn that fails the deferred way (a program that is not there)
   * provides pipes that end at once.
   */
  private fail(error: UVError, plan: StdioPlan, child: ChildProcess | null): never {
    if (plan.pipes.length > 0) {
      let source = child;
      // Node made no pipes (it threw), or none for the IPC pipe (which has no stdio stream).
      if (source === null || plan.ipcIndex >= 0) {
        source = nodeSpawn('/nonexistent/uvts-eof', [], {
          stdio: plan.stdio.map((entry) => (entry === 'ipc' ? 'pipe' : entry)),
        });
        source.on('error', () => {});
      }
      this.adoptPipes(plan, source);
    }
    this.close();
    throw error;
  }

  protected closeResources(): void {
    // The child lives on (rule 8.21); its exit is no longer reported.
    this.watcher.detach();
  }
}
