/**
 * The conformance runner: `npm run conformance -- [options]`, or the
 * `uvts-conformance` bin.
 *
 * It runs every scenario of `conformance/scenarios/` through the chosen
 * implementations' drivers, compares each trace with the expected trace of
 * each profile, and prints a scenario × implementation table. It also
 * records the expectations of each profile from real libuv (a luv build
 * that links that libuv) and checks that the committed ones still match a
 * fresh recording. See docs/conformance.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  findLuvBuilds,
  luvBuildVariable,
  luvDriver,
  parseDriverOption,
  runDriver,
  uvtsDriver,
  type DriverSpec,
  type LuvBuild,
} from './lib/drivers.js';
import { conformancePath } from './lib/paths.js';
import { runPool } from './lib/pool.js';
import { PROFILES, type Profile, type Scenario } from './lib/scenario.js';
import { SchemaChecker } from './lib/schema-check.js';
import {
  describeDifference,
  firstDifference,
  loadExpected,
  parseTrace,
  recordedHeader,
  renderDiff,
} from './lib/trace.js';

const SCENARIO_DIR = conformancePath('scenarios/');
const EXPECTED_DIR = conformancePath('expected/');

const USAGE = `usage: uvts-conformance [options]

  --impl uvts|luv|all|none
                          implementations to test (default: uvts); luv is real libuv,
                          one luv build per profile; none: only the --driver ones
  --profile 1.44|1.52     only this profile (default: both)
  --filter TEXT           only scenarios whose name contains TEXT (or matches /REGEX/)
  --driver NAME@P=CMD     also test another implementation, e.g. pyuv@1.44='python3 d.py'
  --luv144 DIR, --luv152 DIR
                          the folder of the luv build (luv.so) that links libuv 1.44 / 1.52;
                          default: $UVTS_LUV_1_44 / $UVTS_LUV_1_52, else the system's luv
                          for the profile of the libuv it links (Debian's lua-luv: 1.44)
  --record                re-record the expectations from luv (real libuv), every profile
  --check-recorded        record from luv into a temporary folder and diff with the committed
                          ones; a profile without a luv build is skipped with a warning
  --runs N                recordings per scenario, which must all agree (default 5 for --record, 1 for --check-recorded)
  --jobs N                drivers run at once (default 2)
  --timeout MS            per-driver time limit (default 30000)
  --verbose               print every failure's full traces
`;

interface Options {
  impls: string[];
  profiles: Profile[];
  filter: string | undefined;
  extraDrivers: DriverSpec[];
  luvDirs: Partial<Record<Profile, string>>;
  record: boolean;
  checkRecorded: boolean;
  runs: number | undefined;
  jobs: number;
  timeoutMs: number;
  verbose: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    impls: ['uvts'],
    profiles: [...PROFILES],
    filter: undefined,
    extraDrivers: [],
    luvDirs: {},
    record: false,
    checkRecorded: false,
    runs: undefined,
    jobs: 2,
    timeoutMs: 30_000,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const option = argv[i];
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${String(option)} needs a value`);
      i += 1;
      return next;
    };
    switch (option) {
      case '--impl': {
        const impl = value();
        if (impl !== 'uvts' && impl !== 'luv' && impl !== 'all' && impl !== 'none')
          throw new Error(`unknown --impl ${impl}`);
        options.impls = impl === 'all' ? ['uvts', 'luv'] : impl === 'none' ? [] : [impl];
        break;
      }
      case '--profile': {
        const profile = value();
        if (profile !== '1.44' && profile !== '1.52')
          throw new Error(`unknown --profile ${profile}`);
        options.profiles = [profile];
        break;
      }
      case '--filter':
        options.filter = value();
        break;
      case '--driver':
        options.extraDrivers.push(parseDriverOption(value()));
        break;
      case '--luv144':
        options.luvDirs['1.44'] = value();
        break;
      case '--luv152':
        options.luvDirs['1.52'] = value();
        break;
      case '--record':
        options.record = true;
        break;
      case '--check-recorded':
        options.checkRecorded = true;
        break;
      case '--runs':
        options.runs = positiveInteger(value(), '--runs');
        break;
      case '--jobs':
        options.jobs = positiveInteger(value(), '--jobs');
        break;
      case '--timeout':
        options.timeoutMs = positiveInteger(value(), '--timeout');
        break;
      case '--verbose':
        options.verbose = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${String(option)}\n${USAGE}`);
    }
  }
  return options;
}

function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${option} needs a positive integer`);
  return value;
}

/** A scenario file, parsed and validated. */
interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

