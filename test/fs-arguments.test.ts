// Bad input to the fs functions: a wrong type is a TypeError; a value libuv
// would refuse gets libuv's code (measured with luv 1.44.2 and 1.52.1: an
// impossible descriptor is EBADF, a negative ftruncate length EINVAL, an
// access mode above 7 EINVAL, unknown copyfile bits EINVAL, a template
// without XXXXXX EINVAL). Never a crash, a hang or a silent success.
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import { describe, it } from 'node:test';

import { Loop, UVError, fs } from '../src/index.js';
import { errorCode as code, suiteTempDir, teardown } from './helpers.js';

type Call = (loop: Loop) => unknown;

describe('fs bad input', () => {
  const temp = suiteTempDir('fs-args');
  const p = (name: string): string => temp.path(name);

  it('wrong types are TypeErrors, in both forms', async () => {
    const loop = new Loop();
    const cb = (): void => assert.fail('no callback expected');
    const open = fs.opendir(loop, temp.path());
    const wrong: [string, Call][] = [
      ['loop', () => fs.stat({} as Loop, p('x'))],
      ['path', (l) => fs.stat(l, 42 as unknown as string)],
      ['path null', (l) => fs.unlink(l, null as unknown as string)],
      ['fd string', (l) => fs.close(l, '3' as unknown as number)],
      ['fd fraction', (l) => fs.fstat(l, 1.5)],
      ['mode', (l) => fs.chmod(l, p('x'), '644' as unknown as number)],
      ['flags', (l) => fs.open(l, p('x'), 'bogus', 0)],
      ['flags object', (l) => fs.open(l, p('x'), {} as unknown as number, 0)],
      ['offset', (l) => fs.read(l, 0, 10, 'start' as unknown as number)],
      ['length', (l) => fs.read(l, 0, 1.5, 0)],
      ['buffers', (l) => fs.read(l, 0, ['x'] as unknown as Uint8Array[], 0)],
      ['write data', (l) => fs.write(l, 1, 42 as unknown as string, -1)],
      ['uid', (l) => fs.chown(l, p('x'), 'root' as unknown as number, 0)],
      ['atime', (l) => fs.utime(l, p('x'), '1' as unknown as number, 1)],
      ['copyfile flags', (l) => fs.copyfile(l, p('x'), p('y'), null as unknown as number)],
      ['symlink flags', (l) => fs.symlink(l, p('x'), p('y'), undefined as unknown as number)],
      ['dir', (l) => fs.readdir(l, {} as fs.Dir, 1)],
      ['nentries', (l) => fs.readdir(l, open, 1.5)],
      ['callback', (l) => fs.stat(l, p('x'), 'cb' as unknown as fs.FSCallback<fs.Stat>)],
      ['async path', (l) => fs.stat(l, 7 as unknown as string, cb)],
    ];
    for (const [what, call] of wrong) assert.throws(() => call(loop), TypeError, what);
    fs.closedir(loop, open);
    await teardown(loop);
  });

  it('values libuv refuses get its codes', async () => {
    const loop = new Loop();
    const file = p('file');
    const fd = fs.open(loop, file, fs.O_RDWR | fs.O_CREAT, 0o644);
    fs.write(loop, fd, 'hello', 0);
    const open = fs.opendir(loop, temp.path());
    const cases: [string, Call, string][] = [
      ['negative fd', (l) => fs.fstat(l, -1), 'EBADF'],
      ['huge fd', (l) => fs.close(l, 2 ** 40), 'EBADF'],
      ['unopened fd', (l) => fs.fsync(l, 987654), 'EBADF'],
      ['read negative fd', (l) => fs.read(l, -1, 10, 0), 'EBADF'],
      ['write negative fd', (l) => fs.write(l, -1, 'x', 0), 'EBADF'],
      ['ftruncate negative', (l) => fs.ftruncate(l, fd, -1), 'EINVAL'],
      ['ftruncate negative, bad fd', (l) => fs.ftruncate(l, -1, -1), 'EINVAL'],
      ['read negative length', (l) => fs.read(l, fd, -1, 0), 'EINVAL'],
      ['read no buffers', (l) => fs.read(l, fd, [], 0), 'EINVAL'],
      ['write no buffers', (l) => fs.write(l, fd, [], 0), 'EINVAL'],
      ['sendfile negative offset', (l) => fs.sendfile(l, fd, fd, -1, 10), 'EINVAL'],
      ['sendfile negative length', (l) => fs.sendfile(l, fd, fd, 0, -1), 'EINVAL'],
      ['sendfile bad fds', (l) => fs.sendfile(l, -1, -1, 0, 10), 'EBADF'],
      ['access mode 8', (l) => fs.access(l, file, 8), 'EINVAL'],
      ['access mode -1', (l) => fs.access(l, file, -1), 'EINVAL'],
      ['copyfile flags 8', (l) => fs.copyfile(l, file, p('copy'), 8), 'EINVAL'],
      ['mkdtemp short', (l) => fs.mkdtemp(l, p('tmpXXXXX')), 'EINVAL'],
      ['mkdtemp suffix', (l) => fs.mkdtemp(l, p('tmpXXXXXXy')), 'EINVAL'],
      ['mkstemp short', (l) => fs.mkstemp(l, 'XXXX'), 'EINVAL'],
      ['mkdtemp missing parent', (l) => fs.mkdtemp(l, p('nope/XXXXXX')), 'ENOENT'],
      ['mkstemp missing parent', (l) => fs.mkstemp(l, p('nope/XXXXXX')), 'ENOENT'],
      ['path with NUL', (l) => fs.stat(l, `${file}\0x`), 'EINVAL'],
      ['empty path', (l) => fs.stat(l, ''), 'ENOENT'],
      ['readlink of a file', (l) => fs.readlink(l, file), 'EINVAL'],
      ['rmdir of a file', (l) => fs.rmdir(l, file), 'ENOTDIR'],
      ['unlink of a dir', (l) => fs.unlink(l, temp.path()), 'EISDIR'],
      ['mkdir existing', (l) => fs.mkdir(l, temp.path(), 0o755), 'EEXIST'],
      ['open dir for writing', (l) => fs.open(l, temp.path(), 'w', 0), 'EISDIR'],
      ['open excl existing', (l) => fs.open(l, file, 'wx', 0o644), 'EEXIST'],
      [
        'utime infinity, 1.44',
        () => fs.utime(new Loop({ libuv: '1.44' }), file, Infinity, 1),
        'EINVAL',
      ],
      ['utime NaN, 1.44', () => fs.utime(new Loop({ libuv: '1.44' }), file, 1, NaN), 'EINVAL'],
      ['utime out of range', (l) => fs.utime(l, file, 1e30, 1), 'EINVAL'],
      ['futime omit, bad fd', (l) => fs.futime(l, -1, NaN, NaN), 'EBADF'],
      ['readdir nentries 0', (l) => fs.readdir(l, open, 0), 'EINVAL'],
    ];
    for (const [what, call, expected] of cases)
      assert.equal(
        code(() => call(loop)),
        expected,
        what,
      );
    fs.closedir(loop, open);
    fs.close(loop, fd);
    await teardown(loop);
  });

  it('a closed directory stream is EINVAL', async () => {
    const loop = new Loop();
    const dir = fs.opendir(loop, temp.path());
    fs.closedir(loop, dir);
    assert.equal(dir.closed, true);
    assert.equal(
      code(() => fs.readdir(loop, dir, 1)),
      'EINVAL',
    );
    assert.equal(
      code(() => fs.closedir(loop, dir)),
      'EINVAL',
    );
    await teardown(loop);
  });

  it('errors carry the operation, the paths and the loop profile', async () => {
    const loop = new Loop({ libuv: '1.44' });
    try {
      fs.rename(loop, p('missing'), p('other'));
      assert.fail('rename of a missing file succeeded');
    } catch (error) {
      assert.ok(error instanceof UVError);
      assert.equal(error.code, 'ENOENT');
      assert.equal(error.syscall, 'rename');
      assert.equal(error.path, p('missing'));
      assert.equal(error.dest, p('other'));
      assert.equal(error.message, 'no such file or directory');
    }
    // utime with both times omitted succeeds without looking at the path,
    // as utimensat does (1.52).
    fs.utime(new Loop(), p('missing'), fs.UV_FS_UTIME_OMIT, fs.UV_FS_UTIME_OMIT);
    await teardown(loop);
  });

  it('a synchronous call works on a closed loop', async () => {
    const loop = new Loop();
    loop.close();
    assert.equal(fs.stat(loop, temp.path()).mode & 0o170000, 0o040000);
  });

  it('deviation F2: times keep microseconds', async () => {
    // libuv 1.52 keeps the nanoseconds a double carries (luv 1.52.1:
    // 1500000000.000000999 -> nsec 953); Node's libuv keeps microseconds,
    // as 1.44.2 does (luv 1.44.2: nsec 0).
    for (const profile of ['1.44', '1.52'] as const) {
      const loop = new Loop({ libuv: profile });
      const file = p('times');
      fs.close(loop, fs.open(loop, file, 'w', 0o644));
      fs.utime(loop, file, 1500000000 + 0.000000999, 400497753 + 0.123456789);
      const st = fs.stat(loop, file);
      assert.deepEqual(st.atime, { sec: 1500000000, nsec: 0 });
      assert.deepEqual(st.mtime, { sec: 400497753, nsec: 123456000 });
      fs.unlink(loop, file);
      await teardown(loop);
    }
  });
});

