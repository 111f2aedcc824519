/**
 * The util functions: libuv's misc tests (test-platform-output.c,
 * test-hrtime.c, test-get-memory.c, test-env-vars.c, …) ported with their
 * names, plus comparisons with what the kernel publishes in /proc and
 * /sys and, where Debian's luv is installed, with real libuv.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { test } from 'node:test';
import {
  Idle,
  Loop,
  TCP,
  Timer,
  UDP,
  guessHandle,
  availableParallelism,
  cpuInfo,
  environ,
  getAvailableMemory,
  getConstrainedMemory,
  getFreeMemory,
  getHostname,
  getPasswd,
  getPriority,
  getProcessTitle,
  getTotalMemory,
  getUname,
  getenv,
  getpid,
  getppid,
  getrusage,
  gettimeofday,
  homedir,
  hrtime,
  hrtimeNumber,
  interfaceAddresses,
  loadavg,
  printActiveHandles,
  printAllHandles,
  residentSetMemory,
  setPriority,
  setProcessTitle,
  setenv,
  sleep,
  tmpdir,
  unsetenv,
  uptime,
} from '../src/index.js';
import { errorCode, luvEnvironment, teardown, uvError } from './helpers.js';

function meminfoBytes(key: string): number {
  const match = new RegExp(`^${key}:\\s*(\\d+) kB$`, 'm').exec(
    readFileSync('/proc/meminfo', 'utf8'),
  );
  assert.ok(match !== null, `${key} in /proc/meminfo`);
  return Number(match[1]) * 1024;
}

test('platform_output', () => {
  // Every call succeeds and gives a plausible value (test-platform-output.c).
  assert.ok(getProcessTitle().length > 0);
  assert.ok(residentSetMemory() > 0);
  assert.ok(uptime() > 0);
  const usage = getrusage();
  for (const time of [usage.utime, usage.stime]) {
    assert.ok(time.sec >= 0 && time.usec >= 0 && time.usec < 1e6);
  }
  assert.ok(usage.maxrss > 0);
  assert.ok(availableParallelism() >= 1);
  const cpus = cpuInfo();
  assert.ok(cpus.length >= 1);
  for (const cpu of cpus) {
    assert.equal(typeof cpu.model, 'string');
    assert.ok(cpu.speed >= 0);
    for (const value of Object.values(cpu.times)) assert.ok(value >= 0);
  }
  const addresses = interfaceAddresses();
  assert.ok(addresses.some((entry) => entry.isInternal));
  const passwd = getPasswd();
  assert.equal(passwd.gid, process.getegid?.());
  assert.ok(getpid() > 0);
  assert.ok(getppid() > 0);
  const uname = getUname();
  assert.ok(uname.sysname.length > 0 && uname.machine.length > 0);
});

test('hrtime', () => {
  // libuv's test makes 75 rounds; ten show the same: the clock is monotonic
  // and counts at least the time slept.
  for (let round = 0; round < 10; round++) {
    const before = hrtime();
    sleep(45);
    const after = hrtime();
    assert.ok(after - before > 25_000_000n);
  }
  const asNumber = hrtimeNumber();
  assert.ok(asNumber > 0 && Number.isFinite(asNumber));
  assert.ok(Number(hrtime()) >= asNumber);
});

test('gettimeofday', () => {
  const before = Date.now();
  const now = gettimeofday();
  const after = Date.now();
  assert.notEqual(now.sec, 0);
  assert.ok(Number.isInteger(now.usec) && now.usec >= 0 && now.usec < 1e6);
  // The same clock as Date.now(), at a finer grain.
  const ms = now.sec * 1000 + now.usec / 1000;
  assert.ok(ms >= before - 1000 && ms <= after + 1000, `${ms} near ${before}`);
});

test('get_loadavg', () => {
  const avg = loadavg();
  assert.equal(avg.length, 3);
  for (const value of avg) assert.ok(value >= 0);
  // The kernel refreshes /proc/loadavg every 5 s: one of two reads around ours agrees.
  const read = (): number[] =>
    readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  const before = read();
  const ours = loadavg();
  const after = read();
  assert.ok(
    [before, after].some((proc) => proc.every((value, index) => value === ours[index])),
    `${ours} is one of ${before} / ${after}`,
  );
});

test('get_memory', () => {
  const free = getFreeMemory();
  const total = getTotalMemory();
  const available = getAvailableMemory();
  assert.ok(free > 0);
  assert.ok(total > 0);
  assert.ok(total > free);
  assert.ok(available <= total);
  getConstrainedMemory();
  // libuv reads MemTotal and MemAvailable, not MemFree.
  assert.equal(total, meminfoBytes('MemTotal'));
  const before = meminfoBytes('MemAvailable');
  const ours = getFreeMemory();
  const after = meminfoBytes('MemAvailable');
  assert.ok(ours >= Math.min(before, after) - 64 * 1024 * 1024);
  assert.ok(ours <= Math.max(before, after) + 64 * 1024 * 1024);
});

test('uname', () => {
  const uname = getUname();
  const run = (flag: string): string => execFileSync('uname', [flag], { encoding: 'utf8' }).trim();
  assert.equal(uname.sysname, run('-s'));
  assert.equal(uname.release, run('-r'));
  assert.equal(uname.version, run('-v'));
  assert.equal(uname.machine, run('-m'));
});

test('gethostname', () => {
  assert.equal(getHostname(), readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
});

test('env_vars', () => {
  const name = 'UV_TEST_FOO';
  const name2 = 'UV_TEST_FOO2';
  try {
    // Argument validation: setenv(3) and unsetenv(3) refuse these names.
    assert.throws(() => setenv('', 'foo'), uvError('EINVAL'));
    assert.throws(() => setenv('a=b', 'foo'), uvError('EINVAL'));
    assert.throws(() => unsetenv(''), uvError('EINVAL'));
    assert.throws(() => unsetenv('a=b'), uvError('EINVAL'));
    assert.throws(() => getenv(''), uvError('ENOENT'));
    assert.throws(() => setenv(name, null as unknown as string), TypeError);
    assert.throws(() => getenv(42 as unknown as string), TypeError);
    setenv(name, '123456789');
    assert.equal(getenv(name), '123456789');
    unsetenv(name);
    assert.throws(() => getenv(name), uvError('ENOENT'));
    // Removing a variable that is not set is no error.
    unsetenv(name);
    // An empty value is a value.
    setenv(name, '');
    assert.equal(getenv(name), '');
    setenv(name2, 'bar');
    const all = environ();
    assert.equal(all[name], '');
    assert.equal(all[name2], 'bar');
    // Large values round-trip.
    for (const size of [32 * 1024, 128 * 1024]) {
      const big = 'x'.repeat(size);
      setenv(name, big);
      assert.equal(getenv(name), big);
    }
  } finally {
    Reflect.deleteProperty(process.env, name);
    Reflect.deleteProperty(process.env, name2);
  }
});

test('homedir', () => {
  const home = homedir();
  assert.ok(home.length > 0);
  assert.ok(home === '/' || !home.endsWith('/'));
  const saved = process.env['HOME'];
  try {
    process.env['HOME'] = '/some/where';
    assert.equal(homedir(), '/some/where');
  } finally {
    if (saved === undefined) delete process.env['HOME'];
    else process.env['HOME'] = saved;
  }
});

test('tmpdir', () => {
  const names = ['TMPDIR', 'TMP', 'TEMP', 'TEMPDIR'];
  const saved = names.map((name) => process.env[name]);
  const set = (values: (string | undefined)[]): void =>
    names.forEach((name, index) => {
      const value = values[index];
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    });
  try {
    set([]);
    assert.equal(tmpdir(), '/tmp');
    // The first variable that is set wins; one trailing slash goes, unless it is "/".
    set([undefined, undefined, undefined, '/var/tmp/']);
    assert.equal(tmpdir(), '/var/tmp');
    set([undefined, '/b', '/c', '/d']);
    assert.equal(tmpdir(), '/b');
    set(['/']);
    assert.equal(tmpdir(), '/');
    // Set but empty still wins, as libuv's uv_os_getenv finds it.
    set(['', '/b']);
    assert.equal(tmpdir(), '');
  } finally {
    set(saved);
  }
});

test('get_passwd', () => {
  const passwd = getPasswd();
  assert.ok(passwd.username.length > 0);
  assert.ok((passwd.shell ?? '').length > 0);
  assert.ok(passwd.homedir.length > 0);
  assert.ok(passwd.homedir === '/' || !passwd.homedir.endsWith('/'));
  assert.equal(passwd.uid, process.geteuid?.());
});

test('process_title', () => {
  const original = getProcessTitle();
  try {
    setProcessTitle('%s %s %s');
    assert.equal(getProcessTitle(), '%s %s %s');
    setProcessTitle('new title');
    assert.equal(getProcessTitle(), 'new title');
    assert.throws(() => setProcessTitle(undefined as unknown as string), TypeError);
  } finally {
    setProcessTitle(original);
  }
});

test('process_priority', () => {
  const original = getPriority();
  try {
    assert.throws(() => setPriority(0, -21), uvError('EINVAL'));
    assert.throws(() => setPriority(0, 20), uvError('EINVAL'));
    assert.throws(() => getPriority(0.5), TypeError);
    assert.throws(() => getPriority(2 ** 30), uvError('ESRCH'));
    for (let priority = -20; priority <= 19; priority++) {
      const code = errorCode(() => setPriority(0, priority));
      if (code === 'EACCES' || code === 'EPERM') continue;
      assert.equal(code, 'OK');
      assert.equal(getPriority(0), priority);
      assert.equal(getPriority(process.pid), priority);
    }
  } finally {
    if (errorCode(() => setPriority(0, original)) !== 'OK') setPriority(0, 19);
  }
});

test('interface addresses come in getifaddrs order: every IPv4 address, then every IPv6 one', () => {
  const addresses = interfaceAddresses();
  const firstV6 = addresses.findIndex((entry) => entry.family === 'IPv6');
  if (firstV6 >= 0) assert.ok(addresses.slice(firstV6).every((entry) => entry.family === 'IPv6'));
  // Within a family, interface by interface in index order.
  const index = (name: string): number =>
    Number(readFileSync(`/sys/class/net/${name.split(':')[0]}/ifindex`, 'utf8'));
  for (const family of ['IPv4', 'IPv6']) {
    const indexes = addresses
      .filter((entry) => entry.family === family)
      .map((entry) => index(entry.name));
    assert.deepEqual(
      indexes,
      [...indexes].sort((a, b) => a - b),
    );
  }
  // The same addresses Node knows of.
  assert.equal(addresses.length, Object.values(os.networkInterfaces()).flat().length);
  for (const entry of addresses) {
    assert.match(entry.mac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    assert.equal(entry.scopeId !== undefined, entry.family === 'IPv6');
  }
});

test('printAllHandles and printActiveHandles use libuv format', async () => {
  const loop = new Loop();
  const timer = new Timer(loop);
  const idle = new Idle(loop);
  idle.start(() => {});
  idle.unref();
  const lines: string[] = [];
  const target = { write: (text: string): void => void lines.push(text) };
  printAllHandles(loop, target);
  printActiveHandles(loop, target);
  const hex = (id: number): string => `0x${id.toString(16).padStart(12, '0')}`;
  assert.deepEqual(lines, [
    `[R--] timer    ${hex(timer.id)}\n[-A-] idle     ${hex(idle.id)}\n`,
    `[-A-] idle     ${hex(idle.id)}\n`,
  ]);
  assert.throws(() => printAllHandles(null as never), TypeError);
  await teardown(loop);
});

// ---------------------------------------------------------------- the profile's answers, from /proc and /sys

/**
 * What real libuv answers, through luv: 1.44 from Debian's lua-luv, 1.52
 * from the build `UVTS_LUV_1_52` names (docs/conformance.md). `null` when
 * that libuv is not installed.
 */
