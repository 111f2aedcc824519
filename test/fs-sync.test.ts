// The fs functions without a callback: libuv's test-fs.c, test-fs-readdir.c
// and test-fs-copyfile.c, their synchronous parts, on real
// files in a temporary directory. The asynchronous parts of the same tests
// are in fs-async.test.ts, under the same names.
import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import { describe, it } from 'node:test';

import { FileNotFoundError, Loop, UVError, fs } from '../src/index.js';
import { errorCode as code, suiteTempDir, teardown } from './helpers.js';

const TEST_BUF = Buffer.from('test-buffer\n\0');
const TEST_BUF2 = Buffer.from('second-buffer\n\0');
const CREATE = fs.O_WRONLY | fs.O_CREAT;
const RW_CREATE = fs.O_RDWR | fs.O_CREAT;
const USER_RW = 0o600;

describe('fs, synchronous', () => {
  const temp = suiteTempDir('fs-sync');
  const p = (name: string): string => temp.path(name);

  /** A file holding `content`, made with uvts's own functions. */
  function makeFile(loop: Loop, name: string, content: Buffer | string = TEST_BUF): string {
    const file = p(name);
    const fd = fs.open(loop, file, fs.O_WRONLY | fs.O_CREAT | fs.O_TRUNC, USER_RW);
    fs.write(loop, fd, content, -1);
    fs.close(loop, fd);
    return file;
  }

  function mode(loop: Loop, file: string): number {
    return fs.stat(loop, file).mode & 0o777;
  }

  it('fs_file_noent', async () => {
    const loop = new Loop();
    assert.throws(() => fs.open(loop, p('does_not_exist'), fs.O_RDONLY, 0), FileNotFoundError);
    await teardown(loop);
  });

  it('fs_file_nametoolong', async () => {
    const loop = new Loop();
    const name = 'a'.repeat(65536);
    assert.equal(
      code(() => fs.open(loop, name, fs.O_RDONLY, 0)),
      'ENAMETOOLONG',
    );
    await teardown(loop);
  });

  it('fs_file_loop', async () => {
    const loop = new Loop();
    fs.symlink(loop, p('test_symlink'), p('test_symlink'), 0);
    assert.equal(
      code(() => fs.open(loop, p('test_symlink'), fs.O_RDONLY, 0)),
      'ELOOP',
    );
    fs.unlink(loop, p('test_symlink'));
    await teardown(loop);
  });

  it('fs_file_sync', async () => {
    for (const profile of ['1.44', '1.52'] as const) {
      const loop = new Loop({ libuv: profile });
      let file = fs.open(loop, p('test_file'), CREATE, USER_RW);
      assert.ok(file >= 0);
      assert.equal(fs.write(loop, file, TEST_BUF, -1), TEST_BUF.length);
      fs.close(loop, file);

      file = fs.open(loop, p('test_file'), fs.O_RDWR, 0);
      const buf = Buffer.alloc(32);
      assert.equal(fs.read(loop, file, buf, -1), TEST_BUF.length);
      assert.deepEqual(buf.subarray(0, TEST_BUF.length), TEST_BUF);
      fs.ftruncate(loop, file, 7);
      fs.close(loop, file);

      fs.rename(loop, p('test_file'), p('test_file2'));
      file = fs.open(loop, p('test_file2'), fs.O_RDONLY, 0);
      assert.equal(fs.read(loop, file, 32, -1).toString(), 'test-bu');
      fs.close(loop, file);
      fs.unlink(loop, p('test_file2'));
      assert.equal(
        code(() => fs.stat(loop, p('test_file'))),
        'ENOENT',
      );
      await teardown(loop);
    }
  });

  it('fsync and fdatasync, synchronously: the written bytes are on the file; a closed descriptor is EBADF', async () => {
    const loop = new Loop();
    const file = fs.open(loop, p('synced'), CREATE, USER_RW);
    assert.equal(fs.write(loop, file, TEST_BUF, 0), TEST_BUF.length);
    assert.equal(fs.fdatasync(loop, file), undefined);
    assert.equal(fs.fsync(loop, file), undefined);
    assert.deepEqual(nodeFs.readFileSync(p('synced')), TEST_BUF);
    fs.close(loop, file);
    assert.equal(
      code(() => fs.fsync(loop, file)),
      'EBADF',
    );
    assert.equal(
      code(() => fs.fdatasync(loop, file)),
      'EBADF',
    );
    await teardown(loop);
  });

  it('fs_posix_delete', async () => {
    const loop = new Loop();
    fs.mkdir(loop, p('test_dir'), 0o755);
    const file = fs.open(loop, p('test_dir/file'), RW_CREATE, USER_RW);
    assert.ok(['ENOTEMPTY', 'EEXIST'].includes(code(() => fs.rmdir(loop, p('test_dir')))));
    assert.ok(['ENOTDIR', 'ENOENT'].includes(code(() => fs.rmdir(loop, p('test_dir/file')))));
    fs.unlink(loop, p('test_dir/file'));
    fs.rmdir(loop, p('test_dir'));
    fs.close(loop, file);
    await teardown(loop);
  });

  it('fs_file_write_null_buffer', async () => {
    const loop = new Loop();
    const file = fs.open(loop, p('test_file'), CREATE, USER_RW);
    assert.equal(fs.write(loop, file, Buffer.alloc(0), -1), 0);
    assert.equal(fs.write(loop, file, '', -1), 0);
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    await teardown(loop);
  });

  it('fs_mkdtemp', async () => {
    const loop = new Loop();
    const template = p('test_dir_XXXXXX');
    const first = fs.mkdtemp(loop, template);
    const second = fs.mkdtemp(loop, template);
    for (const made of [first, second]) {
      assert.equal(made.length, template.length);
      assert.ok(made.startsWith(p('test_dir_')));
      assert.notEqual(made.slice(-6), 'XXXXXX');
      assert.match(made.slice(-6), /^[A-Za-z0-9]{6}$/);
      assert.equal(mode(loop, made), 0o700);
      assert.ok(fs.stat(loop, made).mode & nodeFs.constants.S_IFDIR);
    }
    assert.notEqual(first, second);
    fs.rmdir(loop, first);
    fs.rmdir(loop, second);
    await teardown(loop);
  });

  it('fs_mkstemp', async () => {
    const loop = new Loop();
    const template = p('test_file_XXXXXX');
    const first = fs.mkstemp(loop, template);
    const second = fs.mkstemp(loop, template);
    for (const made of [first, second]) {
      assert.equal(made.path.length, template.length);
      assert.ok(made.path.startsWith(p('test_file_')));
      assert.match(made.path.slice(-6), /^[A-Za-z0-9]{6}$/);
      const st = fs.stat(loop, made.path);
      assert.equal(st.mode & nodeFs.constants.S_IFMT, nodeFs.constants.S_IFREG);
      assert.equal(st.mode & 0o777, 0o600);
    }
    assert.notEqual(first.path, second.path);
    // A template that does not end in XXXXXX: EINVAL, and libuv clears the path.
    assert.throws(
      () => fs.mkstemp(loop, p('test_file_XXXXX')),
      (error: unknown) => error instanceof UVError && error.code === 'EINVAL' && error.path === '',
    );
    // The descriptor is open for reading and writing.
    assert.equal(fs.write(loop, first.fd, 'hello', 0), 5);
    assert.equal(fs.read(loop, first.fd, 5, 0).toString(), 'hello');
    fs.close(loop, first.fd);
    fs.close(loop, second.fd);
    fs.unlink(loop, first.path);
    fs.unlink(loop, second.path);
    await teardown(loop);
  });

  it('fs_fstat', async () => {
    const loop = new Loop();
    const file = fs.open(loop, p('test_file'), RW_CREATE, USER_RW);
    assert.equal(fs.write(loop, file, TEST_BUF, -1), TEST_BUF.length);
    const st = fs.fstat(loop, file);
    const t = nodeFs.fstatSync(file, { bigint: true });
    assert.equal(st.size, TEST_BUF.length);
    assert.equal(st.dev, Number(t.dev));
    assert.equal(st.mode, Number(t.mode));
    assert.equal(st.nlink, Number(t.nlink));
    assert.equal(st.uid, Number(t.uid));
    assert.equal(st.gid, Number(t.gid));
    assert.equal(st.rdev, Number(t.rdev));
    assert.equal(st.ino, Number(t.ino));
    assert.equal(st.blksize, Number(t.blksize));
    assert.equal(st.blocks, Number(t.blocks));
    for (const [mine, ns] of [
      [st.atime, t.atimeNs],
      [st.mtime, t.mtimeNs],
      [st.ctime, t.ctimeNs],
      [st.birthtime, t.birthtimeNs],
    ] as const) {
      assert.equal(BigInt(mine.sec) * 1_000_000_000n + BigInt(mine.nsec), ns);
    }
    assert.equal(st.flags, 0);
    assert.equal(st.gen, 0);
    fs.close(loop, file);
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  it('fs_fstat_stdio', async () => {
    const loop = new Loop();
    for (const fd of [0, 1, 2]) assert.ok(fs.fstat(loop, fd) instanceof fs.Stat);
    await teardown(loop);
  });

  it('fs_fstat_st_dev', async () => {
    const loop = new Loop();
    const file = makeFile(loop, 'test_file');
    fs.symlink(loop, file, p('test_file_link'), 0);
    assert.equal(fs.stat(loop, file).dev, fs.stat(loop, p('test_file_link')).dev);
    assert.equal(fs.lstat(loop, p('test_file_link')).dev, fs.stat(loop, file).dev);
    fs.unlink(loop, p('test_file_link'));
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_access', async () => {
    const loop = new Loop();
    assert.equal(
      code(() => fs.access(loop, p('test_file'), fs.F_OK)),
      'ENOENT',
    );
    const file = fs.open(loop, p('test_file'), RW_CREATE, USER_RW);
    fs.access(loop, p('test_file'), fs.F_OK);
    fs.close(loop, file);
    fs.mkdir(loop, p('test_dir'), 0o777);
    fs.access(loop, p('test_dir'), fs.W_OK);
    assert.equal(await loop.run(), false);
    fs.unlink(loop, p('test_file'));
    fs.rmdir(loop, p('test_dir'));
    await teardown(loop);
  });

  it('fs_chmod', async () => {
    const loop = new Loop();
    const file = fs.open(loop, p('test_file'), RW_CREATE, USER_RW);
    fs.write(loop, file, TEST_BUF, -1);
    fs.chmod(loop, p('test_file'), 0o200);
    assert.equal(mode(loop, p('test_file')), 0o200);
    fs.chmod(loop, p('test_file'), 0o400);
    assert.equal(mode(loop, p('test_file')), 0o400);
    fs.fchmod(loop, file, 0o600);
    assert.equal(mode(loop, p('test_file')), 0o600);
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    await teardown(loop);
  });

  it('fs_unlink_readonly', async () => {
    const loop = new Loop();
    const file = makeFile(loop, 'test_file');
    fs.chmod(loop, file, 0o400);
    assert.equal(mode(loop, file), 0o400);
    fs.unlink(loop, file);
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  it('fs_chown', async () => {
    const loop = new Loop();
    const file = fs.open(loop, p('test_file'), RW_CREATE, USER_RW);
    fs.chown(loop, p('test_file'), -1, -1);
    fs.fchown(loop, file, -1, -1);
    fs.link(loop, p('test_file'), p('test_file_link'));
    // To root, or to group -2 (4294967294): allowed for root only (EPERM otherwise).
    const root = process.geteuid?.() === 0;
    assert.equal(
      code(() => fs.lchown(loop, p('test_file_link'), -1, -2)),
      root ? 'OK' : 'EPERM',
    );
    assert.equal(
      code(() => fs.chown(loop, p('test_file'), 0, 0)),
      root ? 'OK' : 'EPERM',
    );
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    fs.unlink(loop, p('test_file_link'));
    await teardown(loop);
  });

  it('fs_link', async () => {
    const loop = new Loop();
    makeFile(loop, 'test_file');
    fs.link(loop, p('test_file'), p('test_file_link'));
    const link = fs.open(loop, p('test_file_link'), fs.O_RDWR, 0);
    assert.deepEqual(fs.read(loop, link, 32, 0), TEST_BUF);
    fs.close(loop, link);
    assert.equal(
      code(() => fs.link(loop, p('test_file'), p('test_file_link'))),
      'EEXIST',
    );
    for (const name of ['test_file', 'test_file_link']) fs.unlink(loop, p(name));
    await teardown(loop);
  });

  it('fs_readlink', async () => {
    const loop = new Loop();
    assert.equal(
      code(() => fs.readlink(loop, p('no_such_file'))),
      'ENOENT',
    );
    const file = makeFile(loop, 'test_file');
    assert.equal(
      code(() => fs.readlink(loop, file)),
      'EINVAL',
    );
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_realpath', async () => {
    const loop = new Loop();
    assert.equal(
      code(() => fs.realpath(loop, p('no_such_file'))),
      'ENOENT',
    );
    await teardown(loop);
  });

  it('fs_symlink', async () => {
    const loop = new Loop();
    const cwd = process.cwd();
    const real = nodeFs.realpathSync(temp.path());
    process.chdir(real);
    try {
      makeFile(loop, 'test_file');
      fs.symlink(loop, 'test_file', 'test_file_symlink', 0);
      const link = fs.open(loop, 'test_file_symlink', fs.O_RDWR, 0);
      assert.deepEqual(fs.read(loop, link, 32, 0), TEST_BUF);
      fs.close(loop, link);
      fs.symlink(loop, 'test_file_symlink', 'test_file_symlink_symlink', 0);
      assert.equal(fs.readlink(loop, 'test_file_symlink_symlink'), 'test_file_symlink');
      assert.equal(fs.realpath(loop, 'test_file_symlink_symlink'), `${real}/test_file`);
      for (const name of ['test_file', 'test_file_symlink', 'test_file_symlink_symlink']) {
        fs.unlink(loop, name);
      }
    } finally {
      process.chdir(cwd);
    }
    await teardown(loop);
  });

  it('fs_symlink_dir', async () => {
    const loop = new Loop();
    const real = nodeFs.realpathSync(temp.path());
    const dir = `${real}/test_dir`;
    fs.mkdir(loop, dir, 0o777);
    fs.symlink(loop, dir, p('test_dir_symlink'), fs.UV_FS_SYMLINK_DIR);
    assert.ok(fs.stat(loop, p('test_dir_symlink')).mode & nodeFs.constants.S_IFDIR);
    const lst = fs.lstat(loop, p('test_dir_symlink'));
    assert.equal(lst.mode & nodeFs.constants.S_IFMT, nodeFs.constants.S_IFLNK);
    assert.equal(lst.size, dir.length);
    assert.equal(fs.readlink(loop, p('test_dir_symlink')), dir);
    assert.equal(fs.realpath(loop, p('test_dir_symlink')), dir);
    makeFile(loop, 'test_dir/file1');
    makeFile(loop, 'test_dir/file2');
    assert.deepEqual(
      fs.scandir(loop, p('test_dir_symlink')).map((entry) => entry.name),
      ['file1', 'file2'],
    );
    fs.unlink(loop, p('test_dir_symlink'));
    assert.equal(
      code(() => fs.scandir(loop, p('test_dir_symlink'))),
      'ENOENT',
    );
    assert.equal(fs.scandir(loop, dir).length, 2);
    fs.unlink(loop, p('test_dir/file1'));
    fs.unlink(loop, p('test_dir/file2'));
    fs.rmdir(loop, dir);
    await teardown(loop);
  });

  it('fs_utime', async () => {
    const loop = new Loop();
    const file = makeFile(loop, 'test_file');
    const check = (atime: number, mtime: number): void => {
      const st = fs.stat(loop, file);
      assert.equal(st.atime.sec + st.atime.nsec / 1e9, atime);
      assert.equal(st.mtime.sec + st.mtime.nsec / 1e9, mtime);
    };
    fs.utime(loop, file, 400497753.25, 400497753.25);
    check(400497753.25, 400497753.25);
    // libuv 1.51+: UV_FS_UTIME_OMIT keeps a time, UV_FS_UTIME_NOW takes the clock's.
    fs.utime(loop, file, fs.UV_FS_UTIME_OMIT, fs.UV_FS_UTIME_OMIT);
    check(400497753.25, 400497753.25);
    const before = Date.now() / 1000;
    fs.utime(loop, file, fs.UV_FS_UTIME_NOW, fs.UV_FS_UTIME_OMIT);
    let st = fs.stat(loop, file);
    assert.ok(st.atime.sec >= Math.floor(before));
    assert.equal(st.mtime.sec + st.mtime.nsec / 1e9, 400497753.25);
    fs.utime(loop, file, fs.UV_FS_UTIME_OMIT, fs.UV_FS_UTIME_NOW);
    st = fs.stat(loop, file);
    assert.ok(st.mtime.sec >= Math.floor(before));
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_utime_round', async () => {
    const loop = new Loop();
    const file = makeFile(loop, 'test_file');
    fs.utime(loop, file, -14245440.25, -14245440.25);
    const st = fs.stat(loop, file);
    assert.deepEqual(st.atime, { sec: -14245441, nsec: 750000000 });
    assert.deepEqual(st.mtime, { sec: -14245441, nsec: 750000000 });
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_futime', async () => {
    const loop = new Loop();
    makeFile(loop, 'test_file');
    const file = fs.open(loop, p('test_file'), fs.O_RDWR, 0);
    fs.futime(loop, file, 400497753, 400497753);
    let st = fs.stat(loop, p('test_file'));
    assert.deepEqual([st.atime.sec, st.mtime.sec], [400497753, 400497753]);
    fs.futime(loop, file, fs.UV_FS_UTIME_OMIT, 1291404900);
    st = fs.stat(loop, p('test_file'));
    assert.deepEqual([st.atime.sec, st.mtime.sec], [400497753, 1291404900]);
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    await teardown(loop);
  });

  it('fs_lutime', async () => {
    const loop = new Loop();
    const file = makeFile(loop, 'test_file');
    fs.utime(loop, file, 1000, 1000);
    fs.symlink(loop, file, p('test_file_link'), 0);
    fs.lutime(loop, p('test_file_link'), 400497753.25, 400497753.25);
    const own = fs.lstat(loop, p('test_file_link'));
    assert.deepEqual(own.atime, { sec: 400497753, nsec: 250000000 });
    assert.deepEqual(own.mtime, { sec: 400497753, nsec: 250000000 });
    // The target keeps its times.
    assert.equal(fs.stat(loop, file).atime.sec, 1000);
    fs.unlink(loop, p('test_file_link'));
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_file_open_append', async () => {
    const loop = new Loop();
    makeFile(loop, 'test_file');
    let file = fs.open(loop, p('test_file'), fs.O_RDWR | fs.O_APPEND, 0);
    fs.write(loop, file, TEST_BUF, -1);
    fs.close(loop, file);
    file = fs.open(loop, p('test_file'), fs.O_RDONLY, 0o400);
    assert.deepEqual(fs.read(loop, file, 32, -1), Buffer.concat([TEST_BUF, TEST_BUF]));
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    await teardown(loop);
  });

  it('fs_statfs', async () => {
    for (const profile of ['1.44', '1.52'] as const) {
      const loop = new Loop({ libuv: profile });
      for (const target of ['.', makeFile(loop, 'test_file')]) {
        const st = fs.statfs(loop, target);
        assert.ok(st.type > 0);
        assert.ok(st.bsize > 0);
        assert.ok(st.blocks > 0);
        assert.ok(st.bfree <= st.blocks);
        assert.ok(st.bavail <= st.bfree);
        assert.ok(st.ffree <= st.files);
        // f_frsize arrived in libuv 1.52.
        if (profile === '1.52') assert.ok((st.frsize ?? 0) > 0);
        else assert.equal('frsize' in st, false);
      }
      fs.unlink(loop, p('test_file'));
      await teardown(loop);
    }
  });

  it('fs_stat_missing_path', async () => {
    const loop = new Loop();
    assert.equal(
      code(() => fs.stat(loop, p('non_existent_file'))),
      'ENOENT',
    );
    await teardown(loop);
  });

  it('fs_read_bufs', async () => {
    const loop = new Loop();
    const content = Buffer.alloc(446, 'x');
    content.write('begin');
    const file = makeFile(loop, 'test_file', content);
    const fd = fs.open(loop, file, fs.O_RDONLY, 0);
    assert.equal(
      code(() => fs.read(loop, fd, [], 0)),
      'EINVAL',
    );
    const halves = [Buffer.alloc(256), Buffer.alloc(256)];
    assert.equal(fs.read(loop, fd, halves, 0), 446);
    assert.deepEqual(Buffer.concat(halves).subarray(0, 446), content);
    const quarters = [Buffer.alloc(128), Buffer.alloc(128)];
    assert.equal(fs.read(loop, fd, quarters, 256), 190);
    assert.deepEqual(Buffer.concat(quarters).subarray(0, 190), content.subarray(256));
    fs.close(loop, fd);
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_read_file_eof', async () => {
    const loop = new Loop();
    makeFile(loop, 'test_file');
    const file = fs.open(loop, p('test_file'), fs.O_RDONLY, 0);
    const buf = Buffer.alloc(32);
    const count = fs.read(loop, file, buf, -1);
    assert.deepEqual(buf.subarray(0, count), TEST_BUF);
    assert.equal(fs.read(loop, file, buf, count), 0);
    assert.equal(fs.read(loop, file, 32, count).length, 0);
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    await teardown(loop);
  });

  it('fs_scandir_empty_dir', async () => {
    const loop = new Loop();
    fs.mkdir(loop, p('empty_dir'), 0o777);
    assert.deepEqual(fs.scandir(loop, p('empty_dir/')), []);
    fs.rmdir(loop, p('empty_dir'));
    await teardown(loop);
  });

  it('fs_scandir_non_existent_dir', async () => {
    const loop = new Loop();
    assert.equal(
      code(() => fs.scandir(loop, p('non_existent_dir/'))),
      'ENOENT',
    );
    await teardown(loop);
  });

  it('fs_scandir_file', async () => {
    const loop = new Loop();
    const file = makeFile(loop, 'empty_file', '');
    assert.equal(
      code(() => fs.scandir(loop, file)),
      'ENOTDIR',
    );
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_scandir_early_exit', async () => {
    // A scandir result is a plain list: stopping early leaves nothing behind.
    const loop = new Loop();
    fs.mkdir(loop, p('scan_dir'), 0o777);
    for (const name of ['a', 'b', 'c']) makeFile(loop, `scan_dir/${name}`);
    for (const entry of fs.scandir(loop, p('scan_dir'))) {
      assert.equal(entry.name, 'a');
      break;
    }
    for (const name of ['a', 'b', 'c']) fs.unlink(loop, p(`scan_dir/${name}`));
    fs.rmdir(loop, p('scan_dir'));
    await teardown(loop);
  });

  it('fs_open_dir', async () => {
    const loop = new Loop();
    const file = fs.open(loop, '.', fs.O_RDONLY, 0);
    assert.ok(file >= 0);
    fs.close(loop, file);
    await teardown(loop);
  });

  it('fs_rename_to_existing_file', async () => {
    const loop = new Loop();
    makeFile(loop, 'test_file');
    makeFile(loop, 'test_file2', '');
    fs.rename(loop, p('test_file'), p('test_file2'));
    const file = fs.open(loop, p('test_file2'), fs.O_RDONLY, 0);
    assert.deepEqual(fs.read(loop, file, 32, -1), TEST_BUF);
    fs.close(loop, file);
    fs.unlink(loop, p('test_file2'));
    await teardown(loop);
  });

  it('fs_write_multiple_bufs', async () => {
    const loop = new Loop();
    let file = fs.open(loop, p('test_file'), CREATE, USER_RW);
    assert.equal(
      fs.write(loop, file, [TEST_BUF, TEST_BUF2], 0),
      TEST_BUF.length + TEST_BUF2.length,
    );
    fs.close(loop, file);
    file = fs.open(loop, p('test_file'), fs.O_RDONLY, 0);
    // Sequential: both buffers, then nothing.
    const first = [Buffer.alloc(TEST_BUF.length), Buffer.alloc(TEST_BUF2.length)];
    assert.equal(fs.read(loop, file, first, -1), TEST_BUF.length + TEST_BUF2.length);
    assert.deepEqual(first, [TEST_BUF, TEST_BUF2]);
    assert.equal(fs.read(loop, file, Buffer.alloc(32), -1), 0);
    // Positional: the same, and the position did not move.
    const second = [Buffer.alloc(TEST_BUF.length), Buffer.alloc(TEST_BUF2.length)];
    const total = fs.read(loop, file, second, 0);
    assert.deepEqual(second, [TEST_BUF, TEST_BUF2]);
    assert.equal(fs.read(loop, file, Buffer.alloc(32), total), 0);
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    await teardown(loop);
  });

  for (const withOffset of [false, true]) {
    it(withOffset ? 'fs_write_alotof_bufs_with_offset' : 'fs_write_alotof_bufs', async () => {
      const loop = new Loop();
      const count = 54321;
      const file = fs.open(loop, p('test_file'), RW_CREATE, USER_RW);
      let offset = -1;
      if (withOffset) {
        assert.equal(fs.write(loop, file, '0123456789', -1), 10);
        offset = 10;
      }
      const pieces = Array.from({ length: count }, () => TEST_BUF);
      assert.equal(fs.write(loop, file, pieces, offset), TEST_BUF.length * count);
      const targets = Array.from({ length: count }, () => Buffer.alloc(TEST_BUF.length));
      const start = withOffset ? offset : 0;
      // readv takes at most IOV_MAX (1024 on Linux) buffers per call.
      const got = fs.read(loop, file, targets, start);
      assert.equal(got, Math.min(count, 1024) * TEST_BUF.length);
      for (const target of targets.slice(0, got / TEST_BUF.length))
        assert.deepEqual(target, TEST_BUF);
      if (withOffset)
        assert.equal(fs.stat(loop, p('test_file')).size, 10 + TEST_BUF.length * count);
      assert.deepEqual(fs.read(loop, file, 32, start + TEST_BUF.length * count), Buffer.alloc(0));
      fs.close(loop, file);
      fs.unlink(loop, p('test_file'));
      await teardown(loop);
    });
  }

  it('fs_file_pos_after_op_with_offset', async () => {
    // libuv checks lseek(fd, 0, SEEK_CUR) == 0; Node has no lseek, so a
    // sequential read from the descriptor shows where its position is.
    const loop = new Loop();
    const file = fs.open(loop, p('test_file'), RW_CREATE, USER_RW);
    assert.equal(fs.write(loop, file, TEST_BUF, 0), TEST_BUF.length);
    assert.deepEqual(fs.read(loop, file, 32, 0), TEST_BUF);
    assert.deepEqual(fs.read(loop, file, 32, -1), TEST_BUF);
    fs.close(loop, file);
    fs.unlink(loop, p('test_file'));
    await teardown(loop);
  });

  it('fs_read_write_null_arguments', async () => {
    const loop = new Loop();
    assert.equal(
      code(() => fs.read(loop, 0, [], -1)),
      'EINVAL',
    );
    assert.equal(
      code(() => fs.write(loop, 0, [], -1)),
      'EINVAL',
    );
    assert.equal(await loop.run(), false);
    await teardown(loop);
  });

  it('fs_read_dir', async () => {
    const loop = new Loop();
    fs.mkdir(loop, p('test_dir'), 0o777);
    const dir = fs.open(loop, p('test_dir'), fs.O_RDONLY | fs.O_DIRECTORY, 0);
    assert.equal(
      code(() => fs.read(loop, dir, 32, -1)),
      'EISDIR',
    );
    assert.equal(
      code(() => fs.read(loop, dir, 32, 0)),
      'EISDIR',
    );
    fs.close(loop, dir);
    fs.rmdir(loop, p('test_dir'));
    await teardown(loop);
  });

  it('fs_readdir_empty_dir', async () => {
    const loop = new Loop();
    fs.mkdir(loop, p('empty_dir'), 0o777);
    const dir = fs.opendir(loop, p('empty_dir'));
    assert.deepEqual(fs.readdir(loop, dir, 1), []);
    fs.closedir(loop, dir);
    fs.rmdir(loop, p('empty_dir'));
    await teardown(loop);
  });

  it('fs_readdir_file', async () => {
    const loop = new Loop();
    const file = makeFile(loop, 'empty_file', '');
    assert.equal(
      code(() => fs.opendir(loop, file)),
      'ENOTDIR',
    );
    fs.unlink(loop, file);
    await teardown(loop);
  });

  it('fs_readdir_non_empty_dir', async () => {
    const loop = new Loop();
    fs.mkdir(loop, p('test_dir'), 0o755);
    makeFile(loop, 'test_dir/file1');
    makeFile(loop, 'test_dir/file2');
    fs.mkdir(loop, p('test_dir/test_subdir'), 0o755);
    const dir = fs.opendir(loop, p('test_dir'));
    const seen: fs.DirEntry[] = [];
    for (;;) {
      const batch = fs.readdir(loop, dir, 1);
      if (batch.length === 0) break;
      assert.equal(batch.length, 1);
      seen.push(...batch);
    }
    assert.equal(seen.length, 3);
    for (const entry of seen) {
      const expected = entry.name === 'test_subdir' ? fs.UV_DIRENT_DIR : fs.UV_DIRENT_FILE;
      assert.equal(entry.type, expected);
    }
    assert.deepEqual(seen.map((e) => e.name).sort(), ['file1', 'file2', 'test_subdir']);
    fs.closedir(loop, dir);
    fs.unlink(loop, p('test_dir/file1'));
    fs.unlink(loop, p('test_dir/file2'));
    fs.rmdir(loop, p('test_dir/test_subdir'));
    fs.rmdir(loop, p('test_dir'));
    await teardown(loop);
  });

  it('fs_readdir_non_existing_dir', async () => {
    const loop = new Loop();
    assert.equal(
      code(() => fs.opendir(loop, p('non-existing-dir'))),
      'ENOENT',
    );
    await teardown(loop);
  });

  it('fs_copyfile', async () => {
    const loop = new Loop();
    const src = makeFile(loop, 'test_file', 'src');
    const dst = p('test_file_dst');
    // Bad flags: EINVAL.
    assert.equal(
      code(() => fs.copyfile(loop, src, dst, -1)),
      'EINVAL',
    );
    // A missing source: ENOENT, and no destination.
    assert.equal(
      code(() => fs.copyfile(loop, p('nonexistent'), dst, 0)),
      'ENOENT',
    );
    assert.equal(
      code(() => fs.stat(loop, dst)),
      'ENOENT',
    );
    // Source and destination the same file: success, nothing truncated.
    fs.copyfile(loop, src, src, 0);
    assert.equal(fs.stat(loop, src).size, 3);
    // An empty file, and a plain copy: size and mode are kept.
    const empty = makeFile(loop, 'empty_file', '');
    fs.copyfile(loop, empty, dst, 0);
    assert.equal(fs.stat(loop, dst).size, 0);
    fs.chmod(loop, src, 0o640);
    fs.copyfile(loop, src, dst, 0);
    assert.equal(fs.stat(loop, dst).size, 3);
    assert.equal(mode(loop, dst), 0o640);
    // EXCL on an existing destination.
    assert.equal(
      code(() => fs.copyfile(loop, src, dst, fs.UV_FS_COPYFILE_EXCL)),
      'EEXIST',
    );
    // A larger destination is truncated.
    makeFile(loop, 'test_file_dst', 'a much longer destination');
    fs.copyfile(loop, src, dst, 0);
    assert.equal(fs.stat(loop, dst).size, 3);
    // 8 KiB.
    const big = makeFile(loop, 'big_file', Buffer.alloc(8192, 7));
    fs.copyfile(loop, big, dst, 0);
    assert.equal(fs.stat(loop, dst).size, 8192);
    // FICLONE falls back to a copy; FICLONE_FORCE clones or fails.
    fs.unlink(loop, dst);
    fs.copyfile(loop, src, dst, fs.UV_FS_COPYFILE_FICLONE);
    assert.equal(fs.stat(loop, dst).size, 3);
    fs.unlink(loop, dst);
    const forced = code(() => fs.copyfile(loop, src, dst, fs.UV_FS_COPYFILE_FICLONE_FORCE));
    assert.ok(['OK', 'ENOTSUP', 'ENOTTY', 'EXDEV', 'ENOSYS', 'EINVAL'].includes(forced), forced);
    for (const name of ['test_file', 'empty_file', 'big_file']) fs.unlink(loop, p(name));
    if (forced === 'OK') fs.unlink(loop, dst);
    await teardown(loop);
  });

  it('fs_get_system_error', async () => {
    const loop = new Loop();
    try {
      fs.statfs(loop, p('nonexistent'));
      assert.fail('statfs of a missing path succeeded');
    } catch (error) {
      assert.ok(error instanceof UVError);
      // uv_fs_get_system_error: the positive errno.
      assert.equal(-error.errno, 2);
    }
    await teardown(loop);
  });

  it('sendfile, synchronously: a hole, an offset, an empty input', async () => {
    const loop = new Loop();
    // "begin\n", a 64 KiB hole, "end\n": 65546 bytes, as fs_async_sendfile.
    const input = p('test_file');
    const fd = fs.open(loop, input, fs.O_WRONLY | fs.O_CREAT | fs.O_TRUNC, USER_RW);
    fs.write(loop, fd, 'begin\n', -1);
    fs.write(loop, fd, 'end\n', 65542);
    fs.close(loop, fd);
    const inFd = fs.open(loop, input, fs.O_RDONLY, 0);
    const outFd = fs.open(loop, p('test_file2'), CREATE, USER_RW);
    assert.equal(fs.sendfile(loop, outFd, inFd, 1, 131072), 65545);
    assert.equal(fs.stat(loop, p('test_file2')).size, 65545);
    const copy = fs.open(loop, p('test_file2'), fs.O_RDONLY, 0);
    assert.equal(fs.read(loop, copy, 4, 0).toString(), 'egin');
    fs.close(loop, copy);
    // The input's own position did not move.
    assert.equal(fs.read(loop, inFd, 6, -1).toString(), 'begin\n');
    const empty = makeFile(loop, 'empty_file', '');
    const emptyFd = fs.open(loop, empty, fs.O_RDONLY, 0);
    assert.equal(fs.sendfile(loop, outFd, emptyFd, 0, 100), 0);
    fs.close(loop, emptyFd);
    assert.equal(
      code(() => fs.sendfile(loop, outFd, emptyFd, 0, 100)),
      'EBADF',
    );
    fs.close(loop, inFd);
    fs.close(loop, outFd);
    await teardown(loop);
  });

  it('get_osfhandle_valid_handle', async () => {
    const loop = new Loop();
    const fd = fs.open(loop, p('osf'), fs.O_RDWR | fs.O_CREAT, USER_RW);
    assert.equal(fs.getOsfhandle(fd), fd);
    fs.close(loop, fd);
    await teardown(loop);
  });

  it('open_osfhandle_valid_handle', async () => {
    const loop = new Loop();
    const fd = fs.open(loop, p('osf'), fs.O_RDWR | fs.O_CREAT, USER_RW);
    assert.equal(fs.openOsfhandle(fs.getOsfhandle(fd)), fd);
    assert.throws(() => fs.getOsfhandle('3' as unknown as number), TypeError);
    fs.close(loop, fd);
    await teardown(loop);
  });
});
