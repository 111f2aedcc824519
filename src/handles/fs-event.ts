/**
 * `FSEvent` (`uv_fs_event_t`): watch a file or a directory for changes.
 *
 * Node's `fs.watch` is libuv's fs event underneath (inotify on Linux), so
 * it sees the same events in the same order, one Node event per libuv
 * callback, and handles on one path share one kernel watch and are served
 * in start order (docs/semantics.md rules 8.25-8.27). Each Node event only
 * records a completion; the callback runs in POLL, and not at all if the
 * handle was stopped or closed meanwhile (a stop in a callback drops the
 * events already queued, as libuv's does).
 *
 * What Node loses is one bit. libuv reports `UV_CHANGE` for an inotify
 * IN_ATTRIB or IN_MODIFY and `UV_RENAME` for anything else, IN_ISDIR
 * included, so an attribute change of a directory (chmod, utime, chown of
 * a subdirectory, or of the watched directory itself) is
 * `UV_RENAME | UV_CHANGE`; Node's `fs_event_wrap` reports any event with
 * the RENAME bit as `'rename'` alone. uvts recovers the second bit for a
 * watched directory from what it can see when Node's event arrives:
 *
 * - an entry that exists, is a directory and was already known as one (a
 *   subdirectory seen at start or in an earlier event) had its attributes
 *   changed: `RENAME | CHANGE`; any other `'rename'` of an entry is a
 *   creation, removal or move: `RENAME`, and the set of known
 *   subdirectories follows it;
 * - a `'rename'` named after the watched directory itself, with no such
 *   entry inside, while the directory still exists, is an attribute change
 *   of the directory: `RENAME | CHANGE`.
 *
 * It misses when the state has moved on before Node's event arrives (a
 * directory whose attributes change and which is removed right after; one
 * removed and made again under the same name), docs/deviations.md F7.
 *
 * @module
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { StatusCode } from '../errors/index.js';
import type { UVError } from '../errors/index.js';
import { requireFunction } from '../errors/internal.js';
import type { Loop } from '../loop/loop.js';
import { NodeWatcher } from '../loop/node-watcher.js';
import { Handle } from './handle.js';

/** `uv_fs_event`: the entry appeared, disappeared or was renamed. */
const RENAME = 1;
/** `uv_fs_event`: the entry's content or attributes changed. */
const CHANGE = 2;

/**
 * An fs event callback (pyuv's order): the handle, the name of the entry
 * (for an event on the watched path itself, its last component), the
 * events (`FSEvent.RENAME`, `FSEvent.CHANGE`, or both), and the error
 * (`null` on success).
 */
export type FSEventCallback = (
  handle: FSEvent,
  filename: string | null,
  events: number,
  error: UVError | null,
) => void;

/** What a watched directory looked like, for recovering `RENAME | CHANGE` (see the module comment). */
interface DirectoryView {
  readonly dir: string;
  readonly ownName: string;
  readonly subdirectories: Set<string>;
}

