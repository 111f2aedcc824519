/**
 * Prints the trace of one small program under both profiles, side by side
 * in time: libuv 1.44.2 runs timers at the start of each iteration, current
 * libuv (1.52) at the end (docs/semantics.md rules 1.37, 10.1).
 * Run: `node --import tsx examples/trace-profiles.ts`.
 */
import { Check, Idle, Loop, Prepare, Timer, createTraceFormatter } from '../src/index.js';
import type { Profile } from '../src/index.js';

async function show(profile: Profile): Promise<void> {
  console.log(`--- libuv ${profile} ---`);
  const loop = new Loop({ libuv: profile });
  const format = createTraceFormatter({ times: false });
  loop.tracer = (event) => console.log(format(event));
  // Started in the order idle, prepare, check; a 0 ms timer; each callback
  // closes its own handle, so the loop ends after one iteration or two.
  new Idle(loop).start((idle) => idle.close());
  new Prepare(loop).start((prepare) => prepare.close());
  new Check(loop).start((check) => check.close());
  new Timer(loop).start((timer) => timer.close(), 0);
  await loop.run();
  loop.close();
}

await show('1.44');
await show('1.52');
