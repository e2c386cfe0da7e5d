import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { statsSection } from '#shared/charts/stats-section.ts';

describe("the campaign page's pictures of its numbers", () => {
  it('holds both pictures, a caption in words and a table of every number, in the reader language', () => {
    const html = statsSection({ interval: 'day', series: [{ at: '2036-03-01T00:00:00.000Z', signatures: 7 }], byCountry: { MA: 7 } }, 'ar');
    expect(XMLValidator.validate(`<div>${html}</div>`)).toBe(true);
    expect(html.match(/role="img"/g)).toHaveLength(2);
    expect(html).toContain('<h2 id="stats-heading">التوقيعات عبر الزمن</h2>');
    expect(html).toContain('<figcaption>7 توقيعًا');
    expect(html).toContain('<details><summary>جميع الأرقام يومًا بيوم</summary><table>');
  });

  it('is left out while there is nothing to show', () => {
    expect(statsSection({ interval: 'day', series: [{ at: '2036-03-01T00:00:00.000Z', signatures: 0 }], byCountry: {} }, 'en')).toBe('');
  });
});
