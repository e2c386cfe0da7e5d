import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { hmac } from '#shared/ids.ts';
import { mailboxAllowanceKeys, takeMailboxAllowance } from '#shared/store/mailbox-cap-store.ts';

// The allowance's one conditional update, on exact times and caps; test/integration/confirmation-mail-caps.test.ts
// runs the caps against DynamoDB Local, through the confirmation mailer.
const dynamo = mockClient(DynamoDBDocumentClient);
const mailbox = (day: string) => ({ pk: `MAILBOX#${hmac('mailbox', 'amina@example.org')}#${day}`, sk: 'MAILBOX' });

function sent(): UpdateCommandInput[] {
  return dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  dynamo.reset();
  vi.stubEnv('LIMITS_TABLE_NAME', 'unit');
  vi.stubEnv('TOKEN_SECRET', 'unit-test-secret-of-some-length');
  vi.stubEnv('MAILBOX_MAILS_PER_HOUR', '3');
  vi.stubEnv('MAILBOX_MAILS_PER_DAY', '7');
  resetConfig();
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetConfig();
});

describe('takeMailboxAllowance', () => {
  it("counts a mail in the mailbox's day and clock hour at once, only while both stay within their caps", async () => {
    vi.setSystemTime(new Date('2026-03-01T09:41:00Z'));
    dynamo.on(UpdateCommand).resolves({});
    expect(await takeMailboxAllowance('Amina@Example.org')).toBe(true);
    expect(sent()).toEqual([
      {
        TableName: 'unit',
        Key: mailbox('2026-03-01'),
        UpdateExpression: 'SET #day = if_not_exists(#day, :zero) + :one, #hour = if_not_exists(#hour, :zero) + :one, expiresAt = :expires',
        ConditionExpression: '(attribute_not_exists(#day) OR #day < :perDay) AND (attribute_not_exists(#hour) OR #hour < :perHour)',
        ExpressionAttributeNames: { '#day': 'mails', '#hour': 'h09' },
        // The item outlives its day by a day: the caps of a day that just ended still hold for a late retry.
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':perDay': 7, ':perHour': 3, ':expires': Date.parse('2026-03-03T00:00:00Z') / 1000 },
      },
    ]);
  });

  it('files one mailbox under one key however the address is written, and a new day under a new item', async () => {
    dynamo.on(UpdateCommand).resolves({});
    vi.setSystemTime(new Date('2026-03-01T23:59:59Z'));
    await takeMailboxAllowance('amina+petition@example.org');
    vi.setSystemTime(new Date('2026-03-02T00:00:00Z'));
    await takeMailboxAllowance('AMINA@example.org');
    expect(sent().map((input) => [input.Key, input.ExpressionAttributeNames?.['#hour']])).toEqual([
      [mailbox('2026-03-01'), 'h23'],
      [mailbox('2026-03-02'), 'h00'],
    ]);
  });

  it('refuses the mail when the condition fails, and lets any other failure through', async () => {
    vi.setSystemTime(new Date('2026-03-01T09:41:00Z'));
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    expect(await takeMailboxAllowance('amina@example.org')).toBe(false);
    const throttled = new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });
    dynamo.on(UpdateCommand).rejects(throttled);
    await expect(takeMailboxAllowance('amina@example.org')).rejects.toBe(throttled);
  });
});

describe('mailboxAllowanceKeys', () => {
  it('names the items of today and the four days before, which may still exist until TTL deletes them', () => {
    expect(mailboxAllowanceKeys('Amina@Example.org', new Date('2026-03-02T00:30:00Z'))).toEqual(
      ['2026-03-02', '2026-03-01', '2026-02-28', '2026-02-27', '2026-02-26'].map(mailbox),
    );
  });

  it('counts back from now by default', () => {
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    expect(mailboxAllowanceKeys('amina@example.org')[0]).toEqual(mailbox('2026-03-01'));
  });
});
