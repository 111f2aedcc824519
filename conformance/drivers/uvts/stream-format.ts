/**
 * How stream data enters and leaves a trace. The luv driver has the same
 * rules (`format_data`, `write_payload` in luv/stream.lua); a difference of
 * one byte between the two would show up as a failure in every stream
 * scenario.
 */
import type { ActionArgs } from '../../lib/scenario.js';

/** Data longer than this is printed as its length: long reads are split at arbitrary points. */
export const DATA_PRINT_LIMIT = 64;

/**
 * Read data in a trace line: short data as a quoted string (a backslash
 * before `"` and `\`, any byte outside printable ASCII as `\xHH`), longer
 * data as `<n> bytes`. Bytes, not characters: a UTF-8 sequence prints as
 * its `\xHH` bytes, exactly as Lua sees it.
 */
export function formatData(data: Buffer): string {
  if (data.length > DATA_PRINT_LIMIT) return `${data.length} bytes`;
  let out = '"';
  for (const byte of data) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 32 || byte > 126)
      out += `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/**
 * The bytes a `write`/`tryWrite` sends: literal `data` (UTF-8, as Lua
 * strings are bytes and the scenarios use ASCII), `size` bytes of `x`, or
 * with `echo` the data of the running read callback (`undefined` outside
 * one, which the caller reports).
 */
export function writePayload(args: ActionArgs, readData: Buffer | undefined): Buffer | undefined {
  if (args.data !== undefined) return Buffer.from(args.data, 'utf8');
  if (args.size !== undefined) return Buffer.alloc(args.size, 'x');
  if (args.echo === true) return readData;
  return undefined;
}
