// FSPoll: libuv's test-fs-poll.c on a real
// file in a temporary directory, plus the reporting rules of rule 8.29
// that luv 1.44.2 and 1.52.1 show (the conformance scenarios fs_poll_*).
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import { describe, it } from 'node:test';

import { FSPoll, Loop, Timer, fs } from '../src/index.js';
import type { Stat } from '../src/fs/index.js';
import { errorCode as code, suiteTempDir, teardown } from './helpers.js';

function isZero(stat: Stat): boolean {
  return stat.mode === 0 && stat.size === 0 && stat.ino === 0;
}

describe('fs poll', () => {
  const temp = suiteTempDir('fs-poll');

  it('fs_poll', async () => {
    const loop = new Loop();
    const file = temp.path('testfile');
    // The file grows in place: emptying it first (writeFileSync's 'w') would
    // let a poll's stat on a pool thread see it empty between the
    // truncation and the write.
    const touch = (size: number): void => {
      const fd = nodeFs.openSync(file, nodeFs.constants.O_WRONLY | nodeFs.constants.O_CREAT);
      nodeFs.writeSync(fd, '*'.repeat(size), 0);
      nodeFs.closeSync(fd);
    };
    const seen: string[] = [];
    const timer = new Timer(loop);
    const poll = new FSPoll(loop);
    let timerCalls = 0;
    const onTimer = (): void => {
      timerCalls++;
      touch(timerCalls + 1);
    };
    poll.start(
      file,
      (handle, prev, curr, error) => {
        assert.equal(handle.active, true);
        const show = (stat: Stat): string => (isZero(stat) ? 'zero' : String(stat.size));
        seen.push(`${error?.code ?? 0} ${show(prev)} ${show(curr)}`);
        switch (seen.length) {
          case 1:
            touch(1);
            break;
          case 2:
            timer.start(onTimer, 20);
            break;
          case 3:
            timer.start(onTimer, 200);
            break;
          case 4:
            nodeFs.unlinkSync(file);
            break;
          case 5:
            handle.close();
            timer.close();
            break;
        }
      },
      100,
    );
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['ENOENT zero zero', '0 zero 1', '0 1 2', '0 2 3', 'ENOENT 3 zero']);
    assert.equal(timerCalls, 2);
    await teardown(loop);
  });

  it('fs_poll_getpath', async () => {
    const loop = new Loop();
    const poll = new FSPoll(loop);
    assert.equal(
      code(() => poll.getpath()),
      'EINVAL',
    );
    poll.start('testfile', () => assert.fail('no change expected'), 100);
    assert.equal(poll.getpath(), 'testfile');
    // A second start while active changes nothing.
    poll.start('otherfile', () => assert.fail('no change expected'), 100);
    assert.equal(poll.getpath(), 'testfile');
    let closed = 0;
    poll.close(() => closed++);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  it('fs_poll_close_request', async () => {
    const loop = new Loop();
    const poll = new FSPoll(loop);
    poll.start(temp.path('does_not_exist'), () => assert.fail('no callback expected'), 100);
    let closed = 0;
    poll.close(() => closed++);
    // The close waits for the stat in flight, then for the internal timer.
    let runs = 0;
    while (closed === 0) {
      await loop.run('once');
      runs++;
    }
    assert.equal(runs, 2);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  for (const order of ['start_stop', 'stop_start'] as const) {
    it(`fs_poll_close_request_multi_${order}`, async () => {
      const loop = new Loop();
      const poll = new FSPoll(loop);
      const path = temp.path('does_not_exist');
      const start = (): void => poll.start(path, () => assert.fail('no callback expected'), 100);
      if (order === 'stop_start') start();
      for (let i = 0; i < 10; i++) {
        if (order === 'start_stop') {
          start();
          poll.stop();
        } else {
          poll.stop();
          start();
        }
      }
      let closed = 0;
      poll.close(() => closed++);
      while (closed === 0) await loop.run('once');
      assert.equal(closed, 1);
      await teardown(loop);
    });
  }

  it('fs_poll_close_request_stop_when_active', async () => {
    const loop = new Loop();
    const poll = new FSPoll(loop);
    let calls = 0;
    poll.start(temp.path('does_not_exist'), () => calls++, 10);
    assert.equal(await loop.run('once'), true);
    assert.equal(calls, 1);
    poll.stop();
    assert.equal(poll.active, false);
    assert.equal(await loop.run('once'), false);
    let closed = 0;
    poll.close(() => closed++);
    assert.equal(await loop.run('once'), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  it('rule 8.29: errors call back when they change; a success after one always', async () => {
    const loop = new Loop();
    const dir = temp.path('f');
    const target = temp.path('f', 'x');
    const seen: string[] = [];
    const timer = new Timer(loop);
    let step = 0;
    const poll = new FSPoll(loop);
    poll.start(
      target,
      (handle, prev, curr, error) => {
        seen.push(
          `${error?.code ?? 0} prev=${isZero(prev) ? 'zero' : prev.size} curr=${isZero(curr) ? 'zero' : curr.size}`,
        );
        if (seen.length === 1) timer.start(advance, 100);
        if (seen.length === 4) {
          handle.close();
          timer.close();
        }
      },
      30,
    );
    function advance(): void {
      step++;
      if (step === 1) nodeFs.writeFileSync(dir, '');
      if (step === 2) {
        nodeFs.unlinkSync(dir);
        nodeFs.mkdirSync(dir);
      }
      if (step === 3) {
        // Written beside and renamed into place, so that no poll sees it
        // created but still empty.
        nodeFs.writeFileSync(`${target}.new`, '1234');
        nodeFs.renameSync(`${target}.new`, target);
      } else timer.start(advance, 200);
    }
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, [
      'ENOENT prev=zero curr=zero',
      'ENOTDIR prev=zero curr=zero',
      'ENOENT prev=zero curr=zero',
      '0 prev=zero curr=4',
    ]);
    await teardown(loop);
  });

  it('rule 8.29: an unchanged stat is silent; a chmod calls back with both stats', async () => {
    const loop = new Loop();
    const file = temp.path('steady');
    nodeFs.writeFileSync(file, '12345');
    const seen: [Stat, Stat][] = [];
    const timer = new Timer(loop);
    const poll = new FSPoll(loop);
    let ticks = 0;
    timer.start(
      () => {
        ticks++;
        if (ticks === 1) nodeFs.readFileSync(file);
        else fs.chmod(loop, file, 0o600);
      },
      100,
      200,
    );
    poll.start(
      file,
      (handle, prev, curr) => {
        seen.push([prev, curr]);
        handle.stop();
        assert.equal(handle.active, false);
        handle.close();
        timer.close();
      },
      20,
    );
    assert.equal(await loop.run(), false);
    assert.equal(ticks, 2);
    assert.equal(seen.length, 1);
    const [prev, curr] = seen[0] as [Stat, Stat];
    assert.equal(prev.mode & 0o777, 0o644);
    assert.equal(curr.mode & 0o777, 0o600);
    await teardown(loop);
  });

  it('the stat in flight keeps the loop alive; the internal timer does not', async () => {
    const loop = new Loop();
    const poll = new FSPoll(loop);
    poll.start(temp.path('nothing'), () => {}, 1000);
    poll.unref();
    // The first stat is an active request: the run waits for it.
    assert.equal(loop.alive, true);
    assert.equal(await loop.run(), false);
    // Now only the unref'd handle and its internal timer remain.
    assert.equal(loop.alive, false);
    assert.deepEqual(loop.handles, [poll]);
    poll.close();
    await teardown(loop);
  });

  it('bad input: TypeError for wrong types, EINVAL for a negative interval, closed handle', async () => {
    const loop = new Loop();
    const poll = new FSPoll(loop);
    assert.throws(() => poll.start(42 as unknown as string, () => {}, 10), TypeError);
    assert.throws(() => poll.start('x', 'cb' as never, 10), TypeError);
    assert.throws(() => poll.start('x', () => {}, '10' as unknown as number), TypeError);
    assert.equal(
      code(() => poll.start('x', () => {}, -1)),
      'EINVAL',
    );
    assert.equal(poll.active, false);
    poll.close();
    assert.equal(
      code(() => poll.start('x', () => {}, 10)),
      'EINVAL',
    );
    await teardown(loop);
  });
});
