/**
 * Regenerates the screenshots the documentation shows: the README's view
 * of the trace page (`docs/images/uvts-trace.png`) and each teaching
 * puzzle's timeline (`docs/images/teaching/<puzzle>.png`), all traced under
 * both profiles, exactly as `npx uvts-trace <puzzle> --profile both` draws
 * them. Needs Chromium (test/browser/chromium.ts).
 *
 *   npm run docs:screenshots
 *
 * @module
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoPath } from '../fixtures/child-util.js';
import { buildDocument, parseArguments, type TraceOptions } from '../../src/tools/trace-cli.js';
import { renderTracePage } from '../../src/tools/trace-page.js';
import { chromiumInstalled, CHROMIUM, launch } from './chromium.js';

const SOURCE_LOADER = ['--import', repoPath('test/fixtures/uvts-from-source.mjs')];
/** The puzzle the README shows. */
const README_PUZZLE = 'timers-placement';

if (!chromiumInstalled()) {
  console.error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  process.exit(1);
}

const work = path.join(tmpdir(), `uvts-screenshots-${process.pid}`);
mkdirSync(work, { recursive: true });
const teaching = repoPath('docs/images/teaching');
mkdirSync(teaching, { recursive: true });
const browser = await launch();
try {
  const puzzles = readdirSync(repoPath('examples/teaching'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => name.slice(0, -3));
  for (const puzzle of puzzles) {
    const options = parseArguments([
      '--profile',
      'both',
      `examples/teaching/${puzzle}.js`,
    ]) as TraceOptions;
    const document = await buildDocument(options, { nodeArgs: SOURCE_LOADER, stdio: 'ignore' });
    const file = path.join(work, `${puzzle}.trace.html`);
    writeFileSync(file, renderTracePage(document));
    const { page, errors } = await browser.open(file, { width: 1600, height: 1000 });
    if (errors.length > 0) throw new Error(`${puzzle}: ${errors.join('; ')}`);
    // The timeline alone, whole: the panels hidden, the window as wide as the grid.
    const width = (await page.evaluate(`(() => {
      document.querySelector('.panels').style.display = 'none';
      return document.querySelector('.grid').scrollWidth;
    })()`)) as number;
    await page.setViewportSize({ width: width + 80, height: 1000 });
    await page
      .locator('.grid')
      .first()
      .screenshot({ path: path.join(teaching, `${puzzle}.png`) });
    await page.evaluate(`document.querySelector('.panels').style.display = ''`);
    await page.setViewportSize({ width: 1600, height: 1000 });
    if (puzzle === README_PUZZLE) {
      // Three steps in, on the 1.44 timer callback: the circle lights up.
      await page.keyboard.press('Tab');
      for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowRight');
      await page.screenshot({ path: repoPath('docs/images/uvts-trace.png'), fullPage: true });
    }
    await page.close();
    console.log(`screenshots of ${puzzle}`);
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
