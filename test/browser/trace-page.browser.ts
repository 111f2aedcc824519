// The trace page in a real browser: Debian's Chromium, headless, with every
// request but the page file blocked (test/browser/chromium.ts). Run by
// `npm run test:browser` (and by .ci/run, which installs chromium); skips
// with a message when no Chromium is installed.
//
// It draws a teaching puzzle traced under both profiles, conformance traces
// and a trace whose every string is markup, and checks what a teacher and a
// reviewer rely on: no console error, nothing fetched, one mark per callback
// event, the phases in each profile's order, the keyboard moving the
// highlight, nothing in a hostile trace executing; and it saves screenshots.
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoPath, tempDir } from '../fixtures/child-util.js';
import {
  hostileDocument,
  hostileFieldsDocument,
  hostileLinesDocument,
  HOSTILE,
} from '../fixtures/trace-documents.js';
import { buildDocument, parseArguments, type TraceOptions } from '../../src/tools/trace-cli.js';
import { renderTracePage } from '../../src/tools/trace-page.js';
import type { TraceDocument } from '../../src/tools/trace-document.js';
import type { Page } from 'playwright-core';
import { chromiumInstalled, CHROMIUM, launch, type Browser } from './chromium.js';

const SOURCE_LOADER = ['--import', repoPath('test/fixtures/uvts-from-source.mjs')];
const available = chromiumInstalled();
if (!available) console.log(`# skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/**
 * Evaluates `expression` in the page. (Written as source text: the tests are
 * type-checked for Node, without the DOM's types.)
 */
function inPage<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

function options(argv: string[]): TraceOptions {
  const parsed = parseArguments(argv);
  assert.notEqual(parsed, 'help');
  return parsed as TraceOptions;
}

function callbackEvents(document: TraceDocument): number {
  let count = 0;
  for (const run of document.runs) {
    if (run.kind === 'events') count += run.events.filter((r) => r.type === 'callback').length;
    else count += run.lines.filter((l) => l.startsWith('cb ') || l.startsWith('close ')).length;
  }
  return count;
}

describe('the trace page in Chromium', { skip: !available && `no Chromium at ${CHROMIUM}` }, () => {
  const folder = tempDir('trace-page');
  const shots = process.env.UVTS_SCREENSHOT_DIR ?? path.join(folder.dir, 'screenshots');
  let browser: Browser;
  let puzzle: TraceDocument;
  let puzzlePage: string;

  function write(name: string, document: TraceDocument): string {
    const file = path.join(folder.dir, `${name}.trace.html`);
    writeFileSync(file, renderTracePage(document));
    return file;
  }

  before(async () => {
    mkdirSync(shots, { recursive: true });
    puzzle = await buildDocument(
      options(['--profile', 'both', 'examples/teaching/timers-placement.js']),
      { nodeArgs: SOURCE_LOADER, stdio: 'ignore' },
    );
    puzzlePage = write('timers-placement', puzzle);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    folder.remove();
  });

  it('draws a puzzle under both profiles: no errors, no requests, one mark per callback', async () => {
    const { page, errors, blocked } = await browser.open(puzzlePage);
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
    const marks = await page.locator('.grid .cb-mark').count();
    assert.equal(marks, callbackEvents(puzzle));
    assert.ok(marks >= 6);
    await page.screenshot({ path: path.join(shots, 'timers-placement.png'), fullPage: true });
    assert.ok(statSync(path.join(shots, 'timers-placement.png')).size > 10_000);
    await page.close();
  });

  it("lists the phases in each profile's order, in the grid and around the circle", async () => {
    const { page } = await browser.open(puzzlePage);
    const rows = (side: number): Promise<string[]> =>
      inPage(
        page,
        `[...document.querySelectorAll('.phase-label[data-side="${side}"]')].map((label) => label.dataset.row)`,
      );
    assert.deepEqual(await rows(0), [
      'program',
      'timers',
      'pending',
      'idle',
      'prepare',
      'poll',
      'check',
      'closing',
    ]);
    assert.deepEqual(await rows(1), [
      'program',
      'pending',
      'idle',
      'prepare',
      'poll',
      'check',
      'closing',
      'timers',
    ]);
    const circles = await inPage(
      page,
      `[...document.querySelectorAll('.panel')].map((panel) =>
        [...panel.querySelectorAll('.node')].map((node) => node.getAttribute('data-phase')))`,
    );
    assert.deepEqual(circles, [
      ['timers', 'pending', 'idle', 'prepare', 'poll', 'check', 'closing'],
      ['pending', 'idle', 'prepare', 'poll', 'check', 'closing', 'timers'],
    ]);
    // The iterations line up: the same column headers, in order, for both runs.
    const headers = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('.slot-header')].map((cell) => cell.className.replace(/ current/, ''))`,
    );
    const half = headers.length / 2;
    assert.deepEqual(headers.slice(0, half), headers.slice(half));
    await page.close();
  });

  it('steps with the keyboard alone: the highlight, the circle and the details follow', async () => {
    const { page, errors } = await browser.open(puzzlePage);
    await page.keyboard.press('Tab');
    const focused = await inPage<string>(page, `document.activeElement?.className ?? ''`);
    assert.match(focused, /panel/);
    const outline = await inPage(page, 'getComputedStyle(document.activeElement).outlineStyle');
    assert.equal(outline, 'solid', 'the focus is visible');
    const state = () =>
      inPage<{ counter?: string; current: string | null; phase: string | null; details?: string }>(
        page,
        `({
          counter: document.querySelector('.panel .counter')?.textContent,
          current: document.querySelector('.grid .current:not(.slot-header)')?.textContent ?? null,
          phase: document.querySelector('.panel .node.current')?.getAttribute('data-phase') ?? null,
          details: document.querySelector('.panel .details h3')?.textContent,
        })`,
      );
    const start = await state();
    assert.match(start.counter ?? '', /^step 1 of \d+$/);
    // 1.44, run('nowait'): run-start, iteration, timers phase, the timer callback.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    const onTimer = await state();
    assert.match(onTimer.counter ?? '', /^step 4 of/);
    assert.equal(onTimer.phase, 'timers');
    assert.equal(onTimer.details, 'timer callback');
    assert.match(onTimer.current ?? '', /^timer/);
    await page.keyboard.press('ArrowLeft');
    const back = await state();
    assert.match(back.counter ?? '', /^step 3 of/);
    assert.equal(back.details, 'timers');
    await page.keyboard.press('End');
    assert.match((await state()).details ?? '', /run\(\) returns/);
    // Tab on to the second run's panel: the keys now step that one.
    while (
      !(await inPage(page, `document.activeElement === document.querySelectorAll('.panel')[1]`))
    )
      await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    const second = await inPage<string | undefined>(
      page,
      `document.querySelectorAll('.panel .counter')[1]?.textContent`,
    );
    assert.match(second ?? '', /^step 2 of/);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: path.join(shots, 'stepped.png') });
    await page.close();
  });

  it('PageDown / PageUp move both runs to the same column together', async () => {
    const { page, errors } = await browser.open(puzzlePage);
    const details = () =>
      inPage<string[]>(
        page,
        `[...document.querySelectorAll('.panel .details h3')].map((title) => title.textContent)`,
      );
    assert.deepEqual(await details(), ["run('nowait')", "run('nowait')"]);
    await page.keyboard.press('PageDown');
    assert.deepEqual(await details(), ['iteration 1', 'iteration 1']);
    const columns = await inPage<number>(
      page,
      `document.querySelectorAll('.slot-header.current').length`,
    );
    assert.equal(columns, 2, 'the same column is lit in both runs');
    await page.keyboard.press('PageUp');
    assert.deepEqual(await details(), ["run('nowait')", "run('nowait')"]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows hover details for a mark', async () => {
    const { page } = await browser.open(puzzlePage);
    await page.locator('.grid .cb-mark').first().hover();
    const card = page.locator('.hover-card');
    assert.equal(await card.isVisible(), true);
    assert.match((await card.textContent()) ?? '', /callback/);
    await page.close();
  });

  it('draws conformance traces side by side and marks where they part', async () => {
    const document = await buildDocument(options(['--conformance', 'nowait_phase_order']));
    const file = write('nowait_phase_order', document);
    const { page, errors, blocked } = await browser.open(file);
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
    assert.equal(await page.locator('.lines .cb-mark').count(), callbackEvents(document));
    assert.ok(
      (await page.locator('.line.differs').count()) > 0,
      'nowait_phase_order differs between 1.44 and 1.52',
    );
    await page.screenshot({ path: path.join(shots, 'conformance.png'), fullPage: true });
    await page.close();
  });

  it('runs nothing from a trace whose strings are markup, and shows them as text', async () => {
    for (const [name, document] of [
      ['hostile', hostileDocument()],
      ['hostile-lines', hostileLinesDocument()],
      ['hostile-fields', hostileFieldsDocument()],
    ] as const) {
      const { page, errors, blocked, dialogs } = await browser.open(write(name, document));
      assert.equal(await inPage(page, 'window.pwned'), undefined);
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('#viewer script').count(), 0);
      assert.ok(((await page.locator('#viewer').textContent()) ?? '').includes(HOSTILE));
      assert.deepEqual(blocked, [], 'no request for the <img>');
      assert.deepEqual(dialogs, []);
      assert.deepEqual(errors, []);
      assert.equal(await page.locator('.cb-mark').count(), callbackEvents(document));
      await page.close();
    }
  });
});