function loadScenarios(filter: string | undefined): LoadedScenario[] {
  const checker = SchemaChecker.forScenarios();
  const problems: string[] = [];
  const loaded: LoadedScenario[] = [];
  const matcher =
    filter === undefined
      ? () => true
      : filter.startsWith('/') && filter.endsWith('/') && filter.length > 1
        ? (name: string) => new RegExp(filter.slice(1, -1), 'u').test(name)
        : (name: string) => name.includes(filter);
  for (const entry of readdirSync(SCENARIO_DIR).sort()) {
    if (!entry.endsWith('.json')) continue;
    const file = join(SCENARIO_DIR, entry);
    const data = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
    for (const problem of checker.validate(
      data as unknown as Parameters<SchemaChecker['validate']>[0],
    )) {
      problems.push(`${entry}: ${problem}`);
    }
    if (data.name !== basename(entry, '.json'))
      problems.push(`${entry}: name must equal the file name`);
    if (matcher(data.name)) loaded.push({ file, scenario: data });
  }
  if (problems.length > 0) throw new Error(`invalid scenarios:\n${problems.join('\n')}`);
  return loaded;
}

// ---------------------------------------------------------------------------
// Real libuv (luv builds), and recording from it

/**
 * The luv builds of the chosen profiles. A profile without one is an error
 * when `required`; otherwise it is reported loudly and left out, so that a
 * machine without, say, the 1.52 build still checks everything else.
 */
function chosenLuvBuilds(options: Options, required: boolean): LuvBuild[] {
  const builds: LuvBuild[] = [];
  const missing: string[] = [];
  for (const [profile, probe] of findLuvBuilds(options.luvDirs)) {
    if (!options.profiles.includes(profile)) continue;
    if (probe.ok) {
      builds.push(probe.build);
      continue;
    }
    const hint = `${luvBuildVariable(profile)}=DIR or --luv${profile.replace('.', '')} DIR names the folder of a luv build that links libuv ${profile}`;
    if (required) throw new Error(`no real libuv for profile ${profile}: ${probe.reason}\n${hint}`);
    missing.push(`profile ${profile}: ${probe.reason}`);
    const rule = `!!! ${'-'.repeat(72)}`;
    process.stdout.write(
      `${rule}\n!!! profile ${profile}: no real libuv to compare with, its live part is SKIPPED\n` +
        `!!! ${probe.reason}\n!!! ${hint}\n${rule}\n`,
    );
  }
  if (builds.length === 0) {
    throw new Error(
      `no real libuv for any chosen profile (${missing.join('; ')}); ` +
        'Debian: apt-get install lua5.4 lua-luv gives libuv 1.44',
    );
  }
  return builds;
}

async function record(scenarios: LoadedScenario[], options: Options): Promise<number> {
  let failures = 0;
  for (const build of chosenLuvBuilds(options, !options.checkRecorded)) {
    failures += await recordProfile(scenarios, options, build);
  }
  return failures === 0 ? 0 : 1;
}

