/**
 * How the util functions learn which libuv they imitate.
 *
 * Three of them answer differently in libuv 1.44.2 and 1.52 (docs/semantics.md
 * §10; docs/node.md Q12): the CPU speed, the constrained memory and the
 * available parallelism. Node runs libuv 1.46, so its own answers match
 * neither; uvts computes both from /proc and /sys. Which one a call gives is
 * decided by a loop's profile table (`loop.behaviour`), passed as the
 * optional last argument; `util/` sits below `loop/` in the layer table
 * (docs/architecture.md), so it names only the flags it reads.
 *
 * @module
 */

/** The flags of a loop's profile table that the util functions read. */
export interface UtilBehaviour {
  /** `cpuInfo()` takes a CPU's speed from /proc/cpuinfo's "cpu MHz" before cpufreq (1.44). */
  readonly cpuSpeedFromCpuinfo: boolean;
  /**
   * `getConstrainedMemory()` reads only the global cgroup v1 limit,
   * `memory.limit_in_bytes`, as a plain number (1.44); 1.52 reads the
   * process's own cgroup (v1 or v2), soft and hard limits, and reports no
   * limit as 2^64-1.
   */
  readonly constrainedMemoryGlobalV1: boolean;
  /** `availableParallelism()` is bounded by the cgroup's CPU quota (1.52, libuv 1.49+). */
  readonly parallelismCgroupQuota: boolean;
}

/** Anything that carries a profile table row: a `Loop`. */
export interface ProfiledLoop {
  /** The loop's profile table row. */
  readonly behaviour: UtilBehaviour;
}

/** What current libuv (1.52, the default profile) answers. */
const CURRENT: UtilBehaviour = Object.freeze({
  cpuSpeedFromCpuinfo: false,
  constrainedMemoryGlobalV1: false,
  parallelismCgroupQuota: true,
});

/** @internal The flags of `loop`, or those of the default profile (1.52) without one. */
export function utilBehaviour(loop: ProfiledLoop | undefined): UtilBehaviour {
  if (loop === undefined) return CURRENT;
  const behaviour = (loop as Partial<ProfiledLoop> | null)?.behaviour;
  if (typeof behaviour !== 'object' || behaviour === null)
    throw new TypeError('the last argument must be a Loop');
  return behaviour;
}
