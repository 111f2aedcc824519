/**
 * Loaded by `uvts-trace` with `node --import` before the traced program.
 *
 * It installs the loop hook (`src/loop/loop-hook.ts`) with a
 * {@link TraceRecorder}, copies what the program writes to stdout and stderr
 * into the recording (and on to the terminal), and writes the recording as
 * JSON to the file named by `UVTS_TRACE_OUT` when the process exits, however
 * it exits: the end of the program, `process.exit()`, or an uncaught error.
 *
 * Worker threads inherit `--import`; they do nothing here, so only the main
 * thread's loops are traced and only the main thread writes the file.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { LOOP_HOOK, type LoopHook } from '../loop/loop-hook.js';
import { isProfile } from '../errors/internal.js';
import { TraceRecorder, type TracedLoop } from './trace-recorder.js';

/** The environment variables through which `uvts-trace` talks to this module. */
export const PRELOAD_ENV = {
  /** Where to write the recording. */
  out: 'UVTS_TRACE_OUT',
  /** `1.44` or `1.52`: the profile of loops created without a `libuv` option. */
  profile: 'UVTS_TRACE_PROFILE',
} as const;

/** What the preload writes: the recorder's state. */
export interface PreloadRecording {
  /** The loops, in creation order. */
  readonly loops: TraceRecorder['loops'];
  /** The records. */
  readonly records: TraceRecorder['records'];
  /** Whether records were dropped. */
  readonly truncated: boolean;
}

function install(out: string, profile: string | undefined): void {
  const recorder = new TraceRecorder();
  const hook: LoopHook = {
    ...(isProfile(profile) ? { profile } : {}),
    loopCreated: (loop) => recorder.attach(loop as TracedLoop),
  };
  (globalThis as { [LOOP_HOOK]?: LoopHook })[LOOP_HOOK] = hook;

  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      recorder.output(
        name,
        typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(),
      );
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }

  process.on('exit', () => {
    const recording: PreloadRecording = {
      loops: recorder.loops,
      records: recorder.records,
      truncated: recorder.truncated,
    };
    writeFileSync(out, JSON.stringify(recording));
  });
}

const out = process.env[PRELOAD_ENV.out];
if (isMainThread && out !== undefined && out !== '') {
  const profile = process.env[PRELOAD_ENV.profile];
  // The program's own child processes are not traced.
  Reflect.deleteProperty(process.env, PRELOAD_ENV.out);
  Reflect.deleteProperty(process.env, PRELOAD_ENV.profile);
  install(out, profile);
}
