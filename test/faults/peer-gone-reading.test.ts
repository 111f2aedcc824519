/**
 * Fault suite: the peer goes away while this side reads — it closes after
 * writing, resets, or its process is killed or never writes. Whatever the
 * read callback is given is an intact prefix of what the peer sent, in
 * order; a peer that closes cleanly has every byte it wrote arrive, then
 * EOF; a reset ends the stream with ECONNRESET, a killed process with EOF
 * or ECONNRESET. Outcomes measured with luv (libuv 1.44.2 and 1.52.1).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Loop, Pipe, Timer } from '../../src/index.js';
import type { Stream, UVError } from '../../src/index.js';
import { repoPath, ROOT, tempDir } from '../fixtures/child-util.js';
import { PROFILES, teardown } from '../helpers.js';
import { connectedPair, pattern, SAFETY_TIMEOUT } from '../stream-helpers.js';

/** What a slow reader saw: bytes, whether they matched, and how the stream ended. */
interface Reading {
  received: number;
  intact: boolean;
  end: string;
}

/**
 * Reads `stream` slowly — one chunk, then a pause of one loop iteration —
 * checking every byte against `expected(offset, length)`; closes the
 * stream at the end and calls `done`.
 */
function readSlowly(
  stream: Stream,
  expected: (offset: number, length: number) => Buffer,
  done: (reading: Reading) => void,
): void {
  const reading: Reading = { received: 0, intact: true, end: '' };
  const pause = new Timer(stream.loop);
  const onRead = (s: Stream, chunk: Buffer | null, error: UVError | null): void => {
    if (chunk === null) {
      reading.end = error?.code ?? '?';
      pause.close();
      s.close();
      done(reading);
      return;
    }
    if (!chunk.equals(expected(reading.received, chunk.length))) reading.intact = false;
    reading.received += chunk.length;
    s.stopRead();
    pause.start(() => s.startRead(onRead), 0);
  };
  stream.startRead(onRead);
}

/** Reads `stream` without stopping, checking every byte; closes it at the end. */
function readOn(
  stream: Stream,
  expected: (offset: number, length: number) => Buffer,
  done: (reading: Reading) => void,
): void {
  const reading: Reading = { received: 0, intact: true, end: '' };
  stream.startRead((s, chunk, error) => {
    if (chunk === null) {
      reading.end = error?.code ?? '?';
      s.close();
      done(reading);
      return;
    }
    if (!chunk.equals(expected(reading.received, chunk.length))) reading.intact = false;
    reading.received += chunk.length;
  });
}

/**
 * Writes `data` in 64 KiB requests and resets the connection once its
 * first MiB is with the kernel; what is still queued is dropped by the
 * reset.
 */
function writeThenReset(peer: Stream & { closeReset(): void }, data: Buffer): void {
  for (let offset = 0; offset < data.length; offset += 64 * 1024) {
    peer.write(data.subarray(offset, offset + 64 * 1024), (p) => {
      if (offset === 1024 * 1024 && !p.closing) peer.closeReset();
    });
  }
}

/** The byte sequence the writer child sends: byte i is i mod 251. */
function sequence(offset: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let index = 0; index < length; index++) bytes[index] = (offset + index) % 251;
  return bytes;
}

/** A child that connects to the pipe `name` and writes `sequence` until it is killed. */
const WRITER_CHILD = `
const net = require('net');
const block = Buffer.allocUnsafe(251 * 256);
for (let i = 0; i < block.length; i++) block[i] = i % 251;
const socket = net.connect(process.argv[1]);
const pump = () => { while (socket.write(block)); };
socket.on('connect', pump);
socket.on('drain', pump);
`;

