/**
 * Conformance driver for uvts (in-process).
 *
 * Usage: node --import tsx conformance/drivers/uvts/main.ts [--profile 1.44|1.52] SCENARIO.json
 *
 * Prints the scenario's trace on stdout (protocol: docs/conformance.md).
 * Exit codes: 0 trace complete, 77 scenario not supported (first line says
 * why), 2 driver or scenario error (message on stderr).
 */
import { readFileSync } from 'node:fs';
import { Loop } from 'uvts';
import type { Profile, Scenario } from '../../lib/scenario.js';
import { ScenarioInterpreter } from './interpreter.js';
import { UnsupportedScenario } from './scenario-errors.js';
import { ThreadSender } from './thread-pool.js';

const EXIT_SKIP = 77;
const EXIT_ERROR = 2;

function parseArguments(argv: readonly string[]): { file: string; profile: Profile } {
  let file: string | undefined;
  let profile: Profile = '1.52';
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    if (argument === '--profile') {
      const value = argv[i + 1];
      if (value !== '1.44' && value !== '1.52') throw new Error(`unknown profile ${String(value)}`);
      profile = value;
      i += 1;
    } else if (argument !== undefined) {
      file = argument;
    }
  }
  if (file === undefined) throw new Error('usage: main.ts [--profile 1.44|1.52] SCENARIO.json');
  return { file, profile };
}

/** True when any action of the scenario sends from another thread. */
function usesThreads(scenario: Scenario): boolean {
  return JSON.stringify(scenario).includes('"thread":true');
}

/**
 * Writes trace lines synchronously: a line must be out before the next
 * callback runs, so a hang or crash still shows how far the scenario got.
 */
function emit(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const { file, profile } = parseArguments(process.argv.slice(2));
  const scenario = JSON.parse(readFileSync(file, 'utf8')) as Scenario;
  const threads = usesThreads(scenario) ? await ThreadSender.start() : undefined;
  const loop = new Loop({ libuv: profile });
  const interpreter = new ScenarioInterpreter(scenario, loop, emit, threads);
  try {
    await interpreter.runSteps();
  } catch (error) {
    if (error instanceof UnsupportedScenario) {
      emit(`skip: ${error.message} is not supported by the uvts driver`);
      return EXIT_SKIP;
    }
    throw error;
  } finally {
    interpreter.cleanUp();
    await threads?.finish();
  }
  return 0;
}

main().then(
  (code) => {
    // Exit explicitly: handles a scenario left open must not keep the
    // process alive after the trace is complete.
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `uvts driver: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_ERROR);
  },
);
