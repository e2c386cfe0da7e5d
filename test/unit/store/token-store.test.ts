import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { sha256 } from '#shared/ids.ts';
import { deriveToken, findToken, issueToken, markTokenMailed, markTokenWithheld } from '#shared/store/token-store.ts';

// What a token item holds and when, on exact times; the integration tests (confirmation, confirm round trips,
// a link after expiry) run the same store against DynamoDB Local.
const dynamo = mockClient(DynamoDBDocumentClient);
const subject = { pk: 'SIGNATURE#free-them#k1', sk: 'SIGNATURE' };
const token = deriveToken(subject.pk, 'request-1');
const tokenKey = { pk: `TOKEN#${sha256(token)}`, sk: 'TOKEN' };
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => {
  dynamo.reset();
  vi.stubEnv('TABLE_NAME', 'unit');
  vi.stubEnv('TOKEN_SECRET', 'unit-test-secret-of-some-length');
  vi.stubEnv('CONFIRMATION_TTL_DAYS', '3');
  resetConfig();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetConfig();
});

describe('deriveToken', () => {
  it('gives a redelivered record the same link, and every other request a link of its own', () => {
    const link = deriveToken(subject.pk, 'request-1');
    expect(deriveToken(subject.pk, 'request-1')).toBe(link);
    expect(deriveToken(subject.pk, 'request-2')).not.toBe(link);
    expect(deriveToken('SIGNATURE#free-them#k2', 'request-1')).not.toBe(link);
    expect(link).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('issueToken', () => {
  it('stores only the hash, once, expiring after CONFIRMATION_TTL_DAYS and kept a month longer for a late click', async () => {
    dynamo.on(PutCommand).resolves({});
    const image = { generation: 'request-0', gsi3pk: 'PERSON#p1', gsi3sk: 'SIGNATURE#free-them' };
    expect(await issueToken(token, 'signature', subject, image)).toEqual({ mail: undefined });
    const expires = Date.parse('2026-03-04T10:00:00Z');
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'unit',
        Item: {
          ...tokenKey,
          type: 'token',
          action: 'signature',
          subject,
          issuedFor: 'request-0',
          gsi3pk: 'PERSON#p1',
          gsi3sk: 'SIGNATURE#free-them',
          expiresAtIso: '2026-03-04T10:00:00.000Z',
          expiresAt: expires / 1000 + 30 * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
    expect(JSON.stringify(dynamo.calls().map((call) => call.args[0].input))).not.toContain(token);
  });

  it.each([
    ['no image', {}],
    ['an image whose attributes are not strings', { generation: 7, gsi3pk: 'PERSON#p1', gsi3sk: 8 }],
    ['half a person index', { gsi3pk: 'PERSON#p1' }],
    ['the other half', { gsi3sk: 'SIGNATURE#free-them' }],
  ])('binds to no generation and files under no person with %s', async (_what, image) => {
    dynamo.on(PutCommand).resolves({});
    await issueToken(token, 'erasure', subject, image);
    const item = dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(Object.keys(item).sort()).toEqual(['action', 'expiresAt', 'expiresAtIso', 'pk', 'sk', 'subject', 'type']);
  });

  it.each([
    ['sent', { mailedAt: '2026-03-01T09:00:00Z' }, 'sent'],
    ['held back', { withheldAt: '2026-03-01T09:00:00Z', withheldFor: 'mailbox-cap' }, 'withheld'],
    ['sent, though once held back', { mailedAt: '2026-03-01T09:30:00Z', withheldAt: '2026-03-01T09:00:00Z' }, 'sent'],
    ['not decided yet', {}, undefined],
  ])('tells a redelivered record what became of the mail: %s', async (_what, fields, mail) => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({ Item: { ...tokenKey, type: 'token', ...fields } });
    expect(await issueToken(token, 'signature', subject)).toEqual({ mail });
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([{ TableName: 'unit', Key: tokenKey, ConsistentRead: true }]);
  });

  it('reads a token gone by the time it is read as not decided', async () => {
    dynamo.on(PutCommand).rejects(conditionFailed());
    dynamo.on(GetCommand).resolves({});
    expect(await issueToken(token, 'signature', subject)).toEqual({ mail: undefined });
  });

  it('lets any other failure through', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });
    dynamo.on(PutCommand).rejects(throttled);
    await expect(issueToken(token, 'signature', subject)).rejects.toBe(throttled);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });
});

describe('what became of the mail', () => {
  it('records the time it was sent', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await markTokenMailed(token);
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'unit', Key: tokenKey, UpdateExpression: 'SET mailedAt = :at', ExpressionAttributeValues: { ':at': '2026-03-01T10:00:00.000Z' } },
    ]);
  });

  it('records when and why it was held back', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await markTokenWithheld(token, 'suppressed');
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'unit',
        Key: tokenKey,
        UpdateExpression: 'SET withheldAt = :at, withheldFor = :reason',
        ExpressionAttributeValues: { ':at': '2026-03-01T10:00:00.000Z', ':reason': 'suppressed' },
      },
    ]);
  });
});

describe('findToken', () => {
  it('finds a token by its hash and tells what it confirms', async () => {
    dynamo.on(GetCommand).resolves({
      Item: { ...tokenKey, type: 'token', action: 'signature', subject, expiresAtIso: '2026-03-04T10:00:00.000Z', issuedFor: 'request-0', mailedAt: '2026-03-01T10:00:00.000Z', expiresAt: 1 },
    });
    expect(await findToken(token)).toEqual({ action: 'signature', subject, expiresAt: '2026-03-04T10:00:00.000Z', issuedFor: 'request-0', mailedAt: '2026-03-01T10:00:00.000Z' });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'unit', Key: tokenKey });
  });

  it('leaves out what the item does not hold', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...tokenKey, action: 'erasure', subject, expiresAtIso: '2026-03-04T10:00:00.000Z' } });
    expect(await findToken(token)).toEqual({ action: 'erasure', subject, expiresAt: '2026-03-04T10:00:00.000Z' });
  });

  it('finds nothing for a token it never issued', async () => {
    dynamo.on(GetCommand).resolves({});
    expect(await findToken(token)).toBeUndefined();
  });

  it.each([
    ['20 characters', 'a'.repeat(20), 1],
    ['100 characters', 'a'.repeat(100), 1],
    ['19 characters', 'a'.repeat(19), 0],
    ['101 characters', 'a'.repeat(101), 0],
    ['a character outside base64url', `${'a'.repeat(30)}.`, 0],
    ['a base64url token with a prefix', `x ${'a'.repeat(30)}`, 0],
    ['a base64url token with a suffix', `${'a'.repeat(30)} x`, 0],
  ])('looks up a token of %s only when it can be one of ours', async (_what, text, lookups) => {
    dynamo.on(GetCommand).resolves({});
    expect(await findToken(text)).toBeUndefined();
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(lookups);
  });
});
