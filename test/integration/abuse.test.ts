import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '#infra/local/ports.ts';
import { startLocalStack, type LocalStack } from '#infra/local/runtime.ts';
import { type CaptchaStandIn, startCaptchaStandIn } from '#test/support/captcha-stand-in.ts';
import { eventually, inbox } from '#test/support/local-process.ts';

let stack: LocalStack;
let captcha: CaptchaStandIn;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  contentType: string | undefined;
  json(): unknown;
}

/**
 * Signs from a loopback address of the test's choosing (all of 127/8 reaches the gateway): each test spends
 * a rate-limit budget of its own, so no test depends on what the others signed before it.
 */
function sign(slug: string, body: Record<string, unknown>, from = '127.0.0.1'): Promise<Answer> {
  const url = new URL(`${stack.url}/campaigns/${slug}/signatures`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const retryAfter = res.headers['retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          contentType: res.headers['content-type'],
          json: () => JSON.parse(text) as unknown,
        });
      });
    });
    req.once('error', reject);
    req.end(JSON.stringify(body));
  });
}
const mailsTo = async (address: string | RegExp) =>
  (await inbox(stack.inboxUrl ?? '')).filter((m) => m.destination.to.some((to) => (typeof address === 'string' ? to === address : address.test(to))));

/**
 * Waits until `marker` (signed after everything the test did) has its mail and the stream is idle: whatever
 * was stored before the marker has then been mailed too, so what is not in the inbox was never stored.
 */
async function mailedUpTo(marker: string): Promise<void> {
  await eventually(async () => ((await mailsTo(marker)).length > 0 ? true : undefined));
  await stack.settled();
}
const operator = (path: string, method: string, body?: unknown) =>
  fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function openCampaign(title: string): Promise<string> {
  const { slug } = (await (await operator('/admin/campaigns', 'POST', { kind: 'petition', title })).json()) as { slug: string };
  await operator(`/admin/campaigns/${slug}/publish`, 'POST');
  return slug;
}

describe('abuse resistance on public submissions', () => {
  beforeAll(async () => {
    // Only the token "human" passes.
    captcha = await startCaptchaStandIn({ secret: 'test-secret', accepts: (token) => token === 'human' });
    Object.assign(process.env, {
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: 'test-secret',
      CAPTCHA_VERIFY_URL: captcha.url,
      // A window long enough that the rate-limit test never straddles two of them.
      RATE_LIMIT_IP_BURST: '4/3600',
    });
    stack = await startLocalStack({
      port: 0,
      sesPort: await freePort(),
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: `abuse-${Date.now()}`,
      demoData: false,
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await captcha?.close();
    for (const name of ['CAPTCHA_PROVIDER', 'CAPTCHA_SECRET', 'CAPTCHA_VERIFY_URL', 'RATE_LIMIT_IP_BURST']) Reflect.deleteProperty(process.env, name);
  });

  it('checks the captcha server-side, and refuses without it', async () => {
    const slug = await openCampaign('Captcha campaign');
    const person = { name: 'Hana', email: 'hana@example.org', country: 'MA' };
    const missing = await sign(slug, person);
    expect(missing.status).toBe(400);
    expect((missing.json() as { errors: { path: string }[] }).errors[0]?.path).toBe('captchaToken');
    expect((await sign(slug, { ...person, captchaToken: 'robot' })).status).toBe(400);
    expect((await sign(slug, { ...person, captchaToken: 'human' })).status).toBe(202);
    expect(captcha.calls.at(-1)?.get('remoteip')).toBe('127.0.0.1');
  });

  it('answers a filled honeypot like success, and stores nothing', async () => {
    const slug = await openCampaign('Honeypot campaign');
    const response = await sign(slug, { name: 'Bot', email: 'bot@spam.example', country: 'MA', website: 'http://spam.example', captchaToken: 'human' }, '127.0.0.3');
    expect(response.status).toBe(202);
    // A person signing just after is mailed; by then the bot's mail would have gone too, had it been stored.
    expect((await sign(slug, { name: 'Person', email: 'person@example.org', country: 'MA', captchaToken: 'human' }, '127.0.0.3')).status).toBe(202);
    await mailedUpTo('person@example.org');
    expect(await mailsTo('bot@spam.example')).toEqual([]);
  });

  it('refuses blocked email domains until an operator unblocks them', async () => {
    const slug = await openCampaign('Blocklist campaign');
    expect((await operator('/admin/blocklist/email-domain/troll.example', 'PUT', { reason: 'Troll farm, March 2026' })).status).toBe(200);
    const blocked = await sign(slug, { name: 'T', email: 'someone@TROLL.example', country: 'MA', captchaToken: 'human' }, '127.0.0.4');
    expect(blocked.status).toBe(403);
    expect(blocked.contentType).toContain('application/problem+json');
    const list = (await (await operator('/admin/blocklist', 'GET')).json()) as { items: { value: string }[] };
    expect(list.items.map((b) => b.value)).toContain('troll.example');
    expect((await operator('/admin/blocklist/email-domain/troll.example', 'DELETE')).status).toBe(200);
    expect((await sign(slug, { name: 'T', email: 'someone@troll.example', country: 'MA', captchaToken: 'human' }, '127.0.0.4')).status).toBe(202);
    expect((await operator('/admin/blocklist/planet/mars', 'PUT', { reason: 'x' })).status).toBe(400);
  });

  it('rate-limits one address with 429 and Retry-After; refused signatures never count', async () => {
    const slug = await openCampaign('Rate limit campaign');
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    // An address of this test's own: nothing else has spent its budget of 4.
    for (let i = 0; i < 8; i++) {
      const response = await sign(slug, { name: `P${i}`, email: `p${i}@example.org`, country: 'MA', captchaToken: 'human' }, '127.0.0.2');
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.retryAfter;
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(3600);
    // Another address is not limited; its signature, stored after all of these, marks how far the mailer got.
    expect((await sign(slug, { name: 'Marker', email: 'marker@example.org', country: 'MA', captchaToken: 'human' }, '127.0.0.5')).status).toBe(202);
    await mailedUpTo('marker@example.org');
    // Every accepted signature got its confirmation mail; the refused ones were never written, so none.
    expect((await mailsTo(/^p\d@example\.org$/)).map((m) => m.destination.to[0]).sort()).toEqual(['p0@example.org', 'p1@example.org', 'p2@example.org', 'p3@example.org']);
  });
});
