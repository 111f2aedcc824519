/**
 * `uvts-trace`: runs a program with every loop traced and writes the trace
 * as `.trace.json` and as a self-contained `.trace.html` page; or draws an
 * existing `.trace.json`, or conformance traces side by side.
 * `bin/uvts-trace.js` calls {@link main}; `docs/tracing.md` documents it.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTraceFormatter } from '../loop/trace-format.js';
import type { TraceEvent } from '../loop/trace.js';
import { isProfile } from '../errors/internal.js';
import {
  checkTraceDocument,
  TRACE_FORMAT,
  TRACE_FORMAT_VERSION,
  type TraceDocument,
  type TraceRun,
} from './trace-document.js';
import { renderTracePage } from './trace-page.js';
import {
  expectedTracePath,
  readLinesRun,
  traceProgram,
  uvtsVersion,
  type ProfileChoice,
  type TraceProgramOptions,
} from './trace-sources.js';

/** The usage text. */
export const USAGE = `usage:
  uvts-trace [options] program.js [args...]   run a program, trace every Loop it creates
                                              (options may follow the program; its own
                                              options that uvts-trace also has go after --)
  uvts-trace [options] file.trace.json        draw a trace written earlier
  uvts-trace [options] a.trace [b.trace...]   draw conformance traces side by side
  uvts-trace [options] --conformance NAME [mine.trace]
                                              a scenario's expected traces (and yours)

options:
  --profile 1.44|1.52|both   libuv profile of loops that do not choose one;
                             both: run twice, timelines side by side
                             (with --conformance: which expected trace)
  --out PATH                 write PATH.trace.json and PATH.trace.html
                             (default: the target's name in the current folder)
  --open                     print the page's file:// URL
  --text                     print the trace as text too
  -h, --help                 this text

Exit status: the program's (the first failing run's), 2 for a usage error.`;

/** Parsed command line. */
export interface TraceOptions {
  readonly profile: ProfileChoice | 'both';
  readonly out: string | null;
  readonly open: boolean;
  readonly text: boolean;
  readonly conformance: string | null;
  readonly target: string | null;
  readonly rest: readonly string[];
}

class UsageError extends Error {}

/**
 * Parses `argv` (without `node` and the script). uvts-trace's own options
 * are recognised anywhere before a `--`, so `uvts-trace program.js --profile
 * both` works; the first other word is the target, and the words after it
 * that are not uvts-trace options, plus everything after `--`, are the
 * program's arguments. An unknown option before the target is an error.
 */
export function parseArguments(argv: readonly string[]): TraceOptions | 'help' {
  let profile: TraceOptions['profile'] = 'default';
  let out: string | null = null;
  let open = false;
  let text = false;
  let conformance: string | null = null;
  let target: string | null = null;
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '--') {
      const after = argv.slice(index + 1);
      if (target === null && conformance === null) target = after.shift() ?? null;
      rest.push(...after);
      break;
    }
    const equals = argument.startsWith('--') ? argument.indexOf('=') : -1;
    const option = equals < 0 ? argument : argument.slice(0, equals);
    const take = (): string => {
      if (equals >= 0) return argument.slice(equals + 1);
      const next = argv[++index];
      if (next === undefined) throw new UsageError(`${option} needs a value`);
      return next;
    };
    if (option === '-h' || option === '--help') return 'help';
    else if (option === '--open') open = true;
    else if (option === '--text') text = true;
    else if (option === '--out') out = take();
    else if (option === '--conformance') conformance = take();
    else if (option === '--profile') {
      const chosen = take();
      if (!isProfile(chosen) && chosen !== 'both')
        throw new UsageError(`--profile must be 1.44, 1.52 or both, not ${chosen}`);
      profile = chosen;
    } else if (target === null && argument.startsWith('-')) {
      throw new UsageError(`unknown option ${argument}`);
    } else if (target === null) target = argument;
    else rest.push(argument);
  }
  if (target === null && conformance === null) throw new UsageError('nothing to trace');
  return { profile, out, open, text, conformance, target, rest };
}

