/**
 * A TCP echo server whose parent accepts connections and hands each to one
 * of its worker processes over an IPC pipe (`write2`), the pattern of
 * libuv's multi-process echo server (benchmark-multi-accept.c); the
 * workers echo. Parent and workers are this one file: run without
 * arguments it is the parent, with `worker` a worker (the parent spawns
 * them so, each with its IPC pipe as stdin, as libuv's tests do).
 *
 * Run it with `node --import tsx examples/multi-process-echo-server.ts
 * [port] [workers]` (default port 0: a free one, printed; 2 workers), talk
 * to it with `nc 127.0.0.1 PORT`, and stop it with Ctrl-C or SIGTERM: the
 * parent stops listening, closes its IPC pipes, and each worker, at the
 * end of its pipe, closes its connections and exits.
 */
import { Loop, Pipe, Process, Signal, StdIO, TCP } from '../src/index.js';

const loop = Loop.defaultLoop();

if (process.argv[2] === 'worker') runWorker();
else runParent(Number(process.argv[2] ?? 0), Number(process.argv[3] ?? 2));
await loop.run();
loop.close();

function runParent(port: number, workerCount: number): void {
  const channels: Pipe[] = [];
  for (let index = 0; index < workerCount; index++) {
    const channel = new Pipe(loop, true);
    Process.spawn(loop, {
      args: [process.execPath, ...process.execArgv, new URL(import.meta.url).pathname, 'worker'],
      stdio: [
        new StdIO({ stream: channel, flags: StdIO.CREATE_PIPE }),
        new StdIO({ fd: 1, flags: StdIO.INHERIT_FD }),
        new StdIO({ fd: 2, flags: StdIO.INHERIT_FD }),
      ],
      exitCallback: (handle, status) => {
        console.log(`worker ${index} exited with status ${status}`);
        handle.close();
      },
    });
    // What a worker writes back (nothing, here) is read to notice its end.
    channel.startRead((pipe, data) => {
      if (data === null) pipe.close();
    });
    channels.push(channel);
  }

  const server = new TCP(loop);
  server.bind('127.0.0.1', port);
  let next = 0;
  server.listen((listener, error) => {
    if (error !== null) return;
    const connection = new TCP(loop);
    listener.accept(connection);
    const channel = channels[next++ % channels.length] as Pipe;
    // The worker gets its own descriptor; the parent's copy closes once sent.
    channel.write2('connection\n', connection, () => connection.close());
  });

  const stop = (): void => {
    for (const signal of signals) signal.close();
    server.close();
    for (const channel of channels) channel.shutdown();
    console.log('stopping');
  };
  const signals = ['SIGINT', 'SIGTERM'].map((signum) => {
    const signal = new Signal(loop);
    signal.start(stop, signum);
    return signal;
  });
  const { address, port: bound } = server.getsockname();
  console.log(
    `multi-process echo server (${workerCount} workers) listening on ${address}:${bound}`,
  );
}

function runWorker(): void {
  const channel = new Pipe(loop, true);
  channel.open(0);
  const connections = new Set<TCP>();
  channel.startRead((pipe, data) => {
    if (data === null) {
      // The parent is done: so is this worker.
      for (const connection of connections) connection.close();
      pipe.close();
      return;
    }
    while (pipe.pendingCount > 0) {
      const connection = new TCP(loop);
      pipe.accept(connection);
      connections.add(connection);
      console.log(`worker ${process.pid}: connection`);
      connection.startRead((handle, bytes) => {
        if (bytes !== null) {
          handle.write(bytes);
          return;
        }
        connections.delete(handle);
        handle.close();
      });
    }
  });
}
