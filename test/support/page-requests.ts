import type { Page } from 'playwright-core';

const markerPath = '/__requests-seen';

/**
 * Resolves once every request the page has made so far has been reported to the test's `request`
 * listeners: the page fetches a marker after them, and requests are reported in the order the page makes
 * them. A test that shows the widget sent *nothing* waits on this, not on a pause. The marker goes to the
 * widget's API origin (which the demo page's CSP allows) and is answered here: it never reaches the server,
 * and as a GET it never counts among a test's POSTs.
 */
export async function requestsSeen(page: Page): Promise<void> {
  const api = await page.locator('tadamon-action').first().getAttribute('api');
  const marker = new URL(`${markerPath}?${Math.random().toString(36).slice(2)}`, api ?? page.url()).href;
  await page.route(marker, (route) => route.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*' } }));
  const seen = page.waitForRequest(marker);
  await page.evaluate(async (url) => void (await fetch(url)), marker);
  await seen;
  await page.unroute(marker);
}
