/**
 * `Poll` (`uv_poll_t`): readiness of an arbitrary descriptor — a socket, a
 * pipe or FIFO, a terminal — that its user reads and writes directly.
 *
 * libuv watches the descriptor with epoll; Node has no public way to do
 * that, except its WASI implementation, whose `poll_oneoff` waits for a
 * descriptor without reading it (platform/readiness.ts). Each started poll
 * has a *watch* per direction it needs — readable (which also reports a
 * hang-up) for READABLE and DISCONNECT, writable for WRITABLE — served by
 * readiness workers, and POLL consults them through the loop's
 * `PollSource` (below), a readiness source of the poller (poller.ts):
 *
 * - after a callback, each watch that reported is asked again at once,
 *   since the user has probably read or written: a worker answers "ready"
 *   in about 0.15 ms if the descriptor still is, and `beginPoll` asks once
 *   more at the next POLL if that answer was "ready", in case the user
 *   drained the descriptor later in the iteration;
 * - `settle`: before dispatching, POLL waits for outstanding answers: for
 *   the first answer after a start as long as it takes (up to 10 s: the
 *   first poll of a process waits for a worker to start), for a repeated
 *   question a grace of 0.25 ms, after which the descriptor counts as not
 *   ready in this POLL and a late "ready" comes in the next one;
 * - `dispatch`: each ready poll's callback runs with the events it asked
 *   for, in start order.
 *
 * So, as in libuv, the callback runs in every POLL while the descriptor
 * stays ready (level-triggered, rule 8.24), also in POLLs that do not
 * block, and an error condition stops the handle and reports EBADF once.
 * PRIORITIZED is accepted but never reported: WASI has no way to ask for
 * out-of-band data (docs/deviations.md).
 *
 * `new Poll(loop, fd)` refuses, like `uv_poll_init` (rule 8.22): EBADF for
 * a descriptor that is not open, EPERM for what epoll cannot watch (a
 * regular file, a directory, most character devices: a worker asks its
 * `poll_oneoff`), EEXIST when the loop already watches the descriptor
 * (a started poll, or a stream that reads or listens on it).
 *
 * @module
 */
import { fstatSync, type Stats } from 'node:fs';
import tty from 'node:tty';
import { StatusCode, type UVError } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';
import { requireFd, requireFunction } from '../errors/internal.js';
import { Loop } from '../loop/loop.js';
import type { ReadinessSource } from '../loop/types.js';
import { accessMode } from '../platform/fd.js';
import {
  awaitVerdicts,
  READABLE as READ_DIRECTION,
  readinessPool,
  WRITABLE as WRITE_DIRECTION,
  type ReadinessWatch,
} from '../platform/readiness.js';
import { Handle } from './handle.js';
import { Stream } from './stream.js';

/** A poll callback: the handle, the ready events it asked for, and the error (EBADF) or null. */
export type PollCallback = (handle: Poll, events: number, error: UVError | null) => void;

/** O_ACCMODE values (platform/fd.ts `accessMode`). */
const READ_ONLY = 0;
const WRITE_ONLY = 1;
/** WASI's errno for an unsupported descriptor type, its answer for a directory. */
const WASI_ENOTCAPABLE = 76;
/** WASI's EPERM: what epoll answered for a descriptor it cannot watch. */
const WASI_EPERM = 63;
/**
 * How long POLL waits at most for the first answer after a start: a
 * worker answers within about 2 ms, but the first poll of a process waits
 * for a worker to start, and a worker that serves several watches answers
 * after the slice it is in.
 */
const FIRST_ANSWER_LIMIT_MS = 10_000;
/**
 * How long POLL waits for a repeated question (is it still ready?). A
 * ready descriptor is answered in about 0.15 ms; a wait for the 2 ms "not
 * ready" on every POLL would cap a poll-driven echo at a few hundred round
 * trips a second (docs/benchmarks.md).
 */
