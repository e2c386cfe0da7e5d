import type { Page } from 'playwright-core';

/**
 * The tab hidden or shown, as far as the page can tell (document.visibilityState, document.hidden and the
 * visibilitychange event): headless Chromium has no window to hide.
 */
export async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}
