import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { widgetStrings } from '#shared/i18n/strings/widget.ts';

/**
 * The widget is one script other sites load: one immediately invoked function that needs nothing else, small
 * enough for a phone on a slow connection. Its strings come from shared/i18n and are bundled in.
 */
describe('the widget script', () => {
  it('is one dependency-free IIFE, with the strings of every locale, within its size budget', async () => {
    // widget/ has no import alias: it is built, never imported by the application.
    const { buildWidget } = (await import(new URL('../../../widget/build.ts', import.meta.url).href)) as { buildWidget: () => Promise<string> };
    const script = await buildWidget();
    expect(script).toMatch(/^(?:"use strict";)?\(\(\)=>\{/);
    expect(script).not.toMatch(/\brequire\(|\bimport\(|^import |\bexport\b/m);
    // Nothing of the server's validation library: the widget repeats the few rules it needs.
    expect(script).not.toMatch(/zod|ZodError/);
    for (const strings of Object.values(widgetStrings)) {
      expect(script).toContain(strings.endorseSubmit);
      expect(script).toContain(strings.captchaUnavailable);
    }
    // 12.9 KB gzipped when the budget was set: room for a few more strings, not for a dependency.
    expect(gzipSync(script).length).toBeLessThan(16 * 1024);
  });
});