const REPEAT_GRACE_MS = 0.25;

/**
 * The poll handles of one loop, as the poller's readiness source: the
 * started ones in start order, the descriptors they hold, and the bell
 * their workers ring.
 */
class PollSource implements ReadinessSource {
  readonly bell = new Int32Array(new SharedArrayBuffer(4));
  bellSeen = 0;
  /** Started polls, in start order. */
  readonly started = new Set<Poll>();

  static of(loop: Loop): PollSource {
    let source = sources.get(loop);
    if (source === undefined) {
      source = new PollSource();
      sources.set(loop, source);
      loop.poller.sources.add(source);
    }
    return source;
  }

  /** The started poll watching `fd`, if any. */
  holder(fd: number): Poll | null {
    for (const poll of this.started) if (poll.fileno() === fd) return poll;
    return null;
  }

  beginPoll(): void {
    for (const poll of this.started) poll.beginPoll();
  }

  hasReady(): boolean {
    this.bellSeen = Atomics.load(this.bell, 0);
    for (const poll of this.started) if (poll.hasNews()) return true;
    return false;
  }

  settle(): void {
    // The latest deadline of an answer still awaited, or 0.
    const deadline = (): number => {
      let latest = 0;
      for (const poll of this.started) latest = Math.max(latest, poll.awaitedUntil());
      return latest > performance.now() ? latest : 0;
    };
    const first = deadline();
    if (first !== 0) awaitVerdicts(this.bell, () => deadline() !== 0, first - performance.now());
  }

  dispatch(): number {
    let dispatched = 0;
    for (const poll of [...this.started]) if (poll.dispatch()) dispatched++;
    return dispatched;
  }
}

const sources = new WeakMap<Loop, PollSource>();

/** The error `uv_poll_init(fd)` gives, or null: EBADF, EPERM (rule 8.22). */
function initError(fd: number, errors: ProfileErrors): UVError | null {
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch {
    return errors.error(StatusCode.EBADF, 'uv_poll_init');
  }
  if (stats.isFile() || stats.isDirectory() || stats.isBlockDevice())
    return errors.error(StatusCode.EPERM, 'uv_poll_init');
  if (stats.isCharacterDevice() && !tty.isatty(fd)) {
    // Some character devices can be polled, most cannot: epoll knows.
    const direction = accessMode(fd) === 1 ? WRITE_DIRECTION : READ_DIRECTION;
    const errno = readinessPool().probe(fd, direction);
    if (errno === WASI_EPERM || errno === WASI_ENOTCAPABLE)
      return errors.error(StatusCode.EPERM, 'uv_poll_init');
  }
  return null;
}

/** Whether a stream of `loop` reads or listens on `fd`: its descriptor is watched. */
function streamWatches(loop: Loop, fd: number): boolean {
  let found = false;
  loop.walk((handle) => {
    if (!found && handle instanceof Stream && handle.watchesDescriptor(fd)) found = true;
  });
  return found;
}

/** A poll handle (`uv_poll_t`). */
export class Poll extends Handle {
  /** Always `'poll'`. */
  readonly type = 'poll';

  /** The descriptor is readable (`UV_READABLE`). */
  static readonly READABLE = 1;
  /** The descriptor is writable (`UV_WRITABLE`). */
  static readonly WRITABLE = 2;
  /** The peer hung up (`UV_DISCONNECT`). */
  static readonly DISCONNECT = 4;
  /** Out-of-band data (`UV_PRIORITIZED`); accepted, never reported (docs/deviations.md). */
  static readonly PRIORITIZED = 8;

