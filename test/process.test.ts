// libuv's test-spawn.c, test-ref.c's process_ref and test-signal.c's
// kill_invalid_signum, ported with libuv's names. libuv's
// spawn helpers are child modes of its test binary; here they are small
// /bin/sh programs that do the same (helper1 exits 1, helper2 prints
// "hello world\n", helper3 echoes a line, helper4 sleeps, helper5 writes to
// fd 3, helper6 writes to stdout and stderr, helper7 prints $ENV_TEST).
import assert from 'node:assert/strict';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { HandleClosedError, Loop, Pipe, Process, StdIO, Timer, sleep } from '../src/index.js';
import type { SpawnOptions, UVError } from '../src/index.js';
import { errorCode, suiteTempDir, teardown } from './helpers.js';
import {
  childReads,
  childWrites,
  collect,
  type Exit,
  HELPER1,
  HELPER2,
  HELPER3,
  HELPER4,
  HELPER6,
  HELPER7,
  recordExit,
  SH,
} from './process-helpers.js';

describe('process: spawn', () => {
  const temp = suiteTempDir('process');

  it('spawn_exit_code: exit status 1, signal 0; active until the exit', async () => {
    const loop = new Loop();
    const exits: Exit[] = [];
    let activeInCallback: boolean | null = null;
    const child = Process.spawn(loop, {
      args: HELPER1,
      exitCallback: (handle, status, signal) => {
        activeInCallback = handle.active;
        exits.push({ status, signal });
        handle.close();
      },
    });
    assert.ok(child.pid > 0);
    assert.equal(child.active, true);
    assert.equal(child.type, 'process');
    await loop.run();
    assert.deepEqual(exits, [{ status: 1, signal: 0 }]);
    assert.equal(activeInCallback, false);
    await teardown(loop);
  });

  it('spawn_fails: a missing program throws ENOENT at once, no exit callback, the loop ends', async () => {
    const loop = new Loop();
    let called = false;
    const code = errorCode(() =>
      Process.spawn(loop, {
        args: ['/nonexistent/spawn_fails'],
        exitCallback: () => (called = true),
      }),
    );
    assert.equal(code, 'ENOENT');
    // The failed handle closes by itself (the caller never got it).
    assert.equal(loop.alive, true);
    assert.equal(await loop.run(), false);
    assert.equal(called, false);
    await teardown(loop);
  });

  it('spawn_fails: each cause with the errno execvp met, synchronously', async () => {
    const loop = new Loop();
    const script = path.join(temp.path(), 'not-executable');
    writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const cases: [string, () => unknown][] = [
      ['ENOENT', () => Process.spawn(loop, { args: ['uvts-no-such-program-anywhere'] })],
      ['ENOENT', () => Process.spawn(loop, { args: HELPER1, cwd: '/nonexistent/dir' })],
      ['ENOTDIR', () => Process.spawn(loop, { args: HELPER1, cwd: '/bin/sh' })],
      ['EACCES', () => Process.spawn(loop, { args: ['/'] })],
      ['EACCES', () => Process.spawn(loop, { args: [script] })],
      ['ENOENT', () => Process.spawn(loop, { args: ['true'], env: { PATH: '/nonexistent' } })],
      ['E2BIG', () => Process.spawn(loop, { args: ['/bin/true', 'x'.repeat(200_000)] })],
    ];
    for (const [expected, spawn] of cases) assert.equal(errorCode(spawn), expected);
    await teardown(loop);
  });

  it('spawn_fails: the pipes it was given are opened and read EOF', async () => {
    const loop = new Loop();
    for (const spec of [
      { args: ['/nonexistent/program'] },
      { args: HELPER1, cwd: '/bin/sh' }, // thrown at once by Node (ENOTDIR)
    ]) {
      const out = new Pipe(loop);
      const events: string[] = [];
      assert.throws(() => Process.spawn(loop, { ...spec, stdio: [null, childWrites(out)] }));
      collect(out, events);
      await loop.run();
      assert.deepEqual(events, ['read EOF']);
    }
    await teardown(loop);
  });

  it('spawn_stdout / spawn_stdin: pipes both ways, data then exit', async () => {
    const loop = new Loop();
    const out = new Pipe(loop);
    const exits: Exit[] = [];
    Process.spawn(loop, {
      args: HELPER2,
      stdio: [null, childWrites(out)],
      exitCallback: recordExit(exits),
    });
    const stdout = collect(out);
    await loop.run();
    assert.equal(stdout.text(), 'hello world\n');
    assert.deepEqual(exits, [{ status: 1, signal: 0 }]);

    const input = new Pipe(loop);
    const output = new Pipe(loop);
    const writes: (string | null)[] = [];
    Process.spawn(loop, {
      args: HELPER3,
      stdio: [childReads(input), childWrites(output)],
      exitCallback: recordExit(exits),
    });
    input.write('hello-from-spawn_stdin\n', (handle, error) => {
      writes.push(error?.code ?? null);
      handle.close();
    });
    const echoed = collect(output);
    await loop.run();
    assert.deepEqual(writes, [null]);
    assert.equal(echoed.text(), 'hello-from-spawn_stdin\n');
    await teardown(loop);
  });

  it('spawn_stdio_greater_than_3 and spawn_ignored_stdio', async () => {
    const loop = new Loop();
    const fourth = new Pipe(loop);
    const exits: Exit[] = [];
    Process.spawn(loop, {
      args: [SH, '-c', 'printf "fourth stdio!\\n" >&3; exit 1'],
      stdio: [null, null, null, childWrites(fourth)],
      exitCallback: recordExit(exits),
    });
    const text = collect(fourth);
    Process.spawn(loop, { args: HELPER6, exitCallback: recordExit(exits) });
    await loop.run();
    assert.equal(text.text(), 'fourth stdio!\n');
    assert.deepEqual(exits, [
      { status: 1, signal: 0 },
      { status: 1, signal: 0 },
    ]);
    await teardown(loop);
  });

  it('spawn_stdout_to_file / spawn_stdout_and_stderr_to_file: INHERIT_FD', async () => {
    const loop = new Loop();
    const file = path.join(temp.path(), 'stdout_file');
    const fd = openSync(file, 'w+');
    const exits: Exit[] = [];
    const inherit = new StdIO({ fd, flags: StdIO.INHERIT_FD });
    Process.spawn(loop, {
      args: HELPER6,
      stdio: [null, inherit, inherit],
      exitCallback: recordExit(exits),
    });
    await loop.run();
    closeSync(fd);
    assert.equal(readFileSync(file, 'utf8'), 'hello world\nhello errworld\n');
    await teardown(loop);
  });

  it('spawn_and_kill: SIGTERM gives (0, 15); then ESRCH; close() never kills', async () => {
    const loop = new Loop();
    const exits: Exit[] = [];
    const kills: string[] = [];
    const child = Process.spawn(loop, {
      args: HELPER4,
      exitCallback: (handle, status, signal) => {
        exits.push({ status, signal });
        kills.push(errorCode(() => handle.kill(0)));
        kills.push(errorCode(() => Process.kill(handle.pid, 0)));
        handle.close();
      },
    });
    child.kill(0);
    loop.updateTime();
    const timer = new Timer(loop);
    timer.start(() => {
      child.kill('SIGTERM');
      timer.close();
    }, 10);
    await loop.run();
    assert.deepEqual(exits, [{ status: 0, signal: 15 }]);
    assert.deepEqual(kills, ['ESRCH', 'ESRCH']);
    assert.throws(() => child.kill(0), HandleClosedError);

    // Closing the handle leaves the child alone.
    const survivor = Process.spawn(loop, { args: HELPER4 });
    survivor.close();
    await loop.run();
    Process.kill(survivor.pid, 0);
    Process.kill(survivor.pid, 'SIGKILL');
    await teardown(loop);
  });

  it('spawn_and_kill_with_std: a child that never reads, its three pipes, SIGTERM ends them all', async () => {
    const loop = new Loop();
    const input = new Pipe(loop);
    const out = new Pipe(loop);
    const err = new Pipe(loop);
    const exits: Exit[] = [];
    const events: string[] = [];
    const writes: (string | null)[] = [];
    const child = Process.spawn(loop, {
      args: HELPER4,
      stdio: [childReads(input), childWrites(out), childWrites(err)],
      exitCallback: recordExit(exits, events),
    });
    input.write('nazi nazi nazi\n', (handle, error) => {
      writes.push(error?.code ?? null);
      handle.close();
    });
    const stdout = collect(out, events);
    const stderr = collect(err, events);
    loop.updateTime();
    const timer = new Timer(loop);
    timer.start(() => {
      child.kill('SIGTERM');
      timer.close();
    }, 100);
    await loop.run();
    assert.deepEqual(writes, [null]);
    assert.equal(stdout.text() + stderr.text(), '');
    assert.deepEqual(exits, [{ status: 0, signal: 15 }]);
    assert.deepEqual([...events].sort(), ['exit', 'read EOF', 'read EOF']);
    await teardown(loop);
  });

  // libuv's spawn_same_stdout_stderr has spawn_and_ping's body.
  for (const name of ['spawn_and_ping', 'spawn_same_stdout_stderr']) {
    it(`${name}: kill(0) while alive; the exit callback only after the run`, async () => {
      const loop = new Loop();
      const input = new Pipe(loop);
      const out = new Pipe(loop);
      const exits: Exit[] = [];
      const child = Process.spawn(loop, {
        args: HELPER3,
        stdio: [childReads(input), childWrites(out)],
        exitCallback: recordExit(exits),
      });
      child.kill(0);
      input.write('TEST\n', (handle) => handle.close());
      const text = collect(out);
      assert.deepEqual(exits, []);
      await loop.run();
      assert.equal(text.text(), 'TEST\n');
      assert.deepEqual(exits, [{ status: 1, signal: 0 }]);
      await teardown(loop);
    });
  }

  it('spawn_detached and process_ref: unref lets the loop end at once; the child lives on', async () => {
    for (const flags of [Process.DETACHED, 0]) {
      const loop = new Loop();
      let called = false;
      const child = Process.spawn(loop, {
        args: HELPER4,
        flags,
        exitCallback: () => (called = true),
      });
      assert.equal(child.hasRef(), true);
      child.unref();
      assert.equal(await loop.run(), false);
      assert.equal(child.active, true);
      child.kill(0);
      child.kill('SIGTERM');
      child.close();
      await loop.run();
      assert.equal(called, false);
      await teardown(loop);
    }
  });

  it('spawn_preserve_env / spawn_empty_env: the environment is exactly what is given', async () => {
    const loop = new Loop();
    process.env['ENV_TEST'] = 'testval';
    const texts: (() => string)[] = [];
    const envs: SpawnOptions['env'][] = [undefined, { ENV_TEST: 'given' }, {}, ['ENV_TEST=listed']];
    for (const env of envs) {
      const out = new Pipe(loop);
      Process.spawn(loop, {
        args: HELPER7,
        stdio: [null, childWrites(out)],
        exitCallback: (handle) => handle.close(),
        ...(env === undefined ? {} : { env }),
      });
      texts.push(collect(out).text);
    }
    const listing = new Pipe(loop);
    Process.spawn(loop, {
      args: ['/usr/bin/env'],
      env: { ONLY: 'this' },
      stdio: [null, childWrites(listing)],
      exitCallback: (handle) => handle.close(),
    });
    const envText = collect(listing);
    await loop.run();
    delete process.env['ENV_TEST'];
    assert.deepEqual(
      texts.map((text) => text()),
      ['testval', 'given', '', 'listed'],
    );
    assert.equal(envText.text(), 'ONLY=this\n');
    await teardown(loop);
  });

  it('no shell: metacharacters in arguments arrive verbatim', async () => {
    const loop = new Loop();
    const out = new Pipe(loop);
    const nasty = ['$(touch /tmp/uvts-pwned)', '`id`', 'a;b', '|', '&&', '\'"', '*', '$HOME', '\n'];
    Process.spawn(loop, {
      args: ['/usr/bin/printf', '[%s]', ...nasty],
      stdio: [null, childWrites(out)],
      exitCallback: (handle) => handle.close(),
    });
    const text = collect(out);
    await loop.run();
    assert.equal(text.text(), nasty.map((arg) => `[${arg}]`).join(''));
    await teardown(loop);
  });

  it("spawn_reads_child_path and spawn_relative_path: PATH and cwd are the child's", async () => {
    const loop = new Loop();
    const dir = path.join(temp.path(), 'bin');
    mkdirSync(dir);
    symlinkSync('/bin/sh', path.join(dir, 'my-sh'));
    const exits: Exit[] = [];
    Process.spawn(loop, {
      args: ['my-sh', '-c', 'exit 3'],
      env: { PATH: dir },
      exitCallback: recordExit(exits),
    });
    Process.spawn(loop, {
      args: ['./my-sh', '-c', 'exit 4'],
      cwd: dir,
      exitCallback: recordExit(exits),
    });
    await loop.run();
    assert.deepEqual(exits.map((exit) => exit.status).sort(), [3, 4]);
    await teardown(loop);
  });

  it('spawn_auto_unref: the handle deactivates at the exit and does not keep the loop', async () => {
    const loop = new Loop();
    const child = Process.spawn(loop, { args: HELPER1 });
    assert.equal(await loop.run(), false);
    assert.equal(child.active, false);
    assert.equal(child.closing, false);
    child.close();
    await loop.run();
    assert.equal(child.closing, true);
    await teardown(loop);
  });

  it('spawn_exercise_sigchld_issue: one child and 100 failed spawns', async () => {
    const loop = new Loop();
    const exits: Exit[] = [];
    Process.spawn(loop, { args: HELPER1, exitCallback: recordExit(exits) });
    for (let i = 0; i < 100; i++)
      assert.equal(
        errorCode(() => Process.spawn(loop, { args: ['/nonexistent'] })),
        'ENOENT',
      );
    await loop.run();
    assert.deepEqual(exits, [{ status: 1, signal: 0 }]);
    await teardown(loop);
  });

  it(
    'spawn_setuid_setgid: as root, the child runs as nobody',
    { skip: process.getuid?.() !== 0 },
    async () => {
      const loop = new Loop();
      const out = new Pipe(loop);
      Process.spawn(loop, {
        args: [SH, '-c', 'printf "%s %s" "$(id -u)" "$(id -g)"'],
        uid: 65534,
        gid: 65534,
        flags: Process.SETUID | Process.SETGID,
        stdio: [null, childWrites(out)],
        exitCallback: (handle) => handle.close(),
      });
      const text = collect(out);
      await loop.run();
      assert.equal(text.text(), '65534 65534');
      await teardown(loop);
    },
  );

  it('kill and kill_invalid_signum', async () => {
    const loop = new Loop();
    const exits: Exit[] = [];
    const child = Process.spawn(loop, { args: HELPER4, exitCallback: recordExit(exits) });
    assert.equal(
      errorCode(() => Process.kill(process.pid, -1)),
      'EINVAL',
    );
    assert.equal(
      errorCode(() => Process.kill(process.pid, 4096)),
      'EINVAL',
    );
    assert.equal(
      errorCode(() => child.kill(4096)),
      'EINVAL',
    );
    assert.equal(
      errorCode(() => child.kill('SIGNOPE')),
      'EINVAL',
    );
    Process.kill(child.pid, 0);
    Process.kill(child.pid, 'SIGTERM');
    await loop.run();
    assert.deepEqual(exits, [{ status: 0, signal: 15 }]);
    assert.equal(
      errorCode(() => Process.kill(child.pid, 0)),
      'ESRCH',
    );
    Process.disableStdioInheritance();
    await teardown(loop);
  });
});

