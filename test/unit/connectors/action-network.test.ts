import { describe, expect, it } from 'vitest';
import { classify, classifyError, connectorInputSchema, errorText, recordSignatureRequest, splitName } from '#shared/connectors/action-network.ts';

describe('Action Network: the name split', () => {
  it('takes the first word as the given name and the rest as the family name', () => {
    expect(splitName('Fatima Zahra El Idrissi')).toEqual({ given_name: 'Fatima', family_name: 'Zahra El Idrissi' });
    expect(splitName('Jean de La Fontaine')).toEqual({ given_name: 'Jean', family_name: 'de La Fontaine' });
  });

  it('keeps a single word as the given name, and folds runs of spaces', () => {
    expect(splitName('  Nasser  ')).toEqual({ given_name: 'Nasser' });
    expect(splitName('Salma \t  Benali')).toEqual({ given_name: 'Salma', family_name: 'Benali' });
    expect(splitName('   ')).toEqual({});
  });
});

describe('Action Network: the record signature helper body', () => {
  const signature = { name: 'Salma Benali', email: 'salma@example.org', country: 'ma', locale: 'fr-MA' };
  const ids = { signatureId: '01jabc', slug: 'free-them', partner: 'amnesty-ma' };

  it('carries the identifier per partner, the person with name, address, country and language, and where they came from', () => {
    expect(recordSignatureRequest(signature, ids, ['tadamon'])).toEqual({
      identifiers: ['tadamon:01jabc.amnesty-ma'],
      person: {
        given_name: 'Salma',
        family_name: 'Benali',
        email_addresses: [{ address: 'salma@example.org' }],
        postal_addresses: [{ country: 'MA' }],
        languages_spoken: ['fr'],
      },
      add_tags: ['tadamon'],
      'action_network:referrer_data': { source: 'tadamon-free-them' },
    });
  });

  it('sends no status (an unsubscribed person stays so), no tags when none are set, and none of what else the signer wrote', () => {
    const body = recordSignatureRequest({ ...signature, locale: '', country: '' }, ids);
    expect(body).not.toHaveProperty('add_tags');
    expect(body.person).not.toHaveProperty('status');
    expect(body.person).not.toHaveProperty('languages_spoken');
    expect(body.person).not.toHaveProperty('postal_addresses');
    expect(JSON.stringify(body)).not.toMatch(/comment|postcode/);
  });

  it('gives one signature a different identifier on each partner (Action Network wants them globally unique)', () => {
    expect(recordSignatureRequest(signature, ids).identifiers).not.toEqual(recordSignatureRequest(signature, { ...ids, partner: 'ligue-ma' }).identifiers);
  });
});

describe('Action Network: which answers are tried again', () => {
  it('delivers on 2xx', () => {
    expect(classify(200)).toEqual({ kind: 'delivered', status: 200 });
    expect(classify(201).kind).toBe('delivered');
  });

  it('tries 429, 408 and 5xx again, honouring a Retry-After in seconds', () => {
    expect(classify(429, '3')).toEqual({ kind: 'retry', status: 429, error: 'HTTP 429', retryAfterMs: 3000 });
    expect(classify(503)).toEqual({ kind: 'retry', status: 503, error: 'HTTP 503' });
    expect(classify(500).kind).toBe('retry');
    expect(classify(408).kind).toBe('retry');
    expect(classify(429, 'Wed, 21 Oct 2036 07:28:00 GMT')).not.toHaveProperty('retryAfterMs');
  });

  it('treats any other 4xx as permanent: a bad key, a missing petition, a refused address', () => {
    for (const status of [400, 401, 403, 404, 422]) expect(classify(status).kind, String(status)).toBe('permanent');
  });

  it('tries no answer at all again, naming the failure without the request', () => {
    const timeout = new Error('The operation was aborted due to timeout');
    timeout.name = 'TimeoutError';
    expect(classifyError(timeout)).toEqual({ kind: 'retry', error: 'timed out' });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(classifyError(refused)).toEqual({ kind: 'retry', error: 'network error (ECONNREFUSED)' });
  });

  it('keeps an error answer without the address it may quote', () => {
    expect(errorText(400, '{"error":"The email salma@example.org is not valid."}')).toBe('HTTP 400: The email [address] is not valid.');
    expect(errorText(502, '<html>Bad gateway</html>')).toBe('HTTP 502: <html>Bad gateway</html>');
    expect(errorText(503, '')).toBe('HTTP 503');
  });
});

describe('Action Network: the connector input', () => {
  const petitionId = '9f837109-710d-4d66-a6c8-d8a5a9e5b7e0';

  it('takes a petition UUID and a key that fits in a header', () => {
    expect(connectorInputSchema.safeParse({ petitionId, apiKey: 'a1b2c3d4e5f6a7b8c9d0' }).success).toBe(true);
    expect(connectorInputSchema.safeParse({ petitionId: 'https://actionnetwork.org/petitions/free-them', apiKey: 'a1b2c3d4e5f6a7b8c9d0' }).success).toBe(false);
    expect(connectorInputSchema.safeParse({ petitionId, apiKey: 'a1b2c3d4e5f6a7b8\r\nX-Evil: 1' }).success).toBe(false);
    expect(connectorInputSchema.safeParse({ petitionId, apiKey: 'short' }).success).toBe(false);
    expect(connectorInputSchema.safeParse({ petitionId, apiKey: 'a1b2c3d4e5f6a7b8c9d0', extra: true }).success).toBe(false);
  });
});