/** Records (or checks) one profile's expectations from its luv build; returns the problem count. */
async function recordProfile(
  scenarios: LoadedScenario[],
  options: Options,
  build: LuvBuild,
): Promise<number> {
  const { profile, version } = build;
  const runs = options.runs ?? (options.checkRecorded ? 1 : 5);
  const committedDir = join(EXPECTED_DIR, profile);
  const outDir = options.checkRecorded
    ? mkdtempSync(join(tmpdir(), `uvts-recorded-${profile}-`))
    : committedDir;
  mkdirSync(outDir, { recursive: true });
  process.stdout.write(
    `recording ${scenarios.length} scenarios of profile ${profile} from luv (libuv ${version}), ${runs} run(s) each\n`,
  );
  const driver = luvDriver(build);
  let failures = 0;
  await runPool(scenarios, options.jobs, async ({ file, scenario }) => {
    const traces: string[] = [];
    for (let run = 0; run < runs; run += 1) {
      const result = await runDriver(driver, profile, file, options.timeoutMs);
      if (result.status !== 'ok') {
        failures += 1;
        process.stdout.write(
          `${scenario.name}: luv ${result.status}\n${result.stdout}${result.stderr}\n`,
        );
        return;
      }
      traces.push(parseTrace(result.stdout).join('\n'));
    }
    const first = traces[0] ?? '';
    const unstable = traces.findIndex((trace) => trace !== first);
    if (unstable >= 0) {
      failures += 1;
      process.stdout.write(
        `${scenario.name}: UNSTABLE, run ${unstable + 1} differs from run 1:\n` +
          `${renderDiff(first.split('\n'), (traces[unstable] ?? '').split('\n'))}\n`,
      );
      return;
    }
    writeFileSync(join(outDir, `${scenario.name}.trace`), `${recordedHeader(version)}\n${first}\n`);
  });
  if (options.checkRecorded) {
    failures += compareRecordings(scenarios, committedDir, outDir, options.filter === undefined);
    rmSync(outDir, { recursive: true, force: true });
  }
  process.stdout.write(
    failures === 0
      ? options.checkRecorded
        ? `the committed ${profile} traces match a fresh recording from libuv ${version}\n`
        : `recorded into ${outDir}\n`
      : `${profile}: ${failures} problem(s)\n`,
  );
  return failures;
}

/** Diffs fresh recordings against the committed ones; returns the count of differences. */
function compareRecordings(
  scenarios: LoadedScenario[],
  committedDir: string,
  freshDir: string,
  checkStale: boolean,
): number {
  let differences = 0;
  for (const { scenario } of scenarios) {
    // Whole files, header included: it says which libuv recorded them.
    const read = (dir: string): string[] | undefined => {
      try {
        return readFileSync(join(dir, `${scenario.name}.trace`), 'utf8')
          .trimEnd()
          .split('\n');
      } catch {
        return undefined;
      }
    };
    const committed = read(committedDir);
    const fresh = read(freshDir);
    if (fresh === undefined) continue; // Already reported as a recording failure.
    if (committed === undefined) {
      differences += 1;
      process.stdout.write(`${scenario.name}: no committed trace in ${committedDir}\n`);
    } else if (firstDifference(committed, fresh) !== undefined) {
      differences += 1;
      process.stdout.write(
        `${scenario.name}: committed (-) vs fresh recording (+):\n${renderDiff(committed, fresh)}\n`,
      );
    }
  }
  if (checkStale) {
    const names = new Set(scenarios.map(({ scenario }) => scenario.name));
    for (const entry of readdirSync(committedDir)) {
      if (entry.endsWith('.trace') && !names.has(basename(entry, '.trace'))) {
        differences += 1;
        process.stdout.write(`${entry}: committed trace without a scenario\n`);
      }
    }
  }
  return differences;
}

// ---------------------------------------------------------------------------
// Testing implementations

type Verdict = 'pass' | 'FAIL' | 'skip' | 'xfail' | 'XPASS';

interface Column {
  driver: DriverSpec;
  profile: Profile;
}

interface Cell {
  verdict: Verdict;
  detail: string | undefined;
}

async function test(scenarios: LoadedScenario[], options: Options): Promise<number> {
  const drivers: DriverSpec[] = [];
  for (const impl of options.impls) {
    if (impl === 'uvts') drivers.push(uvtsDriver());
    if (impl === 'luv') drivers.push(...chosenLuvBuilds(options, false).map(luvDriver));
  }
  drivers.push(...options.extraDrivers);
  const columns: Column[] = drivers.flatMap((driver) =>
    options.profiles
      .filter((profile) => driver.profiles.includes(profile))
      .map((profile) => ({ driver, profile })),
  );
  if (columns.length === 0) throw new Error('no implementation supports the chosen profile');

  const cells = new Map<string, Cell>();
  const tasks = scenarios.flatMap((loaded) => columns.map((column) => ({ loaded, column })));
  await runPool(tasks, options.jobs, async ({ loaded, column }) => {
    cells.set(cellKey(loaded.scenario.name, column), await judge(loaded, column, options));
  });
  return report(scenarios, columns, cells, options);
}

