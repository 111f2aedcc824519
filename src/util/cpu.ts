/**
 * The processors and the system's load: `uv_cpu_info`, `uv_loadavg`,
 * `uv_uptime` and `uv_available_parallelism`.
 *
 * Node's `os.cpus()` gives the model and the times exactly as libuv does
 * (/proc/cpuinfo and /proc/stat); the speed is what the two libuv versions
 * disagree on, so it is read here per profile (`util/behaviour.ts`):
 * libuv 1.44 takes it from /proc/cpuinfo's "cpu MHz" (truncated) and only
 * falls back to cpufreq, 1.52 reads only cpufreq, which a virtual machine
 * usually lacks (speed 0). Likewise 1.52 bounds the available parallelism
 * by the cgroup's CPU quota, which 1.44 ignores.
 *
 * @module
 */
import os from 'node:os';
import { utilBehaviour, type ProfiledLoop } from './behaviour.js';
import { ownCgroups, readText } from './proc-files.js';

/** Time a CPU spent in each mode since boot, in milliseconds (`uv_cpu_times_s`). */
export interface CpuTimes {
  /** In user mode. */
  readonly user: number;
  /** In user mode with a raised nice value. */
  readonly nice: number;
  /** In kernel mode. */
  readonly sys: number;
  /** Idle. */
  readonly idle: number;
  /** Serving hardware interrupts. */
  readonly irq: number;
}

/** One logical CPU (`uv_cpu_info_t`). */
export interface CpuInfo {
  /** The model name. */
  readonly model: string;
  /** The speed in MHz; 0 when unknown. */
  readonly speed: number;
  /** The time spent per mode. */
  readonly times: CpuTimes;
}

/**
 * Information about each logical CPU (`uv_cpu_info`), in /proc/stat's
 * order. The speed follows the profile of `loop` (default: 1.52); see the
 * module comment.
 */
export function cpuInfo(loop?: ProfiledLoop): CpuInfo[] {
  const fromCpuinfo = utilBehaviour(loop).cpuSpeedFromCpuinfo;
  const cpus = os.cpus();
  const ids = cpuIds(cpus.length);
  let speeds = fromCpuinfo ? cpuinfoSpeeds(cpus.length) : null;
  // 1.44 falls back to cpufreq when the first CPU has no "cpu MHz".
  if (speeds === null || speeds[0] === 0) speeds = ids.map(cpufreqSpeed);
  return cpus.map((cpu, index) => ({
    model: cpu.model,
    speed: speeds[index] ?? 0,
    times: { ...cpu.times },
  }));
}

/** The numbers of the CPUs /proc/stat lists (`cpu0`, `cpu1`, … with gaps for offline ones). */
function cpuIds(count: number): number[] {
  const ids: number[] = [];
  const stat = readText('/proc/stat');
  if (stat !== null) for (const match of stat.matchAll(/^cpu(\d+) /gm)) ids.push(Number(match[1]));
  if (ids.length !== count) return Array.from({ length: count }, (_, index) => index);
  return ids;
}

/** The n-th "cpu MHz" line of /proc/cpuinfo for the n-th CPU, truncated as `atoi` does; `null` without one. */
function cpuinfoSpeeds(count: number): number[] | null {
  const cpuinfo = readText('/proc/cpuinfo');
  if (cpuinfo === null) return null;
  const speeds = [...cpuinfo.matchAll(/^cpu MHz\s*: *(\d+)/gm)].map((match) => Number(match[1]));
  return speeds.length === 0 ? null : speeds.slice(0, count);
}

/** cpufreq's current frequency of CPU `id` in MHz; 0 without cpufreq. */
function cpufreqSpeed(id: number): number {
  const text = readText(`/sys/devices/system/cpu/cpu${id}/cpufreq/scaling_cur_freq`);
  const khz = text === null ? Number.NaN : Number.parseInt(text, 10);
  return Number.isFinite(khz) ? Math.floor(khz / 1000) : 0;
}

/** The 1, 5 and 15 minute load averages (`uv_loadavg`), from /proc/loadavg. */
export function loadavg(): [number, number, number] {
  const fields = readText('/proc/loadavg')?.split(' ');
  if (fields !== undefined && fields.length >= 3) {
    const values = fields.slice(0, 3).map(Number);
    if (values.every(Number.isFinite)) return values as [number, number, number];
  }
  return os.loadavg() as [number, number, number];
}

/** Seconds since boot, with the fraction /proc/uptime gives (`uv_uptime`). */
export function uptime(): number {
  const first = readText('/proc/uptime')?.split(' ')[0];
  const value = first === undefined ? Number.NaN : Number(first);
  return Number.isFinite(value) ? value : os.uptime();
}

/**
 * How many threads a program should use (`uv_available_parallelism`): the
 * CPUs this process may run on (its affinity mask), at least 1. Profile
 * 1.52 also bounds it by the cgroup's CPU quota, as libuv 1.49+ does.
 */
export function availableParallelism(loop?: ProfiledLoop): number {
  let count = os.availableParallelism();
  if (utilBehaviour(loop).parallelismCgroupQuota) {
    const quota = cgroupCpuQuota();
    if (quota > 0 && quota < count) count = quota;
  }
  return Math.max(count, 1);
}

/**
 * The whole CPUs the cgroup's quota allows (quota / period, rounded
 * down), or 0 for no limit, read as libuv's `uv__get_constrained_cpu`
 * reads it: for cgroup v2 each `cpu.max` from the process's cgroup up to
 * the root, the last limit found winning; for cgroup v1 the `cpu,cpuacct`
 * controller's `cpu.cfs_quota_us` and `cpu.cfs_period_us`.
 */
function cgroupCpuQuota(): number {
  const cgroups = ownCgroups();
  if (cgroups === null) return 0;
  if (cgroups.startsWith('0::/')) {
    let dir = `/sys/fs/cgroup/${cgroups.slice(4).split('\n')[0] as string}`.replace(/\/+$/, '');
    if (readText(`${dir}/cgroup.controllers`) === null) return 0;
    let quota = 0;
    for (;;) {
      const fields = readText(`${dir}/cpu.max`)?.trim().split(/\s+/);
      if (fields !== undefined && fields[0] !== 'max' && fields.length >= 2) {
        const limit = Number.parseInt(fields[0] as string, 10);
        const period = Number.parseInt(fields[1] as string, 10);
        if (Number.isFinite(limit) && period > 0) quota = Math.trunc(limit / period);
      }
      if (dir === '/sys/fs/cgroup') return quota;
      dir = dir.slice(0, dir.lastIndexOf('/'));
    }
  }
  const at = cgroups.indexOf(':cpu,');
  if (at < 0) return 0;
  const path = cgroups.slice(at + ':cpu,'.length).split('\n')[0] as string;
  const quota = Number.parseInt(readText(`/sys/fs/cgroup/${path}/cpu.cfs_quota_us`) ?? '', 10);
  const period = Number.parseInt(readText(`/sys/fs/cgroup/${path}/cpu.cfs_period_us`) ?? '', 10);
  return Number.isFinite(quota) && period > 0 ? Math.trunc(quota / period) : 0;
}
