import { readdir, readFile } from 'node:fs/promises';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { campaignPublishedSchema } from '#events/campaign-published.ts';
import { milestoneReachedSchema } from '#events/milestone-reached.ts';
import { outreachRequestedSchema } from '#events/outreach.ts';
import { reconciliationDueSchema } from '#events/reconciliation-due.ts';
import { sesFeedbackSchema } from '#events/ses-feedback.ts';
import { signatureSubmittedSchema } from '#events/signature-submitted.ts';
import { campaignClosedSchema } from '#events/campaign-closed.ts';
import { endorsementApprovedSchema } from '#events/endorsement-approved.ts';
import { signatureConfirmedSchema } from '#events/signature-confirmed.ts';
import { webhookDeliverySchema } from '#events/webhook-delivery.ts';
import { resetConfig } from '#shared/config.ts';
import { logger } from '#shared/observability.ts';
import { isSuppressed } from '#shared/store/outreach-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';
import { campaignInputSchema } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { keys } from '#shared/store/table.ts';
import { item } from '#test/support/table-contents.ts';
import { useTestTable } from '#test/support/test-table.ts';

const sent = vi.hoisted(() => [] as { to: string; subject: string; text?: string }[]);
vi.mock('#shared/mail/mailer.ts', () => ({ sendMail: (mail: { to: string; subject: string; text?: string }) => Promise.resolve(void sent.push(mail)) }));
const { handler: notifyOperators } = await import('#functions/events/notify-operators.ts');
const { handler: planOutreach } = await import('#functions/events/plan-outreach.ts');
const { handler: suppressAddresses } = await import('#functions/events/suppress-addresses.ts');
const { handler: recordSubmittedSignature } = await import('#functions/events/record-submitted-signature.ts');
const { handler: signWebhookDeliveries } = await import('#functions/events/sign-webhook-deliveries.ts');

type BusEvent = EventBridgeEvent<string, unknown>;
const samplesDir = new URL('../../events/samples/', import.meta.url);
const sample = async (file: string) => JSON.parse(await readFile(new URL(file, samplesDir), 'utf8')) as BusEvent;

/** Every sample, by the contract its detail type has: a sample with none fails the first test. */
const contracts: Record<string, z.ZodType> = {
  'campaign-published.json': campaignPublishedSchema,
  'milestone-reached.json': milestoneReachedSchema,
  'urgent-call-issued.json': outreachRequestedSchema,
  'campaign-reconciliation-due.json': reconciliationDueSchema,
  'email-bounced.json': sesFeedbackSchema,
  'email-complaint-received.json': sesFeedbackSchema,
  'signature-submitted.json': signatureSubmittedSchema,
  'signature-confirmed.json': signatureConfirmedSchema,
  'endorsement-approved.json': endorsementApprovedSchema,
  'campaign-closed.json': campaignClosedSchema,
  'webhook-delivery.json': webhookDeliverySchema,
};

