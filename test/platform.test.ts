/**
 * The platform layer's descriptor classification (`guessHandle`, libuv's
 * `uv_guess_handle`) on real descriptors, and the profile of the errors a
 * loop builds (a 1.44 loop never names a code libuv 1.44 lacks).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Loop, TCP, StatusCode } from '../src/index.js';
import { guessHandle } from '../src/platform/fd.js';
import { teardown } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The descriptor of this process's UDP socket bound to `port`, through /proc. */
function udpDescriptor(port: number): number {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const line = readFileSync('/proc/net/udp', 'latin1')
    .split('\n')
    .find((row) => row.trim().split(/\s+/)[1]?.endsWith(`:${portHex}`));
  const inode = line?.trim().split(/\s+/)[9];
  assert.ok(inode !== undefined, 'the UDP socket is in /proc/net/udp');
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`) === `socket:[${inode}]`) return Number(name);
    } catch {
      // closed meanwhile
    }
  }
  throw new Error('no descriptor for the UDP socket');
}

describe('guessHandle', () => {
  test('files, character devices, FIFOs and bad descriptors', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'uvts-guess-'));
    try {
      const file = openSync(path.join(dir, 'file'), 'w');
      const devNull = openSync('/dev/null', 'r');
      execFileSync('mkfifo', [path.join(dir, 'fifo')]);
      const fifo = openSync(path.join(dir, 'fifo'), 'r+');
      assert.deepEqual(
        [guessHandle(file), guessHandle(devNull), guessHandle(fifo), guessHandle(-1)],
        ['file', 'file', 'pipe', 'unknown'],
      );
      for (const fd of [file, devNull, fifo]) closeSync(fd);
      assert.equal(guessHandle(fifo), 'unknown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('TCP and UDP sockets', async () => {
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen(() => {});
    assert.equal(guessHandle(server.fileno()), 'tcp');
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    assert.equal(guessHandle(udpDescriptor(udp.address().port)), 'udp');
    udp.close();
    server.close();
    await teardown(loop);
  });

  test("a child's stdin made by Node is a Unix stream socket: pipe", () => {
    const script = `import { guessHandle } from ${JSON.stringify(path.join(ROOT, 'src/platform/fd.ts'))};
process.stdout.write(guessHandle(0));`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
    assert.equal(child.stdout, 'pipe');
  });
});

describe("a loop's errors carry its profile", () => {
  test('ENODATA is "Unknown system error -61" on a 1.44 loop only', async () => {
    const nodeError = Object.assign(new Error('no data'), { errno: -61, code: 'ENODATA' });
    const old = new Loop({ libuv: '1.44' });
    const current = new Loop();
    const onOld = old.errors.fromNode(nodeError, 'read');
    assert.equal(onOld.code, 'Unknown system error -61');
    assert.equal(onOld.message, 'Unknown system error -61');
    assert.equal(current.errors.fromNode(nodeError, 'read').code, 'ENODATA');
    assert.equal(old.errors.error(StatusCode.ENODATA, 'read').code, 'Unknown system error -61');
    assert.equal(old.errors.status(StatusCode.EOF, 'read').code, 'EOF');
    await teardown(old);
    await teardown(current);
  });
});
