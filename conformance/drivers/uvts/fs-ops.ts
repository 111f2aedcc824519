/**
 * The `fs` operation of the uvts driver, the twin of the luv driver's
 * kinds/fs.lua: one uvts fs function per action, synchronous without a
 * `callback`, otherwise a request whose callback prints `cb fs <callback>
 * <result>` (kept under `request` for `cancel`, request-ops.ts). Paths are
 * relative to a directory made for the run and removed at its end; `as`
 * keeps a descriptor or directory stream under a name. Results print as
 * kinds/fs.lua prints them (see its header), byte for byte.
 */
import * as nodeFs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FSEvent, FSPoll, UVError, fs } from 'uvts';
import type { Loop } from 'uvts';
import type { ActionArgs, FsCall } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import { ScenarioError } from './scenario-errors.js';
import { callbackArg, errorName } from './scenario-values.js';
import { formatData } from './stream-format.js';

/** What the fs operations need from the interpreter. */
export interface FsOperationsHost {
  /** Prints `line` (unless the spec says not to) and runs the callback's actions. */
  invokeCallback(line: string, context: Omit<CallbackContext, 'count'>): void;
  /** Prints a trace line. */
  emit(line: string): void;
  /** Sizes the pool (the scenario's threadpoolSize) before the first request. */
  sizePool(): void;
  /** Keeps a request under `name` for `cancel`. */
  keepRequest(name: string, request: fs.FSRequest): void;
}

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [fs.UV_DIRENT_FILE]: 'file',
  [fs.UV_DIRENT_DIR]: 'dir',
  [fs.UV_DIRENT_LINK]: 'link',
  [fs.UV_DIRENT_FIFO]: 'fifo',
  [fs.UV_DIRENT_SOCKET]: 'socket',
  [fs.UV_DIRENT_CHAR]: 'char',
  [fs.UV_DIRENT_BLOCK]: 'block',
};

function modeType(mode: number): string {
  const format = mode & nodeFs.constants.S_IFMT;
  if (format === nodeFs.constants.S_IFREG) return 'file';
  if (format === nodeFs.constants.S_IFDIR) return 'dir';
  if (format === nodeFs.constants.S_IFLNK) return 'link';
  if (format === nodeFs.constants.S_IFIFO) return 'fifo';
  if (format === nodeFs.constants.S_IFSOCK) return 'socket';
  if (format === nodeFs.constants.S_IFCHR) return 'char';
  if (format === nodeFs.constants.S_IFBLK) return 'block';
  return 'unknown';
}

/** A utime time as the scenario writes it: 'now' and 'omit' are libuv's special doubles. */
function seconds(value: number | 'now' | 'omit' | undefined): number {
  if (value === 'now') return fs.UV_FS_UTIME_NOW;
  if (value === 'omit') return fs.UV_FS_UTIME_OMIT;
  return value ?? 0;
}

/** The fs state of one scenario run. */
export class FsOperations {
  private root: string | null = null;
  private readonly descriptors = new Map<string, number>();
  private readonly dirs = new Map<string, { dir: fs.Dir; entries: number }>();

  constructor(
    private readonly loop: Loop,
    private readonly host: FsOperationsHost,
  ) {}

  /** Runs one `fs` action. */
  run(args: ActionArgs, logResult: boolean): void {
    const call = args.call;
    if (call === undefined) throw new ScenarioError('fs needs args.call');
    if (call === 'writeFile') {
      this.writeFile(args);
      return;
    }
    const callbackName = callbackArg(args, '');
    if (callbackName !== '' && callbackName !== null) {
      const done = this.callback(call, args, callbackName);
      let request: fs.FSRequest;
      try {
        this.host.sizePool();
        request = this.invoke(call, args, done) as fs.FSRequest;
      } catch (error) {
        this.host.emit(`fs.${call} -> ${this.errorCode(call, error)}`);
        return;
      }
      if (args.request !== undefined) this.host.keepRequest(args.request, request);
      return;
    }
    let value: unknown;
    try {
      value = this.invoke(call, args, undefined);
    } catch (error) {
      this.host.emit(`fs.${call} -> ${this.errorCode(call, error)}`);
      return;
    }
    this.keep(args, call, value);
    if (logResult) this.host.emit(`fs.${call} -> ${this.show(call, value)}`);
  }

