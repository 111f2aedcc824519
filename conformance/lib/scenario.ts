/**
 * TypeScript view of a conformance scenario file.
 *
 * The normative description is `conformance/scenario.schema.json` plus
 * `docs/conformance.md`; these types mirror them for the runner and the uvts
 * driver, so both must change together.
 */

/** Profiles that have expected traces. */
export type Profile = '1.44' | '1.52';

/** All profiles, in the order the runner reports them. */
export const PROFILES: readonly Profile[] = ['1.44', '1.52'];

/** Handle kinds: the core loop's, TCP and pipe streams, signals, processes, polls, UDP, fs polls and fs events. */
export type HandleKind =
  | 'timer'
  | 'idle'
  | 'prepare'
  | 'check'
  | 'async'
  | 'tcp'
  | 'pipe'
  | 'signal'
  | 'process'
  | 'poll'
  | 'udp'
  | 'fs_poll'
  | 'fs_event';

/** fs: the uv_fs_* function an `fs` action calls, or `writeFile`. */
export type FsCall =
  | 'open'
  | 'close'
  | 'read'
  | 'write'
  | 'sendfile'
  | 'stat'
  | 'lstat'
  | 'fstat'
  | 'statfs'
  | 'ftruncate'
  | 'fsync'
  | 'fdatasync'
  | 'unlink'
  | 'mkdir'
  | 'rmdir'
  | 'mkdtemp'
  | 'mkstemp'
  | 'rename'
  | 'link'
  | 'symlink'
  | 'readlink'
  | 'realpath'
  | 'copyfile'
  | 'access'
  | 'chmod'
  | 'fchmod'
  | 'chown'
  | 'utime'
  | 'futime'
  | 'lutime'
  | 'scandir'
  | 'opendir'
  | 'readdir'
  | 'closedir'
  | 'writeFile';

/** Signals a scenario may watch and send to itself: only these two, which nothing else uses. */
export type SignalName = 'SIGUSR1' | 'SIGUSR2';

/** Signals a scenario may send to a child process (`'0'`: only check that it exists). */
export type ChildSignalName = SignalName | 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGHUP' | '0';

/** One child descriptor of `init process`: ignored, a pipe handle, or the driver's stderr. */
export type StdioEntry = 'ignore' | { pipe: string } | { fd: 2 };

/** Poll events, as `start` on a poll handle names them. */
export type PollEventName = 'readable' | 'writable' | 'disconnect' | 'prioritized';

/** A millisecond count; `'UINT64_MAX'` stands for 2^64-1. */
export type U64 = number | 'UINT64_MAX';

/** Comparison operators usable in conditions and `log` probes. */
export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Values a `log` action can print. */
export type ProbeValue =
  | 'alive'
  | 'timeout'
  | 'now'
  | 'hrtime'
  | 'count'
  | 'counter'
  | 'active'
  | 'closing'
  | 'hasRef'
  | 'dueIn'
  | 'repeat'
  | 'readable'
  | 'writable'
  | 'writeQueueSize'
  | 'sendQueueSize'
  | 'sendQueueCount';