describe('fs names that are not UTF-8', () => {
  const temp = suiteTempDir('fs-names');

  it('deviation F9: names are decoded as UTF-8, and a name that is not cannot be named back', async () => {
    // libuv's names are bytes: luv 1.44.2 and 1.52.1 list "a\255", read
    // it back from a symlink and stat it. uvts's names are strings.
    const loop = new Loop();
    const dir = temp.path('latin1');
    fs.mkdir(loop, dir, 0o755);
    const raw = Buffer.concat([Buffer.from(`${dir}/a`), Buffer.from([0xff])]);
    nodeFs.writeFileSync(raw, 'x');
    nodeFs.symlinkSync(Buffer.from([0x61, 0xff]), `${dir}/lnk`);
    const names = fs.scandir(loop, dir).map((entry) => entry.name);
    assert.deepEqual(names, ['a\uFFFD', 'lnk']);
    assert.equal(fs.readlink(loop, `${dir}/lnk`), 'a\uFFFD');
    assert.equal(
      code(() => fs.stat(loop, `${dir}/a\uFFFD`)),
      'ENOENT',
    );
    nodeFs.unlinkSync(raw);
    fs.unlink(loop, `${dir}/lnk`);
    fs.rmdir(loop, dir);
    await teardown(loop);
  });
});
