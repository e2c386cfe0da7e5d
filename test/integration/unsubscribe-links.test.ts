import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as unsubscribePage } from '#functions/http/get-unsubscribe-page.ts';
import { handler as unsubscribeNow } from '#functions/http/post-unsubscribe.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { purposeKey } from '#shared/config.ts';
import { seal } from '#shared/ids.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription, subscribe, emailKeyFromToken, unsubscribeToken } from '#shared/store/subscription-store.ts';
import { db, keys, tableName } from '#shared/store/table.ts';
import { httpEvent } from '#test/support/http-event.ts';
import { useTestTable } from '#test/support/test-table.ts';

function request(method: 'GET' | 'POST', token: string): APIGatewayProxyEventV2 {
  return httpEvent({
    method,
    route: '/unsubscribe/{token}',
    pathParameters: { token },
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    sourceIp: '198.51.100.7',
    ...(method === 'POST' ? { body: 'List-Unsubscribe=One-Click' } : {}),
  });
}

async function subscriber(subscriberKey: string) {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: keys.subscriber(subscriberKey), ConsistentRead: true }))).Item;
}

describe('unsubscribe links', () => {
  beforeAll(async () => {
    await useTestTable('unsubscribe-links');
  });

  it('never show the subscriber key (the dedupe key item keys carry), yet unsubscribe', async () => {
    const email = 'reader.of.calls@example.org';
    await subscribe({ email, urgent: true, digest: 'weekly', countries: [], topics: [] });
    const subscriberKey = emailKey(email);
    expect(await confirmSubscription(keys.subscriber(subscriberKey))).toBe('confirmed');

    const token = unsubscribeToken(subscriberKey);
    for (const text of [token, Buffer.from(token, 'base64url').toString('latin1')]) {
      expect(text).not.toContain(subscriberKey);
      expect(text).not.toContain(subscriberKey.slice(0, 16));
    }
    // Each mail's link differs, and every one of them works.
    const other = unsubscribeToken(subscriberKey);
    expect(other).not.toBe(token);
    expect(emailKeyFromToken(other)).toBe(subscriberKey);

    expect((await unsubscribePage(request('GET', token), lambdaContext('GetUnsubscribePage', 10))).statusCode).toBe(200);
    const answer = await unsubscribeNow(request('POST', token), lambdaContext('Unsubscribe', 10));
    expect(answer.statusCode).toBe(200);
    expect(await subscriber(subscriberKey)).toMatchObject({ status: 'unsubscribed' });
    expect(await subscriber(subscriberKey)).not.toHaveProperty('gsi1pk');
  });

  it('refuse forged, changed and foreign tokens, and the old readable kind', async () => {
    const subscriberKey = emailKey('someone.else@example.org');
    const token = unsubscribeToken(subscriberKey);
    const changed = Buffer.from(token, 'base64url');
    changed[20] = changed[20]! ^ 0x01;
    const forged = [
      changed.toString('base64url'),
      `${subscriberKey}.${'A'.repeat(22)}`,
      // Sealed under another purpose's key: a cursor-like value is no unsubscribe link.
      seal(purposeKey('confirm'), subscriberKey, 'unsubscribe'),
      seal(purposeKey('unsubscribe'), subscriberKey, 'cursor'),
      'forged.token',
      'A'.repeat(500),
    ];
    for (const bad of forged) {
      expect(emailKeyFromToken(bad)).toBeUndefined();
      expect((await unsubscribeNow(request('POST', bad), lambdaContext('Unsubscribe', 10))).statusCode).toBe(404);
    }
  });
});
