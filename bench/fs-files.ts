/**
 * The file the fs benchmarks work on: 8 MiB of random bytes in the temporary
 * directory, made once and shared by every case (and the Lua twins, which
 * get its path), so that all of them read the same bytes from the page
 * cache.
 *
 * @module
 */
import { randomFillSync } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Size of the benchmark file. */
export const BENCH_FILE_SIZE = 8 * 1024 * 1024;

/** The benchmark file's path; made if it is missing or has another size. */
export function benchFile(): string {
  const file = path.join(os.tmpdir(), 'uvts-bench-fs.bin');
  if (!existsSync(file) || statSync(file).size !== BENCH_FILE_SIZE) {
    writeFileSync(file, randomFillSync(Buffer.alloc(BENCH_FILE_SIZE)));
  }
  return file;
}
