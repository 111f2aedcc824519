// Puzzle: stop() from a callback, and what run() returns in each mode.
//
// Part 1: a 0 ms timer calls loop.stop() while a check watcher is active.
// Does the check callback still run before run('default') returns?
// Part 2: an idle watcher calls loop.stop() on its second call.
// Part 3: run('once') and run('nowait') with the idle watcher still active,
// then once more after closing it.
// Predict every line, under 1.44 and 1.52. docs/teaching.md, puzzle 7.
//
//   npx uvts-trace examples/teaching/stop-run-modes.js --profile both
import { Check, Idle, Loop, Timer } from 'uvts';

const loop = new Loop();

// Part 1
const timer = new Timer(loop);
timer.data = 'timer';
const check = new Check(loop);
check.data = 'check';
timer.start(() => {
  console.log('timer calls stop()');
  loop.stop();
}, 0);
check.start(() => console.log('check'));
console.log(`part 1: run('default') returned ${await loop.run('default')}`);
timer.close();
check.close();
await loop.run();

// Part 2
const idle = new Idle(loop);
idle.data = 'idle';
let calls = 0;
idle.start(() => {
  calls++;
  console.log(calls === 2 ? `idle ${calls} calls stop()` : `idle ${calls}`);
  if (calls === 2) loop.stop();
});
console.log(`part 2: run('default') returned ${await loop.run('default')}`);

// Part 3
console.log(`part 3: run('once') returned ${await loop.run('once')}`);
console.log(`part 3: run('nowait') returned ${await loop.run('nowait')}`);
idle.close(() => console.log('idle closed'));
console.log(`part 3: after close(), run('nowait') returned ${await loop.run('nowait')}`);
loop.close();
