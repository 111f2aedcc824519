/**
 * `StdIO`: what a child gets as each of its descriptors
 * (`uv_stdio_container_t`), and how those containers become the `stdio`
 * option of Node's `child_process.spawn`.
 *
 * | container | libuv | Node |
 * | --- | --- | --- |
 * | `IGNORE` (or no entry) | `/dev/null` for 0–2, nothing above | `'ignore'` |
 * | `CREATE_PIPE` + a `Pipe` | a socketpair; the parent's end becomes the pipe | `'pipe'` (`'ipc'` for an IPC pipe) |
 * | `INHERIT_FD` + `fd` | the parent's descriptor, duplicated | the descriptor number |
 * | `INHERIT_STREAM` + a stream | the stream's descriptor, duplicated | the stream's Node socket |
 *
 * The direction flags describe the pipe from the child's side, as in libuv:
 * `READABLE_PIPE` means the child reads, so the parent's end is writable,
 * and `WRITABLE_PIPE` the other way round (`uv__process_open_stream`).
 *
 * @module
 */
import type net from 'node:net';
import type { StdioNull, StdioPipe } from 'node:child_process';
import { StatusCode } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';
import type { Pipe } from './pipe.js';
import { Stream } from './stream.js';

/** What a `StdIO` container is made of: a stream or a descriptor, and the flags. */
export interface StdIOOptions {
  /** For `CREATE_PIPE`: the `Pipe` that becomes the parent's end; for `INHERIT_STREAM`: the stream to share. */
  readonly stream?: Stream | null;
  /** For `INHERIT_FD`: the descriptor the child inherits. */
  readonly fd?: number | null;
  /** `IGNORE`, `CREATE_PIPE` (with `READABLE_PIPE`/`WRITABLE_PIPE`), `INHERIT_FD` or `INHERIT_STREAM`. */
  readonly flags?: number;
}

/** One descriptor of a child process (`uv_stdio_container_t`; pyuv's `StdIO`). */
export class StdIO {
  /** The child gets `/dev/null` (descriptors 0–2) or nothing (`UV_IGNORE`). */
  static readonly IGNORE = 0x00;
  /** A new pipe between parent and child; the parent's end is the container's `Pipe` (`UV_CREATE_PIPE`). */
  static readonly CREATE_PIPE = 0x01;
  /** The child inherits the container's descriptor (`UV_INHERIT_FD`). */
  static readonly INHERIT_FD = 0x02;
  /** The child inherits the descriptor of the container's stream (`UV_INHERIT_STREAM`). */
  static readonly INHERIT_STREAM = 0x04;
  /** With `CREATE_PIPE`: the child reads from the pipe (`UV_READABLE_PIPE`). */
  static readonly READABLE_PIPE = 0x10;
  /** With `CREATE_PIPE`: the child writes to the pipe (`UV_WRITABLE_PIPE`). */
  static readonly WRITABLE_PIPE = 0x20;
  /** With `CREATE_PIPE`: the child's end is non-blocking (`UV_NONBLOCK_PIPE`); accepted, no effect. */
  static readonly NONBLOCK_PIPE = 0x40;
  /** The Windows name of `NONBLOCK_PIPE` (`UV_OVERLAPPED_PIPE`). */
  static readonly OVERLAPPED_PIPE = 0x40;

  /** The stream, for `CREATE_PIPE` and `INHERIT_STREAM`. */
  readonly stream: Stream | null;
  /** The descriptor, for `INHERIT_FD`. */
  readonly fd: number | null;
  /** The container's flags. */
  readonly flags: number;

  /**
   * Creates a container. Nothing is checked here: `Process.spawn()` checks
   * the containers it is given, as `uv_spawn` does (EINVAL for a pipe
   * container without a `Pipe`, an inherit container without a descriptor).
   */
  constructor(options: StdIOOptions = {}) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError('StdIO options must be an object');
    const { stream = null, fd = null, flags = StdIO.IGNORE } = options;
    if (stream !== null && !(stream instanceof Stream))
      throw new TypeError('StdIO stream must be a TCP, Pipe or TTY handle');
    if (fd !== null && (typeof fd !== 'number' || !Number.isInteger(fd)))
      throw new TypeError('StdIO fd must be an integer');
    if (typeof flags !== 'number' || !Number.isInteger(flags))
      throw new TypeError('StdIO flags must be an integer');
    this.stream = stream;
    this.fd = fd;
    this.flags = flags;
  }
}

