import { describe, expect, it } from 'vitest';
import { campaignClosedSchema } from '#events/campaign-closed.ts';
import { endorsementApprovedSchema } from '#events/endorsement-approved.ts';
import { signatureConfirmedSchema } from '#events/signature-confirmed.ts';
import { keys } from '#shared/store/layout.ts';
import { confirmationEvent } from '#shared/streams/confirmation-events.ts';
import { toEvent } from '#shared/streams/domain-events.ts';

/** The events webhooks hear of, as the stream's readers make them from item images: ids, never an address. */
describe('events for webhooks, from the stream', () => {
  const signature = {
    ...keys.signature('free-nasser-zefzafi', 'k_emailkey'),
    type: 'signature',
    id: '01jsig',
    campaign: 'free-nasser-zefzafi',
    status: 'confirmed',
    name: 'Salma',
    email: 'salma@example.org',
    country: 'MA',
    confirmedAt: '2036-03-09T10:00:01.000Z',
  };

  it('announces a counted signature by its ids and country, never its name or address', () => {
    const event = confirmationEvent(signature);
    expect(event).toEqual({
      detailType: 'SignatureConfirmed',
      detail: { signatureId: '01jsig', slug: 'free-nasser-zefzafi', emailKey: 'k_emailkey', country: 'MA', confirmedAt: '2036-03-09T10:00:01.000Z' },
    });
    expect(signatureConfirmedSchema.safeParse(event?.detail).success).toBe(true);
    expect(JSON.stringify(event)).not.toMatch(/salma/i);
  });

  it('announces an approved endorsement by what its public listing shows', () => {
    const event = confirmationEvent({
      ...keys.endorsement('e-1'),
      type: 'endorsement',
      id: 'e-1',
      campaign: 'casablanca',
      status: 'approved',
      organisation: 'AMDH',
      country: 'MA',
      email: 'contact@amdh.example',
      decidedAt: '2036-03-09T11:00:00.000Z',
    });
    expect(event).toEqual({ detailType: 'EndorsementApproved', detail: { endorsementId: 'e-1', slug: 'casablanca', organisation: 'AMDH', country: 'MA', approvedAt: '2036-03-09T11:00:00.000Z' } });
    expect(endorsementApprovedSchema.safeParse(event?.detail).success).toBe(true);
    expect(JSON.stringify(event)).not.toContain('contact@');
  });

  it('announces nothing for a signature still waiting for its link, or erased', () => {
    expect(confirmationEvent({ ...signature, status: 'pending' })).toBeUndefined();
    expect(confirmationEvent({ ...signature, status: 'erased' })).toBeUndefined();
    expect(confirmationEvent({ ...signature, type: 'subscriber' })).toBeUndefined();
  });

  const campaign = (status: string, more: Record<string, unknown> = {}) => ({
    ...keys.campaign('rif'),
    type: 'campaign',
    slug: 'rif',
    kind: 'petition',
    title: 'Free the Rif detainees',
    status,
    createdAt: '2036-01-01T00:00:00.000Z',
    updatedAt: '2036-04-01T00:00:00.000Z',
    ...more,
  });

  it('puts CampaignClosed once, when a campaign closes', () => {
    const closed = toEvent(campaign('closed', { closedAt: '2036-04-01T00:00:00.000Z' }), campaign('open'));
    expect(closed).toEqual({ detailType: 'CampaignClosed', detail: { slug: 'rif', kind: 'petition', title: 'Free the Rif detainees', closedAt: '2036-04-01T00:00:00.000Z' } });
    expect(campaignClosedSchema.safeParse(closed?.detail).success).toBe(true);
    // An edit of a closed campaign is no new closing.
    expect(toEvent(campaign('closed'), campaign('closed'))).toBeUndefined();
    expect(toEvent(campaign('open'), campaign('closed'))?.detailType).toBe('CampaignPublished');
  });
});
