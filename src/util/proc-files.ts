/**
 * Reading the small kernel files libuv's misc functions read: /proc and
 * /sys entries of a few hundred bytes, read whole and parsed as libuv
 * parses them. Every reader answers `null` (or 0) where the file is absent
 * or unreadable, as libuv's `uv__slurp` callers fall back then.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/** @internal The text of a small kernel file, or `null` if it cannot be read. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

/** 2^64 - 1, the largest value a kernel counter or limit file can hold. */
export const UINT64_MAX = (1n << 64n) - 1n;

/**
 * @internal A file holding one unsigned 64-bit number, read as libuv's
 * `uv__read_uint64` does: the leading decimal number; cgroup2's `max` is
 * 2^64-1; anything else (and a missing file) is 0. Kept as a bigint: the
 * values near 2^63 that cgroups print are what the callers compare.
 */
export function readUint64(path: string): bigint {
  const text = readText(path);
  if (text === null) return 0n;
  const match = /^\s*(\d+)/.exec(text);
  if (match !== null) {
    const value = BigInt(match[1] as string);
    return value > UINT64_MAX ? UINT64_MAX : value;
  }
  return text === 'max\n' ? UINT64_MAX : 0n;
}

/**
 * @internal The value of `key` (e.g. `MemAvailable:`) in /proc/meminfo, in
 * bytes; 0 when absent (libuv's `uv__read_proc_meminfo`).
 */
export function meminfo(key: string): number {
  const text = readText('/proc/meminfo');
  if (text === null) return 0;
  const at = text.indexOf(key);
  if (at < 0) return 0;
  const match = /^\s*(\d+)/.exec(text.slice(at + key.length));
  return match === null ? 0 : Number(match[1]) * 1024;
}

/** @internal `/proc/self/cgroup`, or `null` without procfs. */
export function ownCgroups(): string | null {
  return readText('/proc/self/cgroup');
}

/** The auxiliary-vector tag of the page size (`AT_PAGESZ`). */
const AT_PAGESZ = 6n;
let cachedPageSize = 0;

/**
 * @internal The kernel's page size (`sysconf(_SC_PAGESIZE)`), from the
 * process's auxiliary vector: 64-bit (tag, value) pairs in the machine's
 * byte order. 4096 where it cannot be read.
 */
export function pageSize(): number {
  if (cachedPageSize !== 0) return cachedPageSize;
  cachedPageSize = 4096;
  try {
    const auxv = readFileSync('/proc/self/auxv');
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    for (let offset = 0; offset + 16 <= auxv.length; offset += 16) {
      const tag = little ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset);
      if (tag !== AT_PAGESZ) continue;
      const value = little ? auxv.readBigUInt64LE(offset + 8) : auxv.readBigUInt64BE(offset + 8);
      cachedPageSize = Number(value);
      break;
    }
  } catch {
    // No procfs: keep the common value.
  }
  return cachedPageSize;
}
