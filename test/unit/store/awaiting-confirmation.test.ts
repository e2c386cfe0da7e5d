import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import { confirmAwaiting, findRequest, recordAwaitingConfirmation } from '#shared/store/awaiting-confirmation.ts';

// What DynamoDB Local cannot be made to do on demand: throttle one write, fail a condition with or without
// the item. Every such answer must surface as an error (a 5xx), never as a request recorded or a link missing.
const dynamo = mockClient(DynamoDBDocumentClient);
const key = { pk: 'SIGNATURE#free-them#k1', sk: 'SIGNATURE' };
const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });
const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });

function updates(): UpdateCommandInput[] {
  return dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  dynamo.reset();
  vi.stubEnv('TABLE_NAME', 'unit');
  vi.stubEnv('TOKEN_SECRET', 'unit-test-secret-of-some-length');
  resetConfig();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetConfig();
});

describe('recordAwaitingConfirmation', () => {
  it('is one conditional update that sets every field, a fresh request id, the first id once, and removes what the request leaves out', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T00:00:00Z'));
    dynamo.on(UpdateCommand).resolves({});
    expect(await recordAwaitingConfirmation(key, { name: 'Amina', comment: undefined, public: false }, 'pending', { optional: ['comment', 'postcode'], once: { id: 'first-id' } })).toBe('recorded');
    const [sent] = updates();
    expect(updates()).toHaveLength(1);
    expect(sent).toMatchObject({ TableName: 'unit', Key: key, ConditionExpression: 'attribute_not_exists(pk) OR #status = :awaiting', ReturnValues: 'UPDATED_OLD' });
    const names = sent!.ExpressionAttributeNames!;
    const values = sent!.ExpressionAttributeValues!;
    const field = (name: string) => Object.keys(names).find((k) => names[k] === name)!;
    expect(sent!.UpdateExpression).toContain(`${field('name')} = :f0`);
    expect(values[':f0']).toBe('Amina');
    expect(sent!.UpdateExpression).toContain(`${field('id')} = if_not_exists(${field('id')}, :o0)`);
    expect(values[':o0']).toBe('first-id');
    expect(sent!.UpdateExpression).toMatch(new RegExp(`REMOVE ${field('comment')}, ${field('postcode')}$`));
    expect(values).toMatchObject({ ':awaiting': 'pending', ':at': '2026-03-01T00:00:00.000Z', ':ttl': Date.parse('2026-03-08T00:00:00Z') / 1000 });
    expect(values[':request']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sent!.UpdateExpression).toContain('generation = if_not_exists(generation, :request)');
  });

  it('tells a new item from a repeat by the old status it returns, and a refused condition as unchanged', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({ Attributes: { status: 'pending' } }).rejectsOnce(conditionFailed());
    expect(await recordAwaitingConfirmation(key, {}, 'pending')).toBe('link-requested');
    expect(await recordAwaitingConfirmation(key, {}, 'pending')).toBe('unchanged');
  });

  it('removes nothing when no field is optional', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await recordAwaitingConfirmation(key, { name: 'Amina' }, 'pending');
    expect(updates()[0]!.UpdateExpression).not.toContain('REMOVE');
    expect(Object.values(updates()[0]!.ExpressionAttributeNames!)).toEqual(['status', 'name']);
  });

  it('reopens from the status it is given, and from no other', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { status: 'unsubscribed' } });
    expect(await recordAwaitingConfirmation(key, {}, 'unconfirmed', { reopenFrom: 'unsubscribed' })).toBe('link-requested');
    expect(updates()[0]).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk) OR #status = :awaiting OR #status = :reopenFrom', ExpressionAttributeValues: { ':reopenFrom': 'unsubscribed' } });
  });

  it.each([
    ['throttled', throttled()],
    ['throttled by the account', new ThrottlingException({ message: 'Rate exceeded', $metadata: {} })],
  ])('lets a %s write fail loudly: nothing was stored, so nothing may be acknowledged', async (_what, error) => {
    dynamo.on(UpdateCommand).rejects(error);
    await expect(recordAwaitingConfirmation(key, { name: 'Amina' }, 'pending')).rejects.toBe(error);
  });
});

