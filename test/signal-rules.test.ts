// Signal rules of docs/semantics.md §8.B (rules 8.10–8.15, 1.20) beyond
// libuv's own tests, each checked against libuv 1.44.2 through luv where it is
// observable, and the places where uvts differs on purpose (docs/deviations.md).
import assert from 'node:assert/strict';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

import { HandleClosedError, Loop, Pipe, Signal } from '../src/index.js';
import { exited, LineReader, spawnTs, tempDir } from './fixtures/child-util.js';
import { teardown, traceLines, errorCode as code } from './helpers.js';

/** Raises `name` at this process and gives Node the turn in which its listener records it. */
async function raise(name: string): Promise<void> {
  process.kill(process.pid, name);
  await sleep(20);
}

describe('signal rules', () => {
  it('1.20: signal callbacks come after the I/O callbacks of the same poll', async () => {
    const { dir, remove } = tempDir('signal-poll');
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const loop = new Loop();
    const reader = new Pipe(loop);
    reader.open(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
    reader.startRead((handle) => handle.stopRead());
    new Signal(loop).start((handle) => handle.stop(), 'SIGCHLD');
    // The signal reaches Node first, the data second; both wait for POLL.
    await raise('SIGCHLD');
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(writer, 'data');
    await sleep(20);
    const lines = traceLines(loop);
    await loop.run('nowait');
    const poll = lines.indexOf('poll timeout=0');
    assert.deepEqual(lines.slice(poll, poll + 4), [
      'poll timeout=0',
      '  read pipe#1',
      '  signal signal#2',
      'check',
    ]);
    loop.tracer = null;
    closeSync(writer);
    await teardown(loop);
    remove();
  });

  it('8.10: starting on the watched signal only replaces the callback (even start_oneshot)', async () => {
    const loop = new Loop();
    const seen: string[] = [];
    const handle = new Signal(loop);
    handle.start(() => seen.push('first'), 'SIGCHLD');
    handle.start(() => seen.push('second'), 'SIGCHLD');
    // luv: a normal watcher restarted with start_oneshot on its signal stays normal.
    handle.startOneshot(() => seen.push('third'), 17);
    await raise('SIGCHLD');
    await loop.run('nowait');
    await raise('SIGCHLD');
    await loop.run('nowait');
    assert.deepEqual(seen, ['third', 'third']);
    assert.equal(handle.active, true);
    await teardown(loop);
  });

  it('8.11: a one-shot watcher is still active in its callback and stops right after it', async () => {
    const loop = new Loop();
    const handle = new Signal(loop);
    const seen: string[] = [];
    handle.startOneshot((h, signum) => {
      seen.push(`cb ${signum} active=${h.active} signum=${h.signum}`);
      // Same signal: only the callback is replaced, so this cannot re-arm it (luv).
      h.startOneshot(() => seen.push('re-armed'), 'SIGCHLD');
    }, 'SIGCHLD');
    await raise('SIGCHLD');
    assert.equal(await loop.run(), false);
    assert.deepEqual(seen, ['cb 17 active=true signum=17']);
    assert.equal(handle.active, false);
    assert.equal(handle.signum, 0);
    await teardown(loop);
  });

  it('8.13: a message for a handle stopped or moved to another signal is dropped', async () => {
    const loop = new Loop();
    const seen: string[] = [];
    const a = new Signal(loop);
    const b = new Signal(loop);
    const c = new Signal(loop);
    // uvts calls the watchers of one signal in start order (libuv: unspecified).
    a.start(() => {
      seen.push('a');
      b.stop();
      c.start(() => seen.push('c on SIGURG'), 'SIGURG');
    }, 'SIGCHLD');
    b.start(() => seen.push('b'), 'SIGCHLD');
    c.start(() => seen.push('c'), 'SIGCHLD');
    await raise('SIGCHLD');
    await loop.run('nowait');
    assert.deepEqual(seen, ['a']);
    await teardown(loop);
  });

  it('stop: no callbacks afterwards, signum 0, inactive', async () => {
    const loop = new Loop();
    let calls = 0;
    const handle = new Signal(loop).start(() => calls++, 'SIGWINCH');
    assert.equal(handle.signum, 28);
    assert.equal(handle.active, true);
    await raise('SIGWINCH');
    handle.stop();
    handle.stop();
    assert.equal(handle.signum, 0);
    assert.equal(handle.active, false);
    assert.equal(await loop.run(), false);
    await raise('SIGWINCH');
    assert.equal(await loop.run(), false);
    assert.equal(calls, 0);
    await teardown(loop);
  });

  it('6.7: closing a handle with a caught, undispatched signal runs no callback', async () => {
    const loop = new Loop();
    let closed = 0;
    const handle = new Signal(loop).start(() => assert.fail('callback after close'), 'SIGURG');
    await raise('SIGURG');
    handle.close(() => closed++);
    assert.equal(await loop.run(), false);
    assert.equal(closed, 1);
    await teardown(loop);
  });

  it('start: EINVAL for 0, unknown numbers and names, SIGKILL and SIGSTOP', async () => {
    const loop = new Loop();
    const handle = new Signal(loop);
    const noop = (): void => {};
    // 34 (SIGRTMIN) is valid for libuv, but Node cannot name real-time signals.
    for (const bad of [0, -1, 34, 65, 1.5, 9, 19, 'SIGKILL', 'SIGSTOP', 'SIGFOO', 'sigint', '']) {
      assert.equal(
        code(() => handle.start(noop, bad)),
        'EINVAL',
        `start(${String(bad)})`,
      );
      assert.equal(
        code(() => handle.startOneshot(noop, bad)),
        'EINVAL',
        `startOneshot(${String(bad)})`,
      );
    }
    assert.throws(() => handle.start(noop, null as unknown as number), TypeError);
    assert.throws(() => handle.start(null as unknown as () => void, 'SIGCHLD'), TypeError);
    assert.equal(handle.active, false);
    handle.close();
    assert.throws(() => handle.start(noop, 'SIGCHLD'), HandleClosedError);
    await teardown(loop);
  });

  it('8.14: the Node listener exists exactly while some handle watches the signal', async () => {
    const loop = new Loop();
    const before = process.listenerCount('SIGURG');
    const a = new Signal(loop).start(() => {}, 'SIGURG');
    const b = new Signal(loop).start(() => {}, 23);
    assert.equal(process.listenerCount('SIGURG'), before + 1);
    a.stop();
    assert.equal(process.listenerCount('SIGURG'), before + 1);
    b.close();
    assert.equal(process.listenerCount('SIGURG'), before);
    await teardown(loop);
  });

  it('deviation: stop() clears the one-shot flag, so a later start() keeps watching', async () => {
    // libuv 1.44.2 keeps the flag: the restarted watcher stops after one
    // delivery and the signal's default action applies to the next one.
    const loop = new Loop();
    let calls = 0;
    const handle = new Signal(loop).startOneshot(() => calls++, 'SIGCHLD');
    await raise('SIGCHLD');
    await loop.run();
    handle.start(() => calls++, 'SIGCHLD');
    for (let index = 0; index < 3; index++) {
      await raise('SIGCHLD');
      await loop.run('nowait');
    }
    assert.equal(calls, 4);
    assert.equal(handle.active, true);
    await teardown(loop);
  });

  it('deviation: start() in a worker thread throws ENOTSUP (Node delivers signals to the main thread)', async () => {
    const api = import.meta.resolve('tsx/esm/api');
    const index = new URL('../src/index.ts', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(api)})
        .then(({ register }) => { register(); return import(${JSON.stringify(index)}); })
        .then(async ({ Loop, Signal }) => {
          const loop = new Loop();
          const handle = new Signal(loop);
          try { handle.start(() => {}, 'SIGUSR2'); parentPort.postMessage('started'); }
          catch (error) { parentPort.postMessage(error.code); }
          handle.close();
          await loop.run();
          loop.close();
        });`;
    const worker = new Worker(code, { eval: true });
    const [message] = (await new Promise((resolve, reject) => {
      worker.once('message', (value: unknown) => resolve([value]));
      worker.once('error', reject);
    })) as [unknown];
    await worker.terminate();
    assert.equal(message, 'ENOTSUP');
  });

  it('an active Signal alone keeps the process waiting for the signal', async () => {
    const child = spawnTs('test/fixtures/signal-child.ts', ['wait']);
    const reader = new LineReader(child.stdout as Readable);
    await reader.waitFor('READY');
    await sleep(300);
    assert.equal(child.exitCode, null, 'the child must still be waiting');
    child.kill('SIGUSR2');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.equal(reader.text, 'READY\ndone 12\n');
  });

  it('8.14: after the last watcher stops, the default action applies (SIGUSR2 kills)', async () => {
    const child = spawnTs('test/fixtures/signal-child.ts', ['default']);
    assert.deepEqual(await exited(child), { code: null, signal: 'SIGUSR2' });
  });

  it('deviation: a one-shot watcher catches a second signal raised before dispatch', async () => {
    const child = spawnTs('test/fixtures/signal-child.ts', ['oneshot-twice']);
    const reader = new LineReader(child.stdout as Readable);
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.equal(reader.text, 'calls 1\n');
  });

  it('deviation: SIGPIPE stays caught and ignored after its last watcher stops', async () => {
    const child = spawnTs('test/fixtures/signal-child.ts', ['sigpipe']);
    const reader = new LineReader(child.stdout as Readable);
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.equal(reader.text, 'survived\n');
  });
});
