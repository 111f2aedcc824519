/**
 * The file descriptor under a stream, as far as uvts can know it: the one
 * a stream was made from (`open(fd)`, a `TTY`), or the one the stream type
 * can find for a socket Node made (TCP: through /proc, see
 * platform/socket-fd.ts). `fileno()` reports it; `tryWrite()` and the
 * read side after a failed write use it to reach the kernel directly.
 *
 * @module
 */
import type net from 'node:net';
import { StatusCode } from '../errors/index.js';
import type { ProfileErrors } from '../errors/internal.js';
import type { NodeWatcher } from '../loop/node-watcher.js';

/** @internal One stream's descriptor; see the module comment. */
export class StreamDescriptor {
  /** The descriptor the stream was made from, if any. */
  known: number | null = null;
  /** The descriptor found for a socket, looked up once per socket. */
  private found: { socket: net.Socket; fd: number | null } | null = null;

  /**
   * @param connection The watcher of the stream's socket.
   * @param find Looks up the descriptor of the current socket (or listener); `null` when it cannot.
   */
  constructor(
    private readonly connection: NodeWatcher<net.Socket>,
    private readonly find: () => number | null,
  ) {}

  /**
   * `uv_fileno` of an open stream: EBADF when libuv would have no
   * descriptor (`hasDescriptor` false), ENOTSUP when uvts cannot tell it.
   */
  fileno(hasDescriptor: boolean, errors: ProfileErrors): number {
    if (this.known !== null) return this.known;
    if (!hasDescriptor) throw errors.error(StatusCode.EBADF, 'uv_fileno');
    const found = this.connection.current !== null ? this.forIO() : this.find();
    if (found !== null) return found;
    throw errors.error(StatusCode.ENOTSUP, 'uv_fileno');
  }

  /**
   * What a child inherits for `StdIO.INHERIT_STREAM`: the descriptor when
   * uvts knows it, else the Node socket (Node's `spawn` duplicates a
   * socket's descriptor into the child). EINVAL when the stream has
   * neither, as `uv_spawn` answers for a stream without one.
   */
  inheritable(errors: ProfileErrors): number | net.Socket {
    if (this.known !== null) return this.known;
    const socket = this.connection.current;
    if (socket !== null) return socket;
    throw errors.error(StatusCode.EINVAL, 'uv_spawn');
  }

  /**
   * The descriptor under the current socket for reading or writing it
   * directly, or `null`. Never one of a destroyed socket, whose number the
   * kernel may already have given to another file.
   */
  forIO(): number | null {
    return this.lookUp(true);
  }

  /**
   * The same, but only if it is known or was found before: after a reset
   * the kernel no longer lists a TCP connection in /proc, so a lookup then
   * would read the whole table for nothing (docs/deviations.md S14).
   */
  ifFound(): number | null {
    return this.lookUp(false);
  }

  private lookUp(find: boolean): number | null {
    const socket = this.connection.current;
    if (socket === null || socket.destroyed) return null;
    if (this.known !== null) return this.known;
    const found = this.found;
    if (found !== null && found.socket === socket) return found.fd;
    if (!find) return null;
    const fd = this.find();
    this.found = { socket, fd };
    return fd;
  }
}