/** The file name a target's outputs are named after, without its extensions. */
function baseName(target: string): string {
  return path.basename(target).replace(/(\.trace)?\.(json|trace|[cm]?[jt]s)$/, '');
}

/** Builds the document the options describe, running the program if there is one. */
export async function buildDocument(
  options: TraceOptions,
  programOptions: TraceProgramOptions = {},
): Promise<TraceDocument> {
  const document = (program: string, args: readonly string[], runs: TraceRun[]): TraceDocument => ({
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    uvts: uvtsVersion(),
    program,
    args,
    runs,
  });
  const files = options.target === null ? [] : [options.target, ...options.rest];
  if (options.conformance !== null) {
    const name = options.conformance;
    const profiles = isProfile(options.profile) ? [options.profile] : (['1.44', '1.52'] as const);
    const expected = profiles.map((profile) =>
      readLinesRun(expectedTracePath(name, profile), `libuv ${profile} (expected)`),
    );
    return document(
      `conformance scenario ${name}`,
      [],
      [...files.map((file) => readLinesRun(file)), ...expected],
    );
  }
  const target = options.target ?? '';
  if (target.endsWith('.json')) return checkTraceDocument(JSON.parse(readFileSync(target, 'utf8')));
  if (target.endsWith('.trace'))
    return document(
      files.join(' beside '),
      [],
      files.map((file) => readLinesRun(file)),
    );
  const profiles: ProfileChoice[] =
    options.profile === 'both' ? ['1.44', '1.52'] : [options.profile];
  const runs: TraceRun[] = [];
  for (const profile of profiles) {
    if (profiles.length > 1) process.stderr.write(`--- ${target} under libuv ${profile} ---\n`);
    runs.push(await traceProgram(target, options.rest, profile, programOptions));
  }
  return document(target, options.rest, runs);
}

/** The text format of docs/tracing.md for every run, output lines marked `|`. */
export function documentText(document: TraceDocument): string {
  const lines: string[] = [];
  for (const run of document.runs) {
    if (document.runs.length > 1) lines.push(`--- ${run.label} ---`);
    if (run.kind === 'lines') {
      lines.push(...run.lines);
      continue;
    }
    const formats = new Map<number, (event: TraceEvent) => string>();
    for (const record of run.events) {
      if (record.type === 'handle') continue;
      if (record.type === 'output') {
        for (const line of record.text.replace(/\n$/, '').split('\n'))
          lines.push(`      | ${line}`);
        continue;
      }
      let format = formats.get(record.loop);
      if (format === undefined) formats.set(record.loop, (format = createTraceFormatter()));
      const prefix = run.loops.length > 1 ? `[loop ${record.loop}] ` : '';
      lines.push(prefix + format(record));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the outputs; returns the page's path. */
export function writeOutputs(document: TraceDocument, options: TraceOptions): string {
  const fromTarget = options.conformance ?? baseName(options.target ?? 'trace');
  const base = (options.out ?? fromTarget).replace(/\.trace(\.json|\.html)?$|\.(json|html)$/, '');
  const html = path.resolve(`${base}.trace.html`);
  const written: string[] = [];
  if (
    options.target !== null &&
    !options.target.endsWith('.json') &&
    !options.target.endsWith('.trace') &&
    options.conformance === null
  ) {
    const json = path.resolve(`${base}.trace.json`);
    writeFileSync(json, `${JSON.stringify(document)}\n`);
    written.push(json);
  }
  writeFileSync(html, renderTracePage(document));
  written.push(html);
  process.stderr.write(
    `uvts-trace: wrote ${written.map((file) => path.relative(process.cwd(), file)).join(' and ')}\n`,
  );
  return html;
}

/** The command: returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: TraceOptions | 'help';
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`uvts-trace: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let document: TraceDocument;
  try {
    document = await buildDocument(options);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const html = writeOutputs(document, options);
  if (options.text) process.stdout.write(documentText(document));
  if (options.open) process.stdout.write(`${pathToFileURL(html).href}\n`);
  for (const run of document.runs) {
    if (run.kind === 'events' && run.exit.code !== 0) return run.exit.code ?? 1;
  }
  return 0;
}
