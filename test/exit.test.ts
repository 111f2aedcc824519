/**
 * Process lifetime follows the loop (docs/architecture.md, "Process lifetime follows the loop"): a program whose
 * loop holds only unref'd handles exits by itself, and a ref'd timer keeps
 * the process alive exactly until it fires. Each case runs a real child
 * `node --import tsx test/fixtures/<file>.ts`; the bound is generous (the
 * child is killed and the test fails if it has not exited in 20 s).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXIT_BOUND_MS = 20_000;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(fixture: string): Promise<ChildResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `test/fixtures/${fixture}`],
      { cwd: ROOT, timeout: EXIT_BOUND_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; signal?: unknown }) | null;
        resolve({
          code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          signal: (failure?.signal as NodeJS.Signals | undefined) ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

test('a loop with only unref handles lets the process exit', async () => {
  const child = await runChild('exit-unref.ts');
  assert.equal(child.signal, null, `killed after ${EXIT_BOUND_MS} ms: it did not exit`);
  assert.equal(child.code, 0, child.stderr);
  // No callback ran: the loop was not alive, so run() returned at once.
  assert.deepEqual(child.stdout.trim().split('\n'), ['run returned false']);
});

test('a ref timer keeps the process alive until it fires, then it exits', async () => {
  const child = await runChild('exit-ref-timer.ts');
  assert.equal(child.signal, null, `killed after ${EXIT_BOUND_MS} ms: it did not exit`);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(child.stdout.trim().split('\n'), [
    'timer fired after at least 45 ms',
    'run returned false',
  ]);
});

test('a poll timer left armed by a dead loop does not hold the process', async () => {
  const child = await runChild('exit-after-long-wait.ts');
  assert.equal(child.signal, null, `killed after ${EXIT_BOUND_MS} ms: it did not exit`);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(child.stdout.trim().split('\n'), ['async fired', 'run returned false']);
});

test('a poll timer reused by the next run holds the process again', async () => {
  const child = await runChild('exit-reused-poll-timer.ts');
  assert.equal(child.signal, null, `killed after ${EXIT_BOUND_MS} ms: it did not exit`);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(child.stdout.trim().split('\n'), [
    'async fired',
    'once returned true',
    'timer fired',
    'run returned false',
  ]);
});

test('pool workers never keep the process alive: it exits once its work is done', async () => {
  const child = await runChild('exit-after-work.ts');
  assert.equal(child.signal, null, `killed after ${EXIT_BOUND_MS} ms: it did not exit`);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(child.stdout.trim().split('\n').sort(), [
    'lookup 3',
    'run returned false',
    'work 42',
  ]);
});

test('loop_instant_close: a loop whose work request never ran does not hold or break the exit', async () => {
  const child = await runChild('exit-instant-close.ts');
  assert.equal(child.signal, null, `killed after ${EXIT_BOUND_MS} ms: it did not exit`);
  assert.equal(child.code, 0, child.stderr);
  assert.deepEqual(child.stdout.trim().split('\n'), [
    'alive true',
    'default loop closed',
    'exit 0',
  ]);
});
