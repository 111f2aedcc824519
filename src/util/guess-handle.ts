/**
 * `uv_guess_handle`: what kind of handle a file descriptor suits. The
 * classification itself lives in the platform layer (platform/fd.ts),
 * which the handles share; this is its public face.
 *
 * @module
 */
import { guessHandle as classify, type GuessedHandle } from '../platform/fd.js';

export type { GuessedHandle };

/**
 * The handle type that suits `fd` (`uv_guess_handle`): `'tty'` for a
 * terminal, `'file'` for a regular file or another character device,
 * `'pipe'` for a FIFO or a Unix stream socket, `'tcp'` and `'udp'` for IP
 * sockets, `'unknown'` for anything else and for a descriptor that is not
 * open. Sockets are told apart through /proc (a socket that is neither
 * bound nor connected is not listed there, and comes out `'unknown'`;
 * docs/deviations.md X4).
 */
export function guessHandle(fd: number): GuessedHandle {
  if (typeof fd !== 'number') throw new TypeError(`fd must be a number, got ${typeof fd}`);
  return classify(fd);
}
