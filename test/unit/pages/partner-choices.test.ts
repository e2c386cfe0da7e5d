import { describe, expect, it } from 'vitest';
import { formToSignature } from '#functions/http/post-campaign-form.ts';
import type { Campaign, Counts } from '#shared/domain/campaign.ts';
import { signatureRequestSchema } from '#shared/domain/signature.ts';
import { renderCampaignPage } from '#shared/pages/campaign-page.ts';
import { renderConfirmPage } from '#shared/pages/confirm-pages.ts';

const statement: Campaign = {
  slug: 'free-them-all',
  kind: 'statement',
  title: 'Free them all',
  summary: '',
  body: '',
  demands: [],
  locale: 'en',
  translations: { ar: { title: 'الحرية للجميع' } },
  countries: ['MA'],
  topics: [],
  urgent: false,
  status: 'open',
  partners: [
    { id: 'amdh', name: 'AMDH', optIn: { ar: 'أوافق على أن تراسلني الجمعية المغربية لحقوق الإنسان' } },
    { id: 'peoples-assembly', name: "International Peoples' Assembly <IPA>" },
  ],
  createdAt: '2036-01-01T00:00:00.000Z',
  updatedAt: '2036-01-01T00:00:00.000Z',
};
const counts: Counts = { signatures: 0, offset: 0, total: 0, endorsements: 0, goal: null, byCountry: {} };
const page = (locale: string, campaign: Campaign = statement) =>
  renderCampaignPage({ campaign, locale, counts, signable: true, baseUrl: 'https://tadamon.example.org' });

/** The partner boxes of a page, as [value, checked, label text]. */
function boxes(html: string): [string, boolean, string][] {
  return [...html.matchAll(/<label><input type="checkbox" name="partners" value="([^"]+)"( checked)?> ([^<]*)<\/label>/g)].map((m) => [m[1]!, m[2] !== undefined, m[3]!]);
}

describe("the campaign page's opt-in per partner organisation", () => {
  it('offers one unticked box per partner in English, each saying who would write, inside the form', () => {
    const html = page('en');
    expect(boxes(html)).toEqual([
      ['amdh', false, 'Keep me informed by AMDH'],
      ['peoples-assembly', false, "Keep me informed by International Peoples&#39; Assembly &lt;IPA&gt;"],
    ]);
    expect(html).toContain('<legend>The organisations behind this campaign</legend>');
    expect(html).toContain('Tick an organisation only if you want it to write to you.');
    const form = html.slice(html.indexOf('<form'), html.indexOf('</form>'));
    expect(form).toContain('name="partners"');
    expect(form).toContain('<input type="hidden" name="locale" value="en">');
  });

  it("speaks Arabic right to left, with the campaign's own Arabic text where it gave one and the default elsewhere", () => {
    const html = page('ar');
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(boxes(html)).toEqual([
      ['amdh', false, 'أوافق على أن تراسلني الجمعية المغربية لحقوق الإنسان'],
      ['peoples-assembly', false, 'أوافق على أن تبقيني International Peoples&#39; Assembly &lt;IPA&gt; على اطلاع'],
    ]);
    expect(html).toContain('<legend>المنظمات التي تقف وراء هذه الحملة</legend>');
    // The form says which language the boxes were shown in: the consent records that text.
    expect(html).toContain('<input type="hidden" name="locale" value="ar">');
  });

  it('offers no partner boxes on a campaign without partners', () => {
    const { partners: _partners, ...alone } = statement;
    const html = page('en', alone);
    expect(html).toContain('<form');
    expect(html).not.toContain('name="partners"');
    expect(html).not.toContain('<fieldset class="partners"');
  });

  it('sends every ticked box as partners, and no partners when none is ticked', () => {
    const ticked = new URLSearchParams('name=Amina&email=amina%40example.org&country=MA&partners=amdh&partners=peoples-assembly&locale=ar');
    expect(formToSignature(ticked)).toMatchObject({ partners: ['amdh', 'peoples-assembly'], locale: 'ar' });
    expect(signatureRequestSchema.parse(formToSignature(ticked)).partners).toEqual(['amdh', 'peoples-assembly']);
    expect(formToSignature(new URLSearchParams('name=Amina&email=amina%40example.org&country=MA'))).not.toHaveProperty('partners');
  });
});

describe('the confirm page shows the consents the click would give', () => {
  const request = (partnerConsents?: Record<string, unknown>) => ({
    action: 'signature' as const,
    confirmed: false,
    requestId: 'req_1',
    item: { name: 'Amina Benali', country: 'MA', public: false, subscribe: false, locale: 'en', ...(partnerConsents ? { partnerConsents } : {}) },
  });

  it('lists each consent in the words its box showed', () => {
    const { body } = renderConfirmPage({
      request: request({ amdh: { at: '2036-03-01T10:00:00.000Z', text: 'Keep me informed by AMDH', locale: 'en' } }),
      locale: 'en',
      campaignTitle: 'Free them all',
      action: '/confirm/t',
    });
    expect(body).toContain('<dt>You agree</dt><dd dir="auto">Keep me informed by AMDH</dd>');
  });

  it('shows no consent row when the request gave none', () => {
    const { body } = renderConfirmPage({ request: request(), locale: 'en', campaignTitle: 'Free them all', action: '/confirm/t' });
    expect(body).not.toContain('You agree');
  });
});
