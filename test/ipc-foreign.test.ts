// An IPC pipe and a process that is not its peer: real libuv (luv,
// test/fixtures/ipc-foreign-peer.lua) sends a descriptor with uv_write2
// over a Unix socket a uvts IPC pipe connected to. uvts takes handles only
// from the uvts process at the other end of its own channel
// (docs/deviations.md, I1), so none is ever pending here, and no
// descriptor is left behind in this process. Skipped without lua5.4 and
// luv (CI installs both).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Loop, Pipe, Process, StdIO, TCP } from '../src/index.js';
import type { Profile } from '../src/index.js';
import { repoPath } from './fixtures/child-util.js';
import { errorCode, suiteTempDir, teardown } from './helpers.js';

const luvMissing =
  spawnSync('lua5.4', ['-e', 'require("luv")'], { stdio: 'ignore' }).status !== 0 &&
  'lua5.4 with luv is not installed';

/** The descriptors this process holds now. */
const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

/**
 * Starts the luv peer listening at `socketPath` in `mode` ('wait' or
 * 'close'); `onListening` runs once it listens. The peer's exit callback
 * records its status in `exits`.
 */
function startPeer(
  loop: Loop,
  socketPath: string,
  mode: 'wait' | 'close',
  exits: number[],
  onListening: () => void,
): void {
  const out = new Pipe(loop);
  Process.spawn(loop, {
    args: ['lua5.4', repoPath('test/fixtures/ipc-foreign-peer.lua'), socketPath, mode],
    stdio: [
      null,
      new StdIO({ stream: out, flags: StdIO.CREATE_PIPE | StdIO.WRITABLE_PIPE }),
      new StdIO({ fd: 2, flags: StdIO.INHERIT_FD }),
    ],
    exitCallback: (handle, status, signal) => {
      exits.push(status, signal);
      handle.close();
    },
  });
  out.startRead((pipe, data) => {
    if (data === null) pipe.close();
    else if (data.toString() === 'listening\n') onListening();
  });
}

describe('ipc: a process that is not the peer', { skip: luvMissing }, () => {
  const temp = suiteTempDir('ipc-foreign');

  it('security: bytes arrive, a descriptor sent with SCM_RIGHTS never becomes a pending handle', async () => {
    const loop = new Loop();
    const socketPath = temp.path('wait.sock');
    const descriptorsBefore = openDescriptors();
    const exits: number[] = [];
    const seen: string[] = [];
    let text = '';
    const ipc = new Pipe(loop, true);
    startPeer(loop, socketPath, 'wait', exits, () => {
      ipc.connect(socketPath, (pipe, error) => {
        assert.equal(error, null);
        pipe.startRead((reader, data, readError) => {
          if (data === null) {
            seen.push(`read ${readError?.code}`);
            reader.close();
            return;
          }
          text += data.toString();
          seen.push(`pending ${reader.pendingCount} ${reader.pendingType}`);
          assert.equal(
            errorCode(() => reader.accept(new TCP(loop))),
            'EAGAIN',
          );
          // Not uvts's channel: it cannot send handles either (I1).
          const server = new TCP(loop);
          server.bind('127.0.0.1', 0);
          server.listen(() => undefined);
          assert.equal(
            errorCode(() => reader.write2('x', server)),
            'ENOTSUP',
          );
          server.close();
          if (text === 'handle\nbye\n') reader.shutdown();
        });
      });
    });
    await loop.run();
    assert.equal(text, 'handle\nbye\n');
    assert.ok(seen.every((line) => line === 'pending 0 unknown' || line === 'read EOF'));
    assert.equal(seen.at(-1), 'read EOF');
    assert.deepEqual(exits, [0, 0]);
    // The closed TCP handles made to try accept() are gone too: nothing stayed open.
    await teardown(loop);
    assert.equal(openDescriptors(), descriptorsBefore);
  });

  for (const profile of ['1.44', '1.52'] as Profile[]) {
    it(`deviation N9 (${profile}): bytes after a descriptor are lost when the peer hung up before they are read (as in 1.44.2; 1.52.1 reads them)`, async () => {
      // The peer writes both lines and closes; this side starts reading
      // only after the peer has exited. The first read stops where the
      // descriptor was attached (a short read) and the socket is hung up:
      // Node's libuv ends the stream there, as libuv 1.44.2 does (luv
      // loses "bye\n" too); libuv 1.52.1 reads on and delivers it.
      const loop = new Loop({ libuv: profile });
      const socketPath = temp.path(`close-${profile}.sock`);
      const exits: number[] = [];
      const seen: string[] = [];
      const ipc = new Pipe(loop, true);
      startPeer(loop, socketPath, 'close', exits, () => {
        ipc.connect(socketPath, (_pipe, error) => assert.equal(error, null));
      });
      while (exits.length === 0) await loop.run('once');
      ipc.startRead((reader, data, readError) => {
        seen.push(data === null ? `read ${readError?.code}` : JSON.stringify(data.toString()));
        if (data === null) reader.close();
      });
      await loop.run();
      assert.deepEqual(seen, ['"handle\\n"', 'read EOF']);
      assert.deepEqual(exits, [0, 0]);
      await teardown(loop);
    });
  }
});
