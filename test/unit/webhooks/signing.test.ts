import { describe, expect, it } from 'vitest';
import { newWebhookSecret, serialiseBody, signedHeaders, verifies } from '#shared/webhooks/signing.ts';

/** The receiver's side, written again with Web Crypto: what a partner would run, not the code under test. */
async function receiverAccepts(secret: string, headers: { timestamp: string; signature: string }, rawBody: string): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const match = /^v1=([0-9a-f]{64})$/.exec(headers.signature);
  if (!match) return false;
  const mac = Uint8Array.from(match[1]!.match(/../g)!.map((pair) => parseInt(pair, 16)));
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(`${headers.timestamp}.${rawBody}`));
}

describe('webhook signatures', () => {
  const at = new Date('2036-03-09T10:15:00.000Z');
  const body = { id: 'evt_1', type: 'SignatureConfirmed', occurredAt: at.toISOString(), data: { campaign: 'free-nasser-zefzafi', name: 'سلمى', email: 'salma@example.org' } };

  it('signs `${timestamp}.${body}` with HMAC-SHA256 under the secret, as an independent receiver checks it', async () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders(secret, 'evt_1', body, at);
    expect(headers).toMatchObject({ eventId: 'evt_1', timestamp: String(Date.parse('2036-03-09T10:15:00Z') / 1000) });
    expect(headers.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await receiverAccepts(secret, headers, serialiseBody(body))).toBe(true);
  });

  it('matches a known answer: HMAC-SHA256 with key "key" of "1.{}"', () => {
    // Computed apart from this code: printf '1.{}' | openssl dgst -sha256 -hmac key
    expect(signedHeaders('key', 'e', {}, new Date(1000)).signature).toBe('v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224');
  });

  it('is refused for another secret, another timestamp, or a body changed by one byte', async () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders(secret, 'evt_1', body, at);
    const raw = serialiseBody(body);
    expect(await receiverAccepts(newWebhookSecret(), headers, raw)).toBe(false);
    expect(await receiverAccepts(secret, { ...headers, timestamp: String(Number(headers.timestamp) + 1) }, raw)).toBe(false);
    expect(await receiverAccepts(secret, headers, raw.replace('salma', 'salmA'))).toBe(false);
    expect(verifies(secret, headers.timestamp, raw, headers.signature)).toBe(true);
    expect(verifies(secret, headers.timestamp, `${raw} `, headers.signature)).toBe(false);
    expect(verifies(secret, headers.timestamp, raw, `v0=abc, ${headers.signature}`)).toBe(true);
  });

  it('gives every webhook a secret of its own, 32 random bytes', () => {
    const secrets = new Set(Array.from({ length: 50 }, newWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(Buffer.from(secret.slice('whsec_'.length), 'base64url')).toHaveLength(32);
  });
});
