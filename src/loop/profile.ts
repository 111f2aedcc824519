/**
 * The profile table: every observable difference between libuv 1.44.2 and
 * current libuv (1.52) that uvts reproduces, as one named flag.
 *
 * A loop follows one profile (`new Loop({ libuv: '1.44' })`) and exposes
 * its row as `loop.behaviour`. Code that behaves differently per profile
 * asks the flag, never the profile's name: this file is the only place
 * that compares profile strings, so the differences can be read here in
 * one table, and a third profile would be one more row. The rule numbers
 * are those of docs/semantics.md, whose §10 lists the differences.
 *
 * Differences that later handle types bring get their flag here when they
 * arrive (see the end of `Behaviour`).
 *
 * @module
 */
import { isProfile } from '../errors/internal.js';
import type { Profile } from '../errors/index.js';

/** How a loop of one profile behaves where libuv 1.44.2 and 1.52 differ. */
export interface Behaviour {
  /** The libuv release this row describes; also the release whose error table the loop's errors use (rule 10.8). */
  readonly profile: Profile;

  // ---------------------------------------------------------------- the loop (rule 10.1)

  /** A DEFAULT run refreshes the time and runs due timers once before its first iteration (1.52). */
  readonly timersBeforeRun: boolean;
  /** Every iteration starts by refreshing the time and running due timers (1.44). */
  readonly timersAtIterationStart: boolean;
  /**
   * Every iteration ends (after CLOSING) by refreshing the time and running
   * due timers (1.52). In both profiles a ONCE run does this anyway.
   */
  readonly timersAtIterationEnd: boolean;
  /**
   * TIMERS collects the due timers before calling any (1.52; rules 3.10,
   * 10.2): a timer (re)started by a callback waits for the next pass. 1.44
   * re-reads the heap after every callback (rules 3.8, 3.9).
   */
  readonly dueTimerSnapshot: boolean;
  /** `configure(LoopOption.USE_IO_URING_SQPOLL)` is accepted (1.52, libuv 1.49+); ENOSYS otherwise. */
  readonly ioUringSqpollOption: boolean;

  // ---------------------------------------------------------------- streams

  /**
   * EOF can come in the same POLL as the data before it when the readiness
   * event carries a hang-up (1.44; rules 7.7, 10.5). 1.52 delivers EOF in a
   * later POLL.
   */
  readonly eofWithHangup: boolean;
  /** Closing a TTY in raw mode restores the terminal (1.52, libuv 1.49+; rule 10.10). */
  readonly restoreTtyOnClose: boolean;
  /**
   * `Pipe.connect('')` fails with EINVAL (1.52, libuv 1.46+); 1.44 lets the
   * kernel refuse it (ECONNREFUSED).
   */
  readonly emptyPipeNameInvalid: boolean;
  /**
   * How many bytes of a pipe name reach the kernel (`sun_path` holds 108
   * on Linux): 1.44 keeps 107 and a terminating NUL; 1.52 uses all 108
   * (luv shows both). A longer name is cut to this length on both sides,
   * `bind()` and `connect()`, and names the socket from then on.
   */
  readonly pipeNameBytes: number;

  // ---------------------------------------------------------------- fs

  /** `statfs` reports `f_frsize` (libuv 1.52+; `uv_statfs_t` grew the field). */
  readonly statfsFrsize: boolean;
  /**
   * The utime family reads an infinite time as `UV_FS_UTIME_NOW` and NaN as
   * `UV_FS_UTIME_OMIT` (libuv 1.51+); 1.44.2 hands them to the kernel as
   * out-of-range times, which it refuses with EINVAL.
   */
  readonly utimeSpecialTimes: boolean;

  // ---------------------------------------------------------------- thread pool

  /**
   * `UV_THREADPOOL_SIZE` is read through a 16-byte buffer, so a value of 16
   * characters or more counts as unset (1.52; rule 8.34, measured with luv).
   */
  readonly longThreadpoolSizeUnset: boolean;

  // ---------------------------------------------------------------- processes

  /**
   * A spawn whose stdio setup fails (EINVAL for a bad container, rule 8.17)
   * leaves the initialized handle in the loop's handle list (1.44); 1.52
   * takes it out again. uvts closes such a handle either way, since the
   * caller never receives it.
   */
  readonly spawnSetupErrorKeepsHandle: boolean;