/** Every flag a container may carry. */
const KNOWN_FLAGS =
  StdIO.CREATE_PIPE |
  StdIO.INHERIT_FD |
  StdIO.INHERIT_STREAM |
  StdIO.READABLE_PIPE |
  StdIO.WRITABLE_PIPE |
  StdIO.NONBLOCK_PIPE;

/** @internal A parent's end of a new pipe: where it goes, and which way it may be used. */
export interface CreatedPipe {
  /** The child's descriptor number. */
  readonly index: number;
  readonly pipe: Pipe;
  /** The parent may read (the child writes: `WRITABLE_PIPE`). */
  readonly readable: boolean;
  /** The parent may write (the child reads: `READABLE_PIPE`). */
  readonly writable: boolean;
}

/** @internal What `spawn` needs to know about the containers. */
export interface StdioPlan {
  /** Node's `stdio` option. */
  readonly stdio: (StdioNull | StdioPipe | 'ipc' | number | net.Socket)[];
  /** The pipes to hand the parent's ends to, once Node made them. */
  readonly pipes: readonly CreatedPipe[];
  /** The index of the IPC channel, or -1. */
  readonly ipcIndex: number;
}

/** The `Pipe` class, passed in by `Process` (this module must not import it: pipe.ts imports stream.ts too). */
export type PipeClass = abstract new (...args: never[]) => Pipe;

/**
 * @internal Checks `containers` as `uv_spawn` does and translates them:
 * EINVAL for unknown flags, a `CREATE_PIPE` without a `Pipe` (or with a
 * closed or already used one), an `INHERIT_FD` without a descriptor, an
 * `INHERIT_STREAM` without a stream; ENOTSUP for a second IPC pipe (Node
 * gives a child one IPC channel; docs/deviations.md).
 */
export function planStdio(
  containers: readonly (StdIO | null | undefined)[],
  pipeClass: PipeClass,
  errors: ProfileErrors,
): StdioPlan {
  const stdio: StdioPlan['stdio'] = [];
  const pipes: CreatedPipe[] = [];
  let ipcIndex = -1;
  const invalid = (): Error => errors.error(StatusCode.EINVAL, 'uv_spawn');
  containers.forEach((container, index) => {
    if (container === null || container === undefined) {
      stdio.push('ignore');
      return;
    }
    if (!(container instanceof StdIO))
      throw new TypeError('stdio entries must be StdIO containers');
    const flags = container.flags;
    if ((flags & ~KNOWN_FLAGS) !== 0) throw invalid();
    if ((flags & StdIO.CREATE_PIPE) !== 0) {
      const pipe = container.stream;
      if (!(pipe instanceof pipeClass) || pipe.closing) throw invalid();
      if (pipes.some((entry) => entry.pipe === pipe)) throw invalid();
      if (pipe.ipc) {
        if (ipcIndex >= 0) throw errors.error(StatusCode.ENOTSUP, 'uv_spawn');
        ipcIndex = index;
        stdio.push('ipc');
      } else {
        stdio.push('pipe');
      }
      pipes.push({
        index,
        pipe,
        readable: (flags & StdIO.WRITABLE_PIPE) !== 0 || pipe.ipc,
        writable: (flags & StdIO.READABLE_PIPE) !== 0 || pipe.ipc,
      });
    } else if ((flags & StdIO.INHERIT_FD) !== 0) {
      if (container.fd === null || container.fd < 0) throw invalid();
      stdio.push(container.fd);
    } else if ((flags & StdIO.INHERIT_STREAM) !== 0) {
      const stream = container.stream;
      if (stream === null || stream.closing) throw invalid();
      stdio.push(stream.inheritable());
    } else {
      stdio.push('ignore');
    }
  });
  // libuv gives a child /dev/null for any of 0-2 it was not given.
  while (stdio.length < 3) stdio.push('ignore');
  return { stdio, pipes, ipcIndex };
}
