// uvts-trace's parts below the browser: the loop hook, the recorder (and
// the user's own loop.tracer beside it), the page's safe embedding of a
// trace, the conformance trace reader and the command itself.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { Check, Loop, LOOP_HOOK, Timer, type LoopHook, type TraceEvent } from '../src/index.js';
import { TraceRecorder } from '../src/tools/trace-recorder.js';
import { jsonForScriptElement, renderTracePage } from '../src/tools/trace-page.js';
import { documentText, main, parseArguments, buildDocument } from '../src/tools/trace-cli.js';
import { readLinesRun } from '../src/tools/trace-sources.js';
import { checkTraceDocument, type HandleRecord } from '../src/tools/trace-document.js';
import { teardown } from './helpers.js';
import { hostileDocument } from './fixtures/trace-documents.js';
import { repoPath, tempDir } from './fixtures/child-util.js';

const hooks = globalThis as { [LOOP_HOOK]?: LoopHook };

afterEach(() => {
  Reflect.deleteProperty(hooks, LOOP_HOOK);
});

/** A 0 ms timer and a check watcher that close themselves. */
function closingPair(loop: Loop): void {
  const timer = new Timer(loop);
  timer.data = 'T';
  timer.start(() => timer.close(), 0);
  const check = new Check(loop);
  check.start(() => check.close());
}

describe('the loop hook', () => {
  it('without a hook, loops are untouched (1.52, no tracer)', async () => {
    assert.equal(hooks[LOOP_HOOK], undefined);
    const loop = new Loop();
    assert.equal(loop.profile, '1.52');
    assert.equal(loop.tracer, null);
    await teardown(loop);
  });

  it('gives loops without a libuv option its profile and sees every new loop', async () => {
    const seen: object[] = [];
    hooks[LOOP_HOOK] = { profile: '1.44', loopCreated: (loop) => seen.push(loop) };
    const chosenByHook = new Loop();
    const chosenByProgram = new Loop({ libuv: '1.52' });
    assert.equal(chosenByHook.profile, '1.44');
    assert.equal(chosenByProgram.profile, '1.52');
    assert.deepEqual(seen, [chosenByHook, chosenByProgram]);
    await teardown(chosenByHook);
    await teardown(chosenByProgram);
  });
});

describe('TraceRecorder', () => {
  it("records every event and keeps the program's own loop.tracer working", async () => {
    const recorder = new TraceRecorder();
    hooks[LOOP_HOOK] = { loopCreated: (loop) => recorder.attach(loop as Loop) };
    const loop = new Loop({ libuv: '1.44' });
    const own: TraceEvent[] = [];
    loop.tracer = (event) => own.push(event);
    closingPair(loop);
    assert.equal(await loop.run(), false);
    const recorded = recorder.records.filter((record) => record.type !== 'handle');
    assert.deepEqual(
      recorded.map(({ loop: number, ...event }) => (assert.equal(number, 1), event)),
      own,
    );
    assert.deepEqual(
      own.filter((event) => event.type === 'callback').map((event) => event.kind),
      ['timer', 'check'],
    );
    // Setting null removes only the program's tracer.
    loop.tracer = null;
    assert.notEqual(loop.tracer, null);
    assert.deepEqual(recorder.loops, [{ loop: 1, profile: '1.44' }]);
    await teardown(loop);
  });

  it('records handle states for the lanes: active, closing, closed', async () => {
    const recorder = new TraceRecorder();
    const loop = new Loop();
    recorder.attach(loop);
    closingPair(loop);
    await loop.run();
    const timer = recorder.records.filter(
      (record): record is HandleRecord => record.type === 'handle' && record.handleId === 1,
    );
    assert.deepEqual(
      timer.map((record) => [record.active, record.referenced, record.closing, record.closed]),
      // Started; stopped before its callback runs (a one-shot timer is
      // inactive in its own callback); closing; closed.
      [
        [true, true, false, false],
        [false, true, false, false],
        [false, true, true, false],
        [false, false, true, true],
      ],
    );
    assert.equal(timer[0]?.name, 'T');
    assert.equal(timer[0]?.handleType, 'timer');
    await teardown(loop);
  });

  it('attributes output to the running loop', async () => {
    const recorder = new TraceRecorder();
    const loop = new Loop();
    recorder.attach(loop);
    recorder.output('stdout', 'before\n');
    const timer = new Timer(loop);
    timer.start(() => {
      recorder.output('stdout', 'inside\n');
      timer.close();
    }, 0);
    await loop.run();
    const outputs = recorder.records.filter((record) => record.type === 'output');
    assert.deepEqual(
      outputs.map((record) => [record.loop, record.text]),
      [
        [1, 'before\n'],
        [1, 'inside\n'],
      ],
    );
    await teardown(loop);
  });
});

