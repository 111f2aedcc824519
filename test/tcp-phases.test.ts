// Where stream callbacks run, traced phase by phase: write callbacks in the
// pending queue and never from inside write() (rules 1.22–1.25, 7.10);
// writes queued while connecting in the POLL after the connect callback
// (rule 7.25); EOF in the POLL after the last data (rule 7.7).
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';

import { Async, Check, Idle, Loop, TCP, type TraceEvent } from '../src/index.js';
import { teardown } from './helpers.js';
import { SAFETY_TIMEOUT, connectedPair } from './stream-helpers.js';

/** Trace lines: callbacks as `kind@phase(detail)`, plus the phases named in `phases`. */
function phaseTrace(loop: Loop, phases: readonly string[]): string[] {
  const lines: string[] = [];
  let current = '';
  loop.tracer = (event: TraceEvent) => {
    if (event.type === 'phase') {
      current = event.detail === undefined ? event.phase : `${event.phase}(${event.detail})`;
      if (phases.includes(event.phase)) lines.push(current);
    } else if (event.type === 'callback') {
      lines.push(`${event.kind}@${current}`);
    }
  };
  return lines;
}

describe('where write callbacks run', SAFETY_TIMEOUT, () => {
  test('a write from a read callback calls back in the post-poll pending batch, before check', async () => {
    const loop = new Loop();
    const check = new Check(loop);
    check.start(() => {});
    check.unref();
    let lines: string[] = [];
    connectedPair(loop, (client, accepted) => {
      accepted.startRead((h, data) => {
        if (data === null) {
          h.close();
          return;
        }
        let calledInside = true;
        h.write(data, () => {
          assert.equal(calledInside, false, 'never called from inside write()');
        });
        calledInside = false;
      });
      client.startRead((c) => c.close());
      // Trace from here on: the next POLL delivers the read.
      lines = phaseTrace(loop, ['check']);
      client.write('ping');
    });
    assert.equal(await loop.run(), false);
    const read = lines.indexOf('read@poll');
    assert.ok(read >= 0, lines.join(' | '));
    // The accepted side's echo: its write callback is the first callback
    // after the read, in the first post-poll pending batch, before CHECK.
    assert.deepEqual(lines.slice(read + 1, read + 3), ['write@pending(post-poll)', 'check']);
    check.close();
    await teardown(loop);
  });

  test('a write issued before run() calls back in the first PENDING phase', async () => {
    const loop = new Loop();
    const ends: TCP[] = [];
    connectedPair(loop, (client, accepted) => {
      ends.push(client, accepted);
      loop.stop();
    });
    await loop.run();
    const [client, accepted] = ends;
    assert.ok(client !== undefined && accepted !== undefined);
    accepted.startRead(() => {});
    client.write('early', (c) => {
      c.close();
      accepted.close();
    });
    const lines = phaseTrace(loop, ['pending', 'poll']);
    assert.equal(await loop.run(), false);
    // The first callback of the run, in the first iteration's PENDING phase.
    assert.deepEqual(lines.slice(0, 2), ['pending', 'write@pending']);
    await teardown(loop);
  });

  test('a write from a write callback calls back in the next pending batch', async () => {
    const loop = new Loop();
    let lines: string[] = [];
    connectedPair(loop, (client, accepted) => {
      accepted.startRead(() => {});
      lines = phaseTrace(loop, ['pending']);
      let writes = 0;
      const again = (c: TCP): void => {
        if (++writes === 3) {
          c.close();
          accepted.close();
          return;
        }
        c.write('x', again);
      };
      client.write('x', again);
    });
    assert.equal(await loop.run(), false);
    // One callback per batch: each new write completes during the callback
    // of the previous one and waits for the next batch (rule 1.23), here
    // the next post-poll batch of the same iteration.
    const first = lines.indexOf('write@pending(post-poll)');
    assert.deepEqual(lines.slice(first - 1, first + 5), [
      'pending(post-poll)',
      'write@pending(post-poll)',
      'pending(post-poll)',
      'write@pending(post-poll)',
      'pending(post-poll)',
      'write@pending(post-poll)',
    ]);
    await teardown(loop);
  });

  test('a write from a check callback calls back in the next iteration PENDING phase', async () => {
    const loop = new Loop();
    const check = new Check(loop);
    let lines: string[] = [];
    connectedPair(loop, (client, accepted) => {
      accepted.startRead(() => {});
      lines = phaseTrace(loop, ['check', 'poll']);
      check.start((ck) => {
        ck.stop();
        client.write('x', (c) => {
          c.close();
          accepted.close();
          ck.close();
        });
      });
    });
    assert.equal(await loop.run(), false);
    const start = lines.indexOf('check@check');
    assert.ok(start >= 0);
    // CHECK, (CLOSING, TIMERS), then the next iteration's PENDING: before POLL.
    assert.equal(lines[start + 1], 'write@pending');
    await teardown(loop);
  });
});

