// TTY: libuv's `tty` and `tty_file` (test-tty.c) and what a
// pseudo-terminal allows beyond them. Terminal cases run in a child on a pty
// made by `script` (docs/node.md Q11), driven through script's stdin; the
// rest (EINVAL for files, a TTY handle over a pipe) run here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';

import { Loop, TTY } from '../src/index.js';
import { exited, LineReader, repoPath, ROOT, tempDir } from './fixtures/child-util.js';
import { teardown, errorCode as code } from './helpers.js';

/** Runs test/fixtures/tty-child.ts on a pty; `drive` types into it. Returns its RESULT. */
async function runOnPty(
  args: string[],
  drive: (reader: LineReader, input: Writable) => Promise<void> = async () => {},
): Promise<Record<string, unknown>> {
  const command = [
    'stty cols 80 rows 24;',
    'exec',
    process.execPath,
    '--import tsx',
    repoPath('test/fixtures/tty-child.ts'),
    ...args,
  ].join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const reader = new LineReader(child.stdout as Readable);
  await drive(reader, child.stdin as Writable);
  const { code: exitCode } = await exited(child);
  (child.stdin as Writable).end();
  assert.equal(exitCode, 0, `output: ${reader.text}`);
  const match = /RESULT (.*)\r?\n/.exec(reader.text);
  assert.notEqual(match, null, `no RESULT line in: ${reader.text}`);
  return JSON.parse((match as RegExpExecArray)[1] as string) as Record<string, unknown>;
}

describe('tty', () => {
  it('tty: /dev/tty read-only and write-only, window size, raw and back, resetMode x3', async () => {
    const result = await runOnPty(['devtty']);
    assert.deepEqual(result, {
      mode: 'devtty',
      // tty_file: RDONLY is readable only, WRONLY writable only, RDWR both.
      directions: ['r-', '-w', 'rw'],
      guessed: ['tty', 'tty'],
      winsize: [
        [80, 24],
        [80, 24],
      ],
      ioIsRaw: true,
      // tty_file: after close, neither readable nor writable.
      closed: ['--', '--', '--'],
    });
  });

  it('TTY handles on fds 0 and 1: size, write, a line in normal mode, a key in raw mode', async () => {
    const result = await runOnPty(['stdio'], async (reader, input) => {
      await reader.waitFor('READY');
      input.write('ping\n');
      await reader.waitFor('RAW-READY');
      // Raw mode delivers a key at once, without a newline.
      input.write('x');
    });
    assert.deepEqual(result, {
      mode: 'stdio',
      directions: ['rw', 'rw'],
      winsize: [80, 24],
      write: 'OK',
      line: 'ping',
      rawChanged: true,
      key: 'x',
      restored: true,
    });
  });

  it('7.31: closing a raw TTY restores the terminal in profile 1.52', async () => {
    const result = await runOnPty(['close-raw', '1.52']);
    assert.deepEqual(result, {
      mode: 'close-raw',
      afterClose: 'normal',
      afterReset: 'normal',
    });
  });

  it('7.31: profile 1.44 leaves a closed raw TTY raw until TTY.resetMode()', async () => {
    const result = await runOnPty(['close-raw', '1.44']);
    assert.deepEqual(result, { mode: 'close-raw', afterClose: 'raw', afterReset: 'normal' });
  });

  it('Pipe.open() on terminal fds works as a stream', async () => {
    const result = await runOnPty(['pipe-open']);
    assert.deepEqual(result, { mode: 'pipe-open', directions: ['rw', 'rw'], write: 'OK' });
  });

  it('tty_file: EINVAL for a regular file, a closed fd, /dev/null, /dev/zero, /dev/random', async () => {
    const loop = new Loop();
    const { dir, remove } = tempDir('tty-file');
    const file = path.join(dir, 'regular');
    writeFileSync(file, 'x');
    const fds = [
      openSync(file, 'r'),
      openSync('/dev/null', 'r'),
      openSync('/dev/zero', 'r'),
      openSync('/dev/random', 'r'),
    ];
    const closed = openSync(file, 'r');
    closeSync(closed);
    for (const fd of [...fds, closed, -1]) {
      assert.equal(
        code(() => new TTY(loop, fd, true)),
        'EINVAL',
        `fd ${fd}`,
      );
    }
    assert.throws(() => new TTY(loop, 1.5, true), TypeError);
    // A failed init leaves no handle behind (rule 2.9).
    assert.deepEqual(loop.handles, []);
    for (const fd of fds) closeSync(fd);
    await teardown(loop);
    remove();
  });

  it('a TTY handle over a pipe fd works as a plain stream; mode and size say ENOTTY', async () => {
    const loop = new Loop();
    const { dir, remove } = tempDir('tty-pipe');
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const handle = new TTY(loop, openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK), false);
    assert.equal(handle.type, 'tty');
    assert.equal(handle.readable, true);
    assert.equal(handle.writable, true);
    // Setting the current mode is a no-op even here (libuv checks the mode first).
    handle.setMode(TTY.MODE_NORMAL);
    assert.equal(
      code(() => handle.setMode(TTY.MODE_RAW)),
      'ENOTTY',
    );
    assert.equal(
      code(() => handle.setMode(7)),
      'EINVAL',
    );
    assert.equal(
      code(() => handle.getWinsize()),
      'ENOTTY',
    );
    assert.equal(
      code(() => handle.listen(() => {})),
      'EINVAL',
    );
    let text = '';
    handle.write('through a tty handle', (_h, status) => assert.equal(status, null));
    handle.startRead((h, data) => {
      text += data?.toString() ?? '';
      if (text.length >= 20) h.close();
    });
    assert.equal(await loop.run(), false);
    assert.equal(text, 'through a tty handle');
    await teardown(loop);
    remove();
  });
});
