/**
 * The bytes of `poll-oneoff.wat` (next to this file): a WebAssembly module
 * that imports WASI's `poll_oneoff`, exports one page of memory and a
 * function `poll` that passes its arguments to the import. The readiness
 * workers (readiness-worker.ts) instantiate it once per watched descriptor.
 *
 * The text is the source; these bytes are what the text assembles to.
 * test/poll-wasm.test.ts assembles the text again (with a small assembler
 * of its own, test/fixtures/wat.ts, so no toolchain is needed) and fails if
 * the two differ. To change the module, edit the text and paste the output
 * of `node --import tsx test/fixtures/wat.ts src/platform/wasm/poll-oneoff.wat`
 * here.
 *
 * @module
 */

/** @internal The module's bytes, in hexadecimal. */
export const POLL_ONEOFF_WASM_HEX =
  '0061736d0100000001090160047f7f7f7f017f02260116776173695f736e617073686f745f70726576696577310b706f6c6c5f6f6e656f66660000030201000503010001071102066d656d6f7279020004706f6c6c00010a0e010c00200020012002200310000b';

/** @internal The module's bytes. */
export function pollOneoffWasm(): Uint8Array {
  return Uint8Array.from(Buffer.from(POLL_ONEOFF_WASM_HEX, 'hex'));
}
