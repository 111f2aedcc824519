import type { SocketAddress } from 'uvts';

/**
 * What the uvts driver knows about the callback that is running. It is a
 * file of its own because the interpreter, the conditions and the stream
 * operations all read it, and none of them should import another for it.
 */

/** Which callback is running, for `$self`, the call* and status conditions, and echo writes. */
export interface CallbackContext {
  handle: string;
  callback: string;
  count: number;
  /** Stream callbacks: 'ok', or the libuv error name (EOF included). */
  status?: string;
  /** Read and UDP receive callbacks with data: the data. */
  data?: Buffer;
  /** UDP receive callbacks with a datagram: its sender. */
  address?: SocketAddress;
}
