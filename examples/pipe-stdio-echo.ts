/**
 * pyuv's "Standard IO Echo server using Pipe handles" example (from pyuv's
 * documentation), in uvts: stdin and stdout opened as pipes.
 *
 * Run it with `echo hello | node --import tsx examples/pipe-stdio-echo.ts`,
 * or interactively (type `exit` or Ctrl-D to end, or Ctrl-C). On SIGINT
 * the signal callback closes every handle and the loop ends. stdin and
 * stdout must be pipes, sockets or a terminal: Node cannot stream a regular
 * file, so `Pipe.open()` answers EINVAL for one (libuv would accept it).
 */
import { Loop, Pipe, Signal } from '../src/index.js';

const loop = Loop.defaultLoop();

const pipeStdin = new Pipe(loop);
pipeStdin.open(0);
const pipeStdout = new Pipe(loop);
pipeStdout.open(1);
const signal = new Signal(loop);

function closeAll(): void {
  for (const handle of [pipeStdin, pipeStdout, signal]) if (!handle.closing) handle.close();
}

pipeStdin.startRead((_handle, data) => {
  // pyuv's example leaves the signal handle running at the end of input;
  // closing it too lets `echo hi | ...` finish without a Ctrl-C.
  if (data === null || data.toString().trim() === 'exit') closeAll();
  else pipeStdout.write(data);
});

signal.start(closeAll, 'SIGINT');

await loop.run();
loop.close();
