import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsSection } from '#shared/charts/stats-section.ts';
import { renderPage } from '#shared/pages/layout.ts';
import { launchChromium } from '#test/support/chromium.ts';

/**
 * The pictures of a campaign's numbers as the campaign page shows them, in a real browser, in English and in
 * Arabic: axe-core finds nothing serious, the accessible names and descriptions are there, and the picture
 * goes into test-results/screenshots/.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const profileDir = mkdtempSync(path.join(tmpdir(), 'tadamon-chromium-'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');
let browser: BrowserContext;

const stats = {
  interval: 'day' as const,
  series: Array.from({ length: 20 }, (_, i) => ({ at: new Date(Date.UTC(2036, 2, 1 + i)).toISOString(), signatures: [120, 80, 300, 1480, 900, 400][i % 6]! })),
  byCountry: { MA: 9000, FR: 2100, TN: 800, PS: 400, ES: 90, BE: 12 },
};

describe('the stats pictures on a page, in a browser', () => {
  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium(profileDir);
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  for (const locale of ['en', 'ar']) {
    it(`is accessible and named (${locale})`, async () => {
      const page = await browser.newPage();
      await page.setContent(renderPage({ locale, title: 'Stats', body: `<section>${statsSection(stats, locale)}</section>` }));
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe;
        return (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact }));
      });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      const images = page.getByRole('img');
      expect(await images.count()).toBe(2);
      const description = await images.first().evaluate((svg) => document.getElementById(svg.getAttribute('aria-labelledby')!.split(' ')[1]!)?.textContent);
      expect(description).toContain(locale === 'ar' ? 'توقيعًا' : 'signatures from');
      // Right to left, the country names stand at the right, inside the picture.
      const box = await page.locator('#stats-countries-title').evaluate((title) => {
        const label = title.parentElement!.querySelector('g text')!.getBoundingClientRect();
        const svg = title.parentElement!.getBoundingClientRect();
        return { labelLeft: label.left - svg.left, labelRight: svg.right - label.right, width: svg.width };
      });
      expect(box.labelLeft).toBeGreaterThanOrEqual(0);
      expect(box.labelRight).toBeGreaterThanOrEqual(0);
      if (locale === 'ar') expect(box.labelRight).toBeLessThan(box.width / 4);
      else expect(box.labelLeft).toBeLessThan(box.width / 4);
      await page.screenshot({ path: path.join(screenshots, `stats-${locale}.png`), fullPage: true });
      await page.close();
    });
  }
});
