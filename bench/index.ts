/**
 * `npm run bench`: runs every benchmark and prints uvts next to its
 * baselines.
 *
 * ```
 * npm run bench                          # all benchmarks, 3 runs each, medians
 * npm run bench -- --filter loop_count   # only names containing "loop_count"
 * npm run bench -- --quick               # short smoke test (1 run, small sizes)
 * npm run bench -- --runs 5              # more runs per case
 * ```
 *
 * Each run of each case is a fresh child process (see common.ts). The runs
 * are interleaved (uvts, baseline, …, uvts, baseline, …) so that a noisy
 * neighbour on the machine hurts every column alike rather than one. The
 * table shows the median; the notes show the spread.
 *
 * The bench prints and never asserts: it exits 0 unless something crashed.
 *
 * @module
 */
import os from 'node:os';
import { asyncRoundTrip } from './async.js';
import { fsRead } from './fs-read.js';
import { fsStat } from './fs-stat.js';
import type { BenchmarkSpec, BenchOptions, CaseSpec, Measurement } from './common.js';
import { luvUnavailable, luvVersion, median, runCase } from './common.js';
import { loopCount } from './loop-count.js';
import { millionTimers } from './million-timers.js';
import { pingPongs } from './ping-pongs.js';
import { pollEcho } from './poll-echo.js';
import { pound } from './pound.js';
import { pump } from './pump.js';
import { queueWorkRoundTrip } from './queue-work.js';
import { queueWorkParallel } from './queue-work-parallel.js';
import { getaddrinfoLocalhost } from './getaddrinfo.js';
import { spawnRoundTrips } from './spawn.js';
import { udpPingPong } from './udp-ping-pong.js';
import { udpPummel } from './udp-pummel.js';

const BENCHMARKS: readonly BenchmarkSpec[] = [
  loopCount,
  millionTimers,
  asyncRoundTrip,
  pingPongs,
  pump,
  pound,
  queueWorkRoundTrip,
  queueWorkParallel,
  getaddrinfoLocalhost,
  spawnRoundTrips,
  pollEcho,
  udpPummel,
  udpPingPong,
  fsStat,
  fsRead,
];

interface CommandLine {
  readonly options: BenchOptions;
  readonly filters: readonly string[];
  readonly runs: number;
}

function parseCommandLine(argv: readonly string[]): CommandLine {
  const filters: string[] = [];
  let quick = false;
  let runs: number | null = null;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const next = inline ?? argv[++index];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--quick') quick = true;
    else if (flag === '--filter') filters.push(...value().split(','));
    else if (flag === '--runs') runs = Number(value());
    else throw new Error(`unknown option ${arg} (use --filter NAME, --quick, --runs N)`);
  }
  if (runs !== null && (!Number.isInteger(runs) || runs < 1))
    throw new Error('--runs needs a positive integer');
  return { options: { quick }, filters, runs: runs ?? (quick ? 1 : 3) };
}

/** One cell of the table: the median measurement of a case, or why it is missing. */
interface CaseSummary {
  readonly name: string;
  /** The median over the runs. */
  readonly value: number | null;
  /** The best run (the least disturbed by other load on the machine). */
  readonly best: number | null;
  readonly unit: string;
  readonly note: string;
}

function formatValue(value: number, unit: string): string {
  if (unit === 's') return `${value.toFixed(3)} s`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M ${unit}`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k ${unit}`;
  return `${value.toFixed(1)} ${unit}`;
}

function summarize(
  spec: BenchmarkSpec,
  testCase: CaseSpec,
  results: readonly Measurement[],
  errors: string[],
): CaseSummary {
  if (results.length === 0) {
    const note = errors[0] ?? 'no result';
    return { name: testCase.name, value: null, best: null, unit: '', note };
  }
  const unit = (results[0] as Measurement).unit;
  const values = results.map((result) => result.value);
  const notes: string[] = [];
  if (values.length > 1) {
    const low = formatValue(Math.min(...values), unit);
    const high = formatValue(Math.max(...values), unit);
    notes.push(`n=${values.length}, ${low} .. ${high}`);
  }
  // Secondary figures, as medians over the runs: phase times, and the share
  // of the wall time the process had a CPU (low = other load on the machine).
  const detailMedian = (key: string): number | null => {
    const found = results.flatMap((result) => result.detail?.[key] ?? []);
    return found.length === 0 ? null : median(found);
  };
  for (const key of ['init', 'dispatch']) {
    const phase = detailMedian(key);
    if (phase !== null) notes.push(`${key} ${phase.toFixed(3)} s`);
  }
  const shares = results.flatMap((result) => {
    const cpu = result.detail?.cpu;
    const wall = result.detail?.wall;
    return cpu === undefined || wall === undefined || wall === 0 ? [] : [cpu / wall];
  });
  if (shares.length > 0) notes.push(`cpu/wall ${(100 * median(shares)).toFixed(0)}%`);
  if (errors.length > 0) notes.push(`${errors.length} run(s) failed: ${errors[0] ?? ''}`);
  const best = spec.higherIsBetter ? Math.max(...values) : Math.min(...values);
  return { name: testCase.name, value: median(values), best, unit, note: notes.join('; ') };
}

