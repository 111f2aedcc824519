/**
 * The implementations the runner knows, and how to run one driver.
 *
 * A driver is any program that takes `--profile P SCENARIO.json` and prints
 * the scenario's trace (docs/conformance.md, "Driver protocol").
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Profile } from './scenario.js';

/** Exit code with which a driver says it cannot run a scenario. */
export const EXIT_SKIP = 77;

/** One implementation under test. */
export interface DriverSpec {
  name: string;
  /** Program and leading arguments; the runner appends --profile and the file. */
  command: string[];
  /** Profiles this implementation can be compared against. */
  profiles: Profile[];
}

/** What one driver run produced. */
export interface DriverResult {
  status: 'ok' | 'skip' | 'error' | 'timeout';
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** The folder that holds `conformance/`'s parent, i.e. the repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The uvts driver runs under the same Node and loader flags as the runner,
 * which is how it finds the TypeScript sources (`--import tsx`, passed as a
 * bare name by `npm run conformance` or as an absolute URL by the bin).
 */
export function uvtsDriver(): DriverSpec {
  return {
    name: 'uvts',
    command: [
      process.execPath,
      ...process.execArgv,
      fileURLToPath(new URL('../drivers/uvts/main.ts', import.meta.url)),
    ],
    profiles: ['1.44', '1.52'],
  };
}

/** The Lua interpreter to use for luv; overridable for other installs. */
export function luaProgram(): string {
  return process.env['UVTS_CONFORMANCE_LUA'] ?? 'lua5.4';
}

/** Real libuv 1.44.2 through luv: it can only be compared against 1.44. */
export function luvDriver(): DriverSpec {
  return {
    name: 'luv',
    command: [luaProgram(), fileURLToPath(new URL('../drivers/luv.lua', import.meta.url))],
    profiles: ['1.44'],
  };
}

/**
 * Checks that lua5.4 and luv are installed and reports the libuv version
 * luv links, or explains what is missing.
 */
export function probeLuv(): { ok: true; version: string } | { ok: false; reason: string } {
  const result = spawnSync(luaProgram(), ['-e', 'io.write(require("luv").version_string())'], {
    encoding: 'utf8',
  });
  if (result.error !== undefined) {
    return { ok: false, reason: `${luaProgram()} is not installed (${result.error.message})` };
  }
  if (result.status !== 0) {
    return {
      ok: false,
      reason: `luv is not installed: ${result.stderr.trim().split('\n')[0] ?? ''}`,
    };
  }
  return { ok: true, version: result.stdout.trim() };
}

/**
 * Parses `NAME@P1,P2=COMMAND ARGS`, the form of `--driver` for third-party
 * implementations (for example `pyuv@1.44=python3 drivers/pyuv_driver.py`).
 */
export function parseDriverOption(text: string): DriverSpec {
  const match = /^([A-Za-z0-9_.-]+)@([0-9.,]+)=(.+)$/.exec(text);
  if (match === null) throw new Error(`--driver expects NAME@PROFILES=COMMAND, got: ${text}`);
  const [, name, profileList, command] = match as unknown as [string, string, string, string];
  const profiles = profileList.split(',').map((profile) => {
    if (profile !== '1.44' && profile !== '1.52') throw new Error(`unknown profile ${profile}`);
    return profile;
  });
  return { name, command: command.trim().split(/\s+/), profiles };
}

/** Runs one driver on one scenario, killing it after `timeoutMs`. */
export function runDriver(
  driver: DriverSpec,
  profile: Profile,
  scenarioFile: string,
  timeoutMs: number,
): Promise<DriverResult> {
  const [program, ...leading] = driver.command;
  if (program === undefined) throw new Error(`driver ${driver.name} has no command`);
  return new Promise((resolve) => {
    const child = spawn(program, [...leading, '--profile', profile, scenarioFile], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: 'error', stdout, stderr: `${stderr}${error.message}`, exitCode: null });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let status: DriverResult['status'] = 'error';
      if (timedOut) status = 'timeout';
      else if (code === 0) status = 'ok';
      else if (code === EXIT_SKIP) status = 'skip';
      resolve({ status, stdout, stderr, exitCode: code });
    });
  });
}
