/**
 * UDP behaviour rule by rule (docs/semantics.md §8.A, rule 10.6), each
 * checked against libuv 1.44.2 and 1.52.1 through luv (the conformance
 * scenarios `udp_*` record the same from real libuv), and bad input of every
 * kind.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { Check, HandleClosedError, Idle, Loop, Prepare, UDP } from '../src/index.js';
import type { Profile, SocketAddress, UVError } from '../src/index.js';
import { PROFILES, bothProfiles, teardown, traceCallbacks, uvError } from './helpers.js';

const LOOPBACK = '127.0.0.1';

/** A bound receiver (not receiving yet) and its port. */
function receiver(loop: Loop): [UDP, number] {
  const handle = new UDP(loop);
  handle.bind(LOOPBACK, 0);
  return [handle, handle.getsockname().port];
}

/** A port where nothing listens: one a handle bound and gave back. */
function gonePort(loop: Loop): number {
  const [gone, port] = receiver(loop);
  gone.close();
  return port;
}

type Event = string;

/** Records receive callbacks as strings: the datagram, `nothing`, or the error's code. */
function recorder(events: Event[], tag = 'recv') {
  return (
    _handle: UDP,
    address: SocketAddress | null,
    flags: number,
    data: Buffer | null,
    error: UVError | null,
  ): void => {
    if (error !== null) events.push(`${tag} ${error.code}`);
    else if (data === null) events.push(`${tag} nothing`);
    else
      events.push(
        `${tag} ${JSON.stringify(data.toString())}${flags === UDP.PARTIAL ? ' PARTIAL' : ''}${address === null ? ' NO ADDRESS' : ''}`,
      );
  };
}

