// libuv's test-stdio-over-pipes.c (stdio_over_pipes, stdio_emulate_iocp)
// and the tests of test-spawn.c that need a process of their own
// (spawn_closed_process_io, spawn_setuid_fails, spawn_setgid_fails),
// ported with libuv's names; the rest of test-spawn.c is in
// process.test.ts. The uvts children are
// test/fixtures/spawn-child.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

import { Loop, Pipe, Process, StdIO } from '../src/index.js';
import { repoPath, ROOT } from './fixtures/child-util.js';
import { teardown } from './helpers.js';

const CHILD = [process.execPath, '--import', 'tsx', repoPath('test/fixtures/spawn-child.ts')];
/** The unprivileged user libuv's tests switch to. */
const NOBODY = 65534;

/** Runs the fixture in `mode` to its end, synchronously; its stdout. */
function runChild(mode: string, asNobody = false): string {
  const [file, ...args] = CHILD as [string, ...string[]];
  const result = spawnSync(file, [...args, mode], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    encoding: 'utf8',
    ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  assert.deepEqual({ status: result.status, signal: result.signal }, { status: 0, signal: null });
  return result.stdout;
}

describe('spawn: stdio over pipes, closed stdin, privileges', () => {
  for (const [name, overlapped] of [
    ['stdio_over_pipes', 0],
    ['stdio_emulate_iocp', StdIO.OVERLAPPED_PIPE],
  ] as const) {
    it(`${name}: seven ordered pieces on two pipes of one fd, each echoed back`, async () => {
      const loop = new Loop();
      const input = new Pipe(loop);
      const out = new Pipe(loop);
      const events: string[] = [];
      let output = Buffer.alloc(0);
      let reads = 0;
      let writes = 0;
      let closes = 0;
      const closed = (): void => void closes++;
      Process.spawn(loop, {
        args: [...CHILD, 'stdio-over-pipes'],
        stdio: [
          new StdIO({
            stream: input,
            flags: StdIO.CREATE_PIPE | StdIO.READABLE_PIPE | overlapped,
          }),
          new StdIO({
            stream: out,
            flags: StdIO.CREATE_PIPE | StdIO.WRITABLE_PIPE | overlapped,
          }),
          new StdIO({ fd: 2, flags: StdIO.INHERIT_FD }),
        ],
        exitCallback: (handle, status, signal) => {
          events.push(`exit ${status} ${signal}`);
          handle.close(closed);
          input.close(closed);
          out.close(closed);
        },
      });
      out.startRead((_pipe, data, error) => {
        reads++;
        if (data === null) {
          events.push(`read ${error?.code}`);
          return;
        }
        output = Buffer.concat([output, data]);
        if (output.length % 12 === 0) {
          assert.equal(output.subarray(0, 12).toString(), 'hello world\n');
          input.write(output.subarray(0, 12), (_handle, writeError) => {
            assert.equal(writeError, null);
            writes++;
          });
        }
      });
      await loop.run();
      assert.ok(reads > 1);
      assert.equal(writes, 2);
      assert.equal(closes, 3);
      assert.equal(output.toString(), 'hello world\nhello world\n');
      assert.deepEqual(
        events.filter((event) => event.startsWith('exit')),
        ['exit 0 0'],
      );
      await teardown(loop);
    });
  }

  it('spawn_closed_process_io: a parent without fd 0 spawns with a stdin pipe and writes to it', () => {
    assert.equal(runChild('closed-stdin'), 'exit 1 0, write 0, closes 2\n');
  });

  it('spawn_setuid_fails and spawn_setgid_fails: EPERM at once for a user that may not switch', () => {
    // libuv's tests drop root to nobody first; here the check runs in a
    // child that is nobody when the tests run as root.
    assert.equal(
      runChild('setuid-fails', process.getuid?.() === 0),
      'setuid EPERM\nsetgid EPERM\nalive false\n',
    );
  });
});
