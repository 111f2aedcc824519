/**
 * The thread side of descriptor readiness (readiness.ts has the design).
 *
 * A readiness worker waits, in WASI's `poll_oneoff`, for one watched
 * descriptor at a time to become readable or writable, and publishes each
 * answer ("verdict") in the watch's shared state words, then rings the
 * watch's bell. It runs one synchronous loop and never returns to its own
 * event loop: messages from the main thread are taken with
 * `receiveMessageOnPort`, and when it has nothing to do it sleeps in
 * `Atomics.wait` on its control word, which costs no CPU.
 *
 * Why one descriptor per call: Node's `poll_oneoff` (uvwasi) returns only
 * when *every* descriptor subscription of the call has fired, or its clock
 * has; so a call can wait for one descriptor, not for the first of several.
 * A worker that serves several watches therefore takes them in turn with a
 * short clock (`SLICE_MS`), and one that serves a single watch waits with a
 * longer one (`LONG_MS`); the clock also bounds how long a worker can sit
 * in a wait for a watch that was stopped meanwhile (its descriptor may be
 * closed), and how long it can delay the end of the process (a thread in a
 * native wait holds Node's exit until the wait returns).
 *
 * `readinessWorkerMain` is run from its source text (`Function.toString`)
 * in an `eval` worker, so it must be self-contained: it uses only its own
 * locals and `require`.
 *
 * @module
 */
import type * as Threads from 'node:worker_threads';
import type * as Wasi from 'node:wasi';

/**
 * @internal The worker's program. Indices and constants are repeated here
 * as literals because the function cannot see the module it is written in;
 * readiness.ts defines the same names and test/readiness.test.ts checks the
 * layout through the behaviour.
 */