async function measure(spec: BenchmarkSpec, line: CommandLine): Promise<CaseSummary[]> {
  const luvMissing = await luvUnavailable();
  const runnable = spec.cases.filter((testCase) => testCase.kind !== 'lua' || luvMissing === null);
  const results = new Map<string, Measurement[]>(runnable.map((testCase) => [testCase.name, []]));
  const errors = new Map<string, string[]>(runnable.map((testCase) => [testCase.name, []]));
  for (let run = 0; run < line.runs; run++) {
    for (const testCase of runnable) {
      process.stderr.write(`  ${spec.name} / ${testCase.name} (run ${run + 1}/${line.runs})\n`);
      const outcome = await runCase(spec, testCase, line.options);
      if (outcome.ok) results.get(testCase.name)?.push(outcome.measurement);
      else errors.get(testCase.name)?.push(outcome.reason);
    }
  }
  return spec.cases.map((testCase) =>
    testCase.kind === 'lua' && luvMissing !== null
      ? { name: testCase.name, value: null, best: null, unit: '', note: `skipped: ${luvMissing}` }
      : summarize(
          spec,
          testCase,
          results.get(testCase.name) ?? [],
          errors.get(testCase.name) ?? [],
        ),
  );
}

/** Speed of uvts relative to a baseline: above 1 means uvts is faster. */
function ratio(spec: BenchmarkSpec, uvts: number | null, baseline: number | null): string {
  if (uvts === null || baseline === null || uvts === 0 || baseline === 0) return '-';
  const speed = spec.higherIsBetter ? uvts / baseline : baseline / uvts;
  return `${speed.toFixed(2)}x`;
}

/** The 1-minute load average, for the header and footer. */
function loadAverage(): string {
  return (os.loadavg()[0] ?? 0).toFixed(2);
}

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = (rows[0] ?? []).map((_cell, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  for (const [index, row] of rows.entries()) {
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

async function main(): Promise<void> {
  let line: CommandLine;
  try {
    line = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    // A usage mistake, not a crash: the message is enough.
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
    return;
  }
  const selected = BENCHMARKS.filter(
    (spec) =>
      line.filters.length === 0 || line.filters.some((filter) => spec.name.includes(filter)),
  );
  if (selected.length === 0) {
    console.error(`no benchmark matches; names: ${BENCHMARKS.map((spec) => spec.name).join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const cpus = os.cpus();
  console.log(
    `uvts bench: ${cpus[0]?.model ?? 'unknown CPU'} x${cpus.length}, ${os.platform()} ${os.release()}, ` +
      `Node ${process.version} (libuv ${process.versions.uv}), ` +
      `luv: ${(await luvVersion()) ?? 'unavailable'}; ` +
      `${line.runs} run(s) per case${line.options.quick ? ', --quick' : ''}; ` +
      `load average ${loadAverage()}`,
  );
  const rows: string[][] = [
    ['benchmark', 'uvts', 'baseline', 'baseline value', 'ratio', 'best/best', 'baseline notes'],
  ];
  const notes: string[] = [];
  for (const spec of selected) {
    const [uvts, ...baselines] = await measure(spec, line);
    if (uvts === undefined) continue;
    const uvtsCell = uvts.value === null ? 'failed' : formatValue(uvts.value, uvts.unit);
    if (uvts.note !== '') notes.push(`${spec.name} / uvts: ${uvts.note}`);
    for (const baseline of baselines) {
      const value = baseline.value === null ? '-' : formatValue(baseline.value, baseline.unit);
      rows.push([
        spec.name,
        uvtsCell,
        baseline.name,
        value,
        ratio(spec, uvts.value, baseline.value),
        ratio(spec, uvts.best, baseline.best),
        baseline.note,
      ]);
    }
  }
  console.log('');
  printTable(rows);
  console.log(
    '\nuvts and baseline value: medians over the runs. ratio: speed of uvts relative to the' +
      '\nbaseline, median vs median (above 1 = uvts faster); best/best: best run vs best run.',
  );
  for (const note of notes) console.log(note);
  // Other processes skew every figure; say how busy the machine was.
  console.log(`load average at the end: ${loadAverage()} (on ${os.cpus().length} CPUs)`);
}

await main();
