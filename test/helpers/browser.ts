/**
 * Headless Chromium for the web UI end-to-end tests, driven by playwright-core against the
 * Debian `chromium` package (never a downloaded browser). One browser per test file, with a
 * fresh profile directory removed on close; everything it loads is on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { needs } from './require.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** `test()` options: skipped (with the reason) when the Debian chromium package is missing. */
export function needsChromium(): { skip?: string } {
  return needs(existsSync(CHROMIUM_PATH), `chromium is not installed (${CHROMIUM_PATH}; Debian package "chromium")`);
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile (playwright takes the profile dir as --user-data-dir). */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'sftpgo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH, headless: true, acceptDownloads: true, args: ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  // confirm() of AJAX deletes: accept, as a user clicking OK.
  page.on('dialog', (d) => void d.accept());
  return {
    context, page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
