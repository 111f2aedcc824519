/**
 * The process and its environment: `uv_getrusage`, `uv_os_getpid`,
 * `uv_os_getppid`, the process title, `uv_os_homedir`, `uv_os_tmpdir`,
 * `uv_os_gethostname`, `uv_os_uname`, `uv_os_get_passwd`, the scheduling
 * priority and the environment variables.
 *
 * Most are Node's own wrappers of the same libuv functions; where Node's
 * answer differs from libuv's (`os.tmpdir()` ignores `TEMPDIR`, Node's
 * errors are `ERR_*` codes) the function follows libuv.
 *
 * @module
 */
import os from 'node:os';
import { fromNodeError, StatusCode, UVError } from '../errors/index.js';

/** A duration as libuv's `uv_timeval_t`: whole seconds and microseconds. */
export interface TimeVal {
  /** Seconds. */
  readonly sec: number;
  /** Microseconds, 0..999999. */
  readonly usec: number;
}

/** Resource usage of the process (`uv_rusage_t`; the fields of getrusage(2) without `ru_`). */
export interface ResourceUsage {
  /** User CPU time. */
  readonly utime: TimeVal;
  /** System CPU time. */
  readonly stime: TimeVal;
  /** Maximum resident set size, in KiB. */
  readonly maxrss: number;
  /** Integral shared memory size (always 0 on Linux). */
  readonly ixrss: number;
  /** Integral unshared data size (always 0 on Linux). */
  readonly idrss: number;
  /** Integral unshared stack size (always 0 on Linux). */
  readonly isrss: number;
  /** Page faults served without I/O. */
  readonly minflt: number;
  /** Page faults that needed I/O. */
  readonly majflt: number;
  /** Swaps (always 0 on Linux). */
  readonly nswap: number;
  /** Blocks read by the file system. */
  readonly inblock: number;
  /** Blocks written by the file system. */
  readonly oublock: number;
  /** IPC messages sent (always 0 on Linux). */
  readonly msgsnd: number;
  /** IPC messages received (always 0 on Linux). */
  readonly msgrcv: number;
  /** Signals received (always 0 on Linux). */
  readonly nsignals: number;
  /** Voluntary context switches. */
  readonly nvcsw: number;
  /** Involuntary context switches. */
  readonly nivcsw: number;
}

function timeVal(microseconds: number): TimeVal {
  return { sec: Math.floor(microseconds / 1e6), usec: microseconds % 1e6 };
}

/** The resource usage of this process (`uv_getrusage`). */
export function getrusage(): ResourceUsage {
  const usage = process.resourceUsage();
  return {
    utime: timeVal(usage.userCPUTime),
    stime: timeVal(usage.systemCPUTime),
    maxrss: usage.maxRSS,
    ixrss: usage.sharedMemorySize,
    idrss: usage.unsharedDataSize,
    isrss: usage.unsharedStackSize,
    minflt: usage.minorPageFault,
    majflt: usage.majorPageFault,
    nswap: usage.swappedOut,
    inblock: usage.fsRead,
    oublock: usage.fsWrite,
    msgsnd: usage.ipcSent,
    msgrcv: usage.ipcReceived,
    nsignals: usage.signalsCount,
    nvcsw: usage.voluntaryContextSwitches,
    nivcsw: usage.involuntaryContextSwitches,
  };
}

/** This process's id (`uv_os_getpid`). */
export function getpid(): number {
  return process.pid;
}

/** The parent process's id (`uv_os_getppid`). */
export function getppid(): number {
  return process.ppid;
}

/** The process title (`uv_get_process_title`), as `ps` shows it. */
export function getProcessTitle(): string {
  return process.title;
}

/**
 * Sets the process title (`uv_set_process_title`). libuv truncates it to
 * the space of the original command line, and so does Node.
 */
export function setProcessTitle(title: string): void {
  requireString(title, 'title');
  process.title = title;
}

/**
 * The current user's home directory (`uv_os_homedir`): `$HOME` when set
 * and not empty, else the password database's entry.
 */
export function homedir(): string {
  return os.homedir();
}

/**
 * The directory for temporary files (`uv_os_tmpdir`): the first of
 * `$TMPDIR`, `$TMP`, `$TEMP` and `$TEMPDIR` that is set (even to an empty
 * string), else `/tmp`; one trailing slash removed unless the path is `/`.
 * (Node's `os.tmpdir()` does not look at `$TEMPDIR`.)
 */
