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

/** Every public route that takes a person's or an organisation's name, with the field that holds it. */
const nameRoutes: [string, Record<string, unknown>, string][] = [
  ['/campaigns/free-nasser-zefzafi/signatures', valid, 'name'],
  ['/subscriptions', { email: 'sub@example.org', name: 'Salma' }, 'name'],
  ['/campaigns/release-all-moroccan-political-prisoners/endorsements', { organisation: 'Org', country: 'MA', email: 'org@example.org' }, 'organisation'],
];

/** Names that hide, reorder, pad or smuggle something. Each must be a 400 naming the field. */
const hostileNames: [string, string][] = [
  ['an Arabic letter mark', 'Amina\u061C Benali'],
  ['a right-to-left override', 'Amina \u202Eilaneb'],
  ['a left-to-right mark', 'Amina\u200E'],
  ['a soft hyphen', 'Ami\u00ADna'],
  ['a zero-width space', 'Ami\u200Bna'],
  ['a zero-width non-joiner in Latin text', 'Ami\u200Cna'],
  ['a word joiner', 'Ami\u2060na'],
  ['a byte order mark', 'Ami\uFEFFna'],
  ['a tag character', 'Amina\u{E0041}'],
  ['a lone surrogate', 'Amina\uD800'],
  ['a private-use character', 'Amina\uE000'],
  ['a Hangul filler', '\u3164'],
  ['a Hangul choseong filler', 'Amina\u115F'],
  ['a Hangul jungseong filler', 'Amina\u1160'],
  ['a halfwidth Hangul filler', 'Amina\uFFA0'],
  ['a Braille blank', '\u2800'],
  ['fifty stacked combining marks', `A${'\u0301'.repeat(50)}mina`],
  ['no letter at all', '12345'],
  ['an https URL', 'Hello Amina, verify at https://evil.example'],
  ['www.', 'Amina www.evil.example'],
  ['a bare domain', 'Amina evil.example'],
  ['a shortened link', 'Amina bit.ly/x'],
];

/** Real names in many scripts, sent over HTTP: each is accepted. */
const realNames = ['ناصر الزفزافي', 'حسین\u200Cزاده', 'ⵎⴰⵙⵉⵏⵉⵙⵙⴰ', 'सुधा भारद्वाज', '刘晓波', 'Phạm Đoan Trang', "Ngũgĩ wa Thiong'o", 'J. R. R. Tolkien'];

