// Puzzle: the same program under libuv 1.44 and 1.52.
//
// A 0 ms timer, a prepare and a check watcher, then one run('nowait'):
// a single trip around the loop that never blocks. In which order do the
// three callbacks run under each version of libuv? docs/teaching.md,
// puzzle 2.
//
//   npx uvts-trace examples/teaching/timers-placement.js --profile both
import { Check, Loop, Prepare, Timer } from 'uvts';

const loop = new Loop();
const timer = new Timer(loop);
timer.data = 'timer';
timer.start(() => console.log('timer'), 0);
const prepare = new Prepare(loop);
prepare.data = 'prepare';
prepare.start(() => console.log('prepare'));
const check = new Check(loop);
check.data = 'check';
check.start(() => console.log('check'));

console.log(`run('nowait') returned ${await loop.run('nowait')}`);
timer.close();
prepare.close();
check.close();
await loop.run();
loop.close();