describe('confirmAwaiting', () => {
  it('confirms in one update, pinned to the request shown and the item the link was for', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { ...key, status: 'confirmed' } });
    expect(await confirmAwaiting(key, { from: 'pending', to: 'confirmed', set: { confirmedAt: 'now' }, requestId: 'r2', issuedFor: 'r1' })).toEqual({ outcome: 'confirmed', item: { ...key, status: 'confirmed' } });
    expect(updates()[0]).toMatchObject({
      ConditionExpression: '#status = :from AND requestId = :request AND generation = :issuedFor',
      ExpressionAttributeValues: { ':from': 'pending', ':to': 'confirmed', ':request': 'r2', ':issuedFor': 'r1', ':s0': 'now' },
      UpdateExpression: 'SET #status = :to, #s0 = :s0 REMOVE expiresAt',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it.each([
    ['confirmed before', { status: 'confirmed', requestId: 'r1', generation: 'r1' }, {}, 'already-confirmed'],
    ['replaced by a newer request', { status: 'pending', requestId: 'r3', generation: 'r1' }, { requestId: 'r2', issuedFor: 'r1' }, 'changed'],
    ['made again after the link’s item was deleted', { status: 'pending', requestId: 'r9', generation: 'r9' }, { requestId: 'r9', issuedFor: 'r1' }, 'missing'],
  ])('reads a refused condition from the item it returns: %s', async (_what, item, scope, outcome) => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ ...key, ...item }));
    expect((await confirmAwaiting(key, { from: 'pending', to: 'confirmed', ...scope })).outcome).toBe(outcome);
  });

  it('answers missing only when the refused condition returned no item', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    expect(await confirmAwaiting(key, { from: 'pending', to: 'confirmed' })).toEqual({ outcome: 'missing', item: undefined });
  });

  it('lets a throttled confirmation fail loudly, never as a link to something missing', async () => {
    dynamo.on(UpdateCommand).rejects(throttled());
    await expect(confirmAwaiting(key, { from: 'pending', to: 'confirmed' })).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });
});

describe('findRequest', () => {
  it('reads the request as it stands, never a stale copy', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...key, status: 'pending', requestId: 'r2' } });
    expect(await findRequest(key)).toEqual({ ...key, status: 'pending', requestId: 'r2' });
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([{ TableName: 'unit', Key: key, ConsistentRead: true }]);
  });

  it('finds nothing for a link mailed for an item that is no more, though one stands at the same key', async () => {
    const item = { ...key, status: 'pending', requestId: 'r9', generation: 'r9' };
    dynamo.on(GetCommand).resolves({ Item: item });
    expect(await findRequest(key, 'r1')).toBeUndefined();
    expect(await findRequest(key, 'r9')).toEqual(item);
    dynamo.on(GetCommand).resolves({});
    expect(await findRequest(key, 'r9')).toBeUndefined();
  });
});

describe('a throttled table, over HTTP', () => {
  function post(path: string, body: unknown, pathParameters: Record<string, string> = {}): APIGatewayProxyEventV2 {
    return {
      version: '2.0',
      routeKey: `POST ${path}`,
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters,
      requestContext: {
        accountId: '0',
        apiId: 'unit',
        domainName: 'localhost',
        domainPrefix: 'unit',
        http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'vitest' },
        requestId: 'r',
        routeKey: `POST ${path}`,
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
      },
      isBase64Encoded: false,
      body: JSON.stringify(body),
    };
  }

  it('answers a signature whose write was throttled with a 5xx problem, not 202', async () => {
    vi.stubEnv('RATE_LIMIT_IP_BURST', '0');
    vi.stubEnv('RATE_LIMIT_IP_SUSTAINED', '0');
    vi.stubEnv('RATE_LIMIT_CAMPAIGN_BURST', '0');
    vi.stubEnv('RATE_LIMIT_CAMPAIGN_SUSTAINED', '0');
    resetConfig();
    // Every read answers (the campaign, an empty blocklist); the signature's write is throttled.
    dynamo.onAnyCommand().resolves({});
    dynamo.on(GetCommand).resolves({ Item: { pk: 'CAMPAIGN#free-them', sk: 'CAMPAIGN', type: 'campaign', slug: 'free-them', kind: 'petition', title: 'Free them', status: 'open', summary: '', body: '', demands: [], locale: 'en', translations: {}, countries: [], topics: [], urgent: false } });
    dynamo.on(UpdateCommand).rejects(throttled());
    const { handler } = await import('#functions/http/create-signature.ts');
    const result = await handler(post('/campaigns/free-them/signatures', { name: 'Amina Benali', email: 'amina@example.org', country: 'MA' }, { slug: 'free-them' }), lambdaContext('Unit', 10));
    expect(result.statusCode).toBeGreaterThanOrEqual(500);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(String(result.body))).not.toHaveProperty('stack');
  });
});
