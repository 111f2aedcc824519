/**
 * `TTY` (`uv_tty_t`): a stream over a terminal — or over a pipe or socket
 * that stands where a terminal would (rule 7.30) — plus the terminal's mode
 * and window size. Also home of the fd helpers that `Pipe.open()` shares.
 *
 * A terminal fd becomes a `tty.ReadStream`, whatever its direction: Node's
 * TTY wrap reads and writes, re-opens the terminal as libuv does (so
 * non-blocking mode does not leak to other processes), and is the only
 * public object with `setRawMode()`. A pipe or socket fd becomes a
 * `net.Socket({ fd })`. Either way the Stream base does the reading and
 * writing. Direction comes from the fd's open mode (libuv ignores the
 * `readable` argument since 1.23.1), read from `/proc/self/fdinfo`.
 *
 * Raw mode: `setMode()` maps RAW and IO to `setRawMode(true)` (Node has no
 * IO mode: output post-processing stays on; docs/deviations.md). Every TTY
 * left in a non-normal mode is remembered so that `TTY.resetMode()` can
 * restore it. Closing such a TTY restores the terminal in profile 1.52
 * (libuv 1.49+); in profile 1.44 the terminal stays raw until `resetMode()`,
 * which is why the Node stream of a raw TTY then outlives the handle.
 *
 * @module
 */
import { fstatSync, readFileSync } from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import { StatusCode, UVError } from '../errors/index.js';
import { fromNodeError } from '../errors/node-error.js';
import type { Loop } from '../loop/loop.js';
import { Stream } from './stream.js';

/** @internal What an fd is, as far as streams care, and which way it can be used. */
export interface FdInfo {
  /** `tty`: a terminal; `stream`: a pipe or socket; `other`: anything Node cannot stream. */
  readonly kind: 'tty' | 'stream' | 'other';
  /** A socket (as opposed to a FIFO or terminal): it has a socket name. */
  readonly socket: boolean;
  /** Not opened write-only. */
  readonly readable: boolean;
  /** Not opened read-only. */
  readonly writable: boolean;
}

/**
 * @internal Classifies `fd` (libuv's `uv_guess_handle` plus the open mode
 * `fcntl(F_GETFL)` would give). Returns `null` for an fd that is not open.
 */
export function describeFd(fd: number): FdInfo | null {
  let stats;
  try {
    stats = fstatSync(fd);
  } catch {
    return null;
  }
  let kind: FdInfo['kind'] = 'other';
  if (tty.isatty(fd)) kind = 'tty';
  else if (stats.isFIFO() || stats.isSocket()) kind = 'stream';
  const mode = accessMode(fd);
  return { kind, socket: stats.isSocket(), readable: mode !== 1, writable: mode !== 0 };
}

/** O_ACCMODE of `fd`: 0 read-only, 1 write-only, 2 read-write (assumed when unknown). */
function accessMode(fd: number): number {
  try {
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    const match = /^flags:\s*([0-7]+)$/m.exec(info);
    if (match !== null) return Number.parseInt(match[1] as string, 8) & 3;
  } catch {
    // Not Linux, or no procfs: assume both directions, as a duplex socket.
  }
  return 2;
}

/**
 * @internal Wraps `fd` in the Node object a stream adopts: a paused
 * `tty.ReadStream` for a terminal, else a `net.Socket` that does not start
 * reading until the stream resumes it (so data waits in the kernel until
 * `startRead()`, as it does for libuv).
 */
export function openFdSocket(fd: number, info: FdInfo, syscall: string): net.Socket {
  try {
    if (info.kind === 'tty') return new tty.ReadStream(fd);
    // `manualStart` (what tty.ReadStream itself passes) keeps Node from
    // reading ahead at construction time.
    const options: net.SocketConstructorOpts & { manualStart: boolean } = {
      fd,
      readable: info.readable,
      writable: info.writable,
      allowHalfOpen: true,
      manualStart: true,
    };
    return new net.Socket(options);
  } catch (error) {
    throw fromNodeError(error, syscall);
  }
}

const MODE_NORMAL = 0;

/** Open TTYs whose mode is not normal, for `resetMode()`. */
const rawTTYs = new Set<TTY>();
/** Profile 1.44: Node streams of raw TTYs closed since, kept raw until `resetMode()`. */
const leftovers = new Set<tty.ReadStream>();

/**
 * A TTY handle (`uv_tty_t`).
 *
 * ```ts
 * const out = new TTY(loop, 1, false);
 * const [width, height] = out.getWinsize();
 * out.write(`${width}x${height}\n`);
 * ```
 */
export class TTY extends Stream {
  /** `setMode()`: the terminal's initial, line-buffered mode (`UV_TTY_MODE_NORMAL`). */
  static readonly MODE_NORMAL = 0;
  /** `setMode()`: raw input, no echo, no signals from keys (`UV_TTY_MODE_RAW`). */
  static readonly MODE_RAW = 1;
  /** `setMode()`: binary-safe I/O (`UV_TTY_MODE_IO`); in uvts the same as RAW. */
  static readonly MODE_IO = 2;
  /** Always `'tty'`. */
  readonly type = 'tty';

  private readonly fd: number;
  private readonly terminal: tty.ReadStream | null;
  private mode = MODE_NORMAL;

