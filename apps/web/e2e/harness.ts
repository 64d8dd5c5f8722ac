import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, inject } from 'vitest';
import type { AxeResults, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;
import { startApiProcess, type ApiProcess } from '@mergington/api/process';
import { createClient, type MergingtonClient } from '@mergington/client';
import type { MikroORM } from '@mergington/db';
import { useTestDatabase } from '@mergington/db/testing';

/** Where the browser tests leave pictures of the main screens (the README names this folder). */
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));

export interface Site {
  /** The API process serving the production build of the web app, on this file's own database. */
  api: ApiProcess;
  browser: Browser;
  /** This file's database, for setting up data in bulk and checking what was stored. */
  orm: MikroORM;
  url: string;
  /**
   * A fresh browser profile (its own cookies: its own user) with a page that fails the test on console errors;
   * `timezoneId` sets the browser's clock (the machine's when left out).
   */
  newPage(options?: {
    width?: number;
    height?: number;
    session?: StorageState;
    timezoneId?: string;
    /**
     * The test makes the API refuse calls on purpose (a wrong password, a stale page's second signup) or cuts
     * the network: the browser's "Failed to load resource" lines (4xx, net::ERR_) are then expected.
     */
    refusalsExpected?: boolean;
  }): Promise<Page>;
  /**
   * Stops the API and starts it again on the same database, as after a deploy. It comes back on another
   * port, so the open pages are closed: open new ones (`session`, a page's saved cookies, signs one in).
   */
  restartApi(): Promise<void>;
  /** The typed client signed in as the sample data's admin (wrapped: a client proxy is not awaitable). */
  asAdmin(): Promise<{ client: MergingtonClient }>;
}

/**
 * Starts the API (with the sample data of the old app, and any more settings) and a headless Chromium for
 * one test file. Every page records console errors and uncaught exceptions; after each file none may have
 * happened.
 */
export async function useSite(moreEnv: Record<string, string> = {}): Promise<Site> {
  const { orm, url: databaseUrl } = await useTestDatabase();
  const env = { SEED_SAMPLE_DATA: 'true', WEB_DIST, ...moreEnv };
  let api = await startApiProcess(databaseUrl, env);
  // The machine's Chromium (found by ./chromium.ts), driven by playwright-core: no browser is downloaded.
  const browser = await chromium.launch({ executablePath: inject('chromiumPath') });
  await mkdir(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser.close();
    api.stop();
    await api.exited;
    expect(problems, 'errors in the browser console').toEqual([]);
  });

  const site: Site = {
    get api() {
      return api;
    },
    browser,
    orm,
    get url() {
      return api.origin;
    },
    async newPage({ width = 1280, height = 900, session, timezoneId, refusalsExpected = false } = {}) {
      const context = await browser.newContext({
        baseURL: api.origin,
        viewport: { width, height },
        storageState: session,
        timezoneId,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (
          refusalsExpected &&
          /^Failed to load resource: (.* status of 4\d\d|net::ERR_)/.test(message.text())
        )
          return;
        problems.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
      return page;
    },
    async restartApi() {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
      api.stop();
      await api.exited;
      api = await startApiProcess(databaseUrl, env);
    },
    async asAdmin() {
      const anonymous = createClient({ url: `${api.origin}/trpc` });
      const { token } = await anonymous.auth.logIn.mutate({
        as: 'teacher',
        login: 'principal',
        password: 'admin789',
      });
      return { client: createClient({ url: `${api.origin}/trpc`, token: token! }) };
    },
  };
  return site;
}

/** Saves a picture of a main screen, after checking it against WCAG 2.2 A and AA (axe-core) on it. */
export async function screenshot(page: Page, name: string) {
  expect(await unnamedControls(page), `controls without an accessible name on ${name}`).toEqual([]);
  expect(await wcagViolations(page), `WCAG 2.2 A/AA violations on ${name}`).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * What axe-core finds against WCAG 2.0, 2.1 and 2.2 at levels A and AA on the page as it is now, one line per
 * rule with the elements it failed on. The script is evaluated, not added as a tag: the app's
 * Content-Security-Policy rightly refuses inline scripts.
 */
export async function wcagViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await AXE_SOURCE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };
    };
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return violations.map(
      (violation) =>
        `${violation.id} (${violation.help}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  });
}

/** Form controls without a label and buttons or links without text: what a screen reader cannot name. */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (element: Element) =>
      element.getAttribute('aria-label') ||
      element.getAttribute('aria-labelledby') ||
      (element as HTMLInputElement).labels?.length ||
      (element.matches('button, a') && element.textContent?.trim());
    return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
      .filter((element) => !named(element))
      .map((element) => element.outerHTML.slice(0, 120));
  });
}

/** Logs in through the login form. */
export async function logIn(page: Page, as: 'student' | 'teacher', login: string, password: string) {
  await page.goto('/login');
  if (as === 'teacher') await page.getByLabel('a teacher or admin').check();
  await page.getByLabel(as === 'student' ? 'Email' : 'Email or username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: /^Log out/ }).waitFor();
}

/** Registers a student through the form; they are then signed in. */
export async function register(page: Page, email: string, name: string, password = 'a good password') {
  await page.goto('/register');
  await page.getByLabel('School email').fill(email);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Grade').selectOption('10');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('button', { name: `Log out ${name}` }).waitFor();
}
