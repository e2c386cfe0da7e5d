import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutreachRequested } from '#events/outreach.ts';
import { handler as plan } from '#functions/events/plan-outreach.ts';
import { handler as sendOutreach } from '#functions/queues/send-outreach.ts';
import { handler as startDue } from '#functions/schedules/start-due-outreach.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { partitions } from '#shared/store/layout.ts';
import { cancelOutreach, findOutreach, listOutreach, outreachStatus } from '#shared/store/outreach-store.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription, findSubscriber, subscribe } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { issueUrgentCall } from '#shared/use-cases/outreach-requests.ts';
import { sqsEvent } from '#test/support/mail-queues.ts';
import { useTestTable } from '#test/support/test-table.ts';

const ses = mockClient(SESClient);
const eventBridge = mockClient(EventBridgeClient);
const campaignInput = { kind: 'petition' as const, summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: true };
const en = { subject: 'Act now', message: 'Write to the minister today.' };
const fr = { subject: 'Agissez maintenant', message: 'Écrivez au ministre aujourd’hui.' };

async function subscriber(email: string, locale?: string, preferences: { urgent?: boolean } = {}) {
  await subscribe({ email, ...(locale ? { locale } : {}), urgent: preferences.urgent ?? true, digest: 'weekly', countries: [], topics: [] });
  await confirmSubscription(keys.subscriber(emailKey(email)));
}

const planned = (outreachId: string) => ({ detail: { outreachId, kind: 'urgent-call' } }) as EventBridgeEvent<string, OutreachRequested>;

