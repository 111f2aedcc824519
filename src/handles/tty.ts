/**
 * `TTY` (`uv_tty_t`): a stream over a terminal — or over a pipe or socket
 * that stands where a terminal would (rule 7.30) — plus the terminal's mode
 * and window size.
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
import type net from 'node:net';
import tty from 'node:tty';
import { StatusCode, UVError } from '../errors/index.js';
import type { Loop } from '../loop/loop.js';
import { describeFd, openFdSocket } from '../platform/fd.js';
import { Stream } from './stream.js';

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
    let socket: net.Socket;
    try {
      socket = openFdSocket(fd, info, 'uv_tty_init', this.loop.errors);
    } catch (error) {
      this.close();
      throw error;
    }
    this.terminal = socket instanceof tty.ReadStream ? socket : null;
    this.adoptFd(fd, socket, info.readable, info.writable);
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
      throw this.loop.errors.error(StatusCode.EINVAL, 'uv_tty_set_mode');
    }
    if (mode === this.mode) return;
    const terminal = this.terminal;
    if (terminal === null) throw this.loop.errors.error(StatusCode.ENOTTY, 'uv_tty_set_mode');
    try {
      terminal.setRawMode(mode !== MODE_NORMAL);
    } catch (error) {
      throw this.loop.errors.fromNode(error, 'uv_tty_set_mode');
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
      throw this.loop.errors.error(StatusCode.ENOTTY, 'uv_tty_get_winsize');
    // A WriteStream reads the size when it is made; Node refreshes it later
    // only for process.stdout. A fresh one per call is the public way to get
    // the current size (it re-opens the terminal and closes its own fd).
    let probe: tty.WriteStream;
    try {
      probe = new tty.WriteStream(this.fd);
    } catch (error) {
      throw this.loop.errors.fromNode(error, 'uv_tty_get_winsize');
    }
    const size: [number, number] = [probe.columns, probe.rows];
    probe.destroy();
    if (typeof size[0] !== 'number' || typeof size[1] !== 'number') {
      throw this.loop.errors.error(StatusCode.ENOTTY, 'uv_tty_get_winsize');
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
    throw this.loop.errors.error(StatusCode.EINVAL, 'uv_listen');
  }

  /** Releases the Node stream; a raw terminal is restored (1.52) or kept raw (1.44). */
  protected override closeResources(): void {
    if (this.terminal !== null && this.mode !== MODE_NORMAL) {
      rawTTYs.delete(this);
      if (this.loop.behaviour.restoreTtyOnClose) restore(this.terminal);
    }
    super.closeResources();
  }

  /**
   * The connection is detached (closing): a terminal libuv 1.44 leaves raw
   * keeps its Node stream alive, paused, for `resetMode()` to restore;
   * anything else is destroyed. The detached stream's events no longer
   * reach this handle.
   */
  protected override releaseSocket(socket: net.Socket): void {
    if (
      socket === this.terminal &&
      this.mode !== MODE_NORMAL &&
      !this.loop.behaviour.restoreTtyOnClose
    ) {
      socket.pause();
      leftovers.add(this.terminal);
      return;
    }
    super.releaseSocket(socket);
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
