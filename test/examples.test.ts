// The pyuv examples ported to examples/: each runs as a child process, is
// talked to, and is stopped with SIGINT through its Signal handle, which
// closes every handle; the process must then exit cleanly with code 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';

import { exited, LineReader, repoPath, ROOT, spawnTs } from './fixtures/child-util.js';

describe('examples', () => {
  it('tcp-echo-server.ts echoes and stops on SIGINT', async () => {
    const child = spawnTs('examples/tcp-echo-server.ts', ['0', '127.0.0.1']);
    const output = new LineReader(child.stdout as Readable);
    await output.waitFor(/listening on 127\.0\.0\.1:\d+\n/);
    const port = Number(/:(\d+)\n/.exec(output.text)?.[1]);
    const socket = net.connect(port, '127.0.0.1');
    const echoed = new LineReader(socket);
    socket.write('hello\n');
    await echoed.waitFor('hello\n');
    // A connected client too: the signal callback closes it with the rest.
    child.kill('SIGINT');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.match(output.text, /Stopped!\n$/);
    socket.destroy();
  });

  it('poll-echo-server.ts: Poll handles on accepted descriptors echo, and SIGTERM stops it', async () => {
    const child = spawnTs('examples/poll-echo-server.ts', ['0', '127.0.0.1']);
    const output = new LineReader(child.stdout as Readable);
    await output.waitFor(/listening on 127\.0\.0\.1:\d+\n/);
    const port = Number(/:(\d+)\n/.exec(output.text)?.[1]);
    const first = net.connect(port, '127.0.0.1');
    const second = net.connect(port, '127.0.0.1');
    const echoedFirst = new LineReader(first);
    const echoedSecond = new LineReader(second);
    first.write('hello\n');
    second.write('x'.repeat(5000) + '\n');
    await echoedFirst.waitFor('hello\n');
    await echoedSecond.waitFor(`${'x'.repeat(5000)}\n`);
    first.end();
    await output.waitFor(/connection closed by peer --> closing\n[^]*closed\n/);
    child.kill('SIGTERM');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.match(output.text, /stopping\n[^]*Stopped!\n$/);
    second.destroy();
  });

  it('multi-process-echo-server.ts: the parent hands connections to two workers, which echo', async () => {
    const child = spawnTs('examples/multi-process-echo-server.ts', ['0', '2']);
    const output = new LineReader(child.stdout as Readable);
    await output.waitFor(/listening on 127\.0\.0\.1:\d+\n/);
    const port = Number(/:(\d+)\n/.exec(output.text)?.[1]);
    const clients = Array.from({ length: 4 }, () => net.connect(port, '127.0.0.1'));
    const readers = clients.map((socket) => new LineReader(socket));
    clients.forEach((socket, index) => socket.write(`client ${index}\n`));
    for (const [index, reader] of readers.entries()) await reader.waitFor(`client ${index}\n`);
    // Both workers took connections (round robin).
    const workers = new Set(output.text.match(/worker \d+: connection/g));
    assert.equal(workers.size, 2);
    child.kill('SIGTERM');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.match(output.text, /stopping\n/);
    assert.equal(output.text.match(/exited with status 0/g)?.length, 2);
    for (const socket of clients) socket.destroy();
  });

  it('udp-echo-server.ts echoes datagrams and stops on SIGINT', async () => {
    const child = spawnTs('examples/udp-echo-server.ts', ['0', '127.0.0.1']);
    const output = new LineReader(child.stdout as Readable);
    await output.waitFor(/listening on 127\.0\.0\.1:\d+\n/);
    const port = Number(/:(\d+)\n/.exec(output.text)?.[1]);
    const client = dgram.createSocket('udp4');
    const replies: string[] = [];
    client.on('message', (message: Buffer) => replies.push(message.toString()));
    for (const text of ['hello', '', 'world']) client.send(text, port, '127.0.0.1');
    while (replies.length < 3) await once(client, 'message');
    assert.deepEqual(replies, ['hello', '', 'world']);
    child.kill('SIGINT');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.match(output.text, /Stopped!\n$/);
    client.close();
  });

  it('pipe-stdio-echo.ts echoes stdin to stdout and stops on SIGINT', async () => {
    const child = spawnTs('examples/pipe-stdio-echo.ts', [], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const output = new LineReader(child.stdout as Readable);
    (child.stdin as Writable).write('hello\n');
    await output.waitFor('hello\n');
    child.kill('SIGINT');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.equal(output.text, 'hello\n');
  });

  it('pipe-stdio-echo.ts ends by itself at the end of its input', async () => {
    const child = spawnTs('examples/pipe-stdio-echo.ts', [], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const output = new LineReader(child.stdout as Readable);
    (child.stdin as Writable).end('one\n');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    assert.equal(output.text, 'one\n');
  });

  it('tty-stdio-echo.ts on a pty: window size, echo, Ctrl-C', async () => {
    const command = `stty cols 80 rows 24; exec ${process.execPath} --import tsx ${repoPath('examples/tty-stdio-echo.ts')}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const output = new LineReader(child.stdout as Readable);
    const input = child.stdin as Writable;
    await output.waitFor('Window size: (80, 24)');
    input.write('hello\n');
    // The terminal echoes the typed line, then the example writes it back.
    await output.waitFor(/hello\r?\n[^]*hello\r?\n/);
    // Ctrl-C: the terminal turns it into SIGINT for the foreground process.
    input.write('\x03');
    assert.deepEqual(await exited(child), { code: 0, signal: null });
    input.end();
  });
});
