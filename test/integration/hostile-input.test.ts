import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freePort } from '#infra/local/ports.ts';
import { startLocalStack, type LocalStack } from '#infra/local/runtime.ts';
import { db } from '#shared/store/table.ts';

let stack: LocalStack;
const tableName = `hostile-${Date.now()}`;

const json = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
const valid = { name: 'Amina', email: 'amina@example.org', country: 'MA' };
const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;

/** Every public route that takes a body, with a body it would accept. */
const bodyRoutes: [string, Record<string, unknown>][] = [
  ['/campaigns/free-nasser-zefzafi/signatures', valid],
  ['/campaigns/release-all-moroccan-political-prisoners/endorsements', { organisation: 'Org', country: 'MA', email: 'org@example.org' }],
  ['/subscriptions', { email: 'sub@example.org' }],
  ['/privacy/erasure', { email: 'gone@example.org' }],
];

/** What hostile clients send. Each must be a 4xx problem that changes nothing. */
const corpus: [string, (good: Record<string, unknown>) => RequestInit][] = [
  ['oversized body', (good) => json(JSON.stringify({ ...good, padding: 'x'.repeat(20_000) }))],
  ['deeply nested JSON', () => json(deep)],
  ['a huge array', () => json(`[${'1,'.repeat(5000)}1]`)],
  ['not JSON', () => json('{"name": "Amina",')],
  ['JSON null', () => json('null')],
  ['a string', () => json('"hello"')],
  ['wrong media type', (good) => ({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(good) })],
  ['no media type', (good) => ({ method: 'POST', body: JSON.stringify(good) })],
  ['wrong types', (good) => json(JSON.stringify(Object.fromEntries(Object.keys(good).map((k) => [k, 12345]))))],
  ['__proto__ key', (good) => json(`{"__proto__":{"admin":true},${JSON.stringify(good).slice(1)}`)],
  ['constructor key', (good) => json(JSON.stringify({ ...good, constructor: { prototype: { admin: true } } }))],
  ['unknown field', (good) => json(JSON.stringify({ ...good, status: 'confirmed' }))],
  ['invalid UTF-8', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) })],
  ['control characters', (good) => json(JSON.stringify(withText(good, 'Ami\u0000na\u0007')))],
  ['CR/LF header injection', (good) => json(JSON.stringify(withText(good, 'Amina\r\nBcc: victim@example.org')))],
  ['direction override', (good) => json(JSON.stringify(withText(good, 'Amina\u202Egnp.exe')))],
  ['zero-width characters', (good) => json(JSON.stringify(withText(good, 'Ami\u200Bna')))],
  ['email with CR/LF', (good) => json(JSON.stringify({ ...good, email: 'a@example.org\r\nBcc: b@example.org' }))],
];

/** Puts `text` in the route's free-text field (name, organisation) or, lacking one, in the email. */
function withText(good: Record<string, unknown>, text: string): Record<string, unknown> {
  if ('name' in good) return { ...good, name: text };
  if ('organisation' in good) return { ...good, organisation: text };
  return { ...good, email: `${text}@example.org` };
}

async function tableItems(): Promise<string[]> {
  const keys: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new ScanCommand({ TableName: tableName, ProjectionExpression: 'pk, sk', ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) keys.push(`${item.pk}|${item.sk}`);
    start = page.LastEvaluatedKey;
  } while (start);
  return keys.sort();
}

describe('hostile input on every public route', () => {
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, sesPort: await freePort(), dynamoEndpoint: inject('dynamoEndpoint'), tableName, demoData: true });
    await stack.settled();
  });
  afterAll(async () => stack?.stop());

  it('accepts the well-formed bodies the corpus starts from', async () => {
    for (const [route, good] of bodyRoutes) {
      const check = await fetch(`${stack.url}${route}`, json(JSON.stringify({ ...good, email: 'x'.repeat(300) })));
      // Sanity: the routes validate at all (an overlong address is refused) — the corpus below must fail for its own reason.
      expect(check.status, route).toBe(400);
    }
  });

  it('answers each case with a 4xx problem and changes nothing', async () => {
    await stack.settled();
    const before = await tableItems();
    for (const [route, good] of bodyRoutes) {
      for (const [name, request] of corpus) {
        const response = await fetch(`${stack.url}${route}`, request(good));
        expect(response.status, `${name} → ${route}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${name} → ${route}`).toBeLessThan(500);
        expect(response.headers.get('content-type'), `${name} → ${route}`).toContain('application/problem+json');
        const problem = (await response.json()) as { status: number; detail: string };
        expect(problem.status).toBe(response.status);
        expect(problem.detail).not.toMatch(/\bat .+:\d+:\d+/);
      }
    }
    await stack.settled();
    expect(await tableItems()).toEqual(before);
  });

  it('answers hostile paths and queries with a 4xx problem', async () => {
    const paths = [
      '/campaigns/..%2F..%2Fetc%2Fpasswd',
      '/campaigns/%2e%2e/counts',
      `/campaigns/${'a'.repeat(5000)}`,
      `/campaigns/${'a'.repeat(5000)}/signatures`,
      '/campaigns/%ZZ',
      '/confirm/..%2F..%2F',
      `/confirm/${'A'.repeat(3000)}`,
      '/unsubscribe/%00',
      '/campaigns?limit=1000',
      '/campaigns?limit=-1',
      '/campaigns?cursor=eyJwayI6IkNBTVBBSUdOI3gifQ.forged',
      '/campaigns/free-nasser-zefzafi/signatures?limit=abc',
      '/campaigns?status=draft',
    ];
    for (const p of paths) {
      const response = await fetch(`${stack.url}${p}`);
      expect(response.status, p).toBeGreaterThanOrEqual(400);
      expect(response.status, p).toBeLessThan(500);
      // The confirm and unsubscribe links are pages people open: their errors are pages too.
      const page = /^\/(confirm|unsubscribe)\//.test(p);
      expect(response.headers.get('content-type'), p).toContain(page ? 'text/html' : 'application/problem+json');
    }
  });
});