describe('process: exits and output', () => {
  it('simultaneous exits come in spawn order, each with its status', async () => {
    const loop = new Loop();
    const order: string[] = [];
    const spawn = (name: string, script: string): Process =>
      Process.spawn(loop, {
        args: [SH, '-c', script],
        exitCallback: (handle, status, signal) => {
          order.push(`${name} ${status} ${signal}`);
          handle.close();
        },
      });
    const a = spawn('a', 'sleep 0.05; exit 3');
    const b = spawn('b', 'exit 4');
    const killed = Process.spawn(loop, {
      args: HELPER4,
      exitCallback: (handle, status, signal) => {
        order.push(`k ${status} ${signal}`);
        handle.close();
      },
    });
    killed.kill('SIGKILL');
    // Blocks until all three are dead (zombies, or already reaped by Node),
    // so that their exits reach one POLL.
    const dead = (pid: number): boolean => {
      if (!existsSync(`/proc/${pid}`)) return true;
      return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ')'));
    };
    for (let waited = 0; ![a, b, killed].every((p) => dead(p.pid)); waited += 10) {
      assert.ok(waited < 60_000, 'the children did not exit');
      sleep(10);
    }
    await loop.run('once');
    assert.deepEqual(order, ['a 3 0', 'b 4 0', 'k 0 9']);
    await teardown(loop);
  });

  it('200 children spawned and reaped, every exit status right', async () => {
    const loop = new Loop();
    const statuses = new Map<number, number>();
    let running = 0;
    let next = 0;
    const spawnNext = (): void => {
      const index = next++;
      running++;
      Process.spawn(loop, {
        args: [SH, '-c', `exit ${index % 256}`],
        exitCallback: (handle, status) => {
          statuses.set(index, status);
          running--;
          handle.close();
          if (next < 200) spawnNext();
        },
      });
    };
    // At most 20 at a time: enough to overlap exits, gentle on a shared machine.
    for (let i = 0; i < 20; i++) spawnNext();
    await loop.run();
    assert.equal(running, 0);
    assert.equal(statuses.size, 200);
    for (const [index, status] of statuses) assert.equal(status, index % 256);
    await teardown(loop);
  });

  it('output is never lost: read after the exit, all of it arrives', async () => {
    const loop = new Loop();
    const out = new Pipe(loop);
    let exited = false;
    Process.spawn(loop, {
      args: [SH, '-c', 'head -c 100000 /dev/zero | tr "\\0" x'],
      stdio: [null, childWrites(out)],
      exitCallback: (handle) => {
        exited = true;
        handle.close();
        // Reading starts only now, after Node saw the exit.
        setTimeout(() => undefined, 0);
      },
    });
    // Run until the exit without reading: the pipe holds what the child wrote.
    const keeper = new Timer(loop);
    keeper.start(() => undefined, 0, 10);
    while (!exited) await loop.run('once');
    keeper.close();
    const text = collect(out);
    await loop.run();
    assert.equal(text.text().length, 100_000);
    await teardown(loop);
  });

  it('writes after the child exited fail with EPIPE, not a Node error', async () => {
    const loop = new Loop();
    const input = new Pipe(loop);
    const results: (string | null)[] = [];
    let exited = false;
    Process.spawn(loop, {
      args: HELPER1,
      stdio: [childReads(input)],
      exitCallback: (handle) => {
        exited = true;
        handle.close();
      },
    });
    while (!exited) await loop.run('once');
    const request = (): unknown =>
      input.write('too late', (_handle, error: UVError | null) =>
        results.push(error?.code ?? null),
      );
    const thrown = errorCode(request);
    await loop.run();
    assert.ok(
      thrown === 'EPIPE' || (thrown === 'OK' && results[0] === 'EPIPE'),
      `${thrown} ${results}`,
    );
    await teardown(loop);
  });

  it('a child that never reads its stdin: 64 MiB written with back-pressure, none lost', async () => {
    const loop = new Loop();
    const input = new Pipe(loop);
    const out = new Pipe(loop);
    const exits: Exit[] = [];
    Process.spawn(loop, {
      // Sleeps first, so the writes pile up; then counts every byte.
      args: [SH, '-c', 'sleep 0.3; wc -c'],
      stdio: [childReads(input), childWrites(out)],
      exitCallback: recordExit(exits),
    });
    const chunk = Buffer.alloc(1 << 20, 'y');
    const statuses: (string | null)[] = [];
    let maxQueue = 0;
    for (let i = 0; i < 64; i++) {
      input.write(chunk, (_handle, error) => statuses.push(error?.code ?? null));
      maxQueue = Math.max(maxQueue, input.writeQueueSize);
    }
    input.shutdown((handle) => handle.close());
    const counted = collect(out);
    await loop.run();
    assert.ok(maxQueue > 0, 'the writes queued: the child was not reading');
    assert.equal(statuses.length, 64);
    assert.ok(statuses.every((status) => status === null));
    assert.equal(Number(counted.text().trim()), 64 << 20);
    assert.deepEqual(exits, [{ status: 0, signal: 0 }]);
    await teardown(loop);
  });

  it('a child killed in the middle of writing: what it wrote arrives, then EOF, then the exit', async () => {
    const loop = new Loop();
    const out = new Pipe(loop);
    const exits: Exit[] = [];
    let bytes = 0;
    let eof = false;
    const child = Process.spawn(loop, {
      args: [SH, '-c', 'while :; do printf "0123456789"; done'],
      stdio: [null, childWrites(out)],
      exitCallback: recordExit(exits),
    });
    out.startRead((handle, data) => {
      if (data === null) {
        eof = true;
        handle.close();
        return;
      }
      bytes += data.length;
      if (bytes >= 100_000) child.kill('SIGKILL');
    });
    await loop.run();
    assert.ok(eof);
    assert.ok(bytes >= 100_000);
    assert.deepEqual(exits, [{ status: 0, signal: 9 }]);
    await teardown(loop);
  });
});

