// Many connections at once: 200 clients each send 256 KiB in uneven pieces
// and read the echo back; every byte must come back, in order, on its own
// connection. Once against the echo-server process, once with the server
// on the same uvts loop (so both ends are uvts streams).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Loop, TCP, Timer, type UVError } from '../src/index.js';
import { teardown } from './helpers.js';
import { isUV, pattern, startEchoServer, type EchoServer } from './stream-helpers.js';

const CONNECTIONS = 200;
const BYTES = 256 * 1024;
/** A safety net only: the whole exchange takes well under a second here. */
const GUARD_MS = 60_000;

interface Outcome {
  connects: number;
  writeCallbacks: number;
  shutdowns: number;
  eofs: number;
  closes: number;
  failures: string[];
}

/**
 * Starts CONNECTIONS clients against `port`. Each writes its pattern in
 * pieces of 1..64 KiB (one write call per piece, some of them vectored),
 * then shuts down, and compares everything it reads with what it sent.
 */
function startClients(loop: Loop, port: number, outcome: Outcome): void {
  for (let n = 0; n < CONNECTIONS; n++) {
    const data = pattern(BYTES, n + 1);
    let received = 0;
    const client = new TCP(loop);
    client.connect('127.0.0.1', port, (tcp, error) => {
      if (error !== null) {
        outcome.failures.push(`connect ${n}: ${error.code}`);
        tcp.close();
        return;
      }
      outcome.connects++;
      tcp.startRead((h, chunk, readError: UVError | null) => {
        if (chunk === null) {
          if (readError?.code !== 'EOF') outcome.failures.push(`read ${n}: ${readError?.code}`);
          else if (received !== BYTES) outcome.failures.push(`short ${n}: ${received}`);
          else outcome.eofs++;
          h.close(() => outcome.closes++);
          return;
        }
        if (
          received + chunk.length > BYTES ||
          !chunk.equals(data.subarray(received, received + chunk.length))
        ) {
          outcome.failures.push(`data ${n} differs at ${received}`);
          h.close(() => outcome.closes++);
          return;
        }
        received += chunk.length;
      });
      let offset = 0;
      let piece = 0;
      while (offset < BYTES) {
        const size = Math.min(BYTES - offset, 1024 + ((n * 7919 + piece * 104729) % (63 * 1024)));
        const slice = data.subarray(offset, offset + size);
        // Every third piece goes out as a vector of two buffers.
        const payload =
          piece % 3 === 2 ? [slice.subarray(0, size >> 1), slice.subarray(size >> 1)] : slice;
        tcp.write(payload, (_h, writeError) => {
          if (writeError !== null) outcome.failures.push(`write ${n}: ${writeError.code}`);
          else outcome.writeCallbacks++;
        });
        offset += size;
        piece++;
      }
      tcp.shutdown((_h, shutdownError) => {
        if (shutdownError !== null) outcome.failures.push(`shutdown ${n}: ${shutdownError.code}`);
        else outcome.shutdowns++;
      });
    });
  }
}

/** Fails the run (closing everything) if it has not finished after GUARD_MS. */
function guard(loop: Loop, outcome: Outcome): Timer {
  const timer = new Timer(loop);
  timer.start(() => {
    outcome.failures.push('timed out');
    loop.walk((handle) => {
      if (!handle.closing) handle.close();
    });
  }, GUARD_MS);
  timer.unref();
  return timer;
}

function expectComplete(outcome: Outcome, expectedWrites: number): void {
  assert.deepEqual(outcome.failures, []);
  assert.equal(outcome.connects, CONNECTIONS);
  assert.equal(outcome.writeCallbacks, expectedWrites);
  assert.equal(outcome.shutdowns, CONNECTIONS);
  assert.equal(outcome.eofs, CONNECTIONS);
  assert.equal(outcome.closes, CONNECTIONS);
}

/** How many write() calls startClients makes in total. */
function writesPerRun(): number {
  let total = 0;
  for (let n = 0; n < CONNECTIONS; n++) {
    let offset = 0;
    let piece = 0;
    while (offset < BYTES) {
      offset += Math.min(BYTES - offset, 1024 + ((n * 7919 + piece * 104729) % (63 * 1024)));
      piece++;
    }
    total += piece;
  }
  return total;
}

const outcome = (): Outcome => ({
  connects: 0,
  writeCallbacks: 0,
  shutdowns: 0,
  eofs: 0,
  closes: 0,
  failures: [],
});

describe('tcp stress', { timeout: 120_000 }, () => {
  let echo: EchoServer;
  before(async () => {
    echo = await startEchoServer();
  });
  after(async () => {
    await echo.stop();
  });

  test(`${CONNECTIONS} connections x 256 KiB through the echo-server process`, async () => {
    const loop = new Loop();
    const result = outcome();
    const timer = guard(loop, result);
    startClients(loop, echo.port, result);
    assert.equal(await loop.run(), false);
    timer.close();
    expectComplete(result, writesPerRun());
    await teardown(loop);
  });

  test(`${CONNECTIONS} connections x 256 KiB with the echo server on the same loop`, async () => {
    const loop = new Loop();
    const result = outcome();
    const timer = guard(loop, result);
    let accepted = 0;
    let serverEofs = 0;
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen((s, error) => {
      assert.equal(error, null);
      const peer = new TCP(loop);
      s.accept(peer);
      if (++accepted === CONNECTIONS) s.close();
      peer.startRead((p, chunk, readError) => {
        if (chunk === null) {
          isUV(readError, 'EOF');
          serverEofs++;
          p.shutdown((h) => h.close());
          return;
        }
        p.write(chunk);
      });
    }, 511);
    startClients(loop, server.getsockname().port, result);
    assert.equal(await loop.run(), false);
    timer.close();
    expectComplete(result, writesPerRun());
    assert.equal(accepted, CONNECTIONS);
    assert.equal(serverEofs, CONNECTIONS);
    await teardown(loop);
  });
});
