import { describe, expect, it } from 'vitest';
import { webhookInputSchema, webhookUrlProblem } from '#shared/domain/webhook.ts';
import type { SignatureItem } from '#shared/store/items.ts';
import { bodyOf, deliveryIds, type SourceEvent } from '#shared/webhooks/payloads.ts';

describe('webhook URLs', () => {
  it.each([
    'https://hooks.example.org/tadamon',
    'https://203.0.113.7/hook',
    'https://[2001:db8::1]/hook',
    'https://example.org:8443/a?b=c',
  ])('accepts %s on AWS', (url) => {
    expect(webhookUrlProblem(url, true)).toBeUndefined();
  });

  it.each([
    ['http://hooks.example.org/x', 'https'],
    ['https://user:secret@hooks.example.org/x', 'credentials'],
    ['https://localhost/x', 'this machine'],
    ['https://127.0.0.1/x', 'this machine'],
    ['https://[::1]/x', 'this machine'],
    ['https://10.0.0.5/x', 'private'],
    ['https://172.16.3.4/x', 'private'],
    ['https://192.168.1.1/x', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://100.64.0.1/x', 'private'],
    ['https://[fd00::1]/x', 'private'],
    ['https://[fe80::1]/x', 'private'],
    ['https://[::ffff:10.0.0.1]/x', 'private'],
    ['https://intranet/x', 'public host'],
    ['https://printer.local/x', 'public host'],
    ['https://example.org/x#frag', 'fragment'],
    ['ftp://example.org/x', 'https'],
    ['not a url', 'not a URL'],
  ])('refuses %s on AWS (%s)', (url, why) => {
    expect(webhookUrlProblem(url, true)).toContain(why);
  });

  it('allows http to the loopback host only on a laptop', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook', false)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:4000/hook', false)).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:4000/hook', true)).toContain('https');
    expect(webhookUrlProblem('http://example.org/hook', false)).toContain('https');
    expect(webhookUrlProblem('http://u:p@localhost/hook', false)).toContain('credentials');
  });

  it('takes 2 KB of URL, known events once each, and a partner id', () => {
    const ok = { url: 'https://example.org/h', events: ['SignatureConfirmed', 'CampaignClosed'], partner: 'amnesty-ma' };
    expect(webhookInputSchema.safeParse(ok).success).toBe(true);
    expect(webhookInputSchema.safeParse({ ...ok, url: `https://example.org/${'a'.repeat(2048)}` }).success).toBe(false);
    expect(webhookInputSchema.safeParse({ ...ok, events: ['SignatureConfirmed', 'SignatureConfirmed'] }).success).toBe(false);
    expect(webhookInputSchema.safeParse({ ...ok, events: ['UrgentCallIssued'] }).success).toBe(false);
    expect(webhookInputSchema.safeParse({ ...ok, partner: 'Amnesty MA' }).success).toBe(false);
    expect(webhookInputSchema.safeParse({ ...ok, secret: 'mine' }).success).toBe(false);
  });
});

describe('webhook deliveries: ids and what a body carries', () => {
  const confirmed: SourceEvent = {
    detailType: 'SignatureConfirmed',
    detail: { signatureId: '01jsig', slug: 'free-nasser-zefzafi', emailKey: 'k1', country: 'MA', confirmedAt: '2036-03-09T10:00:00.000Z' },
  };
  const signature: SignatureItem = {
    campaign: 'free-nasser-zefzafi',
    country: 'MA',
    name: 'Salma Benali',
    email: 'salma@example.org',
    postcode: '',
    comment: 'Free him',
    confirmedAt: '2036-03-09T10:00:00.000Z',
    requestedAt: '2036-03-09T09:59:00.000Z',
    locale: 'ar',
    public: false,
    subscribe: false,
    partnerConsents: { 'amnesty-ma': { at: '2036-03-09T09:59:00.000Z', text: 'Keep me informed by Amnesty Maroc', locale: 'fr' } },
  };

  it('keeps one event id per webhook and event, whoever delivers it and however often', () => {
    const a = deliveryIds('w1', confirmed);
    expect(deliveryIds('w1', { ...confirmed, detail: { ...confirmed.detail } })).toEqual(a);
    expect(deliveryIds('w2', confirmed).eventId).not.toBe(a.eventId);
    expect(a.eventId).toMatch(/^evt_[0-9a-f]{32}$/);
    const later = deliveryIds('w1', { ...confirmed, detail: { ...confirmed.detail, signatureId: '01jother', confirmedAt: '2036-03-10T00:00:00.000Z' } });
    expect(later.deliveryId > a.deliveryId).toBe(true);
  });

  it("tells the operator's own system who signed", () => {
    expect(bodyOf('evt_x', confirmed, {}, signature)).toEqual({
      id: 'evt_x',
      type: 'SignatureConfirmed',
      occurredAt: '2036-03-09T10:00:00.000Z',
      data: { campaign: 'free-nasser-zefzafi', country: 'MA', confirmedAt: '2036-03-09T10:00:00.000Z', signatureId: '01jsig', name: 'Salma Benali', email: 'salma@example.org', locale: 'ar' },
    });
  });

  it("tells a partner who signed only with that partner's consent, and the consent itself", () => {
    expect(bodyOf('evt_x', confirmed, { partner: 'amnesty-ma' }, signature).data).toEqual({
      campaign: 'free-nasser-zefzafi',
      country: 'MA',
      confirmedAt: '2036-03-09T10:00:00.000Z',
      name: 'Salma Benali',
      email: 'salma@example.org',
      consent: { partner: 'amnesty-ma', at: '2036-03-09T09:59:00.000Z', locale: 'fr', text: 'Keep me informed by Amnesty Maroc' },
    });
    const anonymous = { campaign: 'free-nasser-zefzafi', country: 'MA', confirmedAt: '2036-03-09T10:00:00.000Z' };
    expect(bodyOf('evt_x', confirmed, { partner: 'amdh-rabat' }, signature).data).toEqual(anonymous);
    // An erased signer (no signature to read) is no one, even to the operator.
    expect(bodyOf('evt_x', confirmed, {}, undefined).data).toEqual(anonymous);
    expect(bodyOf('evt_x', confirmed, { partner: 'amnesty-ma' }, { ...signature, name: '', email: '' }).data).toEqual(anonymous);
  });

  it('describes the other events by what is public of them', () => {
    expect(bodyOf('e', { detailType: 'MilestoneReached', detail: { milestoneId: 's:1000', slug: 's', threshold: 1000, kind: 'round-number', total: 1004, reachedAt: '2036-01-01T00:00:00.000Z' } }, {}, undefined).data).toEqual({
      campaign: 's',
      threshold: 1000,
      kind: 'round-number',
      total: 1004,
      reachedAt: '2036-01-01T00:00:00.000Z',
    });
    expect(bodyOf('e', { detailType: 'EndorsementApproved', detail: { endorsementId: 'e1', slug: 's', organisation: 'AMDH', country: 'MA', approvedAt: 't' } }, { partner: 'x' }, undefined).data).toEqual({
      campaign: 's',
      organisation: 'AMDH',
      country: 'MA',
      approvedAt: 't',
    });
  });
});
