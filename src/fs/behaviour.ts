/**
 * Where the fs functions of libuv 1.44.2 and 1.52 differ, as named flags
 * (docs/semantics.md §10): code asks a flag, never the profile's name.
 *
 * @module
 */
import type { Loop } from '../loop/loop.js';

/** How a loop's fs functions behave where the two profiles differ. */
export interface FsBehaviour {
  /** `statfs` reports `f_frsize` (libuv 1.52+). */
  readonly statfsFrsize: boolean;
  /**
   * The utime family reads an infinite time as `UV_FS_UTIME_NOW` and NaN
   * as `UV_FS_UTIME_OMIT` (libuv 1.51+); 1.44.2 hands them to the kernel
   * as out-of-range times, which it refuses with EINVAL.
   */
  readonly utimeSpecialTimes: boolean;
}

const CURRENT: FsBehaviour = Object.freeze({ statfsFrsize: true, utimeSpecialTimes: true });
const V1_44: FsBehaviour = Object.freeze({ statfsFrsize: false, utimeSpecialTimes: false });

/** @internal The fs flags of `loop`'s profile. */
export function fsBehaviour(loop: Loop): FsBehaviour {
  return loop.profile === '1.44' ? V1_44 : CURRENT;
}