describe('process: bad arguments', () => {
  it('types are TypeErrors, bad values EINVAL, and nothing is left in the loop', async () => {
    const loop = new Loop();
    const bad = (options: unknown): unknown => Process.spawn(loop, options as never);
    assert.throws(() => bad(null), TypeError);
    assert.throws(() => bad({}), TypeError);
    assert.throws(() => bad({ args: [] }), TypeError);
    assert.throws(() => bad({ args: [1] }), TypeError);
    assert.throws(() => bad({ args: ['/bin/true'], cwd: 5 }), TypeError);
    assert.throws(() => bad({ args: ['/bin/true'], env: 'A=1' }), TypeError);
    assert.throws(() => bad({ args: ['/bin/true'], env: { A: 1 } }), TypeError);
    assert.throws(() => bad({ args: ['/bin/true'], flags: 'x' }), TypeError);
    assert.throws(() => bad({ args: ['/bin/true'], uid: -1, flags: Process.SETUID }), TypeError);
    assert.throws(() => bad({ args: ['/bin/true'], stdio: [{}] }), TypeError);
    assert.throws(() => bad({ args: ['/bin/true'], exitCallback: 5 }), TypeError);
    assert.throws(() => Process.spawn({} as never, { args: ['/bin/true'] }), TypeError);
    assert.equal(loop.alive, false, 'a TypeError leaves no handle behind');
    assert.equal(
      errorCode(() => bad({ args: ['/bin/true\0x'] })),
      'EINVAL',
    );
    assert.equal(
      errorCode(() => bad({ args: ['/bin/true'], flags: 1 << 12 })),
      'EINVAL',
    );
    assert.equal(
      errorCode(() => bad({ args: ['/bin/true'], env: ['NOEQUALS'] })),
      'EINVAL',
    );
    const tcpLike = new Timer(loop);
    assert.throws(
      () => new StdIO({ stream: tcpLike as never, flags: StdIO.CREATE_PIPE }),
      TypeError,
    );
    tcpLike.close();
    assert.equal(
      errorCode(() =>
        bad({ args: ['/bin/true'], stdio: [new StdIO({ flags: StdIO.CREATE_PIPE })] }),
      ),
      'EINVAL',
    );
    assert.equal(
      errorCode(() =>
        bad({ args: ['/bin/true'], stdio: [new StdIO({ flags: StdIO.INHERIT_FD })] }),
      ),
      'EINVAL',
    );
    assert.equal(
      errorCode(() =>
        bad({ args: ['/bin/true'], stdio: [new StdIO({ flags: StdIO.INHERIT_STREAM })] }),
      ),
      'EINVAL',
    );
    assert.equal(
      errorCode(() => bad({ args: ['/bin/true'], stdio: [new StdIO({ flags: 0x100 })] })),
      'EINVAL',
    );
    const ipc1 = new Pipe(loop, true);
    const ipc2 = new Pipe(loop, true);
    const twoChannels = [
      new StdIO({ stream: ipc1, flags: StdIO.CREATE_PIPE }),
      new StdIO({ stream: ipc2, flags: StdIO.CREATE_PIPE }),
    ];
    assert.equal(
      errorCode(() => bad({ args: ['/bin/true'], stdio: twoChannels })),
      'ENOTSUP',
    );
    await teardown(loop);
  });

  it('a failed setup leaves the handle in the list in 1.44 only (rule 8.17); both close it', async () => {
    for (const profile of ['1.44', '1.52'] as const) {
      const loop = new Loop({ libuv: profile });
      const container = new StdIO({ flags: StdIO.INHERIT_FD });
      assert.equal(
        errorCode(() => Process.spawn(loop, { args: ['/bin/true'], stdio: [container] })),
        'EINVAL',
      );
      const listed: string[] = [];
      loop.walk((handle) => listed.push(handle.type));
      assert.deepEqual(listed, profile === '1.44' ? ['process'] : []);
      assert.equal(loop.alive, true);
      await teardown(loop);
    }
  });
});
