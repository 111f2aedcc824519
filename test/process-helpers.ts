/**
 * What the process tests share: libuv's spawn helpers as small /bin/sh
 * programs (helper1 exits 1, helper2 prints "hello world\n", helper3
 * echoes a line, helper4 sleeps, helper6 writes to stdout and stderr,
 * helper7 prints $ENV_TEST), `StdIO` containers for pipes, reading a pipe
 * to its end, and exit callbacks that record what they got.
 *
 * @module
 */
import type { Pipe, Process } from '../src/index.js';
import { StdIO } from '../src/index.js';

export const SH = '/bin/sh';
export const HELPER1 = [SH, '-c', 'exit 1'];
export const HELPER2 = [SH, '-c', 'printf "hello world\\n"; exit 1'];
export const HELPER3 = [SH, '-c', 'read line; printf "%s\\n" "$line"; exit 1'];
export const HELPER4 = ['/bin/sleep', '1000'];
export const HELPER6 = [
  SH,
  '-c',
  'printf "hello world\\n"; printf "hello errworld\\n" >&2; exit 1',
];
export const HELPER7 = [SH, '-c', 'printf "%s" "$ENV_TEST"; exit 1'];

/** A CREATE_PIPE container the child writes to. */
export const childWrites = (pipe: Pipe): StdIO =>
  new StdIO({ stream: pipe, flags: StdIO.CREATE_PIPE | StdIO.WRITABLE_PIPE });
/** A CREATE_PIPE container the child reads from. */
export const childReads = (pipe: Pipe): StdIO =>
  new StdIO({ stream: pipe, flags: StdIO.CREATE_PIPE | StdIO.READABLE_PIPE });

/** Reads `pipe` to EOF into a string, closing it at the end. */
export function collect(pipe: Pipe, events?: string[]): { text: () => string } {
  const chunks: Buffer[] = [];
  pipe.startRead((handle, data, error) => {
    if (data !== null) {
      chunks.push(data);
      events?.push('data');
      return;
    }
    events?.push(`read ${error?.code}`);
    handle.close();
  });
  return { text: () => Buffer.concat(chunks).toString() };
}

/** What an exit callback got. */
export interface Exit {
  status: number;
  signal: number;
}

/** An exit callback that records the exit and closes the handle. */
export function recordExit(
  exits: Exit[],
  events?: string[],
): (handle: Process, status: number, signal: number) => void {
  return (handle, status, signal) => {
    exits.push({ status, signal });
    events?.push('exit');
    handle.close();
  };
}