describe('faults: the peer goes away while this side reads', () => {
  for (const profile of PROFILES) {
    test(
      `peer close mid-read: every byte the peer wrote arrives, then EOF (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const data = pattern(4 * 1024 * 1024, 21);
        let reading: Reading | null = null;
        const writes: string[] = [];
        connectedPair(loop, (client, accepted) => {
          for (let offset = 0; offset < data.length; offset += 64 * 1024) {
            accepted.write(data.subarray(offset, offset + 64 * 1024), (_a, error) =>
              writes.push(error?.code ?? 'ok'),
            );
          }
          accepted.shutdown((a, error) => {
            assert.equal(error, null);
            a.close();
          });
          readSlowly(
            client,
            (offset, length) => data.subarray(offset, offset + length),
            (r) => {
              reading = r;
            },
          );
        });
        assert.equal(await loop.run(), false);
        assert.deepEqual(reading, { received: data.length, intact: true, end: 'EOF' });
        assert.deepEqual(new Set(writes), new Set(['ok']));
        assert.equal(writes.length, 64);
        await teardown(loop);
      },
    );
  }

  // luv 1.44.2 and 1.52.1, the same sequence: a reader that stops after
  // each chunk sees ECONNRESET after the data; one that keeps reading sees
  // EOF on 1.44 (the hang-up shortcut, rule 7.7) and ECONNRESET on 1.52.
  const RESET_ENDS = [
    { profile: '1.44', stops: true, end: 'ECONNRESET' },
    { profile: '1.52', stops: true, end: 'ECONNRESET' },
    { profile: '1.44', stops: false, end: 'EOF' },
    { profile: '1.52', stops: false, end: 'ECONNRESET' },
  ] as const;
  for (const { profile, stops, end } of RESET_ENDS) {
    const reader = stops ? 'stopping after each chunk' : 'reading on';
    test(
      `peer reset mid-read, ${reader}: an intact prefix, then ${end} (${profile})`,
      SAFETY_TIMEOUT,
      async () => {
        const loop = new Loop({ libuv: profile });
        const data = pattern(4 * 1024 * 1024, 22);
        const expected = (offset: number, length: number): Buffer =>
          data.subarray(offset, offset + length);
        let reading: Reading | null = null;
        connectedPair(loop, (client, accepted) => {
          writeThenReset(accepted, data);
          const done = (r: Reading): void => {
            reading = r;
          };
          if (stops) readSlowly(client, expected, done);
          else readOn(client, expected, done);
        });
        assert.equal(await loop.run(), false);
        const { received, intact, end: seen } = reading as unknown as Reading;
        assert.ok(intact, 'the bytes that arrived are the first ones, in order');
        assert.ok(received <= data.length);
        assert.equal(seen, end);
        await teardown(loop);
      },
    );
  }

  test(
    'peer reset mid-read, the peer address already asked: EOF (docs/deviations.md S16)',
    SAFETY_TIMEOUT,
    async () => {
      // libuv 1.52.1 reads the reset (ECONNRESET). Node's libuv ends the
      // read round with EOF, and uvts tells a reset from a close by asking
      // the kernel for the peer's address, which Node keeps once asked.
      const loop = new Loop();
      const data = pattern(4 * 1024 * 1024, 23);
      let reading: Reading | null = null;
      connectedPair(loop, (client, accepted) => {
        client.getpeername();
        writeThenReset(accepted, data);
        readOn(
          client,
          (offset, length) => data.subarray(offset, offset + length),
          (r) => {
            reading = r;
          },
        );
      });
      assert.equal(await loop.run(), false);
      const { intact, end } = reading as unknown as Reading;
      assert.ok(intact, 'the bytes that arrived are the first ones, in order');
      assert.equal(end, 'EOF');
      await teardown(loop);
    },
  );

  test(
    'a writer process killed mid-stream: an intact prefix, then EOF or ECONNRESET',
    SAFETY_TIMEOUT,
    async () => {
      const { dir, remove } = tempDir('writer-killed');
      try {
        const loop = new Loop();
        const name = path.join(dir, 'sock');
        const server = new Pipe(loop);
        server.bind(name);
        let reading: Reading | null = null;
        let child: ReturnType<typeof spawn> | null = null;
        server.listen((s) => {
          const conn = new Pipe(loop);
          s.accept(conn);
          s.close();
          let killed = false;
          readSlowly(
            conn,
            (offset, length) => {
              // Kill the writer once 1 MB has arrived; reading goes on.
              if (!killed && offset >= 1000 * 1000) {
                killed = true;
                child?.kill('SIGKILL');
              }
              return sequence(offset, length);
            },
            (r) => {
              reading = r;
            },
          );
        });
        child = spawn(process.execPath, ['-e', WRITER_CHILD, name], { stdio: 'ignore' });
        assert.equal(await loop.run(), false);
        const { received, intact, end } = reading as unknown as Reading;
        assert.ok(intact, 'the bytes that arrived are the first ones, in order');
        assert.ok(received >= 1000 * 1000);
        assert.ok(['EOF', 'ECONNRESET'].includes(end), `the read ended with ${end}`);
        await teardown(loop);
      } finally {
        remove();
      }
    },
  );

  test('pipe_close_stdout_read_stdin', SAFETY_TIMEOUT, async () => {
    // libuv's test forks a child whose stdin is a pipe the parent closes;
    // the child waits for that in read(2), then one NOWAIT run must take
    // the EOF and close the pipe (luv 1.44.2 and 1.52.1: run returns
    // false; read EOF, closed). Here a shell pipeline makes the real pipe.
    const script = repoPath('test/fixtures/close-stdout-child.ts');
    const child = spawn(
      '/bin/sh',
      ['-c', 'true | exec "$0" --import tsx "$1"', process.execPath, script],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(output), { bytes: 0, alive: false, seen: ['read EOF', 'closed'] });
  });
});
