/**
 * Why a spawn failed, known at once: the checks `execvp` makes, made
 * before Node tells.
 *
 * libuv's `uv_spawn` returns an exec failure synchronously (the child
 * reports its errno through a pipe before `uv_spawn` returns; rule 8.18).
 * Node's `child_process.spawn` gets that errno synchronously too, but for
 * ENOENT, EACCES, EAGAIN, EMFILE and ENFILE it only says so on the next
 * tick (an `'error'` event), leaving `pid` undefined at once
 * (docs/node.md Q3). uvts must throw from `Process.spawn()` itself, so
 * when Node's `pid` is missing it works the errno out the way the child
 * would have met it: `chdir(cwd)` first, then the program's lookup as
 * `execvp` does it (a name with a slash is used as it is; a bare name is
 * tried in each directory of the child's PATH, where an EACCES is
 * remembered and the search goes on, and ENOENT wins only if nothing was
 * found at all). Running out of descriptors (EMFILE, ENFILE) shows when
 * opening one; what is left is the fork failing (EAGAIN).
 *
 * @module
 */
import { accessSync, closeSync, constants, openSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';

/** @internal What the child would use: its working directory, environment and user. */
export interface SpawnTarget {
  /** The working directory, or undefined for the parent's. */
  readonly cwd: string | undefined;
  /** The child's environment, or undefined for the parent's. */
  readonly env: Readonly<Record<string, string>> | undefined;
  /** The user and group the child switches to, if any. */
  readonly uid: number | undefined;
  readonly gid: number | undefined;
}

/** PATH when the child's environment has none: libuv's and glibc's default. */
const DEFAULT_PATH = '/usr/bin:/bin';

/**
 * @internal The error name a failed spawn of `file` met, as `uv_spawn`
 * would have returned it: one of ENOENT, ENOTDIR, EACCES, ELOOP,
 * ENAMETOOLONG, EMFILE, ENFILE or, when nothing else explains it, EAGAIN.
 * Called only after Node refused to start the child.
 */
export function spawnFailureCode(file: string, target: SpawnTarget): string {
  const cwdError = target.cwd === undefined ? null : directoryError(target.cwd);
  if (cwdError !== null) return cwdError;
  const programError = lookupError(file, target);
  if (programError !== null) return programError;
  try {
    closeSync(openSync('/dev/null', 'r'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EMFILE' || code === 'ENFILE') return code;
  }
  return 'EAGAIN';
}

/** The error of `chdir(dir)`, or null if it would succeed. */
function directoryError(dir: string): string | null {
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'ENOENT';
  }
  return stats.isDirectory() ? null : 'ENOTDIR';
}

/** The error `execvp(file)` would give in the child, or null if it would run. */
function lookupError(file: string, target: SpawnTarget): string | null {
  if (file === '') return 'ENOENT';
  const base = target.cwd ?? process.cwd();
  if (file.includes('/')) return execError(path.resolve(base, file), target);
  const env = target.env ?? process.env;
  const searchPath = Object.hasOwn(env, 'PATH') ? (env['PATH'] ?? '') : DEFAULT_PATH;
  let sawAccess = false;
  for (const dir of searchPath.split(':')) {
    // An empty entry is the current directory (the child's).
    const candidate = path.resolve(base, dir === '' ? '.' : dir, file);
    const error = execError(candidate, target);
    if (error === null) return null;
    if (error === 'EACCES') sawAccess = true;
    else if (error !== 'ENOENT' && error !== 'ENOTDIR') return error;
  }
  return sawAccess ? 'EACCES' : 'ENOENT';
}

/** The error `execve(candidate)` would give, or null if it would run. */
function execError(candidate: string, target: SpawnTarget): string | null {
  let stats: Stats;
  try {
    stats = statSync(candidate);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'ENOENT';
  }
  if (!stats.isFile()) return 'EACCES';
  const switchesUser =
    (target.uid !== undefined && target.uid !== process.getuid?.()) ||
    (target.gid !== undefined && target.gid !== process.getgid?.());
  if (switchesUser) return executableBy(stats, target) ? null : 'EACCES';
  try {
    accessSync(candidate, constants.X_OK);
    return null;
  } catch {
    return 'EACCES';
  }
}

/**
 * Whether the user the child becomes may execute a file with `stats`: the
 * owner's, the group's or the others' execute bit, as the kernel picks
 * them (root needs any execute bit). Supplementary groups are not known
 * here, so a file executable only through one of them counts as not
 * executable.
 */
function executableBy(stats: Stats, target: SpawnTarget): boolean {
  const uid = target.uid ?? process.getuid?.() ?? -1;
  const gid = target.gid ?? process.getgid?.() ?? -1;
  const mode = stats.mode;
  if (uid === 0) return (mode & 0o111) !== 0;
  if (stats.uid === uid) return (mode & 0o100) !== 0;
  if (stats.gid === gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}