/** Arguments of an action; which ones apply depends on the operation. */
export interface ActionArgs {
  kind?: HandleKind;
  callback?: string | null;
  timeout?: U64;
  repeat?: U64;
  thread?: boolean;
  times?: number;
  delayMs?: number;
  mode?: 'default' | 'once' | 'nowait';
  untilFalse?: boolean;
  untilElapsed?: { mark: string; ms: number };
  max?: number;
  quiet?: boolean;
  ms?: number;
  close?: boolean;
  value?: ProbeValue;
  minus?: string;
  cmp?: Comparison;
  than?: number;
  counter?: string;
  /** incr: a number, or `'$nread'` for the running read callback's byte count. */
  by?: number | '$nread';
  name?: string;
  clock?: 'now' | 'hrtime';
  plus?: number;
  text?: string;
  /** listen: the backlog (default 128). */
  backlog?: number;
  /**
   * connect: for tcp, the handle whose listening port to connect to (on
   * 127.0.0.1); for a pipe, the pipe handle whose bound path to connect to.
   */
  to?: string;
  /** pipe bind: bind to the path this other pipe handle bound, instead of a fresh one. */
  pathOf?: string;
  /**
   * signal start/startOneshot: the signal to watch; kill without a handle:
   * the signal to send to ourselves; kill on a process: the child's signal.
   */
  signum?: ChildSignalName;
  /** init process: the program. */
  file?: string;
  /** init process: the arguments after the program. */
  args?: string[];
  /** init process: the whole environment (NAME=value). */
  env?: string[];
  /** init process: the working directory. */
  cwd?: string;
  /** init process: UV_PROCESS_DETACHED. */
  detached?: boolean;
  /** init process: the child's descriptors in order. */
  stdio?: StdioEntry[];
  /** init poll: poll this stream handle's descriptor. */
  fdOf?: string;
  /** init poll: a descriptor the driver opens. */
  source?: 'regularFile' | 'directory' | 'devNull';
  /** poll start: the events to watch. */
  events?: PollEventName[];
  /** accept: the handle that receives the connection. */
  client?: string;
  /** write/tryWrite: literal data. */
  data?: string;
  /** write/tryWrite: this many bytes of 'x'. */
  size?: number;
  /** write/tryWrite: the data of the running read callback. */
  echo?: boolean;
  request?: string;
  host?: string;
  /** udp bind: bind to 127.0.0.1 and the port this other udp handle has. */
  portOf?: string;
  /** udp bind: with UV_UDP_REUSEADDR. */
  reuseAddr?: boolean;
  /** udp bind: to 0.0.0.0 instead of 127.0.0.1. */
  any?: boolean;
  /** udp send/trySend: to the sender of the running receive callback's datagram. */
  toSender?: boolean;
  /** udp setTtl/setMulticastTtl: the value. */
  ttl?: number;
  /** udp setBroadcast/setMulticastLoop: enable or disable. */
  on?: boolean;
  /** udp setMulticastInterface/setMembership: the interface address. */
  address?: string;
  /** udp setMembership: the multicast group. */
  group?: string;
  /** udp setMembership: join or leave. */
  membership?: 'join' | 'leave';
  /** fs: the function to call. */
  call?: FsCall;
  /** fs, fs_poll/fs_event start: a path relative to the run's directory. */
  path?: string;
  /** fs rename, link, symlink, copyfile: the second path. */
  newPath?: string;
  /** fs open: the flags string; copyfile, symlink, fs_event start, random: libuv's integer flags. */
  flags?: string | number;
  /** fs open, mkdir, chmod, fchmod, writeFile: permission bits; access: the mode bits. */
  perm?: number;
  /** fs chown: user and group IDs. */
  uid?: number;
  gid?: number;
  /** fs: names of kept descriptors and directory streams. */
  fd?: string;
  dir?: string;
  inFd?: string;
  outFd?: string;
  /** fs open, mkstemp, opendir: keep the result under this name. */
  as?: string;
  /** fs read, sendfile: byte counts; random: how many random bytes to ask for. */
  length?: number;
  /** fs read, write: the offset (-1: the position); ftruncate: the length; sendfile: the input offset. */
  offset?: number;
  /** fs utime, futime, lutime: seconds, or 'now' / 'omit'. */
  atime?: number | 'now' | 'omit';
  mtime?: number | 'now' | 'omit';
  /** fs opendir: entries per readdir. */
  entries?: number;
  /** fs_poll start: the interval in ms. */
  interval?: number;
  /** getnameinfo: the port of the address. */
  port?: number;
}

/** One condition object: every key present must hold. */
export interface ConditionObject {
  call?: number;
  callAtLeast?: number;
  callAtMost?: number;
  callEvery?: number;
  counter?: string;
  mod?: number;
  cmp?: Comparison;
  than?: number;
  handle?: string;
  active?: boolean;
  closing?: boolean;
  hasRef?: boolean;
  /** The running stream or UDP callback's outcome: 'ok', 'error', 'none' (UDP's "nothing more") or an error name. */
  status?: string;
}

/** A condition: one object, or a list of objects that must all hold. */
export type Condition = ConditionObject | ConditionObject[];

/** Operation names (see the schema for which need a handle). */
export type OpName =
  | 'init'
  | 'start'
  | 'startOneshot'
  | 'stop'
  | 'again'
  | 'setRepeat'
  | 'close'
  | 'ref'
  | 'unref'
  | 'send'
  | 'bind'
  | 'listen'
  | 'accept'
  | 'connect'
  | 'readStart'
  | 'readStop'
  | 'write'
  | 'tryWrite'
  | 'shutdown'
  | 'closeReset'
  | 'trySend'
  | 'recvStart'
  | 'recvStop'
  | 'disconnect'
  | 'getsockname'
  | 'getpeername'
  | 'setTtl'
  | 'setMulticastTtl'
  | 'setBroadcast'
  | 'setMulticastLoop'
  | 'setMulticastInterface'
  | 'setMembership'
  | 'kill'
  | 'readFd'
  | 'writeFd'
  | 'run'
  | 'updateTime'
  | 'sleep'
  | 'walk'
  | 'closeLoop'
  | 'teardown'
  | 'log'
  | 'mark'
  | 'incr'
  | 'note'
  | 'queueWork'
  | 'getaddrinfo'
  | 'cancel'
  | 'fs'
  | 'getpath'
  | 'getnameinfo'
  | 'random';

/** One step of a scenario or of a callback. */
export interface Action {
  op: OpName;
  handle?: string;
  args?: ActionArgs;
  when?: Condition;
  logResult?: boolean;
  /** Why the action is there; drivers ignore it. */
  comment?: string;
}

/** What a named callback does when it is called. */
export interface CallbackSpec {
  log?: boolean;
  do?: Action[];
  /** Why the callback does what it does; drivers ignore it. */
  comment?: string;
}

/** A documented difference of one implementation from the expected trace. */
export interface ExpectedDifference {
  impl: string;
  profiles: Profile[];
  reason: string;
  deviation: string;
}

/** A whole scenario file. */
export interface Scenario {
  name: string;
  description: string;
  origin?: { libuvTest?: string; rules?: string[]; adapted?: string };
  /** Why the scenario is built the way it is (orderings it avoids); drivers ignore it. */
  comment?: string;
  callbacks?: Record<string, CallbackSpec>;
  steps: Action[];
  expectedDifferences?: ExpectedDifference[];
  /** UV_THREADPOOL_SIZE for the run, set before the first thread-pool request. */
  threadpoolSize?: number;
}
