/**
 * libuv's remaining misc functions: the working directory, the executable
 * path, `uv_clock_gettime` and the IP address helpers. libuv's tests
 * (test-cwd-and-chdir.c, test-get-currentexe.c, test-ip4-addr.c,
 * test-ip6-addr.c, test-ip-name.c) ported with their names, bad input,
 * and, where Debian's luv is installed, which address texts real libuv
 * accepts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  AddressFamily,
  CLOCK_MONOTONIC,
  CLOCK_REALTIME,
  UVError,
  chdir,
  clockGettime,
  cwd,
  exepath,
  hrtime,
  inetNtop,
  inetPton,
  interfaceAddresses,
  ip4Addr,
  ip4Name,
  ip6Addr,
  ip6Name,
  ipName,
  setProcessTitle,
  getProcessTitle,
} from '../src/index.js';
import type { SocketAddress } from '../src/index.js';
import { luvEnvironment, tsWorker, uvError } from './helpers.js';

const TEST_PORT = 9123;

/** Asserts that `fn` throws a `UVError` with libuv's `code`. */
function throwsUV(fn: () => unknown, code: string): void {
  assert.throws(fn, uvError(code));
}

/** Runs `body` in a fresh temporary directory as the working directory, then puts everything back. */
function inTemporaryDirectory(body: (dir: string) => void): void {
  const original = process.cwd();
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'uvts-cwd-')));
  try {
    body(dir);
  } finally {
    process.chdir(original);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------ cwd and chdir

test('cwd_and_chdir', () => {
  const original = cwd();
  assert.ok(original.length > 0);
  assert.ok(original === '/' || !original.endsWith('/'), 'no trailing slash');
  assert.equal(original, process.cwd());
  chdir(original);
  assert.equal(cwd(), original);
});

test('chdir changes the directory cwd reports, relative paths included', () => {
  inTemporaryDirectory((dir) => {
    chdir(dir);
    assert.equal(cwd(), dir);
    assert.equal(process.cwd(), dir);
    mkdirSync(path.join(dir, 'inner'));
    chdir('inner');
    assert.equal(cwd(), path.join(dir, 'inner'));
    chdir('..');
    assert.equal(cwd(), dir);
  });
});

test('cwd of a removed directory is ENOENT, as getcwd(2) answers', () => {
  inTemporaryDirectory((dir) => {
    const doomed = path.join(dir, 'doomed');
    mkdirSync(doomed);
    chdir(doomed);
    assert.equal(cwd(), doomed);
    rmdirSync(doomed);
    throwsUV(() => cwd(), 'ENOENT');
  });
});

test('chdir errors: ENOENT, ENOTDIR, TypeError', () => {
  inTemporaryDirectory((dir) => {
    const file = path.join(dir, 'file');
    writeFileSync(file, '');
    throwsUV(() => chdir(path.join(dir, 'missing')), 'ENOENT');
    throwsUV(() => chdir(file), 'ENOTDIR');
    throwsUV(() => chdir(''), 'ENOENT');
    try {
      chdir(file);
    } catch (error) {
      assert.ok(error instanceof UVError);
      assert.equal(error.syscall, 'uv_chdir');
      assert.equal(error.path, file);
    }
    assert.throws(() => chdir(42 as unknown as string), TypeError);
    assert.throws(() => chdir(undefined as unknown as string), TypeError);
    assert.equal(cwd(), process.cwd(), 'a failed chdir leaves the directory alone');
  });
});

test('chdir in a worker thread is ENOTSUP; cwd works there (docs/deviations.md X8)', async () => {
  const worker = tsWorker(new URL('./fixtures/chdir.worker.ts', import.meta.url));
  const answer = await new Promise<{ code: string; cwd: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(answer.code, 'ENOTSUP');
  assert.equal(answer.cwd, cwd());
});

// ------------------------------------------------------------ exepath

test('get_currentexe', () => {
  const exe = exepath();
  assert.ok(path.isAbsolute(exe));
  assert.equal(exe, realpathSync('/proc/self/exe'));
  // Setting the process title does not change it.
  const title = getProcessTitle();
  try {
    setProcessTitle('foobar');
    assert.equal(exepath(), exe);
  } finally {
    setProcessTitle(title);
  }
});

// ------------------------------------------------------------ clock_gettime

test('clock_gettime', () => {
  const mono1 = clockGettime(CLOCK_MONOTONIC);
  const real = clockGettime(CLOCK_REALTIME);
  const mono2 = clockGettime(CLOCK_MONOTONIC);
  for (const reading of [mono1, real, mono2]) {
    assert.ok(Number.isInteger(reading.sec) && reading.sec >= 0);
    assert.ok(Number.isInteger(reading.nsec) && reading.nsec >= 0 && reading.nsec < 1e9);
  }
  const ns = (t: { sec: number; nsec: number }): bigint =>
    BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
  assert.ok(ns(mono2) >= ns(mono1), 'the monotonic clock does not go back');
  // The monotonic clock is uv_hrtime's.
  const before = hrtime();
  const reading = ns(clockGettime(CLOCK_MONOTONIC));
  const after = hrtime();
  assert.ok(reading >= before && reading <= after);
  // The wall clock is within a few milliseconds of Date's (whose clock the test cannot hold still).
  const wallMs = Number(ns(real) / 1_000_000n);
  assert.ok(Math.abs(wallMs - Date.now()) < 1000, `${wallMs} vs ${Date.now()}`);
  // Nanosecond steps: two readings far enough apart differ below the microsecond.
  const seen = new Set<number>();
  for (let i = 0; i < 100; i++) seen.add(clockGettime(CLOCK_REALTIME).nsec % 1000);
  assert.ok(seen.size > 1, 'realtime readings have sub-microsecond digits');
});

test('clock_gettime: another clock id is EINVAL, another type a TypeError', () => {
  for (const clock of [2, -1, 0.5, 3, Number.NaN]) throwsUV(() => clockGettime(clock), 'EINVAL');
  assert.throws(() => clockGettime('monotonic' as unknown as number), TypeError);
  assert.equal(CLOCK_MONOTONIC, 0);
  assert.equal(CLOCK_REALTIME, 1);
});

// ------------------------------------------------------------ addresses

test('ip4_addr', () => {
  assert.equal(inetNtop(AddressFamily.INET, Uint8Array.of(255, 255, 255, 255)), '255.255.255.255');
  assert.deepEqual(ip4Addr('127.0.0.1', TEST_PORT), {
    address: '127.0.0.1',
    port: TEST_PORT,
    family: 'IPv4',
  });
  assert.equal(ip4Addr('255.255.255.255', TEST_PORT).address, '255.255.255.255');
  for (const bad of ['255.255.255*000', '255.255.255.256', '2555.0.0.0', '255'])
    throwsUV(() => ip4Addr(bad, TEST_PORT), 'EINVAL');
  // A family libuv does not know.
  throwsUV(() => inetPton(42, '127.0.0.1'), 'EAFNOSUPPORT');
});

/** test-ip6-addr.c's lists. */
const GOOD_IP6 = [
  '::',
  '::1',
  'fe80::1',
  'fe80::',
  'fe80::2acf:daff:fedd:342a',
  'fe80:0:0:0:2acf:daff:fedd:342a',
  'fe80:0:0:0:2acf:daff:1.2.3.4',
  'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255',
];
const BAD_IP6 = [
  ':::1',
  'abcde::1',
  'fe80:0:0:0:2acf:daff:fedd:342a:5678',
  'fe80:0:0:0:2acf:daff:abcd:1.2.3.4',
  'fe80:0:0:2acf:daff:1.2.3.4.5',
  'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255.255',
];
/** The suffixes test-ip6-addr.c appends: a zone is ignored, whatever it holds. */
const ZONES = ['', '%en1', '%%%%', '%en1:1.2.3.4'];

test('ip6_pton', () => {
  for (const address of GOOD_IP6) {
    for (const zone of ZONES) {
      const bytes = inetPton(AddressFamily.INET6, address + zone);
      assert.equal(bytes.length, 16, address + zone);
    }
  }
  for (const address of BAD_IP6) {
    for (const zone of ZONES)
      throwsUV(() => inetPton(AddressFamily.INET6, address + zone), 'EINVAL');
  }
});

test('ip6_addr_link_local', () => {
  for (const entry of interfaceAddresses()) {
    if (entry.family !== 'IPv6' || !entry.address.startsWith('fe80::')) continue;
    const addr = ip6Addr(`${entry.address}%${entry.name}`, TEST_PORT);
    assert.equal(addr.scopeId, entry.scopeId, `${entry.address}%${entry.name}`);
    assert.equal(addr.address, entry.address);
  }
  // Linux gives the loopback interface index 1 in every network namespace.
  assert.equal(ip6Addr('::1%lo', TEST_PORT).scopeId, 1);
});

test('ip6_invalid_interface: an unknown zone is scope id 0, as in libuv 1.44.2 and 1.52.1', () => {
  // if_nametoindex() answers 0 and uv_ip6_addr() keeps it (luv binds "::1%bad" in both).
  for (const zone of ['bad', '1', '', 'a/b', '..', 'x'.repeat(16)])
    assert.equal(ip6Addr(`::1%${zone}`, 0).scopeId, 0, zone);
  assert.equal(ip6Addr('::1', 0).scopeId, 0);
});

test('ip_name', () => {
  const addr4 = ip4Addr('192.168.0.1', TEST_PORT);
  assert.equal(ip4Name(addr4), '192.168.0.1');
  assert.equal(ipName(addr4), '192.168.0.1');
  const addr6 = ip6Addr('fe80::2acf:daff:fedd:342a', TEST_PORT);
  assert.equal(ip6Name(addr6), 'fe80::2acf:daff:fedd:342a');
  assert.equal(ipName(addr6), 'fe80::2acf:daff:fedd:342a');
  const unix = { ...addr6, family: 'unix' } as unknown as SocketAddress;
  throwsUV(() => ipName(unix), 'EAFNOSUPPORT');
});

test('inet_ntop formats IPv6 as libuv does: longest zero run, embedded IPv4', () => {
  const cases: Array<[string, string]> = [
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:2', '::2'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::ffff:102:304', '::ffff:1.2.3.4'],
    ['::fffe:1.2.3.4', '::fffe:102:304'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['1:2:3:4:5:6::', '1:2:3:4:5:6::'],
    ['FE80:0000:0000:0000:0000:0000:0000:0001', 'fe80::1'],
    ['fe80:0:0:0:2acf:daff:1.2.3.4', 'fe80::2acf:daff:102:304'],
  ];
  for (const [text, printed] of cases) {
    assert.equal(inetNtop(AddressFamily.INET6, inetPton(AddressFamily.INET6, text)), printed, text);
    assert.equal(ip6Addr(text, 0).address, printed, text);
  }
  assert.deepEqual(
    Array.from(inetPton('IPv6', '::ffff:1.2.3.4')),
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4],
  );
  assert.deepEqual(Array.from(inetPton('IPv4', '10.0.0.255')), [10, 0, 0, 255]);
});

test('ip6_addr cuts the address in front of a zone to 39 characters, as libuv does', () => {
  // 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255' is 45 characters: it parses
  // alone but not in front of a zone.
  assert.equal(
    ip6Addr(GOOD_IP6[7] as string, 0).address,
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  );
  throwsUV(() => ip6Addr(`${GOOD_IP6[7] as string}%lo`, 0), 'EINVAL');
  assert.equal(ip6Addr('0000:0000:0000:0000:0000:0000:0000:0001%lo', 0).address, '::1');
});

test('address helpers: bad input', () => {
  assert.throws(() => ip4Addr(1 as unknown as string, 0), TypeError);
  assert.throws(() => ip6Addr(null as unknown as string, 0), TypeError);
  assert.throws(() => ip4Addr('127.0.0.1', '80' as unknown as number), TypeError);
  for (const port of [-1, 65536, 1.5, Number.NaN]) {
    throwsUV(() => ip4Addr('127.0.0.1', port), 'EINVAL');
    throwsUV(() => ip6Addr('::1', port), 'EINVAL');
  }
  assert.equal(ip4Addr('0.0.0.0', 65535).port, 65535);
  throwsUV(() => ip4Addr('::1', 0), 'EINVAL');
  throwsUV(() => ip6Addr('127.0.0.1', 0), 'EINVAL');
  throwsUV(() => ip4Addr('1.2.3.4%lo', 0), 'EINVAL');
  throwsUV(() => ip4Addr('01.2.3.4', 0), 'EINVAL');
  throwsUV(() => inetPton(AddressFamily.INET, ''), 'EINVAL');
  throwsUV(() => inetPton(AddressFamily.UNSPEC, '::1'), 'EAFNOSUPPORT');
  throwsUV(() => inetPton('unix' as unknown as number, '::1'), 'EAFNOSUPPORT');
  assert.throws(() => inetPton({} as unknown as number, '::1'), TypeError);
  assert.throws(() => inetPton(AddressFamily.INET, 7 as unknown as string), TypeError);
  throwsUV(() => inetNtop(AddressFamily.INET, new Uint8Array(16)), 'EINVAL');
  throwsUV(() => inetNtop(AddressFamily.INET6, new Uint8Array(4)), 'EINVAL');
  throwsUV(() => inetNtop(42, new Uint8Array(4)), 'EAFNOSUPPORT');
  assert.throws(
    () => inetNtop(AddressFamily.INET, [1, 2, 3, 4] as unknown as Uint8Array),
    TypeError,
  );
  assert.equal(inetNtop(AddressFamily.INET, Buffer.from([127, 0, 0, 1])), '127.0.0.1');
  throwsUV(() => ip4Name(ip6Addr('::1', 0)), 'EINVAL');
  throwsUV(() => ip6Name(ip4Addr('127.0.0.1', 0)), 'EINVAL');
  throwsUV(() => ip4Name({ address: 'nope', port: 0, family: 'IPv4' }), 'EINVAL');
  assert.throws(() => ipName(null as unknown as SocketAddress), TypeError);
  assert.throws(() => ip4Name({ port: 0, family: 'IPv4' } as unknown as SocketAddress), TypeError);
  try {
    ip4Addr('nope', 0);
  } catch (error) {
    assert.ok(error instanceof UVError);
    assert.equal(error.syscall, 'uv_ip4_addr');
    assert.equal(error.errno, -22);
  }
});

/**
 * Which texts real libuv parses, through luv (1.44 from Debian's lua-luv,
 * 1.52 from the build `UVTS_LUV_1_52` names, docs/conformance.md): luv's
 * `udp:bind` raises a Lua error when neither `uv_ip4_addr` nor
 * `uv_ip6_addr` accepts the host, and otherwise returns bind's result.
 * `null` when that libuv is not installed.
 */
function libuvAccepts(profile: '1.44' | '1.52', texts: readonly string[]): boolean[] | null {
  const env = luvEnvironment(profile);
  if (env === null) return null;
  const script = `
    local uv = require('luv')
    print(uv.version_string())
    for line in io.lines() do
      local udp = uv.new_udp()
      local ok = pcall(udp.bind, udp, line, 0)
      print(ok and 'yes' or 'no')
      udp:close()
    end
    uv.run()`;
  const result = spawnSync('lua5.4', ['-e', script], {
    env,
    input: texts.join('\n') + '\n',
    encoding: 'utf8',
  });
  if (result.status !== 0 || typeof result.stdout !== 'string') return null;
  const [version, ...lines] = result.stdout.trim().split('\n');
  if (version?.startsWith(profile) !== true || lines.length !== texts.length) return null;
  return lines.map((line) => line === 'yes');
}

for (const profile of ['1.44', '1.52'] as const) {
  test(`the texts uv_ip4_addr and uv_ip6_addr accept are the ones libuv ${profile} accepts`, (t) => {
    const texts = [
      ...GOOD_IP6.flatMap((address) => ZONES.map((zone) => address + zone)),
      ...BAD_IP6.flatMap((address) => ZONES.map((zone) => address + zone)),
      '127.0.0.1',
      '0.0.0.0',
      '01.2.3.4',
      '1.2.3.04',
      '1.2.3',
      '1.2.3.4.',
      '1.2.3.4%lo',
      ' 1.2.3.4',
      '::1%bad',
      '::1%1',
      '1:2:3:4:5:6:7::',
      '::1:2:3:4:5:6:7',
      '1::2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8::',
      ':1::',
      '1:::2',
      '1::2:',
      '::01.2.3.4',
      '1.2.3.4::',
      '::ffff:1.2.3.4',
      '::FFFF:1.2.3.4',
      '00000::1',
      'fe80::1%',
      `${GOOD_IP6[7] as string}%lo`,
      '',
    ];
    const real = libuvAccepts(profile, texts);
    if (real === null) {
      t.skip(`luv with libuv ${profile} is not installed`);
      return;
    }
    const ours = texts.map((text) => {
      for (const parse of [ip4Addr, ip6Addr]) {
        try {
          parse(text, 0);
          return true;
        } catch {
          // The other family may accept it.
        }
      }
      return false;
    });
    const differences = texts.filter((_, i) => ours[i] !== real[i]);
    assert.deepEqual(differences, []);
  });
}