  /** `start` of an fs_poll or fs_event handle (kinds/fs_poll.lua, kinds/fs_event.lua). */
  start(handle: FSPoll | FSEvent, name: string, args: ActionArgs): void {
    const callbackName = callbackArg(args, name);
    const who = callbackName === name ? name : `${name} ${String(callbackName)}`;
    const report = (result: string, status: string): void =>
      this.host.invokeCallback(`cb ${who} ${result}`, {
        handle: name,
        callback: callbackName ?? name,
        status,
      });
    const file = this.resolve(args.path);
    if (handle instanceof FSPoll) {
      const show = (stat: fs.Stat): string => (stat.mode === 0 ? 'zero' : String(stat.size));
      const callback =
        callbackName === null
          ? undefined
          : (_h: FSPoll, prev: fs.Stat, curr: fs.Stat, error: UVError | null): void => {
              const status = error === null ? '0' : error.code;
              report(
                `${status} prev=${show(prev)} curr=${show(curr)}`,
                error === null ? 'ok' : status,
              );
            };
      (handle.start as (path: string, cb: unknown, interval: number) => void)(
        file,
        callback,
        args.interval ?? 0,
      );
      return;
    }
    const callback =
      callbackName === null
        ? undefined
        : (_h: FSEvent, filename: string | null, events: number, error: UVError | null): void => {
            if (error !== null) {
              report(error.code, error.code);
              return;
            }
            const parts: string[] = [];
            if (events & FSEvent.RENAME) parts.push('rename');
            if (events & FSEvent.CHANGE) parts.push('change');
            report(`${String(filename)} ${parts.join('|')}`, 'ok');
          };
    const flags = typeof args.flags === 'number' ? args.flags : 0;
    (handle.start as (path: string, flags: number, cb: unknown) => void)(file, flags, callback);
  }

  /** `getpath` of an fs_poll or fs_event handle: the path as the trace shows it. */
  getpath(handle: unknown, name: string): string {
    if (!(handle instanceof FSPoll || handle instanceof FSEvent)) {
      throw new ScenarioError(`${name} has no getpath`);
    }
    return `"${this.showPath(handle.getpath())}"`;
  }

  /** Removes the run's directory and everything in it. */
  cleanUp(): void {
    for (const { dir } of this.dirs.values()) {
      // The synchronous uv_fs_closedir: it runs whether or not the loop is closed.
      if (!dir.closed) fs.closedir(this.loop, dir);
    }
    if (this.root !== null) nodeFs.rmSync(this.root, { recursive: true, force: true });
  }

