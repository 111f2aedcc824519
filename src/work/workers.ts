/**
 * The pool's worker threads: where `queueWork` jobs run.
 *
 * Workers are started lazily, one when a work job finds none idle (the
 * scheduler never runs more jobs than the pool has slots, so there are never
 * more workers than slots), and kept for the next jobs: starting one costs
 * tens of milliseconds (docs/node.md Q13). They end when the pool has had
 * nothing for them for `IDLE_MS`, or when `endIdle()` is called (a loop
 * closed with nothing left in the pool). They are unreferenced, so they never
 * keep the process alive by themselves: while a job runs, its request keeps
 * its loop alive, and the waiting loop keeps the process.
 *
 * A worker runs `pool-worker.ts`'s program, started from its source (see
 * there why). A worker that dies (a work function called `process.exit()`,
 * or threw from a timer) fails the job it was running with an error and is
 * replaced on demand.
 *
 * @module
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort, TransferListItem } from 'node:worker_threads';
import { poolWorkerSource } from '../thread/pool-worker.js';
import type { PoolWorkerInit } from '../thread/pool-worker.js';
import type { JobMessage, ResultMessage } from '../thread/work-protocol.js';

/** How long a worker may sit idle before it is ended. */
export const IDLE_MS = 5000;

/** What a job is told when it ends: its worker's message, or a synthesized failure. */
export type JobOutcome = ResultMessage;

interface Assignment {
  readonly id: number;
  readonly onDone: (outcome: JobOutcome) => void;
}

interface PoolThread {
  readonly worker: Worker;
  /** Where the worker's results arrive (see `catchUp`). */
  readonly results: MessagePort;
  job: Assignment | null;
}

/**
 * Where the worker finds uvts's thread primitives, and the TypeScript
 * loader it needs when uvts itself runs from its TypeScript sources (in this
 * repository's tests); a built uvts needs none.
 */
function workerInit(): PoolWorkerInit {
  const typescript = import.meta.url.endsWith('.ts');
  const threadModule = new URL(`../thread/index.${typescript ? 'ts' : 'js'}`, import.meta.url).href;
  let loader: string | null = null;
  if (typescript) {
    try {
      loader = import.meta.resolve('tsx/esm/api');
    } catch {
      loader = null;
    }
  }
  return { threadModule, loader };
}

/** @internal The worker threads of a pool. */
export class WorkerSet {
  private readonly threads: PoolThread[] = [];
  private source: string | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  /** When the last job ended (`Date.now()`): the idle time counts from there. */
  private lastJobEnded = 0;

  /** Number of live workers (for tests and diagnostics). */
  get count(): number {
    return this.threads.length;
  }

  /**
   * Runs a job on an idle worker (starting one if none is idle) and calls
   * `onDone` with its outcome, from a Node callback.
   */
  run(
    job: Omit<JobMessage, 'id'>,
    transfer: readonly TransferListItem[],
    onDone: (outcome: JobOutcome) => void,
  ): void {
    const thread = this.threads.find((candidate) => candidate.job === null) ?? this.start();
    const id = this.nextId++;
    thread.job = { id, onDone };
    thread.worker.postMessage({ ...job, id } satisfies JobMessage, transfer as TransferListItem[]);
  }

  /**
   * Takes the results that workers have posted but Node has not delivered
   * yet (it delivers them only when this thread returns to its event loop),
   * and ends their jobs now. The pool calls this before it decides anything
   * that depends on which jobs still run (`cancel()`, POLL's delivery): in
   * libuv a worker thread finishes its job and takes the next one while the
   * loop's thread is busy, and a job queued behind it is no longer
   * cancellable.
   */
  catchUp(): void {
    for (const thread of this.threads) {
      if (thread.job === null) continue;
      const received = receiveMessageOnPort(thread.results);
      if (received !== undefined) this.finish(thread, received.message as JobOutcome);
    }
  }

  /** Ends every idle worker now. */
  endIdle(): void {
    for (const thread of [...this.threads]) {
      if (thread.job !== null) continue;
      this.forget(thread);
      void thread.worker.terminate();
    }
  }

  private start(): PoolThread {
    this.source ??= poolWorkerSource(workerInit());
    const { port1: results, port2: resultPort } = new MessageChannel();
    const worker = new Worker(this.source, {
      eval: true,
      name: 'uvts pool worker',
      workerData: { results: resultPort },
      transferList: [resultPort],
    });
    worker.unref();
    results.unref();
    const thread: PoolThread = { worker, results, job: null };
    results.on('message', (outcome: JobOutcome) => this.finish(thread, outcome));
    worker.on('error', (error: Error) => this.fail(thread, error));
    worker.on('exit', (code: number) => {
      this.fail(thread, new Error(`the pool worker running this job exited with code ${code}`));
    });
    this.threads.push(thread);
    return thread;
  }

  private finish(thread: PoolThread, outcome: JobOutcome): void {
    const job = thread.job;
    if (job === null || job.id !== outcome.id) return;
    thread.job = null;
    this.lastJobEnded = Date.now();
    this.armIdleTimer();
    job.onDone(outcome);
  }

  /** A worker died: its job fails with `error`, and the worker is forgotten. */
  private fail(thread: PoolThread, error: Error): void {
    this.forget(thread);
    const job = thread.job;
    if (job === null) return;
    thread.job = null;
    job.onDone({
      id: job.id,
      ok: false,
      error: {
        name: error.name,
        message: error.message,
        stack: error.stack,
        properties: {},
        uv: false,
      },
    });
  }

  private forget(thread: PoolThread): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    thread.results.close();
  }

  /**
   * Makes sure a timer will end the workers once they have been idle for
   * `IDLE_MS`. One timer serves many jobs: it is not re-armed per job (a job
   * at a time would otherwise pay for a timer each), and when it fires early
   * — a job ran meanwhile, or one still runs — it waits for the rest of the
   * idle time.
   */
  private armIdleTimer(delay = IDLE_MS): void {
    if (this.idleTimer !== null) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.threads.length === 0) return;
      const idleFor = Date.now() - this.lastJobEnded;
      if (this.threads.some((thread) => thread.job !== null)) this.armIdleTimer();
      else if (idleFor < IDLE_MS) this.armIdleTimer(IDLE_MS - idleFor);
      else this.endIdle();
    }, delay);
    this.idleTimer.unref();
  }
}
