// FSEvent: libuv's test-fs-event.c on real files in a
// temporary directory, and the flags luv 1.44.2 and 1.52.1 report for each
// kind of change (the conformance scenario fs_event_dir_flags), including
// RENAME|CHANGE for an attribute change of a directory (deviation F7).
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { FSEvent, Loop, Timer, sleep } from '../src/index.js';
import { errorCode as code, suiteTempDir, teardown } from './helpers.js';

const RENAME = FSEvent.RENAME;
const CHANGE = FSEvent.CHANGE;

function names(events: number): string {
  const parts: string[] = [];
  if (events & RENAME) parts.push('rename');
  if (events & CHANGE) parts.push('change');
  return parts.join('|');
}

describe('fs event', () => {
  const temp = suiteTempDir('fs-event');
  let serial = 0;
  /** A fresh directory for one test. */
  const freshDir = (): string => {
    const dir = temp.path(`watch_dir${++serial}`);
    nodeFs.mkdirSync(dir);
    return dir;
  };
  const touch = (file: string): void => {
    const now = Date.now() / 1000 + serial;
    nodeFs.utimesSync(file, now, now);
  };

  it('fs_event_watch_dir', async () => {
    const loop = new Loop();
    const dir = freshDir();
    const count = 16;
    let created = 0;
    let removed = 0;
    let events = 0;
    const watcher = new FSEvent(loop);
    const timer = new Timer(loop);
    watcher.start(dir, 0, (handle, filename, flags, error) => {
      assert.equal(error, null);
      assert.ok(flags === RENAME || flags === CHANGE);
      assert.ok(filename?.startsWith('fsevent-'), String(filename));
      events++;
      if (events === 2 * count) {
        handle.close();
        timer.close();
      }
    });
    timer.start(
      () => {
        if (created < count) {
          nodeFs.closeSync(nodeFs.openSync(path.join(dir, `fsevent-${created++}`), 'w'));
        } else if (removed < count) {
          nodeFs.unlinkSync(path.join(dir, `fsevent-${removed++}`));
        }
      },
      10,
      10,
    );
    assert.equal(await loop.run(), false);
    assert.equal(events, created + removed);
    await teardown(loop);
  });

  it('fs_event_watch_dir_recursive', { skip: 'macOS and Windows only in libuv too' }, () => {});

  it('fs_event_watch_delete_dir', async () => {
    const loop = new Loop();
    const dir = freshDir();
    const seen: string[] = [];
    const watcher = new FSEvent(loop);
    watcher.start(dir, 0, (handle, filename, flags) => {
      seen.push(`${filename} ${names(flags)} active=${handle.active}`);
      handle.stop();
      handle.close();
    });
    const timer = new Timer(loop);
    timer.start((t) => {
      nodeFs.rmdirSync(dir);
      t.close();
    }, 100);
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, [`${path.basename(dir)} rename active=true`]);
    await teardown(loop);
  });

  it('fs_event_watch_file', async () => {
    const loop = new Loop();
    const dir = freshDir();
    const file1 = path.join(dir, 'file1');
    const file2 = path.join(dir, 'file2');
    nodeFs.writeFileSync(file1, '');
    nodeFs.writeFileSync(file2, '');
    const seen: string[] = [];
    let ticks = 0;
    const watcher = new FSEvent(loop);
    watcher.start(file2, 0, (handle, filename, flags) => {
      seen.push(`${filename} ${names(flags)}`);
      handle.stop();
      handle.close();
    });
    const timer = new Timer(loop);
    timer.start(
      (t) => {
        ticks++;
        if (ticks === 1) touch(file1);
        else {
          touch(file2);
          t.close();
        }
      },
      100,
      100,
    );
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['file2 change']);
    assert.equal(ticks, 2);
    await teardown(loop);
  });

  it('fs_event_watch_file_exact_path', async () => {
    const loop = new Loop();
    const dir = freshDir();
    nodeFs.writeFileSync(path.join(dir, 'file.js'), '');
    nodeFs.writeFileSync(path.join(dir, 'file.jsx'), '');
    const watcher = new FSEvent(loop);
    watcher.start(path.join(dir, 'file.jsx'), 0, () => assert.fail('no event expected'));
    let ticks = 0;
    const timer = new Timer(loop);
    timer.start(
      (t) => {
        ticks++;
        if (ticks === 1) touch(path.join(dir, 'file.js'));
        else {
          watcher.stop();
          watcher.close();
          t.close();
        }
      },
      100,
      100,
    );
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  it('fs_event_watch_file_twice', async () => {
    const loop = new Loop();
    const file = path.join(freshDir(), 'file');
    nodeFs.writeFileSync(file, '');
    const first = new FSEvent(loop);
    const second = new FSEvent(loop);
    first.start(file, 0, () => assert.fail('no event expected'));
    second.start(file, 0, () => assert.fail('no event expected'));
    const timer = new Timer(loop);
    timer.start(() => {
      first.close();
      second.close();
      timer.close();
    }, 10);
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  it('fs_event_watch_file_current_dir', async () => {
    const loop = new Loop();
    const dir = freshDir();
    nodeFs.writeFileSync(path.join(dir, 'watch_file'), '');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const seen: string[] = [];
      const watcher = new FSEvent(loop);
      watcher.start('watch_file', 0, (handle, filename, flags) => {
        seen.push(`${filename} ${names(flags)}`);
        handle.close();
      });
      const timer = new Timer(loop);
      timer.start((t) => {
        touch('watch_file');
        t.close();
      }, 100);
      assert.equal(await loop.run(), false);
      assert.deepEqual(seen, ['watch_file change']);
    } finally {
      process.chdir(cwd);
    }
    await teardown(loop);
  });

  it('fs_event_watch_invalid_path', async () => {
    const loop = new Loop();
    const watcher = new FSEvent(loop);
    for (const bad of ['<:;', '']) {
      assert.equal(
        code(() => watcher.start(bad, 0, () => assert.fail('no event expected'))),
        'ENOENT',
      );
      assert.equal(watcher.active, false);
    }
    await teardown(loop);
  });

  it('fs_event_no_callback_after_close', async () => {
    const loop = new Loop();
    const file = path.join(freshDir(), 'file1');
    nodeFs.writeFileSync(file, '');
    const watcher = new FSEvent(loop);
    watcher.start(file, 0, () => assert.fail('no event after close'));
    let closed = 0;
    watcher.close(() => closed++);
    touch(file);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  it('fs_event_no_callback_on_close', async () => {
    const loop = new Loop();
    const watcher = new FSEvent(loop);
    watcher.start(freshDir(), 0, () => assert.fail('no event expected'));
    let closed = 0;
    watcher.close(() => closed++);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  it('fs_event_immediate_close', async () => {
    const loop = new Loop();
    let closed = 0;
    const timer = new Timer(loop);
    timer.start(() => {
      const watcher = new FSEvent(loop);
      watcher.start('.', 0, () => assert.fail('no event expected'));
      watcher.close(() => closed++);
      timer.close(() => closed++);
    }, 1);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 2);
    await teardown(loop);
  });

  it('fs_event_close_with_pending_event', async () => {
    const loop = new Loop();
    const dir = freshDir();
    const watcher = new FSEvent(loop);
    watcher.start(dir, 0, () => assert.fail('no event expected'));
    nodeFs.writeFileSync(path.join(dir, 'file'), 'x');
    let closed = 0;
    watcher.close(() => closed++);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  it('fs_event_close_with_pending_delete_event', async () => {
    const loop = new Loop();
    const file = path.join(freshDir(), 'file');
    nodeFs.writeFileSync(file, '');
    const watcher = new FSEvent(loop);
    watcher.start(file, 0, () => assert.fail('no event expected'));
    nodeFs.unlinkSync(file);
    // libuv sleeps 1.1 s here, so that the kernel has surely queued the
    // events, and closes before the loop runs: nothing is delivered.
    sleep(200);
    loop.updateTime();
    let closed = 0;
    watcher.close(() => closed++);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  it('fs_event_close_in_callback', async () => {
    const loop = new Loop();
    const dir = freshDir();
    let calls = 0;
    let created = 0;
    const watcher = new FSEvent(loop);
    watcher.start(dir, 0, (handle) => {
      assert.ok(calls < 3);
      calls++;
      if (calls === 3) handle.close();
    });
    const timer = new Timer(loop);
    timer.start(
      () => {
        if (created < 5) nodeFs.writeFileSync(path.join(dir, `file${created++}`), '');
        else timer.close();
      },
      10,
      10,
    );
    assert.equal(await loop.run(), false);
    assert.equal(calls, 3);
    await teardown(loop);
  });

  it('fs_event_start_and_close', async () => {
    const loop = new Loop();
    const dir = freshDir();
    let closed = 0;
    const first = new FSEvent(loop);
    const second = new FSEvent(loop);
    first.start(dir, 0, () => assert.fail('no event expected'));
    second.start(dir, 0, () => assert.fail('no event expected'));
    first.close(() => closed++);
    second.close(() => closed++);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 2);
    await teardown(loop);
  });

  it('fs_event_getpath', async () => {
    const loop = new Loop();
    const dir = freshDir();
    nodeFs.mkdirSync(path.join(dir, 'subfolder'));
    const watcher = new FSEvent(loop);
    for (const given of [
      dir,
      `${dir}/`,
      `${dir}///`,
      `${dir}/subfolder/..`,
      `${dir}//subfolder//..//`,
    ]) {
      assert.equal(
        code(() => watcher.getpath()),
        'EINVAL',
      );
      watcher.start(given, 0, () => {});
      assert.equal(watcher.getpath(), given);
      watcher.stop();
    }
    watcher.close();
    await teardown(loop);
  });

  it('fs_event_stop_in_cb', async () => {
    const loop = new Loop();
    const file = path.join(freshDir(), 'file');
    nodeFs.writeFileSync(file, '');
    let calls = 0;
    const watcher = new FSEvent(loop);
    watcher.start(file, 0, (handle) => {
      calls++;
      handle.stop();
    });
    const timer = new Timer(loop);
    let ticks = 0;
    timer.start(
      () => {
        ticks++;
        if (ticks === 1) {
          // Two events for one POLL: an attribute change and a write.
          nodeFs.chmodSync(file, 0o600);
          nodeFs.appendFileSync(file, 'x');
        } else {
          watcher.close();
          timer.close();
        }
      },
      50,
      100,
    );
    assert.equal(await loop.run(), false);
    assert.equal(calls, 1);
    await teardown(loop);
  });

  it('rule 8.26: the flags of each kind of change, RENAME|CHANGE for a directory (F7)', async () => {
    const loop = new Loop();
    const dir = freshDir();
    nodeFs.mkdirSync(path.join(dir, 'sub'));
    nodeFs.writeFileSync(path.join(dir, 'f'), '');
    const steps: (() => void)[] = [
      () => nodeFs.chmodSync(path.join(dir, 'sub'), 0o700),
      () => nodeFs.chmodSync(path.join(dir, 'f'), 0o600),
      () => nodeFs.mkdirSync(path.join(dir, 'n')),
      () => nodeFs.appendFileSync(path.join(dir, 'f'), 'x'),
      () => nodeFs.renameSync(path.join(dir, 'f'), path.join(dir, 'g')),
      () => nodeFs.unlinkSync(path.join(dir, 'g')),
      () => nodeFs.utimesSync(path.join(dir, 'sub'), 1, 1),
      () => nodeFs.chmodSync(dir, 0o755),
      () => nodeFs.chmodSync(path.join(dir, 'n'), 0o700),
      () => nodeFs.rmdirSync(path.join(dir, 'n')),
    ];
    const seen: string[] = [];
    const watcher = new FSEvent(loop);
    watcher.start(dir, 0, (_handle, filename, flags) => seen.push(`${filename} ${names(flags)}`));
    const timer = new Timer(loop);
    let step = 0;
    timer.start(
      () => {
        const next = steps[step++];
        if (next !== undefined) next();
        else {
          watcher.close();
          timer.close();
        }
      },
      50,
      50,
    );
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, [
      'sub rename|change',
      'f change',
      'n rename',
      'f change',
      'f rename',
      'g rename',
      'g rename',
      'sub rename|change',
      `${path.basename(dir)} rename|change`,
      'n rename|change',
      'n rename',
    ]);
    await teardown(loop);
  });

  it('rule 8.27: watchers of one path are served in start order', async () => {
    const loop = new Loop();
    const dir = freshDir();
    const seen: string[] = [];
    const first = new FSEvent(loop);
    const second = new FSEvent(loop);
    second.start(dir, 0, (_h, filename) => seen.push(`second ${filename}`));
    first.start(dir, 0, (_h, filename) => seen.push(`first ${filename}`));
    const timer = new Timer(loop);
    let ticks = 0;
    timer.start(
      () => {
        ticks++;
        if (ticks === 1) nodeFs.mkdirSync(path.join(dir, 'a'));
        else if (ticks === 2) {
          second.stop();
          nodeFs.rmdirSync(path.join(dir, 'a'));
        } else {
          first.close();
          second.close();
          timer.close();
        }
      },
      50,
      50,
    );
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['second a', 'first a', 'first a']);
    await teardown(loop);
  });

  it('bad input: EINVAL when active, TypeError for wrong types, closed handle', async () => {
    const loop = new Loop();
    const dir = freshDir();
    const watcher = new FSEvent(loop);
    assert.throws(() => watcher.start(7 as unknown as string, 0, () => {}), TypeError);
    assert.throws(() => watcher.start(dir, '0' as unknown as number, () => {}), TypeError);
    assert.throws(() => watcher.start(dir, 0, null as never), TypeError);
    assert.equal(
      code(() => watcher.start(`${dir}\0x`, 0, () => {})),
      'EINVAL',
    );
    watcher.start(dir, 0, () => {});
    assert.equal(
      code(() => watcher.start(dir, 0, () => {})),
      'EINVAL',
    );
    watcher.close();
    assert.equal(
      code(() => watcher.start(dir, 0, () => {})),
      'EINVAL',
    );
    await teardown(loop);
  });
});