function cellKey(scenario: string, column: Column): string {
  return `${scenario}\u0000${column.driver.name}\u0000${column.profile}`;
}

async function judge(loaded: LoadedScenario, column: Column, options: Options): Promise<Cell> {
  const { scenario, file } = loaded;
  const expected = loadExpected(EXPECTED_DIR, column.profile, scenario.name);
  const difference = scenario.expectedDifferences?.find(
    (entry) => entry.impl === column.driver.name && entry.profiles.includes(column.profile),
  );
  const result = await runDriver(column.driver, column.profile, file, options.timeoutMs);
  if (result.status === 'skip') {
    return { verdict: 'skip', detail: result.stdout.split('\n')[0]?.replace(/^skip:\s*/, '') };
  }
  let problem: string | undefined;
  const actual = parseTrace(result.stdout);
  if (expected === undefined) {
    problem = `no expected trace in conformance/expected/${column.profile}/`;
  } else if (result.status === 'timeout') {
    const diff = firstDifference(expected, actual);
    problem = `timed out after ${options.timeoutMs} ms${diff ? `\n${describeDifference(diff)}` : ''}`;
  } else if (result.status === 'error') {
    problem = `driver failed (exit ${String(result.exitCode)}): ${result.stderr.trim().split('\n').slice(0, 8).join('\n')}`;
  } else {
    const diff = firstDifference(expected, actual);
    if (diff !== undefined) problem = describeDifference(diff);
  }
  if (problem !== undefined && options.verbose && expected !== undefined) {
    problem += `\n--- expected\n${expected.join('\n')}\n--- actual\n${actual.join('\n')}`;
  }
  if (difference !== undefined) {
    return problem === undefined
      ? {
          verdict: 'XPASS',
          detail: `passes although marked as an expected difference (${difference.deviation}): remove the mark`,
        }
      : { verdict: 'xfail', detail: `${difference.reason} (${difference.deviation})` };
  }
  return problem === undefined
    ? { verdict: 'pass', detail: undefined }
    : { verdict: 'FAIL', detail: problem };
}

function report(
  scenarios: LoadedScenario[],
  columns: Column[],
  cells: Map<string, Cell>,
  options: Options,
): number {
  const headers = [
    'scenario',
    ...columns.map((column) => `${column.driver.name} ${column.profile}`),
  ];
  const rows = scenarios.map(({ scenario }) => [
    scenario.name,
    ...columns.map((column) => cells.get(cellKey(scenario.name, column))?.verdict ?? '?'),
  ]);
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cellsOfRow: string[]): string =>
    cellsOfRow
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  const out: string[] = [line(headers), line(widths.map((width) => '-'.repeat(width)))];
  for (const row of rows) out.push(line(row));

  const counts = { pass: 0, FAIL: 0, skip: 0, xfail: 0, XPASS: 0 };
  const details: string[] = [];
  for (const { scenario } of scenarios) {
    for (const column of columns) {
      const cell = cells.get(cellKey(scenario.name, column));
      if (cell === undefined) continue;
      counts[cell.verdict] += 1;
      if (cell.detail !== undefined && (cell.verdict !== 'skip' || options.verbose)) {
        details.push(
          `[${cell.verdict}] ${scenario.name} on ${column.driver.name} ${column.profile}: ${cell.detail}`,
        );
      }
    }
  }
  if (details.length > 0) out.push('', ...details);
  const failed = counts.FAIL + counts.XPASS;
  out.push('');
  if (counts.xfail > 0)
    out.push(`${counts.xfail} documented expected difference(s) (xfail) are counted as skipped`);
  out.push(`${counts.pass} passed, ${failed} failed, ${counts.skip + counts.xfail} skipped`);
  process.stdout.write(`${out.join('\n')}\n`);
  return failed === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const scenarios = loadScenarios(options.filter);
  if (scenarios.length === 0) throw new Error('no scenario matches');
  if (options.record || options.checkRecorded) return record(scenarios, options);
  return test(scenarios, options);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `uvts-conformance: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