export function readinessWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const threads = require('node:worker_threads') as typeof Threads;
  // A worker's warnings would reach the user's stderr; WASI announces
  // itself as experimental once per thread, and uvts's use of it is not the
  // user's business (docs/deviations.md). Only that warning is dropped.
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => {
    if (warning.name === 'ExperimentalWarning' && warning.message.includes('WASI')) return;
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
  const { WASI } = require('node:wasi') as typeof Wasi;
  /* eslint-enable @typescript-eslint/no-require-imports */

  // The watch state words (readiness.ts: WatchWord).
  const STATE = 0;
  const ASK = 1;
  const ANSWERED = 2;
  const VERDICT = 3;
  const DETAIL = 4;
  const SEQ = 5;
  const BLOCKING = 6;
  const HANGUP_ONLY = 7;
  const RUNNING = 1;
  const READY = 1;
  const NOT_READY = 2;
  const FAILED = 3;
  // Clocks, in milliseconds (see the module comment and readiness.ts).
  const PROBE_MS = 2;
  const SLICE_MS = 20;
  const LONG_MS = 200;
  // Where the one-page memory holds the call: two 48-byte subscriptions at
  // 0, their events (32 bytes each) at 128, the event count at 256.
  const EVENTS = 128;
  const COUNT = 256;

  interface Instance {
    readonly memory: WebAssembly.Memory;
    poll(subscriptions: number, events: number, count: number, countOut: number): number;
  }
  interface Watch {
    readonly id: number;
    /** 1: readable (WASI's fd_read), 2: writable (fd_write). */
    readonly direction: number;
    readonly state: Int32Array;
    readonly bell: Int32Array;
    readonly instance: Instance;
  }
  interface WatchMessage {
    op: 'watch';
    id: number;
    fd: number;
    direction: number;
    state: SharedArrayBuffer;
    bell: SharedArrayBuffer;
  }
  interface ProbeMessage {
    op: 'probe';
    fd: number;
    direction: number;
    reply: SharedArrayBuffer;
  }
  type Message = WatchMessage | ProbeMessage | { op: 'unwatch'; id: number };
  /** A call's outcome: ready (with or without hang-up), a WASI errno, or nothing before the clock. */
  type Outcome = { ready: true; hangup: boolean } | { ready: false; errno: number } | null;

  const data = threads.workerData as { control: SharedArrayBuffer; module: WebAssembly.Module };
  const control = new Int32Array(data.control);
  const port = threads.parentPort;
  if (port === null) throw new Error('the readiness worker must run in a worker thread');

  /** An instance whose WASI descriptor 0 (and 1, 2) is the host descriptor `fd`. */
  function instantiate(fd: number): Instance {
    const wasi = new WASI({
      version: 'preview1',
      returnOnExit: true,
      stdin: fd,
      stdout: fd,
      stderr: fd,
    });
    const instance = new WebAssembly.Instance(data.module, {
      wasi_snapshot_preview1: wasi.wasiImport,
    });
    wasi.initialize(instance);
    return instance.exports as unknown as Instance;
  }

  /** One `poll_oneoff` call: descriptor 0 in `direction`, and a clock of `ms`. */
  function pollOnce(instance: Instance, direction: number, ms: number): Outcome {
    const view = new DataView(instance.memory.buffer);
    for (let offset = 0; offset < COUNT + 4; offset += 4) view.setUint32(offset, 0, true);
    view.setBigUint64(0, 1n, true); // userdata 1: the descriptor
    view.setUint8(8, direction);
    view.setUint32(16, 0, true); // WASI descriptor 0
    view.setBigUint64(48, 2n, true); // userdata 2: the clock
    view.setUint8(56, 0); // a clock subscription
    view.setUint32(64, 1, true); // the monotonic clock
    view.setBigUint64(72, BigInt(ms) * 1_000_000n, true); // relative timeout, ns
    const errno = instance.poll(0, EVENTS, 2, COUNT);
    if (errno !== 0) return { ready: false, errno };
    const count = view.getUint32(COUNT, true);
    for (let index = 0; index < count; index++) {
      const event = EVENTS + index * 32;
      if (view.getBigUint64(event, true) !== 1n) continue;
      const error = view.getUint16(event + 8, true);
      if (error !== 0) return { ready: false, errno: error };
      return { ready: true, hangup: (view.getUint16(event + 24, true) & 1) !== 0 };
    }
    return null;
  }

  /**
   * What a watch that only wants hang-ups makes of an outcome: readable
   * data alone is no news to it. A wait that finds only that must not be
   * repeated at once (the data stays, so the call would return at once
   * again), so the loop below sleeps a slice first.
   */
  function filtered(watch: Watch, outcome: Outcome): Outcome {
    if (outcome === null || !outcome.ready || outcome.hangup) return outcome;
    return Atomics.load(watch.state, HANGUP_ONLY) === 1 ? null : outcome;
  }

  function publish(watch: Watch, answered: number, outcome: Outcome): void {
    const { state } = watch;
    if (outcome === null) {
      Atomics.store(state, VERDICT, NOT_READY);
      Atomics.store(state, DETAIL, 0);
    } else if (outcome.ready) {
      Atomics.store(state, VERDICT, READY);
      Atomics.store(state, DETAIL, outcome.hangup ? 1 : 0);
    } else {
      Atomics.store(state, VERDICT, FAILED);
      Atomics.store(state, DETAIL, outcome.errno);
    }
    Atomics.store(state, ANSWERED, answered);
    Atomics.add(state, SEQ, 1);
    Atomics.add(watch.bell, 0, 1);
    Atomics.notify(watch.bell, 0);
  }

  const watches: Watch[] = [];
  let turn = 0;

  function receive(message: Message): void {
    if (message.op === 'watch') {
      let instance: Instance | null = null;
      let errno = 0;
      try {
        instance = instantiate(message.fd);
      } catch {
        errno = 8; // WASI's EBADF: the descriptor was closed before we got to it
      }
      const watch: Watch = {
        id: message.id,
        direction: message.direction,
        state: new Int32Array(message.state),
        bell: new Int32Array(message.bell),
        instance: instance as Instance,
      };
      if (instance === null)
        publish(watch, Atomics.load(watch.state, ASK), { ready: false, errno });
      else watches.push(watch);
    } else if (message.op === 'unwatch') {
      const index = watches.findIndex((watch) => watch.id === message.id);
      if (index >= 0) watches.splice(index, 1);
    } else {
      const reply = new Int32Array(message.reply);
      let errno: number;
      try {
        const outcome = pollOnce(instantiate(message.fd), message.direction, 0);
        errno = outcome !== null && !outcome.ready ? outcome.errno : 0;
      } catch {
        errno = 8;
      }
      Atomics.store(reply, 1, errno);
      Atomics.store(reply, 0, 1);
      Atomics.notify(reply, 0);
    }
  }

  for (;;) {
    const ticket = Atomics.load(control, 0);
    for (let next = threads.receiveMessageOnPort(port); next !== undefined;) {
      receive(next.message as Message);
      next = threads.receiveMessageOnPort(port);
    }
    const running = watches.filter((watch) => Atomics.load(watch.state, STATE) === RUNNING);
    // First the questions: a watch the main thread wants a fresh verdict
    // for gets a short call, which answers "not ready" within PROBE_MS.
    let answeredAny = false;
    for (const watch of running) {
      const ask = Atomics.load(watch.state, ASK);
      if (ask === Atomics.load(watch.state, ANSWERED)) continue;
      publish(watch, ask, filtered(watch, pollOnce(watch.instance, watch.direction, PROBE_MS)));
      answeredAny = true;
    }
    if (answeredAny) continue;
    // Then the waits: watches last found not ready, until they are.
    const waiting = running.filter((watch) => Atomics.load(watch.state, VERDICT) === NOT_READY);
    if (waiting.length > 0) {
      const watch = waiting[turn++ % waiting.length] as Watch;
      const answered = Atomics.load(watch.state, ANSWERED);
      Atomics.store(watch.state, BLOCKING, 1);
      const clock = running.length > 1 ? SLICE_MS : LONG_MS;
      const raw = pollOnce(watch.instance, watch.direction, clock);
      Atomics.store(watch.state, BLOCKING, 0);
      const outcome = filtered(watch, raw);
      if (outcome !== null) publish(watch, answered, outcome);
      else if (raw !== null) Atomics.wait(control, 0, Atomics.load(control, 0), SLICE_MS);
      continue;
    }
    Atomics.wait(control, 0, ticket);
  }
}