describe('connect and EOF iterations', SAFETY_TIMEOUT, () => {
  test('writes queued while connecting call back in the POLL after the connect callback', async () => {
    // libuv flushes them at the next writability event, so a CHECK comes
    // between the connect callback and the first write callback
    // (conformance scenario shutdown_after_queued_writes).
    const loop = new Loop();
    const server = new TCP(loop);
    server.bind('127.0.0.1', 0);
    server.listen(() => {}, 8);
    const check = new Check(loop);
    const seen: string[] = [];
    check.start(() => seen.push('check'));
    const client = new TCP(loop);
    client.connect('127.0.0.1', server.getsockname().port, () => seen.push('connect'));
    for (const name of ['w1', 'w2', 'w3']) client.write(name, () => seen.push(name));
    client.shutdown((c) => {
      seen.push('shutdown');
      c.close();
      server.close();
      check.close();
    });
    assert.equal(await loop.run(), false);
    const connect = seen.indexOf('connect');
    assert.deepEqual(seen.slice(connect), ['connect', 'check', 'w1', 'w2', 'w3', 'shutdown']);
    await teardown(loop);
  });

  for (const profile of ['1.44', '1.52'] as const) {
    test(`EOF after data comes one POLL later when the socket did not hang up (${profile})`, async () => {
      // The peer writes and shuts down before the client reads at all, so
      // data and EOF are both waiting when reading starts. libuv's read
      // round ends with the short read of the data; EOF is the next event's
      // read (rule 7.7; conformance scenario eof_after_partial_read).
      const loop = new Loop({ libuv: profile });
      const check = new Check(loop);
      const seen: string[] = [];
      check.start(() => {
        if (seen.length > 0 && seen.at(-1) !== 'check') seen.push('check');
      });
      check.unref();
      connectedPair(loop, (client, accepted) => {
        accepted.write('bye');
        accepted.shutdown(() => {
          // Start reading a few iterations later (an idle watcher keeps
          // the polls from blocking), when the FIN is in as well; the
          // expected order is the same either way.
          const later = new Idle(loop);
          let turns = 0;
          later.start((l) => {
            if (++turns < 3) return;
            l.close();
            client.startRead((c, data, error) => {
              seen.push(data !== null ? data.toString() : (error?.code ?? 'null'));
              if (data === null) {
                c.close();
                accepted.close();
                check.close();
              }
            });
          });
        });
      });
      assert.equal(await loop.run(), false);
      assert.deepEqual(seen, ['bye', 'check', 'EOF']);
      await teardown(loop);
    });
  }
});

describe('EOF after a hang-up', SAFETY_TIMEOUT, () => {
  for (const profile of ['1.44', '1.52'] as const) {
    test(`final data and EOF of a hung-up socket: ${profile === '1.44' ? 'one POLL' : 'two POLLs'} (${profile})`, async () => {
      // Both directions are shut when the client reads: its own shutdown is
      // done and the peer's data came with the peer's FIN. The event has
      // POLLHUP: libuv 1.44 reports EOF right after the data, in the same
      // event; 1.52 only from a later read (rule 7.7, §10.5; conformance
      // scenario eof_after_hangup).
      const loop = new Loop({ libuv: profile });
      const check = new Check(loop);
      const seen: string[] = [];
      check.start(() => {
        if (seen.length > 0 && seen.at(-1) !== 'check') seen.push('check');
      });
      check.unref();
      connectedPair(loop, (client, accepted) => {
        accepted.startRead((a, data) => {
          if (data !== null) return;
          // The client's FIN: answer, then shut down too.
          a.write('bye');
          a.shutdown(() => {
            const later = new Idle(loop);
            let turns = 0;
            later.start((l) => {
              if (++turns < 3) return;
              l.close();
              client.startRead((c, chunk, error) => {
                seen.push(chunk !== null ? chunk.toString() : (error?.code ?? 'null'));
                if (chunk === null) {
                  c.close();
                  a.close();
                  check.close();
                }
              });
            });
          });
        });
        client.shutdown();
      });
      assert.equal(await loop.run(), false);
      assert.deepEqual(seen, profile === '1.44' ? ['bye', 'EOF'] : ['bye', 'check', 'EOF']);
      await teardown(loop);
    });
  }
});

describe('one Node poll phase, one POLL', SAFETY_TIMEOUT, () => {
  test('an Async.send() from a Node callback shares the POLL of the reads of its poll phase', async () => {
    // A plain Node socket pair, whose 'data' handler sends to a uvts Async.
    const nodeServer = net.createServer();
    await new Promise<void>((resolve) => nodeServer.listen(0, '127.0.0.1', resolve));
    const { port } = nodeServer.address() as net.AddressInfo;
    const nodeClient = net.connect(port, '127.0.0.1');
    const [nodePeer] = (await Promise.all([
      new Promise((resolve) => nodeServer.once('connection', resolve)),
      new Promise((resolve) => nodeClient.once('connect', resolve)),
    ])) as [net.Socket, unknown];

    const loop = new Loop();
    const events: string[] = [];
    let iteration = 0;
    loop.tracer = (event: TraceEvent) => {
      if (event.type === 'iteration') iteration = event.iteration;
    };
    const done = (): void => {
      if (events.length === 2) loop.walk((handle) => handle.close());
    };
    const async = new Async(loop, () => {
      events.push(`async@${iteration}`);
      done();
    });
    nodePeer.on('data', () => async.send());
    const check = new Check(loop);
    connectedPair(loop, (client, accepted) => {
      accepted.startRead((_handle, data) => {
        if (data === null) return;
        events.push(`read@${iteration}`);
        done();
      });
      check.start(() => {
        check.stop();
        // Both sockets become readable before Node polls again, the Node one
        // first, so Node's next poll phase emits its 'data' (and the send)
        // before the uvts read event. libuv would see both in one epoll_wait.
        nodeClient.write('x');
        client.write('y');
      });
    });
    assert.equal(await loop.run(), false);
    const [first, second] = events;
    assert.equal(events.length, 2, events.join(', '));
    // Completions before the async list in one POLL (rule 1.20): same iteration.
    assert.equal(first?.replace(/@.*/, ''), 'read');
    assert.equal(second?.replace(/@.*/, ''), 'async');
    assert.equal(first?.replace(/.*@/, ''), second?.replace(/.*@/, ''), events.join(', '));
    nodeClient.destroy();
    nodePeer.destroy();
    nodeServer.close();
    await teardown(loop);
  });
});