describe('receiving', () => {
  bothProfiles(
    'a readiness batch ends with one "nothing more" call; an empty datagram has an address',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [server, port] = receiver(loop);
      const client = new UDP(loop);
      const events: Event[] = [];
      server.startRecv((handle, address, flags, data, error) => {
        recorder(events)(handle, address, flags, data, error);
        if (data === null && error === null) {
          handle.close();
          client.close();
        }
      });
      for (const data of ['a', '', 'ccc']) client.trySend(LOOPBACK, port, data);
      await loop.run();
      assert.deepEqual(events, ['recv "a"', 'recv ""', 'recv "ccc"', 'recv nothing']);
      await teardown(loop);
    },
  );

  bothProfiles(
    'a datagram longer than the buffer is truncated and flagged PARTIAL',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [server, port] = receiver(loop);
      const client = new UDP(loop);
      const events: Event[] = [];
      server.startRecv((handle, address, flags, data, error) => {
        recorder(events)(handle, address, flags, data, error);
        if (data === null) handle.close();
      }, 4);
      client.trySend(LOOPBACK, port, 'abcdefgh');
      client.trySend(LOOPBACK, port, 'abcd');
      client.close();
      await loop.run();
      assert.deepEqual(events, ['recv "abcd" PARTIAL', 'recv "abcd"', 'recv nothing']);
      await teardown(loop);
    },
  );

  bothProfiles(
    'stopping receives stops the reading only: datagrams wait for the next startRecv, in order',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [server, port] = receiver(loop);
      const client = new UDP(loop);
      const events: Event[] = [];
      server.startRecv(recorder(events));
      server.stopRecv();
      assert.equal(server.active, false);
      for (const data of ['1', '2', '3']) client.trySend(LOOPBACK, port, data);
      // Iterations pass (Node reads the socket meanwhile); nothing is delivered.
      const prepare = new Prepare(loop);
      let turns = 0;
      prepare.start((handle) => {
        if (++turns === 5) handle.close();
      });
      const idle = new Idle(loop);
      idle.start((handle) => {
        if (turns >= 5) handle.close();
      });
      await loop.run();
      assert.deepEqual(events, []);
      server.startRecv((handle, address, flags, data, error) => {
        recorder(events)(handle, address, flags, data, error);
        if (data === null) handle.stopRecv();
      });
      await loop.run();
      assert.deepEqual(events, ['recv "1"', 'recv "2"', 'recv "3"', 'recv nothing']);
      client.close();
      await teardown(loop);
    },
  );

  bothProfiles('a receive callback that stops receiving ends the round', async (profile) => {
    const loop = new Loop({ libuv: profile });
    const [server, port] = receiver(loop);
    const client = new UDP(loop);
    const events: Event[] = [];
    for (const data of ['w1', 'w2', 'w3']) client.trySend(LOOPBACK, port, data);
    server.startRecv((handle, address, flags, data, error) => {
      recorder(events, 'first')(handle, address, flags, data, error);
      handle.stopRecv();
    });
    await loop.run('once');
    server.startRecv((handle, address, flags, data, error) => {
      recorder(events, 'second')(handle, address, flags, data, error);
      if (data === null) handle.stopRecv();
    });
    await loop.run();
    assert.deepEqual(events, ['first "w1"', 'second "w2"', 'second "w3"', 'second nothing']);
    client.close();
    await teardown(loop);
  });

  bothProfiles('a round reads at most 32 datagrams', async (profile) => {
    const loop = new Loop({ libuv: profile });
    const [server, port] = receiver(loop);
    const client = new UDP(loop);
    const seen: string[] = [];
    let received = 0;
    server.startRecv((handle, _address, _flags, data) => {
      if (data !== null) {
        received++;
        return;
      }
      seen.push(`nothing more after ${received}`);
      handle.close();
    });
    for (let i = 0; i < 40; i++) client.trySend(LOOPBACK, port, 'm');
    const check = new Check(loop);
    check.start((handle) => {
      seen.push(`check ${received}`);
      if (received === 40) handle.close();
    });
    await loop.run();
    // 32 in the first POLL without a "nothing more" call, the other 8 and that call in the next.
    assert.deepEqual(seen, ['check 32', 'nothing more after 40', 'check 40']);
    client.close();
    await teardown(loop);
  });

  bothProfiles(
    'datagrams beyond the receive buffer are dropped as the kernel drops them, and counted',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [server, port] = receiver(loop);
      const client = new UDP(loop);
      client.bind(LOOPBACK, 0);
      server.startRecv(() => {});
      server.stopRecv();
      // 400 small datagrams: the default buffer (212992 bytes) holds 256 of them.
      const sent = 400;
      let sendsDone = 0;
      const pump = (): void => {
        if (sendsDone === sent) return;
        client.send(LOOPBACK, port, 'x', () => {
          sendsDone++;
          pump();
        });
      };
      pump();
      await loop.run();
      let received = 0;
      server.startRecv((_handle, _address, _flags, data) => {
        if (data !== null) received++;
      });
      // Every datagram is received, or dropped by uvts or by the kernel.
      while (received + server.droppedDatagrams + udpDrops(port) < sent) await loop.run('once');
      const kernelDrops = udpDrops(port);
      assert.equal(received + server.droppedDatagrams + kernelDrops, sent);
      assert.ok(received > 0 && received <= 256 + 32, `${received} received`);
      assert.ok(server.droppedDatagrams + kernelDrops > 0);
      await teardown(loop);
    },
  );
});

/** The kernel's drop count of the UDP socket bound to `port` on 127.0.0.1 (/proc/net/udp). */
function udpDrops(port: number): number {
  for (const line of readFileSync('/proc/net/udp', 'latin1').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (local === undefined) continue;
    if (Number.parseInt(local.split(':')[1] ?? '', 16) === port) return Number(fields[12]);
  }
  return 0;
}

