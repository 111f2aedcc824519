// Puzzle: a write and a check watcher.
//
// A client connects to a server on 127.0.0.1. In its connect callback
// (which runs in POLL) it writes "hello" and starts a check watcher.
// Which runs first: the write callback or the check callback?
// docs/teaching.md, puzzle 6.
//
//   npx uvts-trace examples/teaching/write-before-check.js --profile both
import { Check, Loop, TCP } from 'uvts';

const loop = new Loop();
const server = new TCP(loop);
server.data = 'server';
server.bind('127.0.0.1', 0);
let accepted = null;
server.listen((listener, error) => {
  // The server side stays silent: its callback shares the POLL batch of the
  // client's connect callback, in an order libuv leaves to the kernel.
  if (error !== null) return;
  accepted = new TCP(loop);
  accepted.data = 'accepted';
  listener.accept(accepted);
});

const client = new TCP(loop);
client.data = 'client';
const check = new Check(loop);
check.data = 'check';
client.connect('127.0.0.1', server.getsockname().port, (_request, error) => {
  console.log(`connect callback: ${error === null ? 'connected' : error.code}`);
  client.write('hello', (_write, writeError) => {
    console.log(`write callback: ${writeError === null ? 'written' : writeError.code}`);
  });
  check.start(() => {
    console.log('check callback');
    check.close();
    client.close();
    server.close();
    accepted?.close();
  });
});

await loop.run();
loop.close();
