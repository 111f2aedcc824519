// Puzzle: unref() — when does run() return, and when does the program end?
//
// Part 1: a repeating timer that is unref'd, alone.
// Part 2: the same unref'd repeating timer (every 200 ms) next to an
// ordinary one-shot timer due in 500 ms.
// How many ticks does each part print, and what does run() return?
// docs/teaching.md, puzzle 4.
//
//   npx uvts-trace examples/teaching/unref-exit.js --profile both
import { Loop, Timer } from 'uvts';

const loop = new Loop();
let ticks = 0;
const ticker = new Timer(loop);
ticker.data = 'ticker (unref)';
ticker.start(() => console.log(`tick ${++ticks}`), 200, 200);
ticker.unref();

console.log(`part 1: run() returned ${await loop.run()} after ${ticks} ticks`);

loop.updateTime();
ticker.again();
const oneShot = new Timer(loop);
oneShot.data = 'one-shot';
oneShot.start(() => console.log('one-shot timer'), 500);
const alive = await loop.run();
console.log(
  `part 2: run() returned ${alive} after ${ticks} ticks; ticker active: ${ticker.active}`,
);

ticker.close();
oneShot.close();
await loop.run();
loop.close();
console.log('end of the program');