describe('the page', () => {
  it('embeds the trace as inert JSON that parses back unchanged', () => {
    const document = hostileDocument();
    const page = renderTracePage(document);
    const block = /<script type="application\/json" id="uvts-trace-data">([^<]*)<\/script>/.exec(
      page,
    );
    assert.ok(block, 'the data block is intact');
    assert.deepEqual(JSON.parse(block[1] ?? ''), document);
    assert.equal(page.includes('window.pwned'), true, 'the text is there, escaped');
    assert.equal(page.split('<script').length - 1, 2, 'only the data block and the page script');
    assert.equal(/<img/i.test(page), false);
    assert.equal(jsonForScriptElement('<\u2028&>'), '"\\u003c\\u2028\\u0026\\u003e"');
  });

  it('allows only its own script and style, by hash, and no network', () => {
    const page = renderTracePage(hostileDocument());
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1] ?? '';
    assert.match(policy, /default-src 'none'/);
    const hash = (text: string): string =>
      `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const script = /<script>([\s\S]*)<\/script>/.exec(page)?.[1] ?? '';
    const style = /<style>([\s\S]*)<\/style>/.exec(page)?.[1] ?? '';
    assert.ok(policy.includes(`script-src ${hash(script)}`));
    assert.ok(policy.includes(`style-src ${hash(style)}`));
  });
});

describe('uvts-trace', () => {
  it('parses its options anywhere before --; other words after the program are its own', () => {
    assert.deepEqual(parseArguments(['--text', 'p.js', '-v', 'x', '--profile', 'both']), {
      profile: 'both',
      out: null,
      open: false,
      text: true,
      conformance: null,
      target: 'p.js',
      rest: ['-v', 'x'],
    });
    const afterDashes = parseArguments(['--open', 'p.js', 'a', '--', '--profile', '1.44']);
    assert.ok(afterDashes !== 'help');
    assert.equal(afterDashes.profile, 'default');
    assert.equal(afterDashes.open, true);
    assert.deepEqual(afterDashes.rest, ['a', '--profile', '1.44']);
    assert.throws(() => parseArguments(['--verbose', 'p.js']), /unknown option --verbose/);
    assert.equal(parseArguments(['--help']), 'help');
    assert.throws(() => parseArguments(['--profile', '2.0', 'p.js']), /1\.44, 1\.52 or both/);
    assert.throws(() => parseArguments([]), /nothing to trace/);
  });

  it('reads conformance traces without comments; "@same-as 1.44" reads the 1.44 file', () => {
    const recorded = readLinesRun(repoPath('conformance/expected/1.44/close_order.trace'));
    assert.equal(recorded.lines[0], 'run default');
    assert.ok(recorded.lines.every((line) => !line.startsWith('#')));
    const { dir, remove } = tempDir('trace-lines');
    mkdirSync(path.join(dir, '1.44'));
    mkdirSync(path.join(dir, '1.52'));
    writeFileSync(path.join(dir, '1.44', 'x.trace'), '# recorded\nrun default\ncb t  \n');
    writeFileSync(path.join(dir, '1.52', 'x.trace'), '# derived: same order\n@same-as 1.44\n');
    assert.deepEqual(readLinesRun(path.join(dir, '1.52', 'x.trace')).lines, [
      'run default',
      'cb t',
    ]);
    remove();
  });

  it('--conformance shows a scenario under both profiles', async () => {
    const options = parseArguments(['--conformance', 'timer_run_once']);
    assert.notEqual(options, 'help');
    const document = await buildDocument(options as Exclude<typeof options, 'help'>);
    assert.deepEqual(
      document.runs.map((run) => run.label),
      ['libuv 1.44 (expected)', 'libuv 1.52 (expected)'],
    );
    assert.equal(checkTraceDocument(document), document);
  });

  it('runs a program and writes its .trace.json, .trace.html and text', async () => {
    const { dir: folder, remove } = tempDir('trace-cli');
    const program = path.join(folder, 'pair.mjs');
    const index = pathToFileURL(repoPath('src/index.ts')).href;
    writeFileSync(
      program,
      `import { Check, Loop, Timer } from '${index}';
const loop = new Loop();
const timer = new Timer(loop);
timer.start(() => { console.log('timer'); timer.close(); }, 0);
const check = new Check(loop);
check.start(() => { console.log('check'); check.close(); });
await loop.run();
loop.close();
`,
    );
    const out = path.join(folder, 'pair');
    const code = await main(['--profile', 'both', '--out', out, program]);
    assert.equal(code, 0);
    assert.ok(existsSync(`${out}.trace.html`));
    const document = checkTraceDocument(JSON.parse(readFileSync(`${out}.trace.json`, 'utf8')));
    assert.deepEqual(
      document.runs.map((run) => run.label),
      ['libuv 1.44', 'libuv 1.52'],
    );
    const text = documentText(document);
    assert.match(
      text,
      /--- libuv 1\.52 ---\nrun\(default\) alive=true\n {2}timers \(start-of-run\)\n {4}→ timer callback of timer#1\n {6}\| timer\n/,
    );
    // Drawing the written document again gives the same page.
    const again = await buildDocument(
      parseArguments([`${out}.trace.json`]) as Exclude<ReturnType<typeof parseArguments>, 'help'>,
    );
    assert.deepEqual(again, document);

    // --open prints the page's file URL, and only that, on its own line.
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array): boolean => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let openCode: number;
    try {
      openCode = await main(['--open', '--out', `${out}-again`, `${out}.trace.json`]);
    } finally {
      process.stdout.write = write;
    }
    assert.equal(openCode, 0);
    assert.deepEqual(printed, [`${pathToFileURL(`${out}-again.trace.html`).href}\n`]);
    assert.ok(existsSync(`${out}-again.trace.html`));
    remove();
  });
});
