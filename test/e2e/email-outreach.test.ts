import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient, startDynamoDbLocal, type RunningDynamo } from '#infra/local/dynamodb-local.ts';
import { eventually, startLocalProcess, type LocalProcess } from '#test/support/local-process.ts';
import { stackRequests } from '#test/support/stack-requests.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tadamon-outreach-'));
const tableName = 'outreach-e2e';
let stack: LocalProcess;
// The runtime's table, in a DynamoDB Local of the test's own: what the bus's consumers did can be read back.
let dynamo: RunningDynamo;

const { api, post, operator, mailsTo } = stackRequests(() => stack);

async function confirmFirstLink(address: string): Promise<void> {
  const [mail] = await eventually(async () => {
    const found = await mailsTo(address);
    return found.length ? found : undefined;
  });
  const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail?.body.text ?? '')?.[1];
  expect((await api(`/confirm/${token}`, { method: 'POST' })).status).toBe(200);
}

async function finishedOutreach(id: string) {
  return eventually(async () => {
    const status = (await (await operator(`/admin/outreach/${id}`)).json()) as { status: string; recipients: number; sent: number; failed: number; skipped: number };
    return status.status === 'done' ? status : undefined;
  }, 20_000);
}

/** How many addresses are on the suppression list. */
async function suppressions(): Promise<number> {
  const client = localClient(dynamo.endpoint);
  try {
    const result = await client.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'begins_with(pk, :suppression)', ExpressionAttributeValues: { ':suppression': { S: 'SUPPRESSION#' } }, ConsistentRead: true }),
    );
    return result.Count ?? 0;
  } finally {
    client.destroy();
  }
}

async function urgentCall(slug: string, subject: string): Promise<string> {
  const response = await operator(`/admin/campaigns/${slug}/urgent-calls`, 'POST', { subject, message: 'Write to the embassy today.\nEvery letter counts.' });
  expect(response.status).toBe(202);
  return ((await response.json()) as { outreachId: string }).outreachId;
}

describe('subscribers get urgent calls and digests, once, and can leave with one click', () => {
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal(undefined);
    stack = await startLocalProcess({ DATA_DIR: dataDir, DEMO_DATA: '1', SES_RATE_PER_SECOND: '50', AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: tableName });
  });

  afterAll(async () => {
    await stack?.stop();
    await dynamo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reaches matching confirmed subscribers, in the language the call is written in, and stops at one click', async () => {
    expect((await post('/subscriptions', { email: 'amal@example.org', name: 'Amal', locale: 'ar', countries: ['MA'] })).status).toBe(202);
    expect((await post('/subscriptions', { email: 'deniz@example.org', countries: ['TR'] })).status).toBe(202);
    expect((await post('/subscriptions', { email: 'unconfirmed@example.org' })).status).toBe(202);
    expect((await post('/subscriptions', { email: 'not-an-address' })).status).toBe(400);
    await confirmFirstLink('amal@example.org');
    await confirmFirstLink('deniz@example.org');

    const first = await finishedOutreach(await urgentCall('free-nasser-zefzafi', 'Nasser is on hunger strike'));
    expect(first).toMatchObject({ recipients: 1, sent: 1, failed: 0 });
    const [call] = await mailsTo('amal@example.org', /hunger strike/);
    expect(call).toBeDefined();
    expect(await mailsTo('deniz@example.org', /hunger strike/)).toEqual([]);
    expect(await mailsTo('unconfirmed@example.org', /hunger strike/)).toEqual([]);
    // A call written only in the campaign's language reaches an Arabic reader whole in that language, never
    // English text inside Arabic headers (versions per language: urgent-call-languages.test.ts).
    expect(call?.body.html).toContain('<html lang="en" dir="ltr">');
    expect(call?.body.html).not.toContain('dir="rtl"');

    const token = /\/unsubscribe\/([A-Za-z0-9_.-]+)/.exec(call?.body.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect(call?.body.html).toContain(`/unsubscribe/${token}`);
    const page = await api(`/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const oneClick = await api(`/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect((await api('/unsubscribe/forged.token', { method: 'POST' })).status).toBe(404);

    const second = await finishedOutreach(await urgentCall('free-nasser-zefzafi', 'Second call'));
    expect(second.recipients).toBe(0);
    expect(await mailsTo('amal@example.org', /Second call/)).toEqual([]);
  });

  it('sends a period’s digest once per reader, however often it is asked for', async () => {
    expect((await post('/subscriptions', { email: 'reader@example.org', urgent: false, digest: 'weekly' })).status).toBe(202);
    await confirmFirstLink('reader@example.org');
    const asked = await Promise.all([operator('/admin/digests', 'POST', { period: '2026-W40' }), operator('/admin/digests', 'POST', { period: '2026-W40' })]);
    const ids = await Promise.all(asked.map(async (r) => ((await r.json()) as { outreachId: string }).outreachId));
    expect(ids[0]).toBe(ids[1]);
    await finishedOutreach(ids[0]!);
    const [digest] = await eventually(async () => {
      const found = await mailsTo('reader@example.org', /digest/i);
      return found.length > 0 ? found : undefined;
    });
    const again = await operator('/admin/digests', 'POST', { period: '2026-W40' });
    expect(((await again.json()) as { outreachId: string }).outreachId).toBe(ids[0]);
    // A later period, asked for after the repeat, marks how far the mailing got: once its digest is in the
    // inbox, a second one for 2026-W40 would be too.
    const marker = ((await (await operator('/admin/digests', 'POST', { period: '2026-W42' })).json()) as { outreachId: string }).outreachId;
    await finishedOutreach(marker);
    await eventually(async () => ((await mailsTo('reader@example.org', /digest/i)).length >= 2 ? true : undefined));
    expect((await mailsTo('reader@example.org', /digest/i)).map((m) => m.subject).filter((subject) => subject === digest!.subject)).toHaveLength(1);
    expect((await operator('/admin/digests', 'POST', { period: '2026-W60' })).status).toBe(400);
  });

  it('never mails an address that hard-bounced', async () => {
    // Only for Palestine: the urgent calls of the other tests (Morocco) never reach this address.
    expect((await post('/subscriptions', { email: 'gone@example.org', countries: ['PS'] })).status).toBe(202);
    await confirmFirstLink('gone@example.org');
    const bus = new EventBridgeClient({ endpoint: stack.eventBusUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await bus.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'aws.ses',
            DetailType: 'Email Bounced',
            Detail: JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'gone@example.org' }] }, mail: { destination: ['gone@example.org'] } }),
          },
        ],
      }),
    );
    // The bus delivers the event on its own time: wait until the address is on the list.
    await eventually(async () => ((await suppressions()) >= 1 ? true : undefined));
    const status = await finishedOutreach(await urgentCall('casablanca-declaration-genocide-in-palestine', 'After the bounce'));
    expect(status.skipped).toBeGreaterThanOrEqual(1);
    expect(await mailsTo('gone@example.org', /After the bounce/)).toEqual([]);
  });
});