export function tmpdir(): string {
  let dir = '/tmp';
  for (const name of ['TMPDIR', 'TMP', 'TEMP', 'TEMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) {
      dir = value;
      break;
    }
  }
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/** The host name (`uv_os_gethostname`). */
export function getHostname(): string {
  return os.hostname();
}

/** The system's identification (`uv_utsname_t`): uname(2)'s fields. */
export interface Uname {
  /** The kernel's name, e.g. `Linux`. */
  readonly sysname: string;
  /** The kernel's release, e.g. `6.1.0-18-amd64`. */
  readonly release: string;
  /** The kernel's build version string. */
  readonly version: string;
  /** The hardware, e.g. `x86_64`. */
  readonly machine: string;
}

/** The system's identification (`uv_os_uname`). */
export function getUname(): Uname {
  return {
    sysname: os.type(),
    release: os.release(),
    version: os.version(),
    machine: os.machine(),
  };
}

/** A user's entry in the password database (`uv_passwd_t`). */
export interface Passwd {
  /** The user name. */
  readonly username: string;
  /** The user id. */
  readonly uid: number;
  /** The primary group id. */
  readonly gid: number;
  /** The login shell, or `null` when the entry has none. */
  readonly shell: string | null;
  /** The home directory. */
  readonly homedir: string;
}

/** The effective user's password-database entry (`uv_os_get_passwd`). */
export function getPasswd(): Passwd {
  let info: os.UserInfo<string>;
  try {
    info = os.userInfo();
  } catch (error) {
    throw fromNodeError(error, 'uv_os_get_passwd');
  }
  return {
    username: info.username,
    uid: info.uid,
    gid: info.gid,
    shell: info.shell,
    homedir: info.homedir,
  };
}

/** libuv's priority range: -20 (highest) to 19 (lowest). */
const PRIORITY_HIGHEST = -20;
const PRIORITY_LOW = 19;

function requirePid(pid: unknown): number {
  if (typeof pid !== 'number' || !Number.isInteger(pid))
    throw new TypeError(`pid must be an integer, got ${typeof pid}`);
  return pid;
}

/** The scheduling priority (nice value) of process `pid`, 0 meaning this one (`uv_os_getpriority`). */
export function getPriority(pid = 0): number {
  requirePid(pid);
  try {
    return os.getPriority(pid);
  } catch (error) {
    throw fromNodeError(error, 'uv_os_getpriority');
  }
}

/**
 * Sets the scheduling priority of process `pid` (`uv_os_setpriority`):
 * EINVAL outside -20..19; EACCES to raise it without the privilege.
 */
export function setPriority(pid: number, priority: number): void {
  requirePid(pid);
  if (typeof priority !== 'number') throw new TypeError('priority must be a number');
  if (!Number.isInteger(priority) || priority < PRIORITY_HIGHEST || priority > PRIORITY_LOW)
    throw new UVError(StatusCode.EINVAL, { syscall: 'uv_os_setpriority' });
  try {
    os.setPriority(pid, priority);
  } catch (error) {
    throw fromNodeError(error, 'uv_os_setpriority');
  }
}

function requireString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string')
    throw new TypeError(`${what} must be a string, got ${typeof value}`);
}

/** A variable name that setenv(3)/unsetenv(3) refuse: empty or containing `=`. */
function checkName(name: string, syscall: string): void {
  if (name.length === 0 || name.includes('=')) throw new UVError(StatusCode.EINVAL, { syscall });
}

/**
 * The value of environment variable `name` (`uv_os_getenv`); `UVError`
 * ENOENT when it is not set (an empty value is a value).
 */
export function getenv(name: string): string {
  requireString(name, 'name');
  const value = Object.hasOwn(process.env, name) ? process.env[name] : undefined;
  if (value === undefined) throw new UVError(StatusCode.ENOENT, { syscall: 'uv_os_getenv' });
  return value;
}

/** Sets environment variable `name` (`uv_os_setenv`); EINVAL for an empty name or one with `=`. */
export function setenv(name: string, value: string): void {
  requireString(name, 'name');
  requireString(value, 'value');
  checkName(name, 'uv_os_setenv');
  process.env[name] = value;
}

/**
 * Removes environment variable `name` (`uv_os_unsetenv`); removing one
 * that is not set is not an error. EINVAL for an empty name or one with `=`.
 */
export function unsetenv(name: string): void {
  requireString(name, 'name');
  checkName(name, 'uv_os_unsetenv');
  Reflect.deleteProperty(process.env, name);
}

/** Every environment variable (`uv_os_environ`), as name/value pairs. */
export function environ(): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined) copy[name] = value;
  return copy;
}
