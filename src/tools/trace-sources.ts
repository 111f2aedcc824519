/**
 * Where the runs of a trace document come from: a program run under the
 * recorder (`traceProgram`), or a conformance trace file (`readLinesRun`).
 *
 * A program runs in a child process, `node --import <trace-preload> program
 * args`, with the parent's own `execArgv` first (so under a TypeScript
 * loader the preload loads as well). The child inherits the terminal, so
 * the program behaves as it would alone; what it prints is also recorded by
 * the preload, and the recording comes back through a temporary file.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventRun, LinesRun } from './trace-document.js';
import { PRELOAD_ENV, type PreloadRecording } from './trace-preload.js';

/** The profiles `--profile` accepts, `default` meaning "the program's own choice". */
export type ProfileChoice = '1.44' | '1.52' | 'default';

/** Options of {@link traceProgram}. */
export interface TraceProgramOptions {
  /** Extra Node options for the child, before the preload (tests use a source loader). */
  readonly nodeArgs?: readonly string[];
  /** How the child's stdout and stderr are handled (default `inherit`). */
  readonly stdio?: 'inherit' | 'ignore';
}

/** The preload module next to this one (`.ts` when running from the sources). */
function preloadPath(): string {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./trace-preload${extension}`, import.meta.url));
}

/** Runs `program` with tracing on and returns its run. */
export async function traceProgram(
  program: string,
  args: readonly string[],
  profile: ProfileChoice,
  options: TraceProgramOptions = {},
): Promise<EventRun> {
  const folder = mkdtempSync(path.join(tmpdir(), 'uvts-trace-'));
  const out = path.join(folder, 'recording.json');
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, [PRELOAD_ENV.out]: out };
    if (profile === 'default') Reflect.deleteProperty(env, PRELOAD_ENV.profile);
    else env[PRELOAD_ENV.profile] = profile;
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        ...(options.nodeArgs ?? []),
        '--import',
        preloadPath(),
        program,
        ...args,
      ],
      { stdio: ['inherit', options.stdio ?? 'inherit', options.stdio ?? 'inherit'], env },
    );
    const exit = await new Promise<EventRun['exit']>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    let recording: PreloadRecording;
    try {
      recording = JSON.parse(readFileSync(out, 'utf8')) as PreloadRecording;
    } catch {
      throw new Error(
        `uvts-trace: ${program} left no recording (exit ${exit.signal ?? String(exit.code)}); did it start?`,
      );
    }
    return {
      kind: 'events',
      label: profile === 'default' ? 'uvts' : `libuv ${profile}`,
      profile,
      loops: recording.loops,
      events: recording.records,
      truncated: recording.truncated,
      exit,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Reads a conformance trace (docs/conformance.md, "Trace format"): comment
 * and blank lines dropped, trailing spaces trimmed, and a derived 1.52 file
 * that says `@same-as 1.44` replaced by the 1.44 file of the same name.
 */
export function readLinesRun(file: string, label = path.basename(file)): LinesRun {
  let lines = readTraceLines(file);
  if (lines.length === 1 && lines[0]?.startsWith('@same-as ')) {
    const other = path.join(
      path.dirname(file),
      '..',
      lines[0].slice(9).trim(),
      path.basename(file),
    );
    lines = readTraceLines(other);
  }
  return { kind: 'lines', label, source: file, lines };
}

function readTraceLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The conformance suite's expected trace of scenario `name` for `profile`, shipped with uvts. */
export function expectedTracePath(name: string, profile: '1.44' | '1.52'): string {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`uvts-trace: not a scenario name: ${name}`);
  return fileURLToPath(
    new URL(`../../conformance/expected/${profile}/${name}.trace`, import.meta.url),
  );
}

/** uvts's version, from the package's own package.json. */
export function uvtsVersion(): string {
  try {
    const manifest = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
