import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDeliveryDocument, type DeliveryContent, type Signatory } from '#shared/delivery/delivery-document.ts';
import { pdfPages, pdfText, plain, renderFirstPage } from '#test/support/pdf-text.ts';

const screenshots = path.join(import.meta.dirname, '..', '..', '..', 'test-results', 'screenshots');
const unlimited = { maxBytes: Number.POSITIVE_INFINITY, maxMs: Number.POSITIVE_INFINITY, firstName: 1 };

/** Names served a page at a time, as the stores do. */
function pages(signatories: Signatory[], size = 1000) {
  let at = 0;
  return async () => {
    const page = signatories.slice(at, at + size);
    at += size;
    return { signatories: page, more: at < signatories.length };
  };
}

const arabic: DeliveryContent = {
  locale: 'ar',
  title: 'الحرية لمعتقلي الريف',
  target: 'وزير العدل',
  issuedBy: 'لجنة التضامن',
  letter: 'نحن الموقعين أدناه نطالب بالإفراج الفوري عن المعتقلين. مضى 1234 يومًا على اعتقالهم دون محاكمة عادلة (وفق القانون الدولي).',
  demands: ['الإفراج الفوري عن جميع المعتقلين', 'Une enquête indépendante'],
  counts: { total: 12_345, signatures: 12_000, offset: 345, byCountry: { MA: 9000, FR: 3000, TN: 0 } },
  at: new Date('2036-03-01T10:00:00Z'),
  organisations: [{ organisation: 'مركز الحقوق', country: 'MA' }, { organisation: 'Human Rights Watch', country: null }],
  names: 'public',
};

describe('the delivery document', () => {
  it('in Arabic: shaped, right to left, with the letter, demands, total, countries, organisations and names', async () => {
    const rendered = await renderDeliveryDocument(
      arabic,
      pages([
        { name: 'سلمى بنعلي', country: 'MA' },
        { name: 'Jean Dupont', country: 'FR' },
      ]),
      unlimited,
    );
    expect(rendered).toMatchObject({ names: 2, complete: true });
    expect(rendered.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = plain(pdfText(rendered.pdf));
    // Arabic words come out in logical order: the reading order survived the drawing right to left.
    for (const words of ['الحرية لمعتقلي الريف', 'وزير العدل', 'مطالبنا', 'الرسالة', 'نحن الموقعين أدناه نطالب', 'المنظمات المؤيدة', 'مركز الحقوق', 'سلمى بنعلي', 'المغرب']) {
      expect(text).toContain(plain(words));
    }
    for (const words of ['12,345', '1234', 'Une enquête indépendante', 'Human Rights Watch', 'Jean Dupont', '9,000']) expect(text).toContain(words);
    // The total's line: the number, then (reading on, to the left) the date.
    expect(text).toMatch(/12,345 ?توقيع ?ا حتى 1 ?مارس 2036/u);
    expect(text).not.toContain('تونس'); // a country with no signatures is left out
    mkdirSync(screenshots, { recursive: true });
    expect(renderFirstPage(rendered.pdf, path.join(screenshots, 'delivery-ar.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it("in the campaign's language, with all names when asked, a country table and no organisations section when there are none", async () => {
    const rendered = await renderDeliveryDocument(
      { ...arabic, locale: 'fr', title: 'Libérez les prisonniers', target: 'Ministre de la Justice', letter: 'Madame la Ministre,\n\nNous demandons leur libération.', demands: [], organisations: [], names: 'all' },
      pages([{ name: 'Élodie Martin', country: 'FR' }]),
      unlimited,
    );
    const text = plain(pdfText(rendered.pdf));
    for (const words of ['Libérez les prisonniers', 'À: Ministre de la Justice', 'Madame la Ministre,', 'Nous demandons leur libération.', 'Signatures par pays', 'Maroc', 'Élodie Martin', 'Signataires']) {
      expect(text).toContain(words);
    }
    expect(text).toMatch(/12\s345 signatures au 1 mars 2036/u);
    expect(text).not.toContain('Organisations signataires');
    expect(text).not.toContain('Nos revendications');
  });

  it('lists thousands of names over pages, and stops a part at its budget with the rest left for the next', async () => {
    const signatories = Array.from({ length: 3000 }, (_, i) => ({ name: i % 2 ? `Signer ${i}` : `موقّع ${i}`, country: i % 3 ? 'MA' : 'PS' }));
    const whole = await renderDeliveryDocument(arabic, pages(signatories), unlimited);
    expect(whole).toMatchObject({ names: 3000, complete: true });
    expect(pdfPages(whole.pdf)).toBeGreaterThan(20);
    const text = plain(pdfText(whole.pdf));
    expect(text).toContain('Signer 2999');
    expect(text).toContain(plain('موقّع 2998'));

    const part = await renderDeliveryDocument(arabic, pages(signatories), { maxBytes: 1, maxMs: Number.POSITIVE_INFINITY, firstName: 1 });
    expect(part).toMatchObject({ names: 1000, complete: false });
    const partText = plain(pdfText(part.pdf));
    expect(partText).toContain('Signer 999');
    expect(partText).not.toContain('Signer 1001');
    expect(partText).toContain('تتواصل القائمة في الجزء التالي');

    const later = await renderDeliveryDocument(arabic, pages(signatories.slice(1000)), { ...unlimited, firstName: 1001 });
    const laterText = plain(pdfText(later.pdf));
    expect(laterText).toMatch(/الموقعون ?، ?تتمة من الرقم 1,001/u);
    expect(laterText).not.toContain('الرسالة');
    expect(laterText).toContain('Signer 1001');
  });

  it('cuts a name too long for its column with an ellipsis', async () => {
    const rendered = await renderDeliveryDocument({ ...arabic, locale: 'en' }, pages([{ name: `Very ${'Long'.repeat(40)} Name`, country: 'MA' }]), unlimited);
    const text = plain(pdfText(rendered.pdf));
    expect(text).toMatch(/Very (Long)+L?o?n?…/);
    expect(text).not.toContain('Name\n');
  });
});