  // ---------------------------------------------------------------- UDP

  /**
   * A refused datagram fails the rest of its `sendmmsg` call too, up to 20
   * requests, with the same error and unsent (1.44; rule 10.6). 1.52 fails
   * only the refused request and sends the rest at the next writability
   * event.
   */
  readonly udpSendErrorFailsBatch: boolean;
  /**
   * After a receive error (an ICMP report on a connected socket) libuv reads
   * the socket's error queue, which ends in one more "nothing more to read"
   * call (1.52, libuv 1.49+). 1.44 ends the round at the error.
   */
  readonly udpNothingMoreAfterError: boolean;
  /** `UDP.REUSEPORT` is a bind flag libuv knows (1.52, libuv 1.49+); 1.44 refuses it as unknown (EINVAL). */
  readonly udpReusePortFlag: boolean;

  // ---------------------------------------------------------------- util (docs/node.md Q12)

  /** `cpuInfo()` reads a CPU's speed from /proc/cpuinfo's "cpu MHz" before cpufreq (1.44). */
  readonly cpuSpeedFromCpuinfo: boolean;
  /**
   * `getConstrainedMemory()` reads only the global cgroup v1 limit as it is
   * (1.44); 1.52 reads the process's own cgroup, v1 or v2, soft and hard
   * limits, and reports "unlimited" as 2^64-1.
   */
  readonly constrainedMemoryGlobalV1: boolean;
  /** `availableParallelism()` is bounded by the cgroup's CPU quota (1.52, libuv 1.49+). */
  readonly parallelismCgroupQuota: boolean;

  // Room for the differences of the handle types still to come. Each gets
  // a flag here, documented like those above, when its type lands:
  // - Accept batching (rule 10.3): 1.44 accepts until EAGAIN per readiness
  //   event and reports accept errors to the connection callback.
  // - Write batching (rule 10.4): 1.44 finishes at most one queued write per
  //   writability event once the socket has been full.
  // - New error codes (rule 10.8) need no flag: `profile` selects the table.
}

/** The table: one row per profile. */
const BEHAVIOURS: Readonly<Record<Profile, Behaviour>> = Object.freeze({
  '1.52': Object.freeze({
    profile: '1.52',
    timersBeforeRun: true,
    timersAtIterationStart: false,
    timersAtIterationEnd: true,
    dueTimerSnapshot: true,
    ioUringSqpollOption: true,
    eofWithHangup: false,
    restoreTtyOnClose: true,
    emptyPipeNameInvalid: true,
    statfsFrsize: true,
    utimeSpecialTimes: true,
    longThreadpoolSizeUnset: true,
    spawnSetupErrorKeepsHandle: false,
    udpSendErrorFailsBatch: false,
    udpNothingMoreAfterError: true,
    udpReusePortFlag: true,
    cpuSpeedFromCpuinfo: false,
    constrainedMemoryGlobalV1: false,
    parallelismCgroupQuota: true,
    pipeNameBytes: 108,
  }),
  '1.44': Object.freeze({
    profile: '1.44',
    timersBeforeRun: false,
    timersAtIterationStart: true,
    timersAtIterationEnd: false,
    dueTimerSnapshot: false,
    ioUringSqpollOption: false,
    eofWithHangup: true,
    restoreTtyOnClose: false,
    emptyPipeNameInvalid: false,
    statfsFrsize: false,
    utimeSpecialTimes: false,
    longThreadpoolSizeUnset: false,
    spawnSetupErrorKeepsHandle: true,
    udpSendErrorFailsBatch: true,
    udpNothingMoreAfterError: false,
    udpReusePortFlag: false,
    cpuSpeedFromCpuinfo: true,
    constrainedMemoryGlobalV1: true,
    parallelismCgroupQuota: false,
    pipeNameBytes: 107,
  }),
} satisfies Record<Profile, Behaviour>);

/** @internal The row of `profile`, or `null` if `profile` names no profile. */
export function behaviourOf(profile: unknown): Behaviour | null {
  return isProfile(profile) ? BEHAVIOURS[profile] : null;
}
