/**
 * Opens trace pages in Debian's Chromium, headless, through playwright-core
 * (which never downloads a browser of its own), for the browser test and
 * the screenshot script.
 *
 * Each launch gets a fresh profile folder and flags that keep Chromium off
 * the network (no background requests, updates, sync, QUIC). On top of that
 * every request that is not the page file itself is aborted and recorded,
 * so a test can prove the page asked for nothing.
 *
 * @module
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Chromium is: `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether a Chromium is installed where {@link CHROMIUM} says. */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with one profile folder; {@link Browser.close} removes the folder. */
export interface Browser {
  /** Opens `file` and returns the page with what it logged and attempted. */
  open(file: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
  /** Closes Chromium and removes its profile folder. */
  close(): Promise<void>;
}

/** A loaded trace page. */
export interface OpenedPage {
  readonly page: Page;
  /** Console messages of type error, and uncaught page errors. */
  readonly errors: string[];
  /** URLs of requests other than the page file (all aborted). */
  readonly blocked: string[];
  /** Dialogs the page opened (alert, confirm...). */
  readonly dialogs: string[];
}

/** Starts Chromium. */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'uvts-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1600, height: 1000 },
    offline: true,
  });
  return {
    async open(file, viewport) {
      const url = pathToFileURL(path.resolve(file)).href;
      const page = await context.newPage();
      if (viewport !== undefined) await page.setViewportSize(viewport);
      const opened: OpenedPage = { page, errors: [], blocked: [], dialogs: [] };
      page.on('console', (message) => {
        if (message.type() === 'error') opened.errors.push(message.text());
      });
      page.on('pageerror', (error) => opened.errors.push(error.message));
      page.on('dialog', (dialog) => {
        opened.dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      page.on('request', (request) => {
        if (request.url() !== url) opened.blocked.push(request.url());
      });
      await page.route('**/*', (route) =>
        route.request().url() === url ? route.continue() : route.abort(),
      );
      await page.goto(url);
      return opened;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
