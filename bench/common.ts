/**
 * What the benchmarks share: the command line, the child-process runner, the
 * result protocol and the table.
 *
 * Every measurement runs in a fresh child process. A benchmark that fills
 * the heap (a million timers) or leaves a worker thread behind must not tax
 * the one measured after it, and a JIT that has already seen uvts's hot
 * paths would flatter whatever comes second. The parent (`index.ts`) only
 * spawns children, reads one result line from each and prints the table.
 *
 * The protocol is one line on the child's stdout: `BENCH {json}`, where the
 * JSON is a {@link Measurement}. Lua scripts print the same line, so the
 * runner does not care what produced it.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Options every benchmark case receives. */
export interface BenchOptions {
  /** Shorter durations and smaller counts: a smoke test, not a measurement. */
  readonly quick: boolean;
}

/** What one measurement produces. */
export interface Measurement {
  /** The headline figure (a rate or a duration, see `unit`). */
  readonly value: number;
  /** The unit of `value`, e.g. `'iter/s'` or `'s'`. */
  readonly unit: string;
  /** Secondary figures (counts, phase times), printed as notes. */
  readonly detail?: Readonly<Record<string, number>>;
}

/** A case implemented in TypeScript, run in this process when it is a child. */
export type CaseFunction = (options: BenchOptions) => Promise<Measurement>;

/** How the parent starts one case of a benchmark. */
export interface CaseSpec {
  /** Column label: `'uvts'`, `'setImmediate'`, `'luv'`, … */
  readonly name: string;
  /** `'node'`: the benchmark's own module with `--case name`; `'lua'`: a script under bench/luv. */
  readonly kind: 'node' | 'lua';
  /** For `'lua'`: the script's path relative to bench/luv. */
  readonly script?: string;
  /** For `'lua'`: its arguments (the same sizes the TypeScript cases use). */
  readonly luaArgs?: (options: BenchOptions) => string[];
}

/** A benchmark as the parent sees it. */
export interface BenchmarkSpec {
  /** The name `--filter` matches, e.g. `'loop_count'`. */
  readonly name: string;
  /** One line on what is measured. */
  readonly description: string;
  /** true for rates, false for durations; decides which way the ratio points. */
  readonly higherIsBetter: boolean;
  /** The module that implements the node cases (its `import.meta.url`). */
  readonly module: string;
  /** The first case is uvts; the others are its baselines. */
  readonly cases: readonly CaseSpec[];
}

const RESULT_PREFIX = 'BENCH ';
/** A child that runs longer than this is killed and reported as failed. */
const CHILD_TIMEOUT_MS = 180_000;
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

// ------------------------------------------------------------------ child side

/**
 * Makes a benchmark module runnable as a child: when `moduleUrl` is the
 * process's entry point, runs the case named by `--case` and prints its
 * result line. Does nothing when the module is merely imported.
 */
export function runCaseIfMain(
  moduleUrl: string,
  cases: Readonly<Record<string, CaseFunction>>,
): void {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== moduleUrl) return;
  const argv = process.argv.slice(2);
  const caseIndex = argv.indexOf('--case');
  const name = caseIndex >= 0 ? argv[caseIndex + 1] : undefined;
  const run = name === undefined ? undefined : cases[name];
  if (run === undefined) {
    console.error(`usage: ${entry} --case <${Object.keys(cases).join('|')}> [--quick]`);
    process.exit(2);
  }
  run({ quick: argv.includes('--quick') }).then(
    (measurement) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(measurement)}\n`);
      // Explicit exit: a case may leave a worker or a Node handle behind, and
      // its lifetime is not part of the measurement.
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Seconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * CPU seconds (user + system, all threads) this process used since `start`
 * (a `process.cpuUsage()` reading). Next to the wall time it shows how much
 * of a run the process actually had a core: on a shared machine, a low
 * cpu/wall share means the figure is depressed by other load.
 */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

// ------------------------------------------------------------------ parent side

/** The outcome of one child: a measurement, or why there is none. */
export type ChildOutcome =
  | { readonly ok: true; readonly measurement: Measurement }
  | { readonly ok: false; readonly reason: string };

interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly spawnError: NodeJS.ErrnoException | null;
}

function runProcess(command: string, args: readonly string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | null = null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', (error: NodeJS.ErrnoException) => (spawnError = error));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, spawnError });
    });
  });
}

function parseMeasurement(stdout: string): Measurement | null {
  for (const line of stdout.split('\n').reverse()) {
    if (!line.startsWith(RESULT_PREFIX)) continue;
    const parsed: unknown = JSON.parse(line.slice(RESULT_PREFIX.length));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'value' in parsed &&
      typeof parsed.value === 'number' &&
      'unit' in parsed &&
      typeof parsed.unit === 'string'
    ) {
      return parsed as Measurement;
    }
  }
  return null;
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}

/** Runs one case of `spec` in a fresh process. */
export async function runCase(
  spec: BenchmarkSpec,
  testCase: CaseSpec,
  options: BenchOptions,
): Promise<ChildOutcome> {
  let command: string;
  let args: string[];
  if (testCase.kind === 'lua') {
    command = 'lua5.4';
    const script = `${BENCH_DIR}luv/${testCase.script ?? ''}`;
    args = [script, ...(testCase.luaArgs?.(options) ?? [])];
  } else {
    command = process.execPath;
    args = ['--import', 'tsx', fileURLToPath(spec.module), '--case', testCase.name];
    if (options.quick) args.push('--quick');
  }
  const result = await runProcess(command, args);
  if (result.spawnError !== null) return { ok: false, reason: result.spawnError.message };
  const measurement = parseMeasurement(result.stdout);
  if (result.code !== 0 || measurement === null) {
    const why = lastLines(result.stderr, 3) || `exit code ${String(result.code)}`;
    return { ok: false, reason: `${testCase.name} failed: ${why}` };
  }
  return { ok: true, measurement };
}

let luvCheck: Promise<string | null> | null = null;

/**
 * Resolves to `null` when `lua5.4` with `luv` can run, or to the reason it
 * cannot (the luv columns are then skipped with that note).
 */
export function luvUnavailable(): Promise<string | null> {
  luvCheck ??= runProcess('lua5.4', ['-e', "io.write(require('luv').version_string())"]).then(
    (result) => {
      if (result.spawnError !== null) return 'lua5.4 not found (apt-get install lua5.4 lua-luv)';
      if (result.code !== 0) return 'luv not found for lua5.4 (apt-get install lua-luv)';
      return null;
    },
  );
  return luvCheck;
}

/** The luv (libuv) version string, or null when luv is unavailable. */
export async function luvVersion(): Promise<string | null> {
  if ((await luvUnavailable()) !== null) return null;
  const result = await runProcess('lua5.4', ['-e', "io.write(require('luv').version_string())"]);
  return result.stdout.trim() || null;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