describe('events/samples: each sample is a valid event of its contract, and its consumer handles it', () => {
  beforeAll(async () => {
    await useTestTable('event-samples');
  });

  afterEach(() => {
    sent.length = 0;
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    resetConfig();
  });

  it('every sample parses with its detail type’s schema', async () => {
    expect((await readdir(samplesDir)).sort()).toEqual(Object.keys(contracts).sort());
    for (const [file, schema] of Object.entries(contracts)) {
      const event = await sample(file);
      expect(schema.safeParse(event.detail).success, file).toBe(true);
    }
  });

  it('CampaignPublished (consumed by no function yet): the event wrapper hands on the detail as published', async () => {
    const event = await sample('campaign-published.json');
    expect(await eventHandler(campaignPublishedSchema, async (detail) => detail)(event)).toEqual(event.detail);
  });

  it('MilestoneReached: NotifyOperators mails the operators once, however often the event is delivered', async () => {
    vi.stubEnv('OPERATOR_EMAIL', 'operators@example.org');
    resetConfig();
    const event = await sample('milestone-reached.json');
    expect(await notifyOperators(event)).toEqual({ notified: true });
    expect(await notifyOperators(event)).toEqual({ notified: false });
    expect(sent.map((mail) => mail.to)).toEqual(['operators@example.org']);
    expect(sent[0]?.subject).toContain('passed 1,000 signatures');
  });

  it('UrgentCallIssued: PlanOutreach takes the detail (an outreach this table does not hold plans nobody)', async () => {
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const event = await sample('urgent-call-issued.json');
    expect(await planOutreach(event)).toEqual({ recipients: 0 });
    expect(warned).toHaveBeenCalledWith('outreach to plan does not exist', { outreachId: '01kbx5t6y8z9a0b1c2d3e4f5g6' });
  });

  it('Email Bounced and Email Complaint Received: SuppressAddresses puts the address on the suppression list', async () => {
    expect(await isSuppressed(emailKey('gone@example.org'))).toBe(false);
    expect(await suppressAddresses(await sample('email-bounced.json'))).toEqual({ suppressed: 1 });
    expect(await isSuppressed(emailKey('gone@example.org'))).toBe(true);
    expect(await suppressAddresses(await sample('email-complaint-received.json'))).toEqual({ suppressed: 1 });
    expect(await isSuppressed(emailKey('annoyed@example.org'))).toBe(true);
  });

  it('SignatureSubmitted: RecordSubmittedSignature records a pending signature once, its source the sending account', async () => {
    const event = await sample('signature-submitted.json');
    const slug = (event.detail as { slug: string }).slug;
    await createCampaign(campaignInputSchema.parse({ kind: 'petition', title: 'Free Nasser Zefzafi', slug }), { status: 'open' });
    expect(await recordSubmittedSignature(event)).toEqual({ outcome: 'recorded' });
    expect(await recordSubmittedSignature(event)).toEqual({ outcome: 'duplicate' });
    expect(await item(keys.signature(slug, emailKey('amina@example.org')))).toMatchObject({
      status: 'pending',
      source: { utm_campaign: 'vigil-rabat', account: '111122223333' },
    });
  });

  it('SignatureConfirmed, EndorsementApproved, MilestoneReached, CampaignPublished, CampaignClosed: SignWebhookDeliveries takes each (no webhook here asks for it)', async () => {
    for (const file of ['signature-confirmed.json', 'endorsement-approved.json', 'milestone-reached.json', 'campaign-published.json', 'campaign-closed.json']) {
      expect(await signWebhookDeliveries(await sample(file)), file).toEqual({ sent: 0, skipped: 0 });
    }
    const broken = await sample('signature-confirmed.json');
    expect(await signWebhookDeliveries({ ...broken, detail: { slug: 'x' } })).toEqual({ dropped: 'malformed-detail' });
  });

  it('a sample with its detail broken is dropped by each consumer, not retried, and changes nothing', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    vi.stubEnv('OPERATOR_EMAIL', 'operators@example.org');
    resetConfig();
    const broken = async (file: string, detail: Record<string, unknown>) => ({ ...(await sample(file)), detail });
    const milestone = await sample('milestone-reached.json');
    expect(await notifyOperators(await broken('milestone-reached.json', { ...(milestone.detail as object), threshold: 'a thousand' }))).toEqual({ dropped: 'malformed-detail' });
    expect(await planOutreach(await broken('urgent-call-issued.json', { kind: 'urgent-call' }))).toEqual({ dropped: 'malformed-detail' });
    expect(await suppressAddresses(await broken('email-bounced.json', { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'kept@example.org' }] } }))).toEqual({
      dropped: 'malformed-detail',
    });
    expect(await recordSubmittedSignature(await broken('signature-submitted.json', { slug: 'free-nasser-zefzafi', email: 'kept@example.org', captchaToken: 'x' }))).toEqual({
      dropped: 'malformed-detail',
    });
    expect(sent).toEqual([]);
    expect(await isSuppressed(emailKey('kept@example.org'))).toBe(false);
  });
});