  private readonly fd: number;
  /** O_ACCMODE of the descriptor: WASI lets a read-only one be watched only for reading, and the other way round. */
  private readonly accessMode: number;
  private readonly source: PollSource;
  private events = 0;
  private callback: PollCallback | null = null;
  /** The watch for readability and hang-ups, while READABLE or DISCONNECT is wanted. */
  private readableWatch: ReadinessWatch | null = null;
  /** The watch for writability, while WRITABLE is wanted. */
  private writableWatch: ReadinessWatch | null = null;
  /** Until when POLL waits for each watch's outstanding answer (see the module comment). */
  private readonly deadlines = new Map<ReadinessWatch, number>();
  /** Watches asked again after a callback: a "ready" answer is checked once more at the next POLL. */
  private readonly repeated = new Set<ReadinessWatch>();

  /**
   * Creates a poll handle for `fd` (`uv_poll_init`). Throws a `TypeError`
   * unless `fd` is a non-negative integer, and `UVError` EBADF for a closed
   * descriptor, EPERM for one epoll cannot watch, EEXIST when this loop
   * already watches it.
   */
  constructor(loop: Loop | undefined, fd: number) {
    const owner = loop ?? Loop.defaultLoop();
    if (!(owner instanceof Loop)) throw new TypeError('the first argument must be a Loop');
    requireFd(fd);
    // Refused before the handle exists, as libuv leaves no handle behind.
    const error = initError(fd, owner.errors);
    if (error !== null) throw error;
    const source = PollSource.of(owner);
    if (source.holder(fd) !== null || streamWatches(owner, fd))
      throw owner.errors.error(StatusCode.EEXIST, 'uv_poll_init');
    super(owner);
    this.fd = fd;
    this.accessMode = accessMode(fd);
    this.source = source;
    // A worker takes tens of milliseconds to start: start it now.
    readinessPool().warm();
  }

  /**
   * Starts watching for `events` (`uv_poll_start`), or changes what is
   * watched and the callback: `READABLE`, `WRITABLE`, `DISCONNECT`,
   * `PRIORITIZED`, OR'ed. `callback(handle, events, error)` runs in POLL
   * while the descriptor is ready. Events 0 stop the handle. Throws
   * EEXIST if another poll of this loop watches the descriptor, EINVAL for
   * unknown event bits.
   */
  start(events: number, callback: PollCallback): void {
    this.assertOpen('start');
    if (typeof events !== 'number' || !Number.isInteger(events))
      throw new TypeError('events must be an integer');
    requireFunction(callback, 'poll callback');
    const errors = this.loop.errors;
    const all = Poll.READABLE | Poll.WRITABLE | Poll.DISCONNECT | Poll.PRIORITIZED;
    if ((events & ~all) !== 0) throw errors.error(StatusCode.EINVAL, 'uv_poll_start');
    const holder = this.source.holder(this.fd);
    if (holder !== null && holder !== this) throw errors.error(StatusCode.EEXIST, 'uv_poll_start');
    if (events === 0) {
      this.stop();
      return;
    }
    this.events = events;
    this.callback = callback;
    this.readableWatch = this.updateWatch(
      this.readableWatch,
      (events & (Poll.READABLE | Poll.DISCONNECT)) !== 0 && this.accessMode !== WRITE_ONLY,
      READ_DIRECTION,
    );
    if (this.readableWatch !== null) this.readableWatch.hangupOnly = (events & Poll.READABLE) === 0;
    this.writableWatch = this.updateWatch(
      this.writableWatch,
      (events & Poll.WRITABLE) !== 0 && this.accessMode !== READ_ONLY,
      WRITE_DIRECTION,
    );
    this.deadlines.clear();
    this.repeated.clear();
    const firstAnswer = performance.now() + FIRST_ANSWER_LIMIT_MS;
    for (const watch of [this.readableWatch, this.writableWatch]) {
      if (watch === null) continue;
      watch.start();
      this.deadlines.set(watch, firstAnswer);
    }
    this.source.started.add(this);
    this.activate();
  }

  /** Stops watching (`uv_poll_stop`); the descriptor may be closed from then on. */
  stop(): void {
    this.assertOpen('stop');
    this.halt();
  }

