import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addBlock, isBlocked, listBlocks, removeBlock } from '#shared/store/blocklist-store.ts';
import { db } from '#shared/store/table.ts';
import { useTestTable } from '#test/support/test-table.ts';

let tableName: string;
const by = 'operator-1';

beforeAll(async () => {
  ({ tableName } = await useTestTable('blocklist'));
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('email-domain entries', () => {
  it('block the domain and its subdomains, not a domain that merely ends the same', async () => {
    await addBlock({ kind: 'email-domain', value: 'evil.example', reason: 'troll farm', by });
    expect(await isBlocked({ emailDomain: 'evil.example' })).toBe(true);
    expect(await isBlocked({ emailDomain: 'mail.evil.example' })).toBe(true);
    expect(await isBlocked({ emailDomain: 'a.b.c.MAIL.Evil.Example.' })).toBe(true);
    expect(await isBlocked({ emailDomain: 'notevil.example' })).toBe(false);
    expect(await isBlocked({ emailDomain: 'evil.example.org' })).toBe(false);
    expect(await isBlocked({ emailDomain: 'example' })).toBe(false);
  });

  it('take effect and stop at once', async () => {
    await addBlock({ kind: 'email-domain', value: 'spam.example', reason: 'spam', by });
    expect(await isBlocked({ emailDomain: 'x.spam.example' })).toBe(true);
    await removeBlock('email-domain', 'spam.example');
    expect(await isBlocked({ emailDomain: 'x.spam.example' })).toBe(false);
  });

  it('match internationalised domains in either form', async () => {
    await addBlock({ kind: 'email-domain', value: 'xn--bcher-kva.example', reason: 'idn', by });
    expect(await isBlocked({ emailDomain: 'post.bücher.example' })).toBe(true);
  });

  it('are read with one BatchGet of a bounded number of keys, however deep the address', async () => {
    const send = vi.spyOn(db(), 'send');
    const deep = `${Array.from({ length: 60 }, (_, i) => `l${i}`).join('.')}.evil.example`;
    expect(await isBlocked({ emailDomain: deep })).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    const input = send.mock.calls[0]?.[0].input as { RequestItems: Record<string, { Keys: unknown[] }> };
    expect(input.RequestItems[tableName]?.Keys.length).toBeLessThanOrEqual(32);
  });

  it('are refused by the store unless canonical, so no entry can sit under a key nothing matches', async () => {
    await expect(addBlock({ kind: 'email-domain', value: '-x.example', reason: 'bad', by })).rejects.toThrow();
  });
});

describe('ip entries', () => {
  it('match single addresses and CIDR ranges, v4 and v6, IPv4-mapped IPv6 as IPv4', async () => {
    await addBlock({ kind: 'ip', value: '203.0.113.0/24', reason: 'botnet', by });
    await addBlock({ kind: 'ip', value: '2001:DB8::/32', reason: 'botnet', by });
    await addBlock({ kind: 'ip', value: '198.51.100.7', reason: 'one host', by });
    await addBlock({ kind: 'ip', value: '2001:db9:0:0::5', reason: 'one host', by });
    for (const ip of ['203.0.113.0', '203.0.113.77', '::ffff:203.0.113.9', '2001:db8::1', '2001:db8:ffff:1::1', '198.51.100.7', '2001:db9::5']) {
      expect(await isBlocked({ ip }), ip).toBe(true);
    }
    for (const ip of ['203.0.114.1', '198.51.100.8', '2001:db9::6', '2001:db7::1', '192.0.2.1']) {
      expect(await isBlocked({ ip }), ip).toBe(false);
    }
    expect((await listBlocks()).filter((b) => b.kind === 'ip').map((b) => b.value).sort()).toEqual(
      ['198.51.100.7', '2001:db8::/32', '2001:db9::5', '203.0.113.0/24'].sort(),
    );
  });

  it('stop at once in the container that removes them', async () => {
    await addBlock({ kind: 'ip', value: '192.0.2.0/28', reason: 'test', by });
    expect(await isBlocked({ ip: '192.0.2.3' })).toBe(true);
    await removeBlock('ip', '192.0.2.0/28');
    expect(await isBlocked({ ip: '192.0.2.3' })).toBe(false);
  });

  it('cost no read per submission: a container checks its snapshot, reloaded within a minute', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    // A change made in this container drops its snapshot: the next check loads one on the fake clock.
    await removeBlock('ip', '192.0.2.250');
    expect(await isBlocked({ ip: '192.0.2.200' })).toBe(false);
    const send = vi.spyOn(db(), 'send');
    // Another container (another function) blocks a range: this one sees it once its snapshot expires.
    await db().send(
      new PutCommand({ TableName: tableName, Item: { pk: 'BLOCKLIST', sk: 'ip#192.0.2.128/25', type: 'block', kind: 'ip', value: '192.0.2.128/25', reason: 'elsewhere', at: '', by } }),
    );
    send.mockClear();
    for (let i = 0; i < 20; i++) expect(await isBlocked({ ip: '192.0.2.200' })).toBe(false);
    expect(send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(61_000);
    expect(await isBlocked({ ip: '192.0.2.200' })).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('stay cheap to check with many entries', async () => {
    const ranges = Array.from({ length: 200 }, (_, n) => `10.0.${n}.0/24`);
    for (let i = 0; i < ranges.length; i += 50) {
      await Promise.all(ranges.slice(i, i + 50).map((value) => addBlock({ kind: 'ip', value, reason: 'bulk', by })));
    }
    expect(await isBlocked({ ip: '10.0.42.7' })).toBe(true);
    expect(await isBlocked({ ip: '10.0.200.1' })).toBe(false);
  });
});