/** Malformed blocklist entries, as URL path segments. Each must be a 400 naming `value`, and store nothing. */
const hostileBlocks: [string, string][] = [
  ['ip', '999.1.1.1'],
  ['ip', '1.2.3.4%2F33'],
  ['ip', '2001%3Adb8%3A%3A%2F129'],
  ['ip', 'example'],
  ['ip', '%20'],
  ['ip', '0.0.0.0%2F0'],
  ['ip', 'fe80%3A%3A1%25eth0'],
  ['email-domain', 'example'],
  ['email-domain', '-x.com'],
  ['email-domain', 'a..b'],
  ['email-domain', '*.evil.example'],
  ['email-domain', 'user%40evil.example'],
  ['email-domain', 'evil.example%2Fpath'],
  ['email-domain', 'evil.example%0D%0ABcc%3A'],
  ['email-domain', '%20'],
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

  it('refuses names that hide, reorder or smuggle text with a 400 naming the field, and changes nothing', async () => {
    await stack.settled();
    const before = await tableItems();
    for (const [route, good, field] of nameRoutes) {
      for (const [what, name] of hostileNames) {
        const response = await fetch(`${stack.url}${route}`, json(JSON.stringify({ ...good, [field]: name })));
        expect(response.status, `${what} → ${route}`).toBe(400);
        expect(response.headers.get('content-type'), `${what} → ${route}`).toContain('application/problem+json');
        const problem = (await response.json()) as { errors?: { path: string; message: string }[] };
        expect(problem.errors?.map((e) => e.path), `${what} → ${route}`).toEqual([field]);
      }
    }
    await stack.settled();
    expect(await tableItems()).toEqual(before);
  });

  it('refuses malformed blocklist entries with a 400 naming the value, and stores nothing', async () => {
    const operator = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
    const list = async () => (await (await fetch(`${stack.url}/admin/blocklist`, { headers: operator })).json()) as { items: unknown[] };
    const before = await tableItems();
    for (const [kind, value] of hostileBlocks) {
      for (const method of ['PUT', 'DELETE']) {
        const response = await fetch(`${stack.url}/admin/blocklist/${kind}/${value}`, {
          method,
          headers: operator,
          ...(method === 'PUT' ? { body: JSON.stringify({ reason: 'hostile input' }) } : {}),
        });
        expect(response.status, `${method} ${kind} ${value}`).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        const problem = (await response.json()) as { errors?: { path: string }[] };
        expect(problem.errors?.map((e) => e.path), `${method} ${kind} ${value}`).toEqual(['value']);
      }
    }
    expect((await list()).items).toEqual([]);
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

  // The tests below are answered 202 or change the blocklist: their mails and tokens are written
  // asynchronously, from the stream, so they come after every test that proves the table unchanged.
  it('accepts the well-formed bodies the corpus starts from', async () => {
    for (const [route, good] of bodyRoutes) {
      // The corpus below changes one thing in these bodies: each must pass as it is, or a refusal proves nothing.
      expect((await fetch(`${stack.url}${route}`, json(JSON.stringify(good)))).status, route).toBe(202);
      // And the routes validate at all: an overlong address is refused.
      const check = await fetch(`${stack.url}${route}`, json(JSON.stringify({ ...good, email: 'x'.repeat(300) })));
      expect(check.status, route).toBe(400);
    }
    for (const [route, good] of nameRoutes) expect((await fetch(`${stack.url}${route}`, json(JSON.stringify(good)))).status, route).toBe(202);
  });

  it('accepts real names in many scripts', async () => {
    for (const [i, name] of realNames.entries()) {
      const response = await fetch(`${stack.url}/campaigns/free-nasser-zefzafi/signatures`, json(JSON.stringify({ ...valid, name, email: `name${i}@example.org` })));
      expect(response.status, name).toBe(202);
    }
  });

  it('takes a CIDR range with its slash percent-encoded once (locally) or twice (as API Gateway needs), canonicalised', async () => {
    const operator = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
    const block = (path: string, method: string) =>
      fetch(`${stack.url}/admin/blocklist/${path}`, { method, headers: operator, ...(method === 'PUT' ? { body: JSON.stringify({ reason: 'test' }) } : {}) });
    const sign = (email: string) => fetch(`${stack.url}/campaigns/free-nasser-zefzafi/signatures`, json(JSON.stringify({ ...valid, email })));
    try {
      // This test's requests come from 127.0.0.1: the range covers it.
      expect(await (await block('ip/127.1.2.3%2F8', 'PUT')).json()).toMatchObject({ kind: 'ip', value: '127.0.0.0/8' });
      expect((await sign('cidr1@example.org')).status).toBe(403);
      expect(await (await block('ip/127.0.0.0%252F8', 'DELETE')).json()).toEqual({ kind: 'ip', value: '127.0.0.0/8', removed: true });
      expect((await sign('cidr2@example.org')).status).toBe(202);
      expect(await (await block(`ip/${encodeURIComponent('::FFFF:127.0.0.1')}`, 'PUT')).json()).toMatchObject({ value: '127.0.0.1' });
      expect((await sign('cidr3@example.org')).status).toBe(403);
      expect(await (await block(`ip/${encodeURIComponent(encodeURIComponent('2001:DB8::/32'))}`, 'PUT')).json()).toMatchObject({ value: '2001:db8::/32' });
    } finally {
      await block('ip/127.0.0.1', 'DELETE');
      await block('ip/2001:db8::%2F32', 'DELETE');
    }
  });
});
