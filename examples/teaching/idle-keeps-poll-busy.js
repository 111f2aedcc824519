// Puzzle: why does an idle watcher make the loop spin?
//
// A timer is due in 200 ms. An idle watcher runs three times and then
// stops itself; a prepare watcher reports, just before each POLL, how long
// POLL is going to wait (loop.getTimeout(), libuv's uv_backend_timeout).
// What does it say while the idle watcher is active, and after?
// docs/teaching.md, puzzle 3.
//
//   npx uvts-trace examples/teaching/idle-keeps-poll-busy.js --profile both
import { Idle, Loop, Prepare, Timer } from 'uvts';

const loop = new Loop();
const timer = new Timer(loop);
timer.data = 'timer';
const idle = new Idle(loop);
idle.data = 'idle';
const prepare = new Prepare(loop);
prepare.data = 'prepare';

let spins = 0;
idle.start(() => {
  spins++;
  console.log(spins < 3 ? `idle ${spins}` : `idle ${spins}, stopping`);
  if (spins === 3) idle.stop();
});
prepare.start(() => {
  const timeout = loop.getTimeout();
  console.log(
    timeout === 0 ? 'prepare: POLL will not block' : 'prepare: POLL may block until the timer',
  );
});
timer.start(() => {
  console.log('timer');
  timer.close();
  prepare.close();
  idle.close();
}, 200);

await loop.run();
loop.close();