  private rootDir(): string {
    if (this.root === null) {
      const made = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'uvts-conformance-uvts-'));
      // Canonical, so that realpath results can be shown relative to it.
      this.root = nodeFs.realpathSync(made);
    }
    return this.root;
  }

  private resolve(name: string | undefined): string {
    if (name === undefined) throw new ScenarioError('an fs operation needs a path');
    if (name === '') return '';
    if (name === '.') return this.rootDir();
    // Joined as the luv driver joins it: the scenario's path as written.
    return `${this.rootDir()}/${name}`;
  }

  /** A path as a trace shows it: relative to the run's directory. */
  showPath(file: string): string {
    const base = this.rootDir();
    if (file === base) return '$tmp';
    if (file.startsWith(`${base}/`)) return `$tmp/${file.slice(base.length + 1)}`;
    return file;
  }

  private descriptor(name: string | undefined): number {
    const fd = name === undefined ? undefined : this.descriptors.get(name);
    if (fd === undefined) throw new ScenarioError(`fs: no descriptor kept as ${String(name)}`);
    return fd;
  }

  private dir(name: string | undefined): { dir: fs.Dir; entries: number } {
    const kept = name === undefined ? undefined : this.dirs.get(name);
    if (kept === undefined) throw new ScenarioError(`fs: no directory kept as ${String(name)}`);
    return kept;
  }

  /** Calls the fs function for `call`, with `callback` or synchronously. */
  private invoke(
    call: FsCall,
    a: ActionArgs,
    callback: fs.FSCallback<unknown> | undefined,
  ): unknown {
    const loop = this.loop;
    const cb = callback;
    const f = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
    const fn = (name: string, ...args: unknown[]): unknown => {
      const target = f[name];
      if (target === undefined) throw new ScenarioError(`fs: unknown call ${name}`);
      return cb === undefined ? target(loop, ...args) : target(loop, ...args, cb);
    };
    switch (call) {
      case 'open':
        return fn('open', this.resolve(a.path), a.flags, a.perm ?? 0);
      case 'close':
      case 'fsync':
      case 'fdatasync':
      case 'fstat':
        return fn(call, this.descriptor(a.fd));
      case 'read':
        return fn('read', this.descriptor(a.fd), a.length ?? 0, a.offset ?? -1);
      case 'write':
        return fn('write', this.descriptor(a.fd), a.data ?? '', a.offset ?? -1);
      case 'sendfile':
        return fn(
          'sendfile',
          this.descriptor(a.outFd),
          this.descriptor(a.inFd),
          a.offset ?? 0,
          a.length ?? 0,
        );
      case 'ftruncate':
        return fn('ftruncate', this.descriptor(a.fd), a.offset ?? 0);
      case 'fchmod':
        return fn('fchmod', this.descriptor(a.fd), a.perm ?? 0);
      case 'futime':
        return fn('futime', this.descriptor(a.fd), seconds(a.atime), seconds(a.mtime));
      case 'stat':
      case 'lstat':
      case 'statfs':
      case 'unlink':
      case 'rmdir':
      case 'mkdtemp':
      case 'mkstemp':
      case 'readlink':
      case 'realpath':
      case 'scandir':
        return fn(call, this.resolve(a.path));
      case 'mkdir':
      case 'chmod':
      case 'access':
        return fn(call, this.resolve(a.path), a.perm ?? 0);
      case 'rename':
      case 'link':
        return fn(call, this.resolve(a.path), this.resolve(a.newPath));
      case 'symlink':
        return fn('symlink', a.path ?? '', this.resolve(a.newPath), a.flags ?? 0);
      case 'copyfile':
        return fn('copyfile', this.resolve(a.path), this.resolve(a.newPath), a.flags ?? 0);
      case 'chown':
        return fn('chown', this.resolve(a.path), a.uid ?? -1, a.gid ?? -1);
      case 'utime':
      case 'lutime':
        return fn(call, this.resolve(a.path), seconds(a.atime), seconds(a.mtime));
      case 'opendir':
        return fn('opendir', this.resolve(a.path));
      case 'readdir': {
        const kept = this.dir(a.dir);
        return fn('readdir', kept.dir, kept.entries);
      }
      case 'closedir':
        return fn('closedir', this.dir(a.dir).dir);
      case 'writeFile':
        throw new ScenarioError('writeFile has no uv_fs_* function');
    }
  }

  /** Keeps what a successful call made under the action's `as` name. */
  private keep(args: ActionArgs, call: FsCall, value: unknown): void {
    if (args.as === undefined) return;
    if (call === 'opendir')
      this.dirs.set(args.as, { dir: value as fs.Dir, entries: args.entries ?? 1 });
    else if (call === 'mkstemp') this.descriptors.set(args.as, (value as fs.TempFile).fd);
    else this.descriptors.set(args.as, value as number);
  }

  /** What a success prints (kinds/fs.lua's `show`). */
  private show(call: FsCall, value: unknown): string {
    switch (call) {
      case 'read':
        return formatData(value as Buffer);
      case 'write':
      case 'sendfile':
        return String(value);
      case 'open':
      case 'mkstemp':
        return 'fd';
      case 'opendir':
        return 'dir';
      case 'readdir':
        return String((value as fs.DirEntry[]).length);
      case 'scandir':
        return `[${(value as fs.DirEntry[]).map((e) => `${e.name}:${TYPE_NAMES[e.type] ?? 'unknown'}`).join(', ')}]`;
      case 'stat':
      case 'lstat':
      case 'fstat': {
        const stat = value as fs.Stat;
        return `${modeType(stat.mode)} size=${stat.size}`;
      }
      case 'readlink':
        return `"${String(value)}"`;
      case 'realpath':
        return this.showPath(value as string);
      case 'mkdtemp':
        return `${this.showPath(value as string).slice(0, -6)}??????`;
      case 'statfs':
        return 'frsize' in (value as fs.StatFs) ? 'frsize' : 'no-frsize';
      default:
        return '0';
    }
  }

  /** An error as the trace shows it; luv's access reports `error` without the code. */
  private errorCode(call: FsCall, error: unknown): string {
    const name = errorName(error);
    return call === 'access' && error instanceof UVError ? 'error' : name;
  }

  private callback(call: FsCall, args: ActionArgs, callbackName: string): fs.FSCallback<unknown> {
    return ((_request: fs.FSRequest, value: unknown, error: UVError | null) => {
      let result: string;
      if (error !== null) {
        result = this.errorCode(call, error);
      } else {
        result = this.show(call, value);
        this.keep(args, call, value);
      }
      this.host.invokeCallback(`cb fs ${callbackName} ${result}`, {
        handle: 'fs',
        callback: callbackName,
        status: error === null ? 'ok' : result,
      });
    }) as fs.FSCallback<unknown>;
  }

  /**
   * `writeFile`: the file holds exactly `data`. The data is written over the
   * old contents and the file is cut to its length afterwards, never emptied
   * first (as open 'w' would), so a stat running on a pool thread at the same
   * moment (an FSPoll's) sees the old file or the new one, never an empty one.
   * The luv driver writes the same way.
   */
  private writeFile(args: ActionArgs): void {
    try {
      const data = Buffer.from(args.data ?? '');
      const flags = nodeFs.constants.O_WRONLY | nodeFs.constants.O_CREAT;
      const fd = fs.open(this.loop, this.resolve(args.path), flags, args.perm ?? 0o644);
      try {
        fs.write(this.loop, fd, data, 0);
        if (fs.fstat(this.loop, fd).size > data.length) fs.ftruncate(this.loop, fd, data.length);
      } finally {
        fs.close(this.loop, fd);
      }
    } catch (error) {
      this.host.emit(`fs.writeFile -> ${errorName(error)}`);
    }
  }
}
