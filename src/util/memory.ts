/**
 * Memory figures: `uv_get_free_memory`, `uv_get_total_memory`,
 * `uv_get_constrained_memory`, `uv_get_available_memory` and
 * `uv_resident_set_memory`, read from /proc and /sys the way libuv's
 * `src/unix/linux.c` reads them.
 *
 * Node's `os.freemem()` and `process.constrainedMemory()` call the same
 * functions, but of Node's own libuv (1.46), whose constrained memory
 * matches neither profile; so everything here reads the kernel files
 * itself, and the constrained memory follows the loop's profile
 * (`util/behaviour.ts`).
 *
 * Values are bytes, as JavaScript numbers: exact up to 2^53, which covers
 * every real amount of memory; the "no limit" value 2^64-1 becomes the
 * nearest number, 2^64.
 *
 * @module
 */
import os from 'node:os';
import { utilBehaviour, type ProfiledLoop } from './behaviour.js';
import { meminfo, ownCgroups, pageSize, readUint64, UINT64_MAX } from './proc-files.js';

/**
 * Memory available for starting new programs, in bytes
 * (`uv_get_free_memory`): /proc/meminfo's MemAvailable, which counts
 * reclaimable caches, not MemFree.
 */
export function getFreeMemory(): number {
  return meminfo('MemAvailable:') || os.freemem();
}

/** Total memory in bytes (`uv_get_total_memory`): /proc/meminfo's MemTotal. */
export function getTotalMemory(): number {
  return meminfo('MemTotal:') || os.totalmem();
}

/**
 * The memory limit imposed on this process by its control group, in bytes
 * (`uv_get_constrained_memory`); 0 when unknown. The two libuv versions
 * answer differently, and the loop's profile decides:
 *
 * - 1.44 reads the global cgroup v1 limit
 *   (/sys/fs/cgroup/memory/memory.limit_in_bytes) as it is: an unlimited
 *   cgroup v1 says 2^63 minus a page; cgroup v2 gives 0.
 * - 1.52 reads the process's own cgroup (from /proc/self/cgroup), takes the
 *   smaller of the soft and hard limits, and reports "unlimited" as
 *   2^64-1 (2^64 as a number).
 */
export function getConstrainedMemory(loop?: ProfiledLoop): number {
  if (utilBehaviour(loop).constrainedMemoryGlobalV1)
    return Number(readUint64('/sys/fs/cgroup/memory/memory.limit_in_bytes'));
  return Number(cgroupConstrainedMemory(ownCgroups()));
}

/**
 * Memory this process may still allocate, in bytes
 * (`uv_get_available_memory`, libuv 1.45+; uvts answers it in both
 * profiles, docs/deviations.md X3): the cgroup's limit minus its current usage when a limit below
 * the total memory applies, else {@link getFreeMemory}; 0 without
 * /proc/self/cgroup, as libuv answers.
 */
export function getAvailableMemory(): number {
  const cgroups = ownCgroups();
  if (cgroups === null) return 0;
  const constrained = cgroupConstrainedMemory(cgroups);
  if (constrained === 0n || constrained > BigInt(getTotalMemory())) return getFreeMemory();
  const current = isCgroup2(cgroups) ? cgroup2Current(cgroups) : cgroup1Current(cgroups);
  return constrained < current ? 0 : Number(constrained - current);
}

/**
 * The resident set size of this process, in bytes
 * (`uv_resident_set_memory`: /proc/self/stat's rss field times the page
 * size, which is what Node's `process.memoryUsage.rss()` returns).
 */
export function residentSetMemory(): number {
  return process.memoryUsage.rss();
}

// ------------------------------------------------------------------ cgroups (1.52)

/** cgroup v2 has one line, `0::/path`. */
function isCgroup2(cgroups: string): boolean {
  return cgroups.startsWith('0::/');
}

/** The path of cgroup v2, from its `0::/path` line. */
function cgroup2Path(cgroups: string): string {
  return cgroups.slice('0::/'.length).split('\n')[0] as string;
}

/** The path of the memory controller of cgroup v1 (`N:memory:/path`), or `null`. */
function cgroup1MemoryPath(cgroups: string): string | null {
  const line = /^[^:\n]*:memory:\/(.*)$/m.exec(cgroups);
  return line === null ? null : (line[1] as string);
}

/** libuv 1.52's `uv__get_cgroup_constrained_memory`; 0n without /proc/self/cgroup. */
function cgroupConstrainedMemory(cgroups: string | null): bigint {
  if (cgroups === null) return 0n;
  const [high, max] = isCgroup2(cgroups) ? cgroup2Limits(cgroups) : cgroup1Limits(cgroups);
  if (high === 0n || max === 0n) return 0n;
  return high < max ? high : max;
}

function cgroup2Limits(cgroups: string): [bigint, bigint] {
  const dir = `/sys/fs/cgroup/${cgroup2Path(cgroups)}`;
  return [readUint64(`${dir}/memory.high`), readUint64(`${dir}/memory.max`)];
}

function cgroup1Limits(cgroups: string): [bigint, bigint] {
  let high = 0n;
  let max = 0n;
  const path = cgroup1MemoryPath(cgroups);
  if (path !== null) {
    const dir = `/sys/fs/cgroup/memory/${path}`;
    high = readUint64(`${dir}/memory.soft_limit_in_bytes`);
    max = readUint64(`${dir}/memory.limit_in_bytes`);
  }
  if (high === 0n || max === 0n) {
    // The process's own controller is not mounted: the global limits.
    high = readUint64('/sys/fs/cgroup/memory/memory.soft_limit_in_bytes');
    max = readUint64('/sys/fs/cgroup/memory/memory.limit_in_bytes');
  }
  // cgroup v1 says "unlimited" as LONG_MAX rounded down to a page.
  const unlimited = ((1n << 63n) - 1n) & ~BigInt(pageSize() - 1);
  return [high === unlimited ? UINT64_MAX : high, max === unlimited ? UINT64_MAX : max];
}

function cgroup2Current(cgroups: string): bigint {
  return readUint64(`/sys/fs/cgroup/${cgroup2Path(cgroups)}/memory.current`);
}

function cgroup1Current(cgroups: string): bigint {
  const path = cgroup1MemoryPath(cgroups);
  if (path !== null) {
    const current = readUint64(`/sys/fs/cgroup/memory/${path}/memory.usage_in_bytes`);
    if (current !== 0n) return current;
  }
  return readUint64('/sys/fs/cgroup/memory/memory.usage_in_bytes');
}
