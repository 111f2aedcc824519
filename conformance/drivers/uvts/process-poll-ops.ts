/**
 * The process and poll operations of the uvts driver, the twins of the luv
 * driver's kinds/process.lua and kinds/poll.lua: `init` with kind
 * `process` spawns (uv_spawn initializes and starts in one call), `init`
 * with kind `poll` watches a stream's descriptor or one the driver opens,
 * `kill` signals a child, `start`/`stop` drive a poll handle, and
 * `readFd`/`writeFd` use a poll handle's descriptor the way its user would.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pipe, Poll, Process, StatusCode, StdIO, UVError } from 'uvts';
import type { StatusCodeName } from 'uvts';
import type { Loop } from 'uvts';
import type { ActionArgs, PollEventName } from '../../lib/scenario.js';
import type { CallbackContext } from './callback-context.js';
import type { AnyHandle } from './handle-values.js';
import { ScenarioError } from './scenario-errors.js';
import { callbackArg, errorName } from './scenario-values.js';
import { formatData } from './stream-format.js';

/** What the operations need from the interpreter. */
export interface ProcessPollHost {
  /** Runs a callback: counts it, prints `line` unless logging is off, runs its actions. */
  invokeCallback(line: string, context: Omit<CallbackContext, 'count'>): void;
  /** The handle a scenario names, and its resolved name. */
  lookup(ref: string | undefined, context: CallbackContext | undefined): [AnyHandle, string];
}

const EVENT_BITS: Readonly<Record<PollEventName, number>> = {
  readable: Poll.READABLE,
  writable: Poll.WRITABLE,
  disconnect: Poll.DISCONNECT,
  prioritized: Poll.PRIORITIZED,
};

/** luv's spelling of poll events: r, w, d, p in that order. */
function eventLetters(events: number): string {
  let letters = '';
  if ((events & Poll.READABLE) !== 0) letters += 'r';
  if ((events & Poll.WRITABLE) !== 0) letters += 'w';
  if ((events & Poll.DISCONNECT) !== 0) letters += 'd';
  if ((events & Poll.PRIORITIZED) !== 0) letters += 'p';
  return letters;
}

/** A read or write of a descriptor, with Node's error (EAGAIN…) as the libuv error a trace names. */
function descriptorCall(call: () => number): number {
  try {
    return call();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && Object.hasOwn(StatusCode, code))
      throw new UVError(StatusCode[code as StatusCodeName]);
    throw error;
  }
}

/** The process and poll kinds: creation and operations. */
export class ProcessPollOperations {
  /** Descriptors the driver opened for `source`, closed at the end. */
  private readonly opened: number[] = [];

  constructor(
    private readonly loop: Loop,
    private readonly host: ProcessPollHost,
  ) {}

  /**
   * `init` of a process or poll handle. Returns the handle, or prints
   * `<name>.init -> <ERROR>` and returns null when libuv's call fails.
   */
  init(name: string, args: ActionArgs, emit: (line: string) => void): AnyHandle | null {
    try {
      return args.kind === 'process' ? this.spawn(name, args) : this.poll(args);
    } catch (error) {
      emit(`${name}.init -> ${errorName(error)}`);
      return null;
    }
  }

