/**
 * Helpers for the TCP tests: the echo-server process (libuv's
 * `tcp4_echo_server` / `tcp6_echo_server`, see fixtures/echo-server.ts),
 * free ports, and small assertions on `UVError`s.
 *
 * Every echo server listens on a port the kernel picked (libuv's helpers use
 * the fixed TEST_PORT 9123; a fixed port would make test files collide), and
 * reports it on its ready line.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TCP, UVError, type Loop } from '../src/index.js';

const ECHO_SERVER = fileURLToPath(new URL('./fixtures/echo-server.ts', import.meta.url));

/** A running echo-server process. */
export interface EchoServer {
  /** Its IPv4 port on 127.0.0.1. */
  readonly port: number;
  /** Its IPv6 port on [::1], when started with `ipv6: true`. */
  readonly port6: number | null;
  /** The child process. */
  readonly child: ChildProcess;
  /** Stops the process (if it has not exited by itself) and waits for it. */
  stop(): Promise<void>;
}

/** Options for {@link startEchoServer}. */
export interface EchoServerOptions {
  /** Also listen on [::1]. */
  readonly ipv6?: boolean;
  /** How long to wait for the ready line before failing (a safety net only). */
  readonly timeoutMs?: number;
}

/**
 * Spawns the echo server as a separate Node process and resolves once it
 * listens. The server exits by itself after `Q` once its connections are
 * closed; `stop()` kills it otherwise.
 */
export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const args = ['--import', 'tsx', ECHO_SERVER, '0'];
  if (options.ipv6 === true) args.push('--ipv6');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  try {
    const ready = await new Promise<{ port: number; port6: number | null }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('echo server did not start in time')),
        options.timeoutMs ?? 20_000,
      );
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`echo server exited early (code ${code}, signal ${signal})`));
      });
      lines.once('line', (line: string) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number; port6: number | null });
      });
    });
    return { port: ready.port, port6: ready.port6, child, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    lines.close();
  }
}

/**
 * A port on `host` that nothing listens on: the kernel picks a free one,
 * and it is released again at once. (Another process could take it in
 * between; on a test machine that does not happen in practice.)
 */
export async function unusedPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/** True if [::1] can be listened on here (libuv's `can_ipv6()`). */
export async function canIpv6(): Promise<boolean> {
  try {
    await unusedPort('::1');
    return true;
  } catch {
    return false;
  }
}

/** Asserts that `fn` throws a `UVError` with `code` (and optionally of class `type`). */
export function throwsUV(fn: () => unknown, code: string, type?: abstract new () => Error): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UVError, `expected a UVError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (type !== undefined) assert.ok(error instanceof type, `expected ${type.name}`);
    return true;
  });
}

/** Asserts that a callback's error argument is a `UVError` with `code`. */
export function isUV(error: UVError | null, code: string): void {
  assert.ok(error instanceof UVError, `expected ${code}, got ${String(error)}`);
  assert.equal(error.code, code);
}

/**
 * A deterministic test pattern: `size` bytes derived from `seed`. It never
 * contains `Q` (0x51), which the echo server treats as a command.
 */
export function pattern(size: number, seed: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap, and any lost or reordered byte changes the checksum.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const byte = state & 0xff;
    buffer[i] = byte === 0x51 ? 0x52 : byte;
  }
  return buffer;
}

/**
 * Node socket resources still alive (ref'd TCP handles, or socket requests
 * such as a shutdown in flight), after giving Node up to `waitMs` to finish
 * closing. uvts unrefs its Node objects, so a leak shows up here as a
 * request that never completes — one that would keep the process alive.
 */
export async function leakedNodeSockets(waitMs = 2000): Promise<string[]> {
  const socketish = (): string[] =>
    process.getActiveResourcesInfo().filter((name) => /TCP|Shutdown|WriteWrap|Connect/.test(name));
  const deadline = Date.now() + waitMs;
  while (socketish().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return socketish();
}

const UVTS_ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/**
 * Runs `code` (an ES module body; `uvts` is the uvts module, already
 * imported) in a fresh Node process and resolves with its exit code once it
 * exits, or `null` if it was still running after `timeoutMs` (then it is
 * killed). For checks that a scenario lets the process exit.
 */
export async function exitCodeOf(code: string, timeoutMs = 10_000): Promise<number | null> {
  const body = `const uvts = await import(process.argv[1]);\n${code}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', body, UVTS_ENTRY],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, timeoutMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
}

/** Per-test safety net for node:test: generous, only so a hang fails instead of stalling. */
export const SAFETY_TIMEOUT = { timeout: 30_000 };

/** A connected pair on one loop: `onPair(client, accepted)` runs once both ends exist. */
export function connectedPair(loop: Loop, onPair: (client: TCP, accepted: TCP) => void): void {
  const server = new TCP(loop);
  server.bind('127.0.0.1', 0);
  let client: TCP | null = null;
  let accepted: TCP | null = null;
  const ready = (): void => {
    if (client !== null && accepted !== null) onPair(client, accepted);
  };
  server.listen((s) => {
    const peer = new TCP(loop);
    s.accept(peer);
    s.close();
    accepted = peer;
    ready();
  }, 8);
  new TCP(loop).connect('127.0.0.1', server.getsockname().port, (c, error) => {
    assert.equal(error, null);
    client = c;
    ready();
  });
}
