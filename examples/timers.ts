/**
 * The README's example: timers, a check watcher and the loop explaining
 * itself. Run it with `npm run example`.
 */
import { Check, Loop, Timer, createTraceFormatter } from '../src/index.js';

const loop = new Loop(); // libuv 1.52's behaviour; new Loop({ libuv: '1.44' }) for 1.44.2
const format = createTraceFormatter({ times: false });
loop.tracer = (event) => console.log(format(event));

let ticks = 0;
const ticker = new Timer(loop);
ticker.start(
  () => {
    ticks++;
    console.log(`tick ${ticks}`);
    if (ticks === 3) ticker.close(() => console.log('ticker closed'));
  },
  10,
  10,
);

const check = new Check(loop);
check.start(() => {
  if (ticks === 3) check.close();
});

const stillAlive = await loop.run(); // resolves to what uv_run returns
console.log(`run() returned ${stillAlive}`);
loop.close();
