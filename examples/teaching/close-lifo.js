// Puzzle: three handles are closed in the order A, B, C. In which order do
// their close callbacks run? docs/teaching.md, puzzle 5.
//
//   npx uvts-trace examples/teaching/close-lifo.js --profile both
import { Check, Idle, Loop, Timer } from 'uvts';

const loop = new Loop();
const handles = [
  ['A', new Timer(loop)],
  ['B', new Idle(loop)],
  ['C', new Check(loop)],
];
for (const [name, handle] of handles) {
  handle.data = name;
  console.log(`close ${name}`);
  handle.close(() => console.log(`close callback of ${name}`));
}
await loop.run();
loop.close();
