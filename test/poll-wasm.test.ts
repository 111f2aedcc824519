// uvts's one WebAssembly module: its text (src/platform/wasm/poll-oneoff.wat)
// is the source, its bytes (poll-oneoff.ts) are what the text assembles to.
// This test assembles the text again with test/fixtures/wat.ts and compares,
// so the two cannot drift apart, and checks what the readiness workers rely
// on: one import, WASI's poll_oneoff, and the exports `memory` and `poll`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { POLL_ONEOFF_WASM_HEX, pollOneoffWasm } from '../src/platform/wasm/poll-oneoff.js';
import { assembleWat } from './fixtures/wat.js';
import { repoPath } from './fixtures/child-util.js';

describe('poll-oneoff.wasm', () => {
  it('the checked-in bytes are what the text assembles to', () => {
    const text = readFileSync(repoPath('src/platform/wasm/poll-oneoff.wat'), 'utf8');
    assert.equal(Buffer.from(assembleWat(text)).toString('hex'), POLL_ONEOFF_WASM_HEX);
  });

  it('is a valid module importing only poll_oneoff and exporting memory and poll', () => {
    const bytes = pollOneoffWasm();
    assert.ok(WebAssembly.validate(bytes));
    const module = new WebAssembly.Module(bytes);
    assert.deepEqual(WebAssembly.Module.imports(module), [
      { module: 'wasi_snapshot_preview1', name: 'poll_oneoff', kind: 'function' },
    ]);
    assert.deepEqual(WebAssembly.Module.exports(module), [
      { name: 'memory', kind: 'memory' },
      { name: 'poll', kind: 'function' },
    ]);
  });

  it('the assembler rejects what it does not know instead of guessing', () => {
    assert.throws(() => assembleWat('(module (global i32))'), /unsupported module field global/);
    assert.throws(
      () => assembleWat('(module (type $t (func)) (func (type $t) i32.add))'),
      /unsupported instruction "i32.add"/,
    );
    assert.throws(() => assembleWat('(module'), /unexpected end/);
  });
});
