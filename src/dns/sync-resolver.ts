/**
 * Synchronous name resolution, for `getaddrinfo` and `getnameinfo` without
 * a callback (libuv then resolves on the calling thread and returns the
 * answer).
 *
 * Node has no synchronous `dns.lookup`. So one helper thread does the
 * asynchronous call, and the calling thread blocks in `Atomics.wait` until
 * it has: the helper posts the answer on a `MessagePort`, then bumps a
 * shared word and notifies it; the caller wakes and takes the message with
 * `receiveMessageOnPort`, which reads it synchronously (a message posted
 * before the notify is always there; docs/node.md Q1). Starting the
 * helper takes some tens of milliseconds, once; later calls cost about
 * what the lookup costs.
 *
 * Like the pool's workers, the helper runs a program sent as source text
 * (so it needs no module loader) and is unreferenced, so it never keeps the
 * process alive.
 *
 * @module
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type * as workerThreads from 'node:worker_threads';
import type * as dnsModule from 'node:dns';
import type { MessagePort } from 'node:worker_threads';
import { programSource } from '../work/index.js';

/** @internal What the helper is asked. */
export type SyncDnsQuestion =
  | {
      readonly op: 'lookup';
      readonly host: string;
      readonly family: 0 | 4 | 6;
      readonly hints: number;
    }
  | { readonly op: 'lookupService'; readonly address: string; readonly port: number };

/** @internal What it answers: Node's result, or the `errno` of Node's error. */
export type SyncDnsAnswer =
  | {
      readonly ok: true;
      readonly addresses?: { address: string; family: number }[];
      readonly host?: string;
    }
  | { readonly ok: false; readonly errno: number; readonly message: string };

/**
 * The helper's program. Self-contained (see the module comment): it uses
 * only its parameters.
 */
function helperMain(threads: typeof workerThreads, dns: typeof dnsModule): void {
  const { port, signal } = threads.workerData as { port: MessagePort; signal: SharedArrayBuffer };
  const word = new Int32Array(signal);
  const reply = (answer: SyncDnsAnswer): void => {
    port.postMessage(answer);
    Atomics.add(word, 0, 1);
    Atomics.notify(word, 0);
  };
  const failure = (error: NodeJS.ErrnoException): SyncDnsAnswer => ({
    ok: false,
    errno: typeof error.errno === 'number' ? error.errno : -3004,
    message: error.message,
  });
  threads.parentPort?.on('message', (question: SyncDnsQuestion) => {
    if (question.op === 'lookup') {
      dns.lookup(
        question.host,
        { all: true, family: question.family, hints: question.hints, verbatim: true },
        (error, addresses) => reply(error ? failure(error) : { ok: true, addresses }),
      );
    } else {
      dns.lookupService(question.address, question.port, (error, host) =>
        reply(error ? failure(error) : { ok: true, host }),
      );
    }
  });
}

interface Helper {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly word: Int32Array;
}

let helper: Helper | null = null;

function startHelper(): Helper {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const source = programSource(helperMain, [
    { builtin: 'node:worker_threads' },
    { builtin: 'node:dns' },
  ]);
  const worker = new Worker(source, {
    eval: true,
    name: 'uvts sync dns',
    workerData: { port: port2, signal },
    transferList: [port2],
  });
  worker.unref();
  worker.on('exit', () => {
    if (helper?.worker === worker) helper = null;
  });
  return { worker, port: port1, word: new Int32Array(signal) };
}

/** @internal Asks the helper and blocks this thread until it answers. */
export function askSynchronously(question: SyncDnsQuestion): SyncDnsAnswer {
  helper ??= startHelper();
  const { worker, port, word } = helper;
  const before = Atomics.load(word, 0);
  worker.postMessage(question);
  for (;;) {
    Atomics.wait(word, 0, before, 1000);
    const received = receiveMessageOnPort(port);
    if (received !== undefined) return received.message as SyncDnsAnswer;
  }
}
