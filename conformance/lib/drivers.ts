/**
 * The implementations the runner knows, and how to run one driver.
 *
 * A driver is any program that takes `--profile P SCENARIO.json` and prints
 * the scenario's trace (docs/conformance.md, "Driver protocol").
 *
 * Real libuv is reached through luv, one build per profile: the system's
 * luv (Debian's lua-luv links libuv 1.44.2) and any luv build named by
 * `UVTS_LUV_1_52` / `--luv152 DIR` (a folder holding a `luv.so`, put first
 * on Lua's C path). A build's profile is the major.minor of the libuv it
 * reports, so a folder that holds the wrong build is refused, never used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { codePath, conformancePath, PACKAGE_ROOT } from './paths.js';
import { PROFILES, type Profile } from './scenario.js';

/** Exit code with which a driver says it cannot run a scenario. */
export const EXIT_SKIP = 77;

/** One implementation under test. */
export interface DriverSpec {
  name: string;
  /** Program and leading arguments; the runner appends --profile and the file. */
  command: string[];
  /** Profiles this implementation can be compared against. */
  profiles: Profile[];
  /** Variables added to the driver's environment. */
  env?: Record<string, string>;
}

/** What one driver run produced. */
export interface DriverResult {
  status: 'ok' | 'skip' | 'error' | 'timeout';
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/**
 * The uvts driver runs under the same Node and loader flags as the runner.
 * From a checkout that is how it finds the TypeScript sources (`--import
 * tsx`, passed as a bare name by `npm run conformance` or as an absolute
 * URL by the bin); compiled, it needs no flags and imports the package's
 * own `dist/`.
 */
export function uvtsDriver(): DriverSpec {
  return {
    name: 'uvts',
    command: [process.execPath, ...process.execArgv, codePath('drivers/uvts/main')],
    profiles: ['1.44', '1.52'],
  };
}

/** The Lua interpreter to use for luv; overridable for other installs. */
export function luaProgram(): string {
  return process.env['UVTS_CONFORMANCE_LUA'] ?? 'lua5.4';
}

/** A luv build: the libuv it links and where it is. */
export interface LuvBuild {
  profile: Profile;
  /** The libuv version it reports, e.g. `1.52.1`. */
  version: string;
  /** The folder holding its `luv.so`, or undefined for the system's luv. */
  dir: string | undefined;
}

/** The environment variable that names the luv build of a profile: `UVTS_LUV_1_52`. */
export function luvBuildVariable(profile: Profile): string {
  return `UVTS_LUV_${profile.replace('.', '_')}`;
}

/** The environment that makes `require('luv')` load the build in `dir`. */
function luvEnvironment(dir: string | undefined): Record<string, string> {
  if (dir === undefined) return {};
  // Lua replaces ';;' with its default path: the build first, then the rest.
  return { LUA_CPATH: `${dir}/?.so;${process.env['LUA_CPATH'] ?? ';'}` };
}

/**
 * The command that starts the Lua interpreter with SIGPIPE ignored, as
 * libuv's own test runner ignores it (test/runner-unix.c) and every libuv
 * program that writes to sockets must: otherwise a write to a peer that is
 * gone kills the driver instead of failing with EPIPE. Node's spawn resets
 * every signal to its default in the child; an ignored signal survives
 * `exec`, so a shell ignores it and then becomes the interpreter.
 */
function luaIgnoringSigpipe(): string[] {
  return ['/bin/sh', '-c', 'trap "" PIPE; exec "$0" "$@"', luaProgram()];
}

/** Real libuv through one luv build: it can only be compared against its profile. */
export function luvDriver(build: LuvBuild): DriverSpec {
  return {
    name: 'luv',
    command: [...luaIgnoringSigpipe(), conformancePath('drivers/luv.lua')],
    profiles: [build.profile],
    env: luvEnvironment(build.dir),
  };
}

/** What looking for a luv build found: the build, or why there is none. */
export type LuvProbe = { ok: true; build: LuvBuild } | { ok: false; reason: string };

/**
 * Asks the luv driver which libuv the build in `dir` (the system's luv
 * without one) links: `lua5.4 luv.lua --version` prints `libuv X.Y.Z`.
 */
export function probeLuv(dir: string | undefined): LuvProbe {
  const where = dir === undefined ? 'the system luv' : `the luv build in ${dir}`;
  // Lua would fall back to the system's luv: the folder must hold the build.
  if (dir !== undefined && !existsSync(join(dir, 'luv.so'))) {
    return { ok: false, reason: `${dir} holds no luv.so` };
  }
  const result = spawnSync(luaProgram(), [conformancePath('drivers/luv.lua'), '--version'], {
    encoding: 'utf8',
    env: { ...process.env, ...luvEnvironment(dir) },
  });
  if (result.error !== undefined) {
    return { ok: false, reason: `${luaProgram()} is not installed (${result.error.message})` };
  }
  const version = /^libuv (\d+)\.(\d+)\.\d+/.exec(result.stdout);
  if (result.status !== 0 || version === null) {
    const detail = result.stderr.trim().split('\n')[0] ?? '';
    return { ok: false, reason: `${where} cannot be loaded: ${detail}` };
  }
  const profile = `${version[1]}.${version[2]}`;
  if (!(PROFILES as readonly string[]).includes(profile)) {
    return { ok: false, reason: `${where} links libuv ${version[0]}, which is no profile` };
  }
  return {
    ok: true,
    build: { profile: profile as Profile, version: version[0].slice('libuv '.length), dir },
  };
}

/**
 * Finds the luv build of each profile: the folder named for it (option,
 * else `UVTS_LUV_<major>_<minor>`), else the system's luv if that links
 * this profile's libuv.
 */
export function findLuvBuilds(dirs: Partial<Record<Profile, string>>): Map<Profile, LuvProbe> {
  const found = new Map<Profile, LuvProbe>();
  let system: LuvProbe | undefined;
  for (const profile of PROFILES) {
    const dir = dirs[profile] ?? process.env[luvBuildVariable(profile)];
    let probe: LuvProbe;
    if (dir !== undefined && dir !== '') {
      probe = probeLuv(dir);
      if (probe.ok && probe.build.profile !== profile) {
        probe = {
          ok: false,
          reason: `the luv build in ${dir} links libuv ${probe.build.version}, not ${profile}`,
        };
      }
    } else {
      system ??= probeLuv(undefined);
      if (system.ok && system.build.profile !== profile) {
        probe = { ok: false, reason: `the system luv links libuv ${system.build.version}` };
      } else {
        probe = system;
      }
    }
    found.set(profile, probe);
  }
  return found;
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
      cwd: PACKAGE_ROOT,
      env: { ...process.env, ...driver.env },
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