function luvAnswers(profile: '1.44' | '1.52'): Record<string, string> | null {
  const env = luvEnvironment(profile);
  if (env === null) return null;
  const script = `
    local uv = require('luv')
    print('version=' .. uv.version_string())
    local speeds = {}
    for _, cpu in ipairs(uv.cpu_info()) do speeds[#speeds + 1] = string.format('%d', cpu.speed) end
    print('speeds=' .. table.concat(speeds, ','))
    print('constrained=' .. string.format('%.17g', uv.get_constrained_memory()))
    print('total=' .. string.format('%d', uv.get_total_memory()))
    print('parallelism=' .. uv.available_parallelism())`;
  try {
    const out = execFileSync('lua5.4', ['-e', script], { env, encoding: 'utf8' });
    const answers = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );
    return answers['version']?.startsWith(profile) === true ? answers : null;
  } catch {
    return null;
  }
}

for (const profile of ['1.44', '1.52'] as const) {
  test(`cpuInfo, getConstrainedMemory and availableParallelism answer as libuv ${profile} does`, async () => {
    const loop = new Loop({ libuv: profile });
    const speeds = cpuInfo(loop).map((cpu) => cpu.speed);
    // From the kernel's files, the way each libuv reads them.
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    const mhz = [...cpuinfo.matchAll(/^cpu MHz\s*: *(\d+)/gm)].map((match) => Number(match[1]));
    const cpufreq = speeds.map((_, id) => {
      try {
        return Math.floor(
          Number(
            readFileSync(`/sys/devices/system/cpu/cpu${id}/cpufreq/scaling_cur_freq`, 'utf8'),
          ) / 1000,
        );
      } catch {
        return 0;
      }
    });
    if (profile === '1.44' && mhz.length > 0 && (mhz[0] ?? 0) > 0) {
      assert.deepEqual(speeds, mhz.slice(0, speeds.length));
    } else if (profile === '1.52') {
      // cpufreq's current frequency moves; only its absence is exact.
      speeds.forEach((speed, id) => {
        if (cpufreq[id] === 0) assert.equal(speed, 0);
        else assert.ok(speed > 0);
      });
    }
    const constrained = getConstrainedMemory(loop);
    assert.ok(constrained >= 0);
    const parallelism = availableParallelism(loop);
    assert.ok(parallelism >= 1 && parallelism <= os.availableParallelism());
    const luv = luvAnswers(profile);
    if (luv !== null) {
      // cpufreq can move between two reads; /proc/cpuinfo's "cpu MHz" too, a little.
      if (profile === '1.44' || speeds.every((speed) => speed === 0))
        assert.equal(speeds.join(','), luv['speeds']);
      assert.equal(constrained, Number(luv['constrained']));
      assert.equal(parallelism, Number(luv['parallelism']));
      assert.equal(getTotalMemory(), Number(luv['total']));
    }
    await teardown(loop);
  });
}

test('the util functions take a Loop as their profile, and nothing else', () => {
  assert.throws(() => cpuInfo({} as never), TypeError);
  assert.throws(() => getConstrainedMemory(null as never), TypeError);
});

test('guessHandle classifies descriptors as libuv does', async () => {
  const loop = new Loop();
  const udp = new UDP(loop);
  udp.bind('127.0.0.1', 0);
  const tcp = new TCP(loop);
  tcp.bind('127.0.0.1', 0);
  tcp.listen(() => {});
  assert.equal(guessHandle(udp.fileno()), 'udp');
  assert.equal(guessHandle(tcp.fileno()), 'tcp');
  const file = openSync('/proc/self/status', 'r');
  const devNull = openSync('/dev/null', 'r');
  try {
    assert.equal(guessHandle(file), 'file');
    assert.equal(guessHandle(devNull), 'file');
  } finally {
    closeSync(file);
    closeSync(devNull);
  }
  assert.equal(guessHandle(-1), 'unknown');
  assert.equal(guessHandle(1 << 20), 'unknown');
  assert.throws(() => guessHandle('0' as never), TypeError);
  await teardown(loop);
});