/** The keys of an outreach's deliveries, as the router would forward them to the bulk-mail queue. */
async function deliveryKeys(outreachId: string): Promise<string[]> {
  const results = await Promise.all(
    partitions.allDeliveries(outreachId).map((pk) =>
      db().send(new QueryCommand({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': pk } })),
    ),
  );
  return results.flatMap((result) => (result.Items ?? []).map((item) => String(item.subscriberKey)));
}

const messagesFor = (outreachId: string, emailKeys: string[]) => sqsEvent(emailKeys.map((key) => ({ outreachId, emailKey: key })));

/** Quoted-printable undone, so a test reads the words a reader sees. */
function readable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** An RFC 2047 subject undone (nodemailer writes non-ASCII subjects as Q or B words). */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)$/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?(.*?)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

/** Sent mail: to, subject and the readable message. */
function sent(): { to: string; subject: string; text: string }[] {
  return ses.commandCalls(SendRawEmailCommand).map((call) => {
    const raw = Buffer.from(call.args[0].input.RawMessage?.Data ?? []).toString();
    return { to: /^To: (.*)$/m.exec(raw)?.[1] ?? '', subject: subjectOf(raw), text: readable(raw) };
  });
}

async function itemCount(): Promise<number> {
  const result = await db().send(new ScanCommand({ TableName: tableName(), Select: 'COUNT' }));
  return result.Count ?? 0;
}

describe('urgent calls in every language, checked before they are sent', () => {
  let campaign: Campaign;

  beforeEach(async () => {
    await useTestTable('urgent-options');
    process.env.SES_RATE_PER_SECOND = '1000';
    process.env.AWS_ENDPOINT_URL_SES = 'http://127.0.0.1:9';
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = 'http://127.0.0.1:9';
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm' });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    campaign = await createCampaign({ ...campaignInput, title: 'Free the Rif detainees' }, { status: 'open' });
    await subscriber('amina@example.org', 'fr-MA');
    await subscriber('john@example.org', 'en');
    await subscriber('layla@example.org', 'ar');
    await subscriber('nobody-said@example.org');
    await subscriber('digest-only@example.org', 'fr', { urgent: false });
  });
  afterEach(() => {
    ses.reset();
    eventBridge.reset();
    vi.useRealTimers();
  });

  it('counts the audience by language in a dry run, and records nothing', async () => {
    const before = await itemCount();
    const outcome = await issueUrgentCall(campaign, { messages: { en, fr }, dryRun: true }, 'operator');
    expect(outcome).toEqual({ dryRun: true, audience: 4, byLocale: { fr: 1, en: 3 } });
    expect(await itemCount()).toBe(before);
    expect((await listOutreach({ limit: 10 })).items).toEqual([]);
  });

  it('sends each subscriber their language, or the campaign’s when theirs is missing, once', async () => {
    const outcome = await issueUrgentCall(campaign, { messages: { en, fr } }, 'operator');
    if (outcome.dryRun) throw new Error('not a dry run');
    expect(await plan(planned(outcome.outreachId))).toEqual({ recipients: 4 });
    const messages = messagesFor(outcome.outreachId, await deliveryKeys(outcome.outreachId));
    await sendOutreach(messages);
    await sendOutreach(messages);
    const byAddress = Object.fromEntries(sent().map((mail) => [mail.to, mail]));
    expect(Object.keys(byAddress).sort()).toEqual(['amina@example.org', 'john@example.org', 'layla@example.org', 'nobody-said@example.org']);
    expect(sent()).toHaveLength(4);
    expect(byAddress['amina@example.org']?.subject).toBe('Agissez maintenant');
    expect(byAddress['amina@example.org']?.text).toContain('Écrivez au ministre aujourd’hui.');
    expect(byAddress['amina@example.org']?.text).toContain('Appel urgent');
    // Arabic has no version: the campaign's language, the whole mail in it (no right-to-left frame around English).
    expect(byAddress['layla@example.org']?.subject).toBe('Act now');
    expect(byAddress['layla@example.org']?.text).toContain('Write to the minister today.');
    expect(byAddress['layla@example.org']?.text).not.toContain('dir="rtl"');
    expect(byAddress['nobody-said@example.org']?.subject).toBe('Act now');
    expect(await outreachStatus(outcome.outreachId)).toMatchObject({ status: 'done', sent: 4, locales: ['en', 'fr'], subject: 'Act now' });
  });

  it('sends a test of every version to the test addresses only, touching no subscriber, and the real call still reaches everyone', async () => {
    const test = await issueUrgentCall(campaign, { messages: { en, fr }, testTo: ['amina@example.org', 'desk@example.org'] }, 'operator');
    if (test.dryRun) throw new Error('not a dry run');
    expect(await plan(planned(test.outreachId))).toEqual({ recipients: 4 });
    await sendOutreach(messagesFor(test.outreachId, await deliveryKeys(test.outreachId)));
    const tests = sent().map((mail) => `${mail.to} ${mail.subject}`).sort();
    expect(tests).toEqual([
      'amina@example.org [ESSAI] Agissez maintenant',
      'amina@example.org [TEST] Act now',
      'desk@example.org [ESSAI] Agissez maintenant',
      'desk@example.org [TEST] Act now',
    ]);
    expect(await outreachStatus(test.outreachId)).toMatchObject({ test: true, status: 'done', sent: 4 });
    // Who asked and how many addresses stay on record; the addresses themselves do not outlive the send.
    expect(await findOutreach(test.outreachId)).toMatchObject({ requestedBy: 'operator', testAddresses: 2 });
    expect((await findOutreach(test.outreachId))?.testTo).toBeUndefined();
    // No subscriber changed, nobody else was mailed, and no one's "once per outreach" marker was used.
    expect((await findSubscriber(emailKey('john@example.org')))?.status).toBe('confirmed');
    ses.resetHistory();

    const real = await issueUrgentCall(campaign, { messages: { en, fr } }, 'operator');
    if (real.dryRun) throw new Error('not a dry run');
    await plan(planned(real.outreachId));
    await sendOutreach(messagesFor(real.outreachId, await deliveryKeys(real.outreachId)));
    expect(sent().map((mail) => mail.to).sort()).toEqual(['amina@example.org', 'john@example.org', 'layla@example.org', 'nobody-said@example.org']);
    expect(sent().every((mail) => !/\[(TEST|ESSAI)\]/.test(mail.subject))).toBe(true);
  });

  it('keeps a scheduled call until its time, starts it once, and never starts a cancelled one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-03-01T08:00:00Z'));
    const later = await issueUrgentCall(campaign, { ...en, sendAt: '2036-03-01T09:00:00Z' }, 'operator');
    const cancelled = await issueUrgentCall(campaign, { ...en, sendAt: '2036-03-01T09:00:00Z' }, 'operator');
    if (later.dryRun || cancelled.dryRun) throw new Error('not a dry run');
    expect(await outreachStatus(later.outreachId)).toMatchObject({ status: 'scheduled', sendAt: '2036-03-01T09:00:00.000Z' });
    // Its event, if one came early, plans nothing.
    expect(await plan(planned(later.outreachId))).toEqual({ recipients: 0 });
    expect(await startDue()).toEqual({ started: [] });
    expect((await cancelOutreach(cancelled.outreachId, 'operator')).status).toBe('cancelled');

    vi.setSystemTime(new Date('2036-03-01T09:00:30Z'));
    expect(await startDue()).toEqual({ started: [later.outreachId] });
    expect(await startDue()).toEqual({ started: [] });
    const put = eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    expect(put.map((entry) => [entry.DetailType, JSON.parse(entry.Detail ?? '{}').outreachId])).toEqual([['UrgentCallIssued', later.outreachId]]);
    expect(await outreachStatus(later.outreachId)).toMatchObject({ status: 'queued' });
    expect(await plan(planned(later.outreachId))).toEqual({ recipients: 4 });
    expect(await outreachStatus(cancelled.outreachId)).toMatchObject({ status: 'cancelled', recipients: 0, sent: 0 });
  });

  it('refuses a time that has passed, two forms at once, and more than five test addresses, recording nothing', async () => {
    const before = await itemCount();
    await expect(issueUrgentCall(campaign, { ...en, sendAt: '2020-01-01T00:00:00Z' }, 'operator')).rejects.toThrow(/send time/);
    await expect(issueUrgentCall(campaign, { ...en, messages: { fr } }, 'operator')).rejects.toThrow(/not valid/);
    await expect(issueUrgentCall(campaign, { messages: { fr } }, 'operator')).rejects.toThrow(/not valid/);
    const six = ['1', '2', '3', '4', '5', '6'].map((n) => `t${n}@example.org`);
    await expect(issueUrgentCall(campaign, { ...en, testTo: six }, 'operator')).rejects.toThrow(/test addresses/);
    expect(await itemCount()).toBe(before);
  });

  it('stops a running call: what was sent stays sent, the rest is skipped and counted, whatever is delivered again', async () => {
    const outcome = await issueUrgentCall(campaign, en, 'operator');
    if (outcome.dryRun) throw new Error('not a dry run');
    await plan(planned(outcome.outreachId));
    const [first, ...rest] = await deliveryKeys(outcome.outreachId);
    await sendOutreach(messagesFor(outcome.outreachId, [first!]));
    expect((await cancelOutreach(outcome.outreachId, 'operator')).status).toBe('cancelled');
    await sendOutreach(messagesFor(outcome.outreachId, [first!, ...rest]));
    await sendOutreach(messagesFor(outcome.outreachId, rest));
    expect(sent()).toHaveLength(1);
    expect(await outreachStatus(outcome.outreachId)).toMatchObject({ status: 'cancelled', recipients: 4, sent: 1, skipped: 3 });
    // Cancelling again changes nothing.
    expect(await cancelOutreach(outcome.outreachId, 'operator')).toMatchObject({ status: 'cancelled', skipped: 3 });
  });

  it('will not cancel a call sent in full, nor one that does not exist', async () => {
    const outcome = await issueUrgentCall(campaign, en, 'operator');
    if (outcome.dryRun) throw new Error('not a dry run');
    await plan(planned(outcome.outreachId));
    await sendOutreach(messagesFor(outcome.outreachId, await deliveryKeys(outcome.outreachId)));
    await expect(cancelOutreach(outcome.outreachId, 'operator')).rejects.toThrow(/sent in full/);
    await expect(cancelOutreach('no-such-outreach', 'operator')).rejects.toThrow(/no outreach/);
  });

  it('lists every outreach newest first, scheduled ones included, a page at a time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const ids: string[] = [];
    for (const [i, at] of ['2036-03-01T08:00:00Z', '2036-03-01T08:01:00Z', '2036-03-01T08:02:00Z'].entries()) {
      vi.setSystemTime(new Date(at));
      const outcome = await issueUrgentCall(campaign, i === 2 ? { ...en, sendAt: '2036-03-02T08:00:00Z' } : en, 'operator');
      if (outcome.dryRun) throw new Error('not a dry run');
      ids.push(outcome.outreachId);
    }
    const first = await listOutreach({ limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({ status: 'scheduled', campaign: campaign.slug, subject: 'Act now' });
    const second = await listOutreach({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });
});
