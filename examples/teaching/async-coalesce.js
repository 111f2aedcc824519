// Puzzle: a worker thread calls send() three times on one async handle
// before the loop runs. How many times does the async callback run?
// docs/teaching.md, puzzle 8.
//
//   npx uvts-trace examples/teaching/async-coalesce.js --profile both
//
// The file is both programs: the main thread's loop, and (below) the worker.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const SENDS = 3;

if (isMainThread) {
  const { Async, Loop } = await import('uvts');
  const loop = new Loop();
  let calls = 0;
  const async = new Async(loop, () => {
    calls++;
    console.log(`async callback ${calls}`);
    async.close();
  });
  async.data = 'async';

  // The worker sends while this thread waits for it (libuv's tests join the
  // thread the same way), so every send happens before the loop runs.
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { target: async.sendTarget, done: done.buffer },
  });
  await new Promise((resolve) => worker.once('online', resolve));
  worker.postMessage('go');
  Atomics.wait(done, 0, 0);
  console.log(`the worker called send() ${SENDS} times`);

  await loop.run();
  console.log(`the async callback ran ${calls} time${calls === 1 ? '' : 's'}`);
  loop.close();
  await worker.terminate();
} else {
  const { sendAsync } = await import('uvts/async-sender');
  const done = new Int32Array(workerData.done);
  parentPort.once('message', () => {
    for (let i = 0; i < SENDS; i++) sendAsync(workerData.target);
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  });
}
