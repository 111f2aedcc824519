// Pipe.open(fd): FIFOs in this process, socketpair fds inherited by a child
// (docs/node.md Q6), libuv's ipc_heavy_traffic_deadlock_bug and
// ipc_send_zero (test-ipc.c, run in a child that opens its inherited fd),
// and the fd checks Node forces on us (a regular file cannot be a Node
// stream: EINVAL where libuv would accept it).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import { describe, it } from 'node:test';

import { Loop, Pipe } from '../src/index.js';
import { exited, LineReader, spawnTs } from './fixtures/child-util.js';
import { teardown, errorCode as code, suiteTempDir } from './helpers.js';

/** Runs test/fixtures/pipe-open-child.ts in `mode` and returns its JSON report. */
async function runChild(
  mode: string,
  talk: (stdio: (Duplex | null)[]) => void,
  stdio: ('pipe' | 'ignore' | 'inherit')[] = ['ignore', 'pipe', 'inherit', 'pipe'],
): Promise<Record<string, unknown>> {
  const child = spawnTs('test/fixtures/pipe-open-child.ts', [mode], { stdio });
  const reader = new LineReader(child.stdout as Readable);
  talk(child.stdio as (Duplex | null)[]);
  const { code: exitCode } = await exited(child);
  assert.equal(exitCode, 0, `child output: ${reader.text}`);
  return JSON.parse(reader.text.trim()) as Record<string, unknown>;
}

describe('pipe open', () => {
  const temp = suiteTempDir('pipe-open');
  const fifo = (): string => {
    const name = temp.fresh('fifo');
    execFileSync('mkfifo', [name]);
    return name;
  };

  it('a FIFO opened read-write: what is written comes back', async () => {
    const loop = new Loop();
    const fd = openSync(fifo(), constants.O_RDWR | constants.O_NONBLOCK);
    const pipe = new Pipe(loop);
    pipe.open(fd);
    assert.equal(pipe.readable, true);
    assert.equal(pipe.writable, true);
    // A FIFO has no socket name.
    assert.equal(
      code(() => pipe.getsockname()),
      'ENOTSOCK',
    );
    let writes = 0;
    pipe.write('hello fifo', (_h, status) => {
      assert.equal(status, null);
      writes++;
    });
    pipe.startRead((handle, data) => {
      assert.equal(data?.toString(), 'hello fifo');
      handle.close();
    });
    assert.equal(await loop.run(), false);
    assert.equal(writes, 1);
    await teardown(loop);
  });

  it('the two ends of a FIFO: directions follow the open mode, EOF when the writer closes', async () => {
    const loop = new Loop();
    const name = fifo();
    const reader = new Pipe(loop);
    reader.open(openSync(name, constants.O_RDONLY | constants.O_NONBLOCK));
    const writer = new Pipe(loop);
    writer.open(openSync(name, constants.O_WRONLY | constants.O_NONBLOCK));
    assert.deepEqual([reader.readable, reader.writable], [true, false]);
    assert.deepEqual([writer.readable, writer.writable], [false, true]);
    assert.equal(
      code(() => reader.write('x')),
      'EPIPE',
    );
    assert.equal(
      code(() => writer.startRead(() => {})),
      'ENOTCONN',
    );
    writer.write('one way', (handle) => handle.close());
    let text = '';
    let end = '';
    reader.startRead((handle, data, error) => {
      if (data !== null) text += data.toString();
      else {
        end = error?.code ?? '';
        handle.close();
      }
    });
    assert.equal(await loop.run(), false);
    assert.equal(text, 'one way');
    assert.equal(end, 'EOF');
    await teardown(loop);
  });

  it('open: EBADF for a closed fd, EINVAL for a regular file or /dev/null, EBUSY when already open', async () => {
    const loop = new Loop();
    const file = temp.path('regular');
    writeFileSync(file, 'x');
    const fileFd = openSync(file, 'r');
    const nullFd = openSync('/dev/null', 'r');
    const closedFd = openSync(file, 'r');
    closeSync(closedFd);
    assert.equal(
      code(() => new Pipe(loop).open(closedFd)),
      'EBADF',
    );
    assert.equal(
      code(() => new Pipe(loop).open(fileFd)),
      'EINVAL',
    );
    assert.equal(
      code(() => new Pipe(loop).open(nullFd)),
      'EINVAL',
    );
    const pipe = new Pipe(loop);
    pipe.open(openSync(fifo(), constants.O_RDWR | constants.O_NONBLOCK));
    assert.equal(
      code(() => pipe.open(fileFd)),
      'EBUSY',
    );
    assert.throws(() => pipe.open(-1), TypeError);
    closeSync(fileFd);
    closeSync(nullFd);
    await teardown(loop);
  });

  it('a socketpair fd inherited by a child (stdio[3]) works as a duplex pipe', async () => {
    let received = '';
    const report = await runChild('echo', (stdio) => {
      const channel = stdio[3] as Duplex;
      channel.setEncoding('utf8');
      channel.on('data', (chunk: string) => (received += chunk));
      channel.on('end', () => channel.end());
      channel.write('PI');
      setTimeout(() => channel.write('NG\n'), 20);
    });
    assert.deepEqual(report, {
      mode: 'echo',
      readable: true,
      writable: true,
      sockname: '',
      got: 'PING\n',
      write: 'OK',
      shutdown: 'OK',
      end: 'EOF',
    });
    assert.equal(received, 'PONG\n');
  });

  it('ipc_heavy_traffic_deadlock_bug: 6 MiB each way at the same time, no deadlock', async () => {
    const total = 256 * 3 * 8192;
    let received = 0;
    const report = await runChild('heavy', (stdio) => {
      const channel = stdio[3] as Duplex;
      channel.on('data', (chunk: Buffer) => (received += chunk.length));
      channel.on('end', () => channel.end());
      const block = Buffer.alloc(8192, 7);
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent += block.length;
          if (!channel.write(block)) {
            channel.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    assert.deepEqual(report, { mode: 'heavy', read: total, written: total, shutdown: 'OK' });
    assert.equal(received, total);
  });

  it('ipc_send_zero: a zero-length write on an opened stdin pipe succeeds', async () => {
    const report = await runChild('zero', () => {}, ['pipe', 'pipe', 'inherit']);
    assert.deepEqual(report, { mode: 'zero', write: 'OK' });
  });
});