describe('sending', () => {
  bothProfiles(
    'send callbacks run in the pending phase, in order, and the counters count each request until its callback',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [, port] = receiver(loop);
      const client = new UDP(loop);
      const seen: string[] = [];
      const order = traceCallbacks(loop);
      const callback =
        (tag: string) =>
        (handle: UDP, error: UVError | null): void => {
          seen.push(
            `${tag} ${error?.code ?? 0} count=${handle.sendQueueCount} size=${handle.sendQueueSize}`,
          );
        };
      client.send(LOOPBACK, port, 'hello', callback('s1'));
      assert.deepEqual([client.sendQueueCount, client.sendQueueSize, client.active], [1, 5, true]);
      client.send(LOOPBACK, port, 'world!', callback('s2'));
      client.send(LOOPBACK, port, ['ab', 'cd'], callback('s3'));
      assert.deepEqual([client.sendQueueCount, client.sendQueueSize], [3, 15]);
      assert.throws(() => client.trySend(LOOPBACK, port, 'x'), uvError('EAGAIN'));
      const prepare = new Prepare(loop);
      prepare.start((handle) => handle.stop());
      await loop.run('once');
      assert.deepEqual(seen, [
        's1 0 count=2 size=10',
        's2 0 count=1 size=4',
        's3 0 count=0 size=0',
      ]);
      // All three before the prepare callback: the pending phase.
      assert.deepEqual(
        order.slice(-4).map((entry) => entry.split('#')[0]),
        ['send', 'send', 'send', 'prepare'],
      );
      assert.equal(client.active, false);
      await teardown(loop);
    },
  );

  bothProfiles(
    'a send from a send callback goes out in POLL, its callback before CHECK',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [, port] = receiver(loop);
      const client = new UDP(loop);
      const order = traceCallbacks(loop);
      client.send(LOOPBACK, port, 'a', (handle) => {
        handle.send(LOOPBACK, port, 'b');
        assert.equal(handle.sendQueueCount, 1);
      });
      const prepare = new Prepare(loop);
      prepare.start(() => {});
      const check = new Check(loop);
      check.start(() => {});
      await loop.run('once');
      const kinds = order.map((entry) => entry.split('#')[0]);
      assert.deepEqual(kinds, ['send', 'prepare', 'check']);
      // The second send had no callback; its request still went out in POLL.
      assert.equal(client.sendQueueCount, 0);
      await teardown(loop);
    },
  );

  bothProfiles(
    'closing with sends in flight: the sent one completes, the queued ones are ECANCELED, before the close callback',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [, port] = receiver(loop);
      const client = new UDP(loop);
      const seen: string[] = [];
      for (const tag of ['z1', 'z2', 'z3']) {
        client.send(LOOPBACK, port, tag, (handle, error) => {
          seen.push(
            `${tag} ${error?.code ?? 0} closing=${handle.closing} count=${handle.sendQueueCount}`,
          );
        });
      }
      client.close(() => seen.push('close'));
      assert.deepEqual([client.sendQueueCount, client.active], [3, false]);
      await teardown(loop);
      assert.deepEqual(seen, [
        'z1 0 closing=true count=2',
        'z2 ECANCELED closing=true count=1',
        'z3 ECANCELED closing=true count=0',
        'close',
      ]);
    },
  );

  test('a refused datagram fails its whole sendmmsg batch in 1.44, only itself in 1.52 (rule 10.6)', async () => {
    const results: Record<Profile, string[]> = { '1.44': [], '1.52': [] };
    for (const profile of PROFILES) {
      const loop = new Loop({ libuv: profile });
      const [, port] = receiver(loop);
      const client = new UDP(loop);
      const seen = results[profile];
      const record =
        (tag: string) =>
        (_h: UDP, error: UVError | null): void =>
          void seen.push(`${tag} ${error?.code ?? 0}`);
      client.send(LOOPBACK, port, 'one', record('b1'));
      client.send(LOOPBACK, port, Buffer.alloc(70000), record('b2'));
      client.send(LOOPBACK, port, 'three', record('b3'));
      client.send(LOOPBACK, port, 'four', record('b4'));
      const prepare = new Prepare(loop);
      prepare.start(() => void seen.push('prepare'));
      await loop.run('once');
      await teardown(loop);
    }
    assert.deepEqual(results['1.44'], [
      'b1 0',
      'b2 EMSGSIZE',
      'b3 EMSGSIZE',
      'b4 EMSGSIZE',
      'prepare',
    ]);
    assert.deepEqual(results['1.52'], ['b1 0', 'b2 EMSGSIZE', 'prepare', 'b3 0', 'b4 0']);
  });

  bothProfiles(
    'a send on a handle without a socket binds it first, so getsockname works at once',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [, port] = receiver(loop);
      const client = new UDP(loop);
      assert.throws(() => client.getsockname(), uvError('EBADF'));
      client.send(LOOPBACK, port, 'PING');
      const name = client.getsockname();
      assert.equal(name.address, '0.0.0.0');
      assert.notEqual(name.port, 0);
      await teardown(loop);
    },
  );

  bothProfiles(
    'an IPv6 socket reaches IPv4 addresses; an IPv4 socket refuses IPv6 ones',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const [server, port] = receiver(loop);
      const events: Event[] = [];
      server.startRecv(recorder(events));
      const v6 = new UDP(loop);
      v6.bind('::', 0);
      const v4 = new UDP(loop);
      v4.bind(LOOPBACK, 0);
      const statuses: string[] = [];
      assert.throws(() => v4.trySend('::1', port, 'x'), uvError('EAFNOSUPPORT'));
      assert.throws(() => v4.connect('::1', port), uvError('EAFNOSUPPORT'));
      assert.equal(v6.trySend(LOOPBACK, port, 'six'), 3);
      v6.send(LOOPBACK, port, 'six', (_h, error) => void statuses.push(`v6 ${error?.code ?? 0}`));
      v4.send('::1', port, 'four', (_h, error) => void statuses.push(`v4 ${error?.code ?? 0}`));
      await loop.run('once');
      await loop.run('nowait');
      assert.deepEqual(statuses.sort(), ['v4 EAFNOSUPPORT', 'v6 0']);
      await teardown(loop);
    },
  );
});

