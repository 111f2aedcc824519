/**
 * Fault suite, continued: throwing tracers and callbacks on the handles and
 * requests that complete through the loop's other queues — UDP sends and
 * receives, thread-pool work, file-system requests, a child's exit and a
 * signal. As in throwing.test.ts, what each event announced still happens,
 * every request is called back exactly once, `run()` returns (rejecting
 * under the default excepthook) and `loop.close()` works.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, test } from 'node:test';
import type { Loop } from '../../src/index.js';
import { fs, Process, Signal, UDP } from '../../src/index.js';
import { queueWork } from '../../src/work/index.js';
import { PROFILES } from '../helpers.js';
import { SAFETY_TIMEOUT } from '../stream-helpers.js';
import { callbacksThrowingRun, quietRun, tracerThrowingRun } from './throwing-harness.js';

const JOBS = new URL('../fixtures/work-jobs.mjs', import.meta.url);
const DATAGRAMS = 8;

/**
 * Starts one of each: eight datagrams sent to a receiver that closes after
 * the last, a pool job, two fs requests, a child that exits with status 3,
 * and a oneshot SIGUSR2 raised at this process once the child has exited.
 * Every callback does its work first, then records itself with `note`,
 * which throws when `throwing`.
 */
function everyRequest(loop: Loop, throwing: boolean): string[] {
  const log: string[] = [];
  const note = (entry: string): void => {
    log.push(entry);
    if (throwing) throw new Error(`thrown after ${entry}`);
  };
  const receiver = new UDP(loop);
  const sender = new UDP(loop);
  receiver.bind('127.0.0.1', 0);
  const port = receiver.getsockname().port;
  let received = 0;
  receiver.startRecv((handle, _address, _flags, data, error) => {
    if (data === null) return;
    if (++received === DATAGRAMS) handle.close(() => note('close receiver'));
    note(`recv ${data.toString()} ${error?.code ?? 'ok'}`);
  });
  let sent = 0;
  for (let index = 0; index < DATAGRAMS; index++) {
    sender.send('127.0.0.1', port, `d${index}`, (handle, error) => {
      if (++sent === DATAGRAMS) handle.close(() => note('close sender'));
      note(`send ${index} ${error?.code ?? 'ok'}`);
    });
  }
  queueWork(
    loop,
    { module: JOBS, name: 'double' },
    (_request, result, error) => note(`work ${String(result)} ${error === null ? 'ok' : 'error'}`),
    { args: [21] },
  );
  fs.stat(loop, tmpdir(), (_request, result, error) =>
    note(`stat ${((result?.mode ?? 0) & 0o170000) === 0o040000} ${error?.code ?? 'ok'}`),
  );
  fs.stat(loop, `${tmpdir()}/uvts-no-such-file-anywhere`, (_request, _result, error) =>
    note(`stat missing ${error?.code ?? 'ok'}`),
  );
  const signal = new Signal(loop);
  Process.spawn(loop, {
    args: [process.execPath, '-e', 'process.exit(3)'],
    exitCallback: (handle, status) => {
      handle.close(() => note('close child'));
      signal.startOneshot((s, signum) => {
        s.close(() => note('close signal'));
        note(`signal ${signum}`);
      }, 'SIGUSR2');
      process.kill(process.pid, 'SIGUSR2');
      note(`exit ${status}`);
    },
  });
  return log;
}

/** What ran, independent of how the runs were cut. */
const sorted = (log: string[]): string[] => [...log].sort();

describe('faults: throwing tracers and callbacks on requests', () => {
  for (const profile of PROFILES) {
    test(
      `a tracer that throws at every event: every request called back once (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const expected = await quietRun(profile, everyRequest);
        assert.equal(expected.length, 2 * DATAGRAMS + 9);
        for (const entry of ['stat true ok', 'stat missing ENOENT', 'work 42 ok', 'exit 3'])
          assert.ok(expected.includes(entry), entry);
        const log = await tracerThrowingRun(profile, everyRequest);
        assert.deepEqual(sorted(log), sorted(expected));
      },
    );

    test(
      `callbacks that throw on every request: the default hook stops each run, nothing is lost (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const expected = await quietRun(profile, everyRequest);
        const { result: log, errors } = await callbacksThrowingRun(profile, everyRequest);
        // Each callback's own error, none lost, none twice.
        assert.deepEqual(
          errors.map((error) => (error as Error).message).sort(),
          log.map((entry) => `thrown after ${entry}`).sort(),
        );
        assert.deepEqual(sorted(log), sorted(expected));
      },
    );
  }
});
