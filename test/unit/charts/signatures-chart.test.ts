import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { describeSeries, signaturesChartSvg, signaturesTable, topCountries, topCountriesSvg } from '#shared/charts/signatures-chart.ts';

const series = [
  { at: '2036-03-01T00:00:00.000Z', signatures: 120 },
  { at: '2036-03-02T00:00:00.000Z', signatures: 0 },
  { at: '2036-03-03T00:00:00.000Z', signatures: 1480 },
  { at: '2036-03-04T00:00:00.000Z', signatures: 400 },
];

type Node = Record<string, unknown>;
const parse = (svg: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg) as { svg: Node & { g: Node } };

/** The x of each point of a path's "M x,y L x,y …" (curves keep their points as the ends of segments). */
function firstAndLastX(path: string): [number, number] {
  const numbers = [...path.matchAll(/-?\d+(?:\.\d+)?/g)].map((match) => Number(match[0]));
  return [numbers[0]!, numbers.at(-2)!];
}

describe('signatures over time as a picture', () => {
  it('is an image named by its title and described by the numbers that matter', () => {
    const svg = signaturesChartSvg(series, { locale: 'en', id: 'chart' });
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = parse(svg).svg;
    expect(root.role).toBe('img');
    expect(root['aria-labelledby']).toBe('chart-title chart-desc');
    expect(root.title).toMatchObject({ id: 'chart-title', '#text': 'Signatures over time' });
    expect(root.desc).toMatchObject({ id: 'chart-desc', '#text': '2,000 signatures from 1 Mar 2036 to 4 Mar 2036; the most, 1,480, on 3 Mar 2036.' });
    expect(root.g['aria-hidden']).toBe('true');
  });

  it('runs time from left to right, and from right to left in Arabic, with Arabic labels', () => {
    const line = (svg: string) => (parse(svg).svg.g.path as Node[])[1]!.d as string;
    const [ltrStart, ltrEnd] = firstAndLastX(line(signaturesChartSvg(series, { locale: 'en' })));
    expect(ltrStart).toBeLessThan(ltrEnd);
    const arabic = signaturesChartSvg(series, { locale: 'ar' });
    const [rtlStart, rtlEnd] = firstAndLastX(line(arabic));
    expect(rtlStart).toBeGreaterThan(rtlEnd);
    const timeLabels = (parse(arabic).svg.g.text as Node[]).filter((text) => text.direction === 'rtl');
    expect(timeLabels.length).toBeGreaterThan(1);
    expect(arabic).toContain('<title id="signatures-chart-title">التوقيعات عبر الزمن</title>');
    expect(arabic).toContain('مارس');
  });

  it('says so when there is nothing to draw, and escapes what it is given', () => {
    const svg = signaturesChartSvg([], { locale: 'fr', title: 'Libérez <Nasser> & les autres' });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('Libérez &lt;Nasser&gt; &amp; les autres');
    expect(describeSeries([], 'fr')).toBe('Pas encore de signature.');
    expect(svg).not.toContain('<path');
  });

  it('has a table of every bucket with signatures, as a text alternative', () => {
    const table = signaturesTable(series, { locale: 'fr', interval: 'day' });
    expect(XMLValidator.validate(table)).toBe(true);
    expect(table).toContain('<th scope="row">3 mars 2036</th><td>1\u202f480</td>');
    expect(table).not.toContain('2 mars');
  });
});

describe('the top countries as a bar list', () => {
  const byCountry = { MA: 900, FR: 300, TN: 300, ES: 10, BE: 5, DE: 1, XX: 0 };

  it('lists the most first, ties by code, at most five', () => {
    expect(topCountries(byCountry).map((row) => row.country)).toEqual(['MA', 'FR', 'TN', 'ES', 'BE']);
  });

  it('draws bars in proportion, with the numbers written, and says them in words', () => {
    const svg = topCountriesSvg(byCountry, { locale: 'en' });
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = parse(svg).svg;
    const widths = (root.g.rect as Node[]).map((rect) => Number(rect.width));
    expect(widths[0]! / widths[1]!).toBeCloseTo(3, 1);
    expect(root.desc).toMatchObject({ '#text': 'Signatures by country: Morocco 900, France 300, Tunisia 300, Spain 10, Belgium 5.' });
  });

  it('in Arabic: country names in Arabic, bars growing from the right', () => {
    const svg = topCountriesSvg(byCountry, { locale: 'ar' });
    expect(svg).toContain('المغرب');
    const rects = parse(svg).svg.g.rect as Node[];
    const ends = rects.map((rect) => Number(rect.x) + Number(rect.width));
    expect(new Set(ends).size).toBe(1); // every bar ends at the same place on the right
  });
});
