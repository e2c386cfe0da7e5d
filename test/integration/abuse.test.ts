import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '#infra/local/ports.ts';
import { startLocalStack, type LocalStack } from '#infra/local/runtime.ts';
import { type CaptchaStandIn, startCaptchaStandIn } from '#test/support/captcha-stand-in.ts';
import { eventually, inbox } from '#test/support/local-process.ts';

let stack: LocalStack;
let captcha: CaptchaStandIn;

const sign = (slug: string, body: Record<string, unknown>) =>
  fetch(`${stack.url}/campaigns/${slug}/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
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
      RATE_LIMIT_IP_BURST: '4/60',
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
    expect(((await missing.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('captchaToken');
    expect((await sign(slug, { ...person, captchaToken: 'robot' })).status).toBe(400);
    expect((await sign(slug, { ...person, captchaToken: 'human' })).status).toBe(202);
    expect(captcha.calls.at(-1)?.get('remoteip')).toBe('127.0.0.1');
  });

  it('answers a filled honeypot like success, and stores nothing', async () => {
    const slug = await openCampaign('Honeypot campaign');
    const response = await sign(slug, { name: 'Bot', email: 'bot@spam.example', country: 'MA', website: 'http://spam.example', captchaToken: 'human' });
    expect(response.status).toBe(202);
    // A person signing just after is mailed; by then the bot's mail would have gone too, had it been stored.
    expect((await sign(slug, { name: 'Person', email: 'person@example.org', country: 'MA', captchaToken: 'human' })).status).toBe(202);
    await eventually(async () => ((await inbox(stack.inboxUrl ?? '')).some((m) => m.destination.to.includes('person@example.org')) ? true : undefined));
    expect((await inbox(stack.inboxUrl ?? '')).filter((m) => m.destination.to.includes('bot@spam.example'))).toEqual([]);
  });

  it('refuses blocked email domains until an operator unblocks them', async () => {
    const slug = await openCampaign('Blocklist campaign');
    expect((await operator('/admin/blocklist/email-domain/troll.example', 'PUT', { reason: 'Troll farm, March 2026' })).status).toBe(200);
    const blocked = await sign(slug, { name: 'T', email: 'someone@TROLL.example', country: 'MA', captchaToken: 'human' });
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('content-type')).toContain('application/problem+json');
    const list = (await (await operator('/admin/blocklist', 'GET')).json()) as { items: { value: string }[] };
    expect(list.items.map((b) => b.value)).toContain('troll.example');
    expect((await operator('/admin/blocklist/email-domain/troll.example', 'DELETE')).status).toBe(200);
    expect((await sign(slug, { name: 'T', email: 'someone@troll.example', country: 'MA', captchaToken: 'human' })).status).toBe(202);
    expect((await operator('/admin/blocklist/planet/mars', 'PUT', { reason: 'x' })).status).toBe(400);
  });

  it('rate-limits one address with 429 and Retry-After; refused signatures never count', async () => {
    const slug = await openCampaign('Rate limit campaign');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const response = await sign(slug, { name: `P${i}`, email: `p${i}@example.org`, country: 'MA', captchaToken: 'human' });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(4);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const accepted = statuses.filter((s) => s === 202).length;
    const confirmationsFor = async () => (await inbox(stack.inboxUrl ?? '')).filter((m) => /^p\d@example\.org$/.test(m.destination.to[0] ?? ''));
    // Every accepted signature gets its confirmation mail; the refused ones were never written, so none.
    await eventually(async () => ((await confirmationsFor()).length >= accepted ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await confirmationsFor()).toHaveLength(accepted);
  });
});
