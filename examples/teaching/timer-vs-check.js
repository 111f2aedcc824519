// Puzzle: a 0 ms timer or a check callback — which runs first?
//
// Round 1 starts both before run(). Round 2 starts both from inside a
// callback that runs in the POLL phase (an async handle's callback).
// Predict both orders, then look: docs/teaching.md, puzzle 1.
//
//   npx uvts-trace examples/teaching/timer-vs-check.js --profile both
import { Async, Check, Loop, Timer } from 'uvts';

const loop = new Loop();

function startBoth(round) {
  const timer = new Timer(loop);
  timer.data = `timer, ${round}`;
  timer.start(() => {
    console.log(`${round}: timer`);
    timer.close();
  }, 0);
  const check = new Check(loop);
  check.data = `check, ${round}`;
  check.start(() => {
    console.log(`${round}: check`);
    check.close();
  });
}

startBoth('round 1');
await loop.run();

const wake = new Async(loop, () => {
  startBoth('round 2');
  wake.close();
});
wake.data = 'wake';
wake.send();
await loop.run();
loop.close();