  /** Runs `op` on a process or poll handle; returns a value for `logResult`. */
  run(op: string, handle: AnyHandle, name: string, args: ActionArgs): number | string | undefined {
    if (op === 'kill') {
      if (!(handle instanceof Process)) throw new ScenarioError(`${name} is not a process`);
      handle.kill(args.signum === '0' ? 0 : (args.signum as string));
      return undefined;
    }
    if (!(handle instanceof Poll)) throw new ScenarioError(`${name} is not a poll handle`);
    switch (op) {
      case 'start': {
        const callbackName = callbackArg(args, name);
        let events = 0;
        for (const event of args.events ?? []) events |= EVENT_BITS[event];
        const callback =
          callbackName === null
            ? undefined
            : (_poll: Poll, ready: number, error: Error | null): void => {
                const word = callbackName === name ? '' : `${callbackName} `;
                const result = error === null ? `0 ${eventLetters(ready)}` : errorName(error);
                this.host.invokeCallback(`cb ${name} ${word}${result}`, {
                  handle: name,
                  callback: callbackName,
                  status: error === null ? 'ok' : errorName(error),
                });
              };
        (handle.start as (events: number, callback: unknown) => void)(events, callback);
        return undefined;
      }
      case 'stop':
        handle.stop();
        return undefined;
      case 'readFd':
        return this.readFd(handle, args);
      case 'writeFd':
        return descriptorCall(() => writeSync(handle.fileno(), args.data ?? ''));
      default:
        throw new ScenarioError(`${op} does not apply to ${name}`);
    }
  }

  /** Closes what `source` opened. */
  cleanUp(): void {
    for (const fd of this.opened.splice(0)) closeSync(fd);
  }

  private spawn(name: string, args: ActionArgs): Process {
    if (args.file === undefined) throw new ScenarioError('init process needs args.file');
    const stdio = (args.stdio ?? []).map((entry) => {
      if (entry === 'ignore') return null;
      if ('fd' in entry) return new StdIO({ fd: entry.fd, flags: StdIO.INHERIT_FD });
      const [pipe, pipeName] = this.host.lookup(entry.pipe, undefined);
      if (!(pipe instanceof Pipe)) throw new ScenarioError(`${pipeName} is not a pipe`);
      // What luv makes of a pipe in stdio: a pipe the child may read and write.
      const flags = StdIO.CREATE_PIPE | StdIO.READABLE_PIPE | StdIO.WRITABLE_PIPE;
      return new StdIO({ stream: pipe, flags });
    });
    const callbackName = callbackArg(args, name);
    return Process.spawn(this.loop, {
      args: [args.file, ...(args.args ?? [])],
      stdio,
      flags: args.detached === true ? Process.DETACHED : 0,
      ...(args.env === undefined ? {} : { env: args.env }),
      ...(args.cwd === undefined ? {} : { cwd: args.cwd }),
      exitCallback:
        callbackName === null
          ? null
          : (_process, status, signal) => {
              const word = callbackName === name ? '' : `${callbackName} `;
              this.host.invokeCallback(`cb ${name} ${word}${status} ${signal}`, {
                handle: name,
                callback: callbackName,
              });
            },
    });
  }

  private poll(args: ActionArgs): Poll {
    let fd: number;
    if (args.fdOf !== undefined) {
      const [stream, streamName] = this.host.lookup(args.fdOf, undefined);
      if (!('fileno' in stream)) throw new ScenarioError(`${streamName} has no descriptor`);
      fd = stream.fileno();
    } else if (args.source === 'regularFile') {
      const file = path.join(
        os.tmpdir(),
        `uvts-conformance-poll-${process.pid}-${this.opened.length}`,
      );
      fd = openSync(file, 'w+');
      unlinkSync(file);
      this.opened.push(fd);
    } else if (args.source === 'directory') {
      fd = openSync('/', 'r');
      this.opened.push(fd);
    } else if (args.source === 'devNull') {
      fd = openSync('/dev/null', 'r');
      this.opened.push(fd);
    } else {
      throw new ScenarioError('init poll needs fdOf or source');
    }
    return new Poll(this.loop, fd);
  }

  /** `<name>.readFd -> "..."`: what a read of the descriptor gives; EOF for 0 bytes. */
  private readFd(handle: Poll, args: ActionArgs): string {
    const buffer = Buffer.alloc(args.size ?? 64);
    const count = descriptorCall(() => readSync(handle.fileno(), buffer));
    if (count === 0) throw new UVError(StatusCode.EOF);
    return formatData(buffer.subarray(0, count));
  }
}