  /**
   * Creates a TTY handle on `fd` (`uv_tty_init`). A terminal becomes a
   * terminal stream; a pipe or socket works as a plain stream; anything
   * else (a regular file, `/dev/null`, a closed fd) throws `UVError`
   * EINVAL. The stream is readable unless `fd` was opened write-only and
   * writable unless opened read-only.
   *
   * @param readable Ignored, as in libuv since 1.23.1: the fd's open mode
   *   decides. Kept for pyuv's signature.
   */
  constructor(loop: Loop | undefined, fd: number, readable?: boolean) {
    if (typeof fd !== 'number' || !Number.isInteger(fd)) {
      throw new TypeError('fd must be an integer');
    }
    if (readable !== undefined && typeof readable !== 'boolean') {
      throw new TypeError('readable must be a boolean');
    }
    const info = fd < 0 ? null : describeFd(fd);
    if (info === null || info.kind === 'other') {
      throw new UVError(StatusCode.EINVAL, { syscall: 'uv_tty_init' });
    }
    super(loop);
    this.fd = fd;
    this.knownFd = fd;
    let socket: net.Socket;
    try {
      socket = openFdSocket(fd, info, 'uv_tty_init');
    } catch (error) {
      this.close();
      throw error;
    }
    this.terminal = socket instanceof tty.ReadStream ? socket : null;
    this.adoptSocket(socket, info.readable, info.writable);
  }

  /** True if the stream can be read from (`uv_is_readable`); false once closing. */
  override get readable(): boolean {
    return !this.closing && super.readable;
  }

  /** True if the stream can be written to (`uv_is_writable`); false once closing. */
  override get writable(): boolean {
    return !this.closing && super.writable;
  }

  /**
   * Sets the terminal mode (`uv_tty_set_mode`): {@link TTY.MODE_NORMAL},
   * {@link TTY.MODE_RAW} or {@link TTY.MODE_IO}. Setting the current mode
   * does nothing (even on a TTY handle over a pipe); otherwise a handle
   * that is not a terminal throws ENOTTY. An unknown mode is EINVAL.
   */
  setMode(mode: number): void {
    this.assertOpen('setMode');
    if (typeof mode !== 'number') throw new TypeError('mode must be a number');
    if (mode !== TTY.MODE_NORMAL && mode !== TTY.MODE_RAW && mode !== TTY.MODE_IO) {
      throw new UVError(StatusCode.EINVAL, { syscall: 'uv_tty_set_mode' });
    }
    if (mode === this.mode) return;
    const terminal = this.terminal;
    if (terminal === null) throw new UVError(StatusCode.ENOTTY, { syscall: 'uv_tty_set_mode' });
    try {
      terminal.setRawMode(mode !== MODE_NORMAL);
    } catch (error) {
      throw fromNodeError(error, 'uv_tty_set_mode');
    }
    this.mode = mode;
    if (mode === MODE_NORMAL) rawTTYs.delete(this);
    else rawTTYs.add(this);
  }

  /**
   * The terminal's size as `[width, height]` in characters
   * (`uv_tty_get_winsize`); `[0, 0]` for a terminal that never had a size
   * set. Throws ENOTTY for a TTY handle over a pipe or socket.
   */
  getWinsize(): [number, number] {
    this.assertOpen('getWinsize');
    if (this.terminal === null)
      throw new UVError(StatusCode.ENOTTY, { syscall: 'uv_tty_get_winsize' });
    // A WriteStream reads the size when it is made; Node refreshes it later
    // only for process.stdout. A fresh one per call is the public way to get
    // the current size (it re-opens the terminal and closes its own fd).
    let probe: tty.WriteStream;
    try {
      probe = new tty.WriteStream(this.fd);
    } catch (error) {
      throw fromNodeError(error, 'uv_tty_get_winsize');
    }
    const size: [number, number] = [probe.columns, probe.rows];
    probe.destroy();
    if (typeof size[0] !== 'number' || typeof size[1] !== 'number') {
      throw new UVError(StatusCode.ENOTTY, { syscall: 'uv_tty_get_winsize' });
    }
    return size;
  }

  /**
   * Restores every terminal that a TTY handle put in raw mode
   * (`uv_tty_reset_mode`): call it when the program exits. Like libuv it
   * does not change what the handles think their mode is. Never throws.
   */
  static resetMode(): void {
    for (const handle of rawTTYs) restore(handle.terminal);
    for (const stream of leftovers) {
      restore(stream);
      stream.destroy();
    }
    leftovers.clear();
  }

  /** A TTY cannot listen (`uv_listen` answers EINVAL for it). */
  protected startListening(_backlog: number): void {
    throw new UVError(StatusCode.EINVAL, { syscall: 'uv_listen' });
  }

  /** Releases the Node stream; a raw terminal is restored (1.52) or kept raw (1.44). */
  protected override closeResources(): void {
    const terminal = this.terminal;
    if (terminal !== null && this.mode !== MODE_NORMAL) {
      rawTTYs.delete(this);
      if (this.loop.profile === '1.52') {
        restore(terminal);
      } else if (this.socket === terminal) {
        // libuv 1.44 leaves the terminal raw; the Node stream must live on
        // for resetMode() to restore it, so take it away from the Stream
        // base before it destroys it. Its listeners ignore a stream that is
        // no longer `this.socket`, so nothing reaches this handle again.
        terminal.pause();
        leftovers.add(terminal);
        this.socket = null;
        this.loop.poller.nodeWatchers--;
      }
    }
    super.closeResources();
  }
}

function restore(terminal: tty.ReadStream | null): void {
  if (terminal === null || terminal.destroyed) return;
  try {
    terminal.setRawMode(false);
  } catch {
    // The terminal is gone (hung up): nothing left to restore.
  }
}
