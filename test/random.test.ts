/**
 * `random` (`uv_random`): libuv's test/test-random.c (`random_async`,
 * `random_sync`) and the random part of test/test-threadpool-cancel.c
 * (`threadpool_cancel_random`). The argument checks and their order (E2BIG
 * before EINVAL) were measured with luv 1.44.2 and the 1.52.1 oracle.
 */
process.env.UV_THREADPOOL_SIZE = '4';

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Loop, random, UVError } from '../src/index.js';
import type { RandomRequest } from '../src/index.js';
import { bothProfiles, openSaturatedPools, saturatePool, teardown, uvError } from './helpers.js';

/** A buffer that claims 2^31 bytes without allocating them (only `byteLength` is read first). */
function hugeBuffer(): Uint8Array {
  const buffer = new Uint8Array(1);
  Object.defineProperty(buffer, 'byteLength', { value: 0x80000000 });
  return buffer;
}

afterEach(openSaturatedPools);

bothProfiles('random_async', async (profile) => {
  const loop = new Loop({ libuv: profile });
  const noCallback = (): void => assert.fail('no callback for a refused request');
  assert.throws(() => random(loop, new Uint8Array(256), -1, noCallback), uvError('EINVAL'));
  assert.throws(() => random(loop, hugeBuffer(), 0, noCallback), uvError('E2BIG'));
  assert.throws(() => random(loop, hugeBuffer(), 1, noCallback), uvError('E2BIG'));

  const log: string[] = [];
  const empty = new Uint8Array(0);
  const zero = random(loop, empty, 0, (request, buffer, error) => {
    assert.equal(request, zero);
    assert.equal(buffer, empty);
    log.push(`empty ${buffer.byteLength} ${error?.code ?? 'ok'}`);
  });
  const bytes = new Uint8Array(256);
  const full: RandomRequest = random(loop, bytes, 0, (request, buffer, error) => {
    assert.equal(request, full);
    assert.equal(buffer, bytes);
    log.push(`full ${buffer.byteLength} ${error?.code ?? 'ok'}`);
  });
  assert.equal(full.type, 'random');
  assert.deepEqual(log, [], 'callbacks are never called synchronously');
  assert.equal(loop.alive, true, 'a random request keeps the loop alive');
  assert.equal(await loop.run(), false);
  assert.deepEqual(log.sort(), ['empty 0 ok', 'full 256 ok']);
  assert.ok(
    bytes.some((byte) => byte !== 0),
    '256 random bytes are not all zero',
  );
  await teardown(loop);
});

test('random_sync', () => {
  assert.throws(() => random(null, new Uint8Array(256), -1), uvError('EINVAL'));
  assert.throws(() => random(null, hugeBuffer(), 0), uvError('E2BIG'));
  const bytes = new Uint8Array(256);
  assert.equal(random(null, bytes), bytes);
  assert.ok(
    bytes.some((byte) => byte !== 0),
    '256 random bytes are not all zero',
  );
  const view = new DataView(new ArrayBuffer(8));
  assert.equal(random(null, view, 0), view, 'any ArrayBufferView, as libuv takes any memory');
});

test('random: bad input is a TypeError', () => {
  const loop = new Loop();
  assert.throws(() => random(loop, [1, 2, 3] as unknown as Uint8Array, 0, () => {}), TypeError);
  assert.throws(() => random(loop, new Uint8Array(1), '0' as unknown as number), TypeError);
  assert.throws(() => random(loop, new Uint8Array(1), 0, 'cb' as unknown as null), TypeError);
  loop.close();
});

bothProfiles(
  'threadpool_cancel_random',
  async (profile) => {
    // S34: behind a saturated pool, a 1-byte random request is cancelled at
    // once (no callback yet); after the pool drains, its callback gets
    // ECANCELED with the same buffer and length, once.
    const loop = new Loop({ libuv: profile });
    const pool = saturatePool(loop);
    const bytes = new Uint8Array(1);
    const calls: string[] = [];
    const request = random(loop, bytes, 0, (req, buffer, error) => {
      assert.equal(req, request);
      assert.equal(buffer, bytes);
      assert.ok(error instanceof UVError);
      calls.push(`${error.code} ${buffer.byteLength}`);
    });
    request.cancel();
    assert.equal(request.canceled, true);
    assert.deepEqual(calls, []);
    pool.open();
    assert.equal(await loop.run(), false);
    assert.deepEqual(calls, ['ECANCELED 1']);
    assert.equal(bytes[0], 0, 'a cancelled request writes nothing');
    await teardown(loop);
  },
  { timeout: 60_000 },
);

bothProfiles(
  'random: a running request cannot be cancelled (EBUSY) and calls back with its bytes',
  async (profile) => {
    const loop = new Loop({ libuv: profile });
    const bytes = new Uint8Array(64);
    let result: string | null = null;
    const request = random(loop, bytes, 0, (_req, _buffer, error) => {
      result = error?.code ?? 'ok';
    });
    // A free slot takes the request inside random() (docs/deviations.md W4).
    assert.throws(() => request.cancel(), uvError('EBUSY'));
    assert.equal(await loop.run(), false);
    assert.equal(result, 'ok');
    assert.ok(bytes.some((byte) => byte !== 0));
    await teardown(loop);
  },
);
