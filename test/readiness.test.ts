// Descriptor readiness through node:wasi (src/platform/readiness.ts), the
// machinery under Poll: the init-time probe gives epoll's answer (EPERM for
// what it refuses), and a watch's verdicts are level-triggered, never
// consume data, report a hang-up and an error condition. Real sockets and
// FIFOs; every wait is bounded by the engine's own verdict protocol, never
// by a timing assertion.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import net from 'node:net';
import { after, describe, it } from 'node:test';

import { findTcpDescriptor } from '../src/platform/socket-fd.js';
import {
  awaitVerdicts,
  READABLE,
  readinessPool,
  WRITABLE,
  type ReadinessWatch,
  type Verdict,
} from '../src/platform/readiness.js';
import { suiteTempDir } from './helpers.js';

/** WASI errno numbers (wasi_snapshot_preview1). */
const WASI_EIO = 29;
const WASI_EPERM = 63;

interface Pair {
  /** The descriptor of the accepted end, which Node never reads. */
  readonly fd: number;
  /** The connecting end, an ordinary Node socket. */
  readonly peer: net.Socket;
  close(): void;
}

/** A loopback TCP connection whose accepted end only the test reads. */
async function tcpPair(): Promise<Pair> {
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const peer = net.connect(port, '127.0.0.1');
  const socket = await accepted;
  await new Promise((resolve) => peer.once('connect', resolve));
  server.close();
  const fd = findTcpDescriptor(
    { address: socket.localAddress as string, port: socket.localPort as number },
    { address: socket.remoteAddress as string, port: socket.remotePort as number },
  );
  assert.ok(fd !== null);
  return { fd, peer, close: () => (socket.destroy(), peer.destroy()) };
}

const bell = new Int32Array(new SharedArrayBuffer(4));

/** The next verdict other than "not ready" (bounded by the verdict protocol, 10 s at most). */
function nextVerdict(watch: ReadinessWatch): Verdict | null {
  let verdict: Verdict | null = null;
  awaitVerdicts(bell, () => (verdict ??= watch.take()) === null, 10_000);
  return verdict;
}

/** Asks for a fresh verdict and returns it: a verdict, or null for "not ready". */
function fresh(watch: ReadinessWatch): Verdict | null {
  watch.ask();
  awaitVerdicts(bell, () => watch.pending, 10_000);
  assert.equal(watch.pending, false);
  return watch.take();
}

describe('descriptor readiness (node:wasi poll_oneoff)', () => {
  const temp = suiteTempDir('readiness');
  const pool = readinessPool();
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((cleanup) => cleanup()));

  it('the probe accepts sockets and FIFOs and gives EPERM where epoll does', async () => {
    const pair = await tcpPair();
    cleanups.push(pair.close);
    assert.equal(pool.probe(pair.fd, READABLE), 0);
    const fifo = temp.fresh('fifo');
    execFileSync('mkfifo', [fifo]);
    const fifoFd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    assert.equal(pool.probe(fifoFd, READABLE), 0);
    closeSync(fifoFd);
    const file = openSync(temp.fresh('file'), 'w+');
    assert.equal(pool.probe(file, READABLE), WASI_EPERM);
    closeSync(file);
    const devNull = openSync('/dev/null', 'r');
    assert.equal(pool.probe(devNull, READABLE), WASI_EPERM);
    closeSync(devNull);
  });

  it('readable is level-triggered, consumes nothing, and reports the hang-up', async () => {
    const pair = await tcpPair();
    cleanups.push(pair.close);
    const watch = pool.watch(pair.fd, READABLE, bell);
    watch.start();
    awaitVerdicts(bell, () => watch.pending, 10_000);
    assert.equal(watch.take(), null, 'nothing to read yet');
    pair.peer.write('abc');
    assert.deepEqual(nextVerdict(watch), { errno: 0, hangup: false });
    // Still there, so ready again; and the bytes were not consumed.
    assert.deepEqual(fresh(watch), { errno: 0, hangup: false });
    const buffer = Buffer.alloc(16);
    assert.equal(readSync(pair.fd, buffer), 3);
    assert.equal(buffer.toString('latin1', 0, 3), 'abc');
    assert.equal(fresh(watch), null, 'drained: not ready');
    // Node sends the FIN from its own loop, which the synchronous waits here block.
    await new Promise<void>((resolve) => pair.peer.end(() => resolve()));
    assert.deepEqual(nextVerdict(watch), { errno: 0, hangup: true });
    watch.dispose();
  });

  it('writable is reported at once on a connected socket; a stopped watch ignores it until restarted', async () => {
    const pair = await tcpPair();
    cleanups.push(pair.close);
    const watch = pool.watch(pair.fd, WRITABLE, bell);
    watch.start();
    assert.deepEqual(nextVerdict(watch), { errno: 0, hangup: false });
    watch.stop();
    watch.start();
    assert.deepEqual(nextVerdict(watch), { errno: 0, hangup: false });
    watch.dispose();
  });

  it('a FIFO: readable with data, and an error condition on a write end whose reader is gone', () => {
    const fifo = temp.fresh('fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(writer, 'x');
    const readable = pool.watch(reader, READABLE, bell);
    readable.start();
    assert.deepEqual(nextVerdict(readable), { errno: 0, hangup: false });
    readable.dispose();
    closeSync(reader);
    const writable = pool.watch(writer, WRITABLE, bell);
    writable.start();
    // POLLERR: libuv's uv_poll_t reports UV_EBADF and stops (rule 8.24).
    assert.deepEqual(nextVerdict(writable), { errno: WASI_EIO, hangup: false });
    writable.dispose();
    closeSync(writer);
  });
});
