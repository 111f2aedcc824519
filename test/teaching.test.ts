// The teaching puzzles (examples/teaching/, docs/teaching.md): each runs
// under uvts-trace's recorder in both profiles and must print exactly the
// lines below, which are what real libuv prints for the puzzle's luv twin
// (examples/teaching/luv/): Debian's luv (libuv 1.44.2) for 1.44, and a luv
// built on libuv 1.52.1 for 1.52. When lua5.4 and luv are installed the
// twins are run here too (1.44; 1.52 as well when UVTS_LUV_1_52 names the
// folder of a luv build linked with libuv 1.52.1, as for the conformance
// suite: conformance/expected/1.52/README.md).
//
// docs/teaching.md shows each expected output; the last test keeps it in
// step with this table.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { repoPath } from './fixtures/child-util.js';
import { traceProgram } from '../src/tools/trace-sources.js';
import type { EventRun } from '../src/tools/trace-document.js';

const SOURCE_LOADER = ['--import', repoPath('test/fixtures/uvts-from-source.mjs')];

/** Each puzzle's output per profile; one array when both profiles agree. */
const EXPECTED: Record<string, { '1.44': string[]; '1.52': string[] }> = {
  'timer-vs-check': both(['round 1: timer', 'round 1: check', 'round 2: check', 'round 2: timer']),
  'timers-placement': {
    '1.44': ['timer', 'prepare', 'check', "run('nowait') returned true"],
    '1.52': ['prepare', 'check', 'timer', "run('nowait') returned true"],
  },
  'idle-keeps-poll-busy': both([
    'idle 1',
    'prepare: POLL will not block',
    'idle 2',
    'prepare: POLL will not block',
    'idle 3, stopping',
    'prepare: POLL may block until the timer',
    'timer',
  ]),
  'unref-exit': both([
    'part 1: run() returned false after 0 ticks',
    'tick 1',
    'tick 2',
    'one-shot timer',
    'part 2: run() returned false after 2 ticks; ticker active: true',
    'end of the program',
  ]),
  'close-lifo': both([
    'close A',
    'close B',
    'close C',
    'close callback of C',
    'close callback of B',
    'close callback of A',
  ]),
  'write-before-check': both([
    'connect callback: connected',
    'write callback: written',
    'check callback',
  ]),
  'stop-run-modes': {
    '1.44': [
      'timer calls stop()',
      'check',
      "part 1: run('default') returned true",
      ...stopParts23(),
    ],
    '1.52': ['timer calls stop()', "part 1: run('default') returned true", ...stopParts23()],
  },
  'async-coalesce': both([
    'the worker called send() 3 times',
    'async callback 1',
    'the async callback ran 1 time',
  ]),
};

function both(lines: string[]): { '1.44': string[]; '1.52': string[] } {
  return { '1.44': lines, '1.52': lines };
}

function stopParts23(): string[] {
  return [
    'idle 1',
    'idle 2 calls stop()',
    "part 2: run('default') returned true",
    'idle 3',
    "part 3: run('once') returned true",
    'idle 4',
    "part 3: run('nowait') returned true",
    'idle closed',
    "part 3: after close(), run('nowait') returned false",
  ];
}

/** What a traced run printed to stdout, as lines. */
function printed(run: EventRun): string[] {
  const text = run.events
    .map((record) => (record.type === 'output' && record.stream === 'stdout' ? record.text : ''))
    .join('');
  return text.split('\n').filter((line) => line !== '');
}

function luvAvailable(cpath?: string): boolean {
  const probe = spawnSync('lua5.4', ['-e', 'require("luv")'], {
    env: cpath === undefined ? process.env : { ...process.env, LUA_CPATH: cpath },
  });
  return probe.status === 0;
}

function runLuv(puzzle: string, cpath?: string): string[] {
  const result = spawnSync('lua5.4', [repoPath(`examples/teaching/luv/${puzzle}.lua`)], {
    encoding: 'utf8',
    timeout: 30_000,
    env: cpath === undefined ? process.env : { ...process.env, LUA_CPATH: cpath },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '');
}

const luv144 = luvAvailable();
const luv152Folder = process.env.UVTS_LUV_1_52;
const luv152Path = luv152Folder === undefined ? undefined : `${luv152Folder}/?.so;;`;
const luv152 = luv152Path !== undefined && luvAvailable(luv152Path);

describe('teaching puzzles', () => {
  for (const [puzzle, expected] of Object.entries(EXPECTED)) {
    describe(puzzle, () => {
      for (const profile of ['1.44', '1.52'] as const) {
        it(`prints libuv ${profile}'s order under uvts-trace --profile ${profile}`, async () => {
          const run = await traceProgram(`examples/teaching/${puzzle}.js`, [], profile, {
            nodeArgs: SOURCE_LOADER,
            stdio: 'ignore',
          });
          assert.deepEqual(run.exit, { code: 0, signal: null });
          assert.deepEqual(printed(run), expected[profile]);
          assert.ok(run.loops.length >= 1 && run.loops.every((loop) => loop.profile === profile));
          assert.ok(run.events.some((record) => record.type === 'callback'));
        });
      }
      it(
        'real libuv 1.44.2 (luv twin) prints the same',
        { skip: !luv144 && 'lua5.4/luv not installed' },
        () => {
          assert.deepEqual(runLuv(puzzle), expected['1.44']);
        },
      );
      it(
        'real libuv 1.52 (luv twin) prints the same',
        { skip: !luv152 && 'UVTS_LUV_1_52 not set' },
        () => {
          assert.deepEqual(runLuv(puzzle, luv152Path), expected['1.52']);
        },
      );
    });
  }

  it('docs/teaching.md shows every expected output', () => {
    const doc = readFileSync(repoPath('docs/teaching.md'), 'utf8');
    for (const [puzzle, expected] of Object.entries(EXPECTED)) {
      assert.ok(
        doc.includes(`examples/teaching/${puzzle}.js`),
        `${puzzle} is not in docs/teaching.md`,
      );
      for (const lines of [expected['1.44'], expected['1.52']]) {
        assert.ok(
          doc.includes(`\`\`\`text\n${lines.join('\n')}\n\`\`\``),
          `docs/teaching.md lacks the output of ${puzzle}`,
        );
      }
    }
  });
});
