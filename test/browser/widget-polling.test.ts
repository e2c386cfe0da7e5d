import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.ts';
import { eventually } from '#test/support/local-process.ts';
import { setVisibility } from '#test/support/page-visibility.ts';

/**
 * How the widget's counter polls, in Chromium with its timers under the test's control (Playwright's clock):
 * every 5 s while the count moves, twice as long after each answer without a change (up to a minute), the
 * same after errors, at least as long as Retry-After says on 429 and 503, and nothing at all while its tab
 * is hidden. The API's answers are the test's, so that it can answer what the local runtime never would on
 * demand (503, 429, a lost connection); test/browser/widget.test.ts has the widget against the real API.
 */

const api = 'http://api.tadamon.test';
const site = 'http://site.tadamon.test';
const slug = 'free-them-all';
const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' };
const profileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-polling-'));

type Answer = { status: 200; total: number } | { status: 429 | 503; retryAfter?: string } | 'offline';

let context: BrowserContext;
let page: Page;
/** What the next request for counts gets. */
let next: () => Answer = () => ({ status: 200, total: 785 });
/** The test clock's time (ms since the page loaded) at which each request for counts arrived. */
const asked: number[] = [];
let now = 0;

const hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A site</title></head>
<body><tadamon-action campaign="${slug}" api="${api}"></tadamon-action><script src="${api}/widget.js"></script></body></html>`;

const campaign = {
  slug,
  kind: 'petition',
  title: 'Free them all',
  summary: 'Release every political prisoner.',
  locale: 'en',
  status: 'open',
  counts: { signatures: 785, offset: 0, total: 785, endorsements: 0, goal: 1000, byCountry: {} },
};

async function answerCounts(route: Route): Promise<void> {
  asked.push(now);
  const answer = next();
  if (answer === 'offline') return route.abort('internetdisconnected');
  if (answer.status === 200) {
    const counts = { signatures: answer.total, offset: 0, total: answer.total, endorsements: 0, goal: 1000, byCountry: {} };
    return route.fulfill({ status: 200, headers: cors, contentType: 'application/json', body: JSON.stringify(counts) });
  }
  const headers = { ...cors, ...(answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}) };
  return route.fulfill({ status: answer.status, headers, contentType: 'application/problem+json', body: JSON.stringify({ status: answer.status }) });
}

/** Until every fetch the page made has been answered and read: then its next timer is set. */
async function settled(): Promise<void> {
  await eventually(async () => ((await page.evaluate(() => (window as unknown as { pendingFetches: number }).pendingFetches)) === 0 ? true : undefined), 10_000);
}

/** Moves the page's clock on by `ms`, a step at a time, letting each request be answered before the next step. */
async function advance(ms: number, step = 500): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += step) {
    now += step;
    await page.clock.runFor(step);
    await settled();
  }
}

/** The waits between consecutive requests from the `from`-th request on, in seconds. */
const gaps = (from: number) => asked.slice(from).map((at, i, all) => (i === 0 ? undefined : (at - all[i - 1]!) / 1000)).slice(1) as number[];

describe('the counter polls gently', () => {
  beforeAll(async () => {
    // widget/ has no import alias (it is not part of the functions); the runtime builds it the same way.
    const { buildWidget } = (await import(new URL('../../widget/build.ts', import.meta.url).href)) as { buildWidget: () => Promise<string> };
    const script = await buildWidget();
    context = await launchChromium(profileDir);
    // Counts every fetch and body read the page makes, so the test knows when the widget has set its next timer.
    await context.addInitScript(() => {
      const state = window as unknown as { pendingFetches: number };
      state.pendingFetches = 0;
      const track = <T>(promise: Promise<T>): Promise<T> => {
        state.pendingFetches++;
        return promise.finally(() => state.pendingFetches--);
      };
      const fetch = window.fetch.bind(window);
      window.fetch = (...args: Parameters<typeof fetch>) => track(fetch(...args));
      const json = Response.prototype.json;
      Response.prototype.json = function (this: Response) {
        return track(json.call(this) as Promise<unknown>);
      };
    });
    await context.route(`${site}/`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: hostPage }));
    await context.route(`${api}/widget.js`, (route) => route.fulfill({ contentType: 'text/javascript; charset=utf-8', headers: cors, body: script }));
    await context.route(
      (url) => url.pathname === `/campaigns/${slug}`,
      (route) => route.fulfill({ headers: cors, contentType: 'application/json', body: JSON.stringify(campaign) }),
    );
    await context.route((url) => url.pathname === `/campaigns/${slug}/counts`, answerCounts);
    page = await context.newPage();
    await page.clock.install();
    // Paused: from here on, the page's timers fire only as advance() moves the clock.
    await page.clock.pauseAt(Date.now() + 1000);
    await page.goto(`${site}/`);
    await page.locator('tadamon-action .count').waitFor();
    await settled();
  });

  afterAll(async () => {
    await context?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('asks every 5 s at first, then twice as long after each unchanged answer, up to a minute', async () => {
    await advance(200_000);
    const waits = gaps(0);
    // The first question 5 s (+ up to 20 % spread) after the page showed the campaign's counts.
    expect(asked[0]! / 1000).toBeGreaterThanOrEqual(5);
    expect(asked[0]! / 1000).toBeLessThanOrEqual(6.5);
    expect(waits[0]).toBeGreaterThanOrEqual(10);
    expect(waits[0]).toBeLessThanOrEqual(12.5);
    expect(waits[1]).toBeGreaterThanOrEqual(20);
    expect(waits[2]).toBeGreaterThanOrEqual(40);
    for (const wait of waits.slice(3)) {
      expect(wait).toBeGreaterThanOrEqual(60);
      expect(wait).toBeLessThanOrEqual(72.5);
    }
    // A fixed 5 s would have been 40 questions.
    expect(asked.length).toBeGreaterThanOrEqual(5);
    expect(asked.length).toBeLessThanOrEqual(7);
    expect(await page.locator('tadamon-action .count').textContent()).toBe('Signatures: 785 of 1,000');
  });

  it('comes back to every 5 s as soon as the count moves, and shows it', async () => {
    let total = 785;
    next = () => ({ status: 200, total: ++total });
    const from = asked.length;
    await advance(100_000);
    const waits = gaps(from);
    expect(waits.length).toBeGreaterThanOrEqual(12);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(5);
      expect(wait).toBeLessThanOrEqual(6.5);
    }
    expect(await page.locator('tadamon-action .count').textContent()).toBe(`Signatures: ${total} of 1,000`);
  });

  it('backs off after errors, and waits at least as long as Retry-After says', async () => {
    next = () => ({ status: 503 });
    const from = asked.length;
    await advance(100_000);
    const waits = gaps(from);
    // From 5 s: 10, 20, 40 s (each + up to 20 %).
    [10, 20, 40].forEach((expected, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(expected);
      expect(waits[i]).toBeLessThanOrEqual(expected * 1.2 + 0.5);
    });

    // A lost connection counts as an error too, then a 429 that asks for two minutes.
    const fromOffline = asked.length;
    next = () => 'offline';
    await advance(120_000);
    expect(asked.length).toBeGreaterThan(fromOffline);
    const lastWait = gaps(fromOffline).at(-1);
    if (lastWait !== undefined) expect(lastWait).toBeGreaterThanOrEqual(80);

    next = () => ({ status: 429, retryAfter: '400' });
    const fromLimited = asked.length;
    await advance(300_000, 1000);
    expect(asked.length, 'the 429 was asked for').toBeGreaterThan(fromLimited);
    const limitedAt = asked[fromLimited]!;
    next = () => ({ status: 200, total: 900 });
    await advance(600_000, 1000);
    const after = asked.find((at) => at > limitedAt);
    expect(after, 'asked again after the Retry-After').toBeDefined();
    expect((after! - limitedAt) / 1000).toBeGreaterThanOrEqual(400);
  });

  it('asks nothing while its tab is hidden, and at once when it is shown again', async () => {
    next = () => ({ status: 200, total: 901 });
    await advance(70_000);
    await setVisibility(page, 'hidden');
    await settled();
    const hiddenFrom = asked.length;
    await advance(600_000, 5000);
    expect(asked.length).toBe(hiddenFrom);

    await setVisibility(page, 'visible');
    await settled();
    expect(asked.length, JSON.stringify({ asked, now })).toBe(hiddenFrom + 1);
    expect(asked.at(-1)).toBe(now);
    // The count it got was the one it showed: the next question comes after 10 s (+ up to 20 %), not 5.
    await advance(9_500);
    expect(asked.length).toBe(hiddenFrom + 1);
    await advance(3_000);
    expect(asked.length).toBe(hiddenFrom + 2);
    expect(await page.locator('tadamon-action .count').textContent()).toBe('Signatures: 901 of 1,000');
  });
});