  /**
   * The descriptor (`uv_fileno`); pyuv's `fileno()`. Throws EBADF (a
   * `HandleClosedError`) once the handle is closing, as `uv_fileno` does.
   */
  fileno(): number {
    this.assertOpen('fileno', StatusCode.EBADF);
    return this.fd;
  }

  /**
   * @internal POLL begins: a "ready" answered to the question asked after
   * the last callback is asked once more, as the user may have drained the
   * descriptor since.
   */
  beginPoll(): void {
    for (const watch of this.repeated) {
      if (watch.hasNews) this.ask(watch);
    }
    this.repeated.clear();
  }

  /** @internal Until when POLL should wait for an answer of this handle's watches (0: none awaited). */
  awaitedUntil(): number {
    let latest = 0;
    for (const [watch, deadline] of this.deadlines) {
      if (watch.pending) latest = Math.max(latest, deadline);
      else this.deadlines.delete(watch);
    }
    return latest;
  }

  /** @internal Whether a watch has something new for `dispatch()`. */
  hasNews(): boolean {
    return (this.readableWatch?.hasNews ?? false) || (this.writableWatch?.hasNews ?? false);
  }

  /**
   * @internal POLL's dispatch for this handle: the events its watches
   * report, masked by what it wants now (rule 1.19); an error condition
   * stops it and reports EBADF. Returns whether the callback ran.
   */
  dispatch(): boolean {
    if (this.closing || !this.source.started.has(this)) return false;
    let ready = 0;
    let failed = false;
    const reported: ReadinessWatch[] = [];
    const readable = this.readableWatch?.take() ?? null;
    if (readable !== null && this.readableWatch !== null) {
      reported.push(this.readableWatch);
      if (readable.errno !== 0) failed = true;
      else ready |= Poll.READABLE | (readable.hangup ? Poll.DISCONNECT : 0);
    }
    const writable = this.writableWatch?.take() ?? null;
    if (writable !== null && this.writableWatch !== null) {
      reported.push(this.writableWatch);
      if (writable.errno !== 0) failed = true;
      else ready |= Poll.WRITABLE | (writable.hangup ? Poll.DISCONNECT : 0);
    }
    const callback = this.callback;
    if (callback === null) return false;
    if (failed) {
      this.halt();
      const error = this.loop.errors.status(StatusCode.EBADF, 'uv_poll');
      this.loop.invoke2(this, 'poll', callback, 0, error);
      return true;
    }
    const events = ready & this.events;
    if (events !== 0) this.loop.invoke2(this, 'poll', callback, events, null);
    // Still ready? Asked now, while the next POLL is still ahead.
    for (const watch of reported) {
      if (this.closing || !this.source.started.has(this)) break;
      if (watch !== this.readableWatch && watch !== this.writableWatch) continue;
      this.ask(watch);
      this.repeated.add(watch);
    }
    return events !== 0;
  }

  /** Asks a watch again; POLL waits for the answer only briefly (see the module comment). */
  private ask(watch: ReadinessWatch): void {
    watch.ask();
    this.deadlines.set(watch, performance.now() + REPEAT_GRACE_MS);
  }

  protected closeResources(): void {
    this.halt();
    this.readableWatch?.dispose();
    this.writableWatch?.dispose();
    this.readableWatch = null;
    this.writableWatch = null;
  }

  /** Stops the handle and its watches. */
  private halt(): void {
    this.readableWatch?.stop();
    this.writableWatch?.stop();
    this.deadlines.clear();
    this.repeated.clear();
    this.source.started.delete(this);
    this.deactivate();
  }

  /** Keeps, makes or drops the watch of one direction. */
  private updateWatch(
    watch: ReadinessWatch | null,
    wanted: boolean,
    direction: typeof READ_DIRECTION,
  ): ReadinessWatch | null {
    if (!wanted) {
      watch?.dispose();
      return null;
    }
    return watch ?? readinessPool().watch(this.fd, direction, this.source.bell);
  }
}
