/**
 * pyuv's "Standard IO Echo server using TTY handles" example (from pyuv's
 * documentation), in uvts: the terminal's stdin and stdout as TTY handles.
 *
 * Run it in a terminal with `node --import tsx examples/tty-stdio-echo.ts`:
 * it prints the window size and echoes each line you type; `exit` or
 * Ctrl-D ends it, and so does Ctrl-C through a SIGINT handle that closes
 * every handle. `TTY.resetMode()` at the end restores the terminal, as a
 * libuv program should before it exits.
 */
import { Loop, Signal, TTY } from '../src/index.js';

const loop = Loop.defaultLoop();

const ttyStdin = new TTY(loop, 0, true);
const ttyStdout = new TTY(loop, 1, false);
const signal = new Signal(loop);

function closeAll(): void {
  for (const handle of [ttyStdin, ttyStdout, signal]) if (!handle.closing) handle.close();
}

ttyStdin.startRead((_handle, data) => {
  if (data === null || data.toString().trim() === 'exit') closeAll();
  else ttyStdout.write(data);
});

const [width, height] = ttyStdin.getWinsize();
ttyStdout.write(`Window size: (${width}, ${height})\n`);

signal.start(closeAll, 'SIGINT');

await loop.run();
loop.close();
TTY.resetMode();
