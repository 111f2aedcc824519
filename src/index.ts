/**
 * uvts: libuv's event loop in TypeScript, on Node's public APIs.
 *
 * ```ts
 * import { Loop, Timer } from 'uvts';
 * const loop = new Loop();
 * new Timer(loop).start((timer) => timer.close(), 10);
 * await loop.run();
 * loop.close();
 * ```
 *
 * @module
 */
export * from './errors/index.js';
export { Loop, RunMode } from './loop/loop.js';
export type { Behaviour, ExceptHook, LoopOptions, Profile, RunModeValue } from './loop/loop.js';
export { LoopOption } from './loop/metrics.js';
export type { LoopMetricsInfo, LoopOptionValue } from './loop/metrics.js';
export type { Bivariant, HandleType, LoopHandle } from './loop/types.js';
export type {
  CallbackEvent,
  CallbackKind,
  IterationEvent,
  Phase,
  PhaseEvent,
  PollEndEvent,
  PollStartEvent,
  RunEndEvent,
  RunModeName,
  RunStartEvent,
  TraceEvent,
  Tracer,
} from './loop/trace.js';
export { sendAsync } from './loop/async-sender.js';
export type { AsyncSendTarget } from './loop/async-sender.js';
export { Handle } from './handles/handle.js';
export type { CloseCallback } from './handles/handle.js';
export { Timer } from './handles/timer.js';
export type { TimerCallback } from './handles/timer.js';
export { Idle, Prepare, Check } from './handles/loop-watcher.js';
export { TCP } from './handles/tcp.js';
export type { TCPFamily } from './handles/tcp.js';
export { UDP } from './handles/udp.js';
export type { Membership, UDPFamily } from './handles/udp.js';
export type { RecvCallback } from './handles/udp-receiver.js';
export { Pipe } from './handles/pipe.js';
export type { PendingType } from './handles/pipe-ipc.js';
export { TTY } from './handles/tty.js';
export { Signal } from './handles/signal.js';
export { Process, StdIO } from './handles/process.js';
export { Poll } from './handles/poll.js';
export type { PollCallback } from './handles/poll.js';
export type { ExitCallback, SpawnOptions, StdIOOptions } from './handles/process.js';
export type { SignalCallback } from './handles/signal.js';
export { Stream } from './handles/stream.js';
export type { ReadCallback, ConnectionCallback } from './handles/stream.js';
export type { SocketAddress } from './platform/net-address.js';
export type { WriteData } from './errors/internal.js';
export { Request } from './requests/request.js';
export type { RequestType } from './requests/request.js';
export { ConnectRequest, ShutdownRequest, WriteRequest } from './requests/stream-requests.js';
export type { StreamRequestCallback } from './requests/stream-requests.js';
export { UDPSendRequest } from './requests/udp-send-request.js';
export type { Destination, UDPSendCallback } from './requests/udp-send-request.js';
export { Async } from './handles/async.js';
export type { AsyncCallback } from './handles/async.js';
export {
  hrtime,
  hrtimeNumber,
  sleep,
  gettimeofday,
  clockGettime,
  CLOCK_MONOTONIC,
  CLOCK_REALTIME,
} from './util/time.js';
export type { TimeOfDay, TimeSpec } from './util/time.js';
export { cwd, chdir, exepath } from './util/process-paths.js';
export {
  ip4Addr,
  ip6Addr,
  ip4Name,
  ip6Name,
  ipName,
  inetPton,
  inetNtop,
} from './util/ip-address.js';
export type { InetFamily } from './util/ip-address.js';
export {
  getFreeMemory,
  getTotalMemory,
  getConstrainedMemory,
  getAvailableMemory,
  residentSetMemory,
} from './util/memory.js';
export { cpuInfo, loadavg, uptime, availableParallelism } from './util/cpu.js';
export type { CpuInfo, CpuTimes } from './util/cpu.js';
export { interfaceAddresses } from './util/network.js';
export { guessHandle } from './util/guess-handle.js';
export type { GuessedHandle } from './util/guess-handle.js';
export type { InterfaceAddress } from './util/network.js';
export {
  getrusage,
  getpid,
  getppid,
  getProcessTitle,
  setProcessTitle,
  homedir,
  tmpdir,
  getHostname,
  getUname,
  getPasswd,
  getPriority,
  setPriority,
  getenv,
  setenv,
  unsetenv,
  environ,
} from './util/process-info.js';
export type { Passwd, ResourceUsage, TimeVal, Uname } from './util/process-info.js';
export { printAllHandles, printActiveHandles } from './util/print-handles.js';
export type { PrintTarget, PrintableHandle, PrintableLoop } from './util/print-handles.js';
export type { ProfiledLoop, UtilBehaviour } from './util/behaviour.js';
export { createTraceFormatter } from './loop/trace-format.js';
export type { TraceFormatOptions } from './loop/trace-format.js';
export {
  HandleTypeCode,
  RequestTypeCode,
  handleTypeName,
  requestTypeName,
} from './util/type-names.js';
export {
  Barrier,
  Condition,
  Mutex,
  Once,
  RWLock,
  Semaphore,
  SharedPrimitive,
  ThreadLocalKey,
} from './thread/index.js';
export type { MutexOptions, SharedSource } from './thread/index.js';
export { LOOP_HOOK } from './loop/loop-hook.js';
export type { LoopHook } from './loop/loop-hook.js';
export * as fs from './fs/index.js';
export { FSPoll } from './fs/fs-poll.js';
export { FSEvent } from './handles/fs-event.js';
export type { FSEventCallback } from './handles/fs-event.js';
export type { FSPollCallback } from './fs/fs-poll.js';
export { PoolRequest, queueWork, WorkRequest } from './work/index.js';
export type { AfterWorkCallback, QueueWorkOptions, WorkKind } from './work/index.js';
export { random, RandomRequest } from './work/index.js';
export type { RandomCallback } from './work/index.js';
export { transferResult } from './thread/work-protocol.js';
export type {
  TransferredResult,
  WorkFunction,
  WorkModuleReference,
} from './thread/work-protocol.js';
export {
  AddrInfoFlags,
  AddressFamily,
  getaddrinfo,
  GetAddrInfoRequest,
  getnameinfo,
  GetNameInfoRequest,
  NameInfoFlags,
  Protocol,
  SocketType,
} from './dns/index.js';
export type {
  AddrInfo,
  GetAddrInfoCallback,
  GetNameInfoCallback,
  NameInfo,
  NameInfoAddress,
} from './dns/index.js';