function isDirectory(file: string): boolean {
  try {
    return nodeFs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

function exists(file: string): boolean {
  try {
    nodeFs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The view of `target` if it is a directory, else null. */
function viewOf(target: string): DirectoryView | null {
  let entries: nodeFs.Dirent[];
  try {
    if (!nodeFs.statSync(target).isDirectory()) return null;
    entries = nodeFs.readdirSync(target, { withFileTypes: true });
  } catch {
    return null;
  }
  const subdirectories = new Set<string>();
  for (const entry of entries) if (entry.isDirectory()) subdirectories.add(entry.name);
  return { dir: target, ownName: path.basename(path.resolve(target)), subdirectories };
}

/** The libuv events of a Node `'rename'` in a watched directory (see the module comment). */
function renameEvents(view: DirectoryView, filename: string): number {
  const entry = path.join(view.dir, filename);
  if (exists(entry)) {
    const directory = isDirectory(entry);
    const known = view.subdirectories.has(filename);
    if (directory) view.subdirectories.add(filename);
    else view.subdirectories.delete(filename);
    return directory && known ? RENAME | CHANGE : RENAME;
  }
  view.subdirectories.delete(filename);
  if (filename === view.ownName && isDirectory(view.dir)) return RENAME | CHANGE;
  return RENAME;
}

/** An fs event handle (`uv_fs_event_t`). */
export class FSEvent extends Handle {
  /** `UV_RENAME`: an entry appeared, disappeared or was renamed. */
  static readonly RENAME = RENAME;
  /** `UV_CHANGE`: an entry's content or attributes changed. */
  static readonly CHANGE = CHANGE;

  /** Always `'fs_event'`. */
  readonly type = 'fs_event';
  private readonly watcher = new NodeWatcher<nodeFs.FSWatcher>(this.loop);
  private watchedPath: string | null = null;
  private callback: FSEventCallback | null = null;
  private view: DirectoryView | null = null;

  /** Creates a stopped fs event handle on `loop` (the default loop when omitted). */
  constructor(loop?: Loop) {
    super(loop);
  }

  /**
   * Starts watching `path` (`uv_fs_event_start`). `flags`
   * (`UV_FS_EVENT_WATCH_ENTRY`, `_STAT`, `_RECURSIVE`) are accepted and, as
   * in libuv on Linux, ignored: a directory is watched without its
   * subdirectories. EINVAL if the handle is already active; the errors of
   * the kernel's watch (ENOENT, EACCES, ENOSPC) are thrown here.
   */
  start(path: string, flags: number, callback: FSEventCallback): void {
    this.assertOpen('start');
    requireFunction(callback, 'fs event callback');
    if (typeof path !== 'string') throw new TypeError(`path must be a string, got ${typeof path}`);
    if (typeof flags !== 'number' || !Number.isInteger(flags))
      throw new TypeError('flags must be an integer');
    if (this.active) throw this.loop.errors.error(StatusCode.EINVAL, 'uv_fs_event_start');
    if (path.includes('\0')) throw this.loop.errors.error(StatusCode.EINVAL, 'uv_fs_event_start');
    let nodeWatcher: nodeFs.FSWatcher;
    try {
      nodeWatcher = nodeFs.watch(path, { persistent: false, recursive: false });
    } catch (error) {
      throw this.loop.errors.fromNode(error, 'uv_fs_event_start');
    }
    const view = viewOf(path);
    this.watcher.attach(nodeWatcher);
    nodeWatcher.on(
      'change',
      this.watcher.guard(nodeWatcher, (eventType: string, filename: string | Buffer | null) =>
        this.record(nodeWatcher, eventType, filename),
      ),
    );
    nodeWatcher.on(
      'error',
      this.watcher.guard(nodeWatcher, (error: Error) => this.recordError(nodeWatcher, error)),
    );
    this.watchedPath = path;
    this.callback = callback;
    this.view = view;
    this.activate();
  }

  /** Stops watching (`uv_fs_event_stop`); events not yet delivered are dropped. */
  stop(): void {
    this.assertOpen('stop');
    this.release();
  }

  /** The path as given to `start()` (`uv_fs_event_getpath`); EINVAL when the handle is not active. */
  getpath(): string {
    if (!this.active || this.watchedPath === null) {
      throw this.loop.errors.error(StatusCode.EINVAL, 'uv_fs_event_getpath');
    }
    return this.watchedPath;
  }

  protected closeResources(): void {
    this.release();
  }

  private release(): void {
    this.watcher.detach()?.close();
    this.watchedPath = null;
    this.callback = null;
    this.view = null;
    this.deactivate();
  }

  /** A Node `'change'` event: work out libuv's events now, call back in POLL. */
  private record(
    source: nodeFs.FSWatcher,
    eventType: string,
    filename: string | Buffer | null,
  ): void {
    const name = filename === null ? null : filename.toString();
    let events = eventType === 'change' ? CHANGE : RENAME;
    const view = this.view;
    if (events === RENAME && view !== null && name !== null) events = renameEvents(view, name);
    this.watcher.report(() => this.deliver(source, name, events, null));
  }

  private recordError(source: nodeFs.FSWatcher, error: Error): void {
    const uvError = this.loop.errors.fromNode(error, 'uv_fs_event');
    this.watcher.report(() => this.deliver(source, null, 0, uvError));
  }

  /** In POLL: the callback, unless the handle stopped, closed or watches something else by now. */
  private deliver(
    source: nodeFs.FSWatcher,
    filename: string | null,
    events: number,
    error: UVError | null,
  ): void {
    const callback = this.callback;
    if (callback === null || !this.active || !this.watcher.isCurrent(source)) return;
    this.loop.invoke(this, 'fs_event', (handle) => callback(handle, filename, events, error));
  }
}