describe('connected sockets and ICMP errors', () => {
  test('while receiving, ECONNREFUSED reaches the receive callback (1.52 then says "nothing more")', async () => {
    for (const profile of PROFILES) {
      const loop = new Loop({ libuv: profile });
      const port = gonePort(loop);
      const client = new UDP(loop);
      client.connect(LOOPBACK, port);
      const events: Event[] = [];
      client.startRecv(recorder(events));
      let sent = '';
      client.send('1', (_h, error) => (sent = error?.code ?? '0'));
      const check = new Check(loop);
      check.start((handle) => {
        if (events.length === 0) return;
        handle.close();
        client.close();
      });
      await loop.run();
      assert.equal(sent, '0');
      const expected =
        profile === '1.44' ? ['recv ECONNREFUSED'] : ['recv ECONNREFUSED', 'recv nothing'];
      assert.deepEqual(events, expected, profile);
      await teardown(loop);
    }
  });

  bothProfiles(
    'while not receiving, the next send fails with ECONNREFUSED and the one after it succeeds',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const port = gonePort(loop);
      const client = new UDP(loop);
      client.connect(LOOPBACK, port);
      const statuses: string[] = [];
      const record = (_h: UDP, error: UVError | null): void =>
        void statuses.push(error?.code ?? '0');
      client.send('1', record);
      await loop.run();
      client.send('2', record);
      await loop.run();
      client.send('3', record);
      await loop.run();
      assert.deepEqual(statuses, ['0', 'ECONNREFUSED', '0']);
      await teardown(loop);
    },
  );

  bothProfiles('trySend reports the pending ICMP error at once', async (profile) => {
    const loop = new Loop({ libuv: profile });
    const port = gonePort(loop);
    const client = new UDP(loop);
    client.connect(LOOPBACK, port);
    assert.equal(client.trySend('1'), 1);
    // Let Node read the socket's error (the kernel has it at once on loopback).
    await loop.run();
    await new Promise((resolve) => setImmediate(resolve));
    assert.throws(() => client.trySend('2'), uvError('ECONNREFUSED'));
    assert.equal(client.trySend('3'), 1);
    await teardown(loop);
  });
});

describe('membership and options', () => {
  bothProfiles(
    'joining a group on a handle without a socket binds it (0.0.0.0, port 0)',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const handle = new UDP(loop);
      handle.setMembership('239.255.0.1', LOOPBACK, UDP.JOIN_GROUP);
      const name = handle.getsockname();
      assert.equal(name.address, '0.0.0.0');
      assert.notEqual(name.port, 0);
      assert.throws(
        () => handle.setMembership('239.255.0.2', null, UDP.LEAVE_GROUP),
        uvError('EADDRNOTAVAIL'),
      );
      assert.throws(() => handle.setMembership(LOOPBACK, null, UDP.JOIN_GROUP), uvError('EINVAL'));
      assert.throws(() => handle.setMembership('bogus', null, UDP.JOIN_GROUP), uvError('EINVAL'));
      assert.throws(
        () => handle.setMembership('239.255.0.1', 'bogus', UDP.JOIN_GROUP),
        uvError('EINVAL'),
      );
      assert.throws(() => handle.setMembership('239.255.0.1', null, 7 as never), uvError('EINVAL'));
      handle.setMembership('239.255.0.1', LOOPBACK, UDP.LEAVE_GROUP);
      await teardown(loop);
    },
  );

  bothProfiles(
    'options set on a handle created with a family apply when it binds',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const handle = new UDP(loop, 'IPv6');
      handle.setTtl(7);
      handle.setBroadcast(true);
      assert.deepEqual(handle.getsockname(), {
        address: '::',
        port: 0,
        family: 'IPv6',
        flowinfo: 0,
        scopeId: 0,
      });
      assert.throws(() => handle.getpeername(), uvError('ENOTCONN'));
      assert.throws(() => handle.bind(LOOPBACK, 0), uvError('EINVAL'));
      handle.bind('::1', 0);
      assert.equal(handle.family, 'IPv6');
      await teardown(loop);
    },
  );

  bothProfiles(
    'buffer sizes: Linux reports twice the size set; EBADF without a socket',
    async (profile) => {
      const loop = new Loop({ libuv: profile });
      const handle = new UDP(loop);
      assert.throws(() => handle.sendBufferSize, uvError('EBADF'));
      assert.throws(() => (handle.receiveBufferSize = 4096), uvError('EBADF'));
      handle.bind(LOOPBACK, 0);
      handle.sendBufferSize = 100000;
      assert.equal(handle.sendBufferSize, 200000);
      handle.receiveBufferSize = 100000;
      assert.equal(handle.receiveBufferSize, 200000);
      assert.throws(() => (handle.sendBufferSize = 0), uvError('EINVAL'));
      await teardown(loop);
    },
  );
});

describe('bad input', () => {
  test('wrong types are TypeErrors', async () => {
    const loop = new Loop();
    const handle = new UDP(loop);
    assert.throws(() => new UDP({} as never), TypeError);
    assert.throws(() => handle.bind(127 as never, 0), TypeError);
    assert.throws(() => handle.bind(LOOPBACK, '0' as never), TypeError);
    assert.throws(() => handle.bind(LOOPBACK, 0, '4' as never), TypeError);
    assert.throws(() => handle.send(LOOPBACK, 9, 42 as never), TypeError);
    assert.throws(() => handle.send(LOOPBACK, 9, 'x', 'cb' as never), TypeError);
    assert.throws(() => handle.send(null as never), TypeError);
    assert.throws(() => handle.startRecv(null as never), TypeError);
    assert.throws(() => handle.startRecv(() => {}, '1' as never), TypeError);
    assert.throws(() => handle.setTtl('1' as never), TypeError);
    assert.throws(() => handle.setBroadcast(1 as never), TypeError);
    assert.throws(() => handle.setMulticastInterface(7 as never), TypeError);
    assert.throws(() => handle.open(-1), TypeError);
    await teardown(loop);
  });

  test("bad addresses, ports, flags and values are UVErrors with libuv's codes", async () => {
    const loop = new Loop();
    const handle = new UDP(loop);
    assert.throws(() => new UDP(loop, 'IPv5' as never), uvError('EINVAL'));
    for (const ip of ['localhost', '127.0.0.x', '', '::g']) {
      assert.throws(() => handle.bind(ip, 0), uvError('EINVAL'));
      assert.throws(() => handle.send(ip, 9, 'x'), uvError('EINVAL'));
      assert.throws(() => handle.connect(ip, 9), uvError('EINVAL'));
    }
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      assert.throws(() => handle.bind(LOOPBACK, port), uvError('EINVAL'));
      assert.throws(() => handle.trySend(LOOPBACK, port, 'x'), uvError('EINVAL'));
    }
    assert.throws(() => handle.bind(LOOPBACK, 0, 0x100), uvError('EINVAL'));
    assert.throws(() => handle.bind(LOOPBACK, 0, UDP.IPV6ONLY), uvError('EINVAL'));
    assert.throws(() => handle.bind(LOOPBACK, 0, UDP.LINUX_RECVERR), uvError('ENOTSUP'));
    assert.throws(() => handle.bind('192.0.2.77', 0), uvError('EADDRNOTAVAIL'));
    for (const ttl of [0, 256, -1, 1.5]) assert.throws(() => handle.setTtl(ttl), uvError('EINVAL'));
    assert.throws(() => handle.setMulticastTtl(256), uvError('EINVAL'));
    assert.throws(() => handle.startRecv(() => {}, -1), uvError('EINVAL'));
    assert.throws(() => handle.send('x'), uvError('EDESTADDRREQ'));
    assert.throws(() => handle.disconnect(), uvError('ENOTCONN'));
    assert.throws(() => handle.open(3), uvError('ENOTSUP'));
    handle.bind(LOOPBACK, 0);
    assert.throws(() => handle.bind(LOOPBACK, 0), uvError('EINVAL'));
    assert.throws(() => handle.setMulticastInterface('bogus'), uvError('EINVAL'));
    assert.throws(() => handle.setMulticastInterface('::1'), uvError('ENOPROTOOPT'));
    handle.startRecv(() => {});
    assert.throws(() => handle.startRecv(() => {}), uvError('EALREADY'));
    // The kernel's answers come in the send callback.
    const statuses: string[] = [];
    handle.send(LOOPBACK, 0, 'x', (_h, error) => void statuses.push(`port0 ${error?.code}`));
    handle.send(
      LOOPBACK,
      9,
      Buffer.alloc(65508),
      (_h, error) => void statuses.push(`big ${error?.code}`),
    );
    handle.send(
      LOOPBACK,
      9,
      Buffer.alloc(0),
      (_h, error) => void statuses.push(`empty ${error?.code ?? 0}`),
    );
    assert.throws(
      () => handle.trySend(LOOPBACK, 9, Buffer.alloc(65508)),
      (error) => uvError('EAGAIN')(error),
    );
    handle.stopRecv();
    await loop.run();
    assert.deepEqual(statuses, ['port0 EINVAL', 'big EMSGSIZE', 'empty 0']);
    assert.throws(() => handle.trySend(LOOPBACK, 0, 'x'), uvError('EINVAL'));
    assert.throws(() => handle.trySend(LOOPBACK, 9, Buffer.alloc(65508)), uvError('EMSGSIZE'));
    assert.throws(() => handle.connect(LOOPBACK, 0), uvError('EINVAL'));
    await teardown(loop);
  });

  test('every operation on a closed handle throws HandleClosedError', async () => {
    const loop = new Loop();
    const handle = new UDP(loop);
    handle.bind(LOOPBACK, 0);
    handle.close();
    const calls: (() => unknown)[] = [
      () => handle.bind(LOOPBACK, 0),
      () => handle.send(LOOPBACK, 9, 'x'),
      () => handle.trySend(LOOPBACK, 9, 'x'),
      () => handle.startRecv(() => {}),
      () => handle.stopRecv(),
      () => handle.connect(LOOPBACK, 9),
      () => handle.disconnect(),
      () => handle.getsockname(),
      () => handle.getpeername(),
      () => handle.setTtl(1),
      () => handle.setMulticastTtl(1),
      () => handle.setBroadcast(true),
      () => handle.setMulticastLoop(true),
      () => handle.setMulticastInterface(null),
      () => handle.setMembership('239.255.0.1', null, UDP.JOIN_GROUP),
      () => handle.setSourceMembership('232.1.1.1', null, LOOPBACK, UDP.JOIN_GROUP),
      () => handle.sendBufferSize,
      () => handle.fileno(),
      () => handle.open(3),
      () => handle.ref(),
    ];
    for (const call of calls) assert.throws(call, HandleClosedError);
    await teardown(loop);
  });

  test('a throwing callback leaves the handle and the loop consistent', async () => {
    const loop = new Loop();
    const [server, port] = receiver(loop);
    const client = new UDP(loop);
    let received = 0;
    server.startRecv((_h, _a, _f, data) => {
      if (data === null) return;
      received++;
      throw new Error('boom');
    });
    client.send(LOOPBACK, port, 'a', () => {
      throw new Error('send boom');
    });
    // Both callbacks ran (and threw) in the first iteration.
    await assert.rejects(loop.run(), AggregateError);
    client.send(LOOPBACK, port, 'b');
    while (received < 2) await loop.run('once').catch(() => {});
    assert.equal(client.sendQueueCount, 0);
    await teardown(loop);
  });
});

test('a failed bind leaves the handle without a socket, ready to bind again', async () => {
  const loop = new Loop();
  const [, port] = receiver(loop);
  const handle = new UDP(loop);
  assert.throws(() => handle.bind(LOOPBACK, port), uvError('EADDRINUSE'));
  // libuv keeps the unbound socket; uvts has none (docs/deviations.md U6).
  assert.throws(() => handle.getsockname(), uvError('EBADF'));
  assert.throws(() => handle.setTtl(1), uvError('EBADF'));
  handle.bind(LOOPBACK, 0);
  assert.notEqual(handle.getsockname().port, port);
  await teardown(loop);
});
