import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { guardSubmission } from '#shared/abuse/guard.ts';
import { Problem } from '#shared/http/problem.ts';
import { useTestTable } from '#test/support/test-table.ts';

const fromIp = (sourceIp: string) => ({ requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

/** How many of `attempts` submissions from this address pass the per-IP limit (3 per hour here). */
async function accepted(ip: string, attempts = 4): Promise<number> {
  let passed = 0;
  for (let i = 0; i < attempts; i++) {
    try {
      await guardSubmission(fromIp(ip), { action: 'subscribe', email: `p${i}@example.org` });
      passed++;
    } catch (error) {
      if (!(error instanceof Problem) || error.status !== 429) throw error;
    }
  }
  return passed;
}

describe('per-IP rate limits', () => {
  beforeAll(async () => {
    Object.assign(process.env, { RATE_LIMIT_IP_BURST: '3/3600', RATE_LIMIT_IP_SUSTAINED: '0' });
    await useTestTable('ipv6-limits');
    // Mid-window, so that no test straddles a window boundary.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-03-02T10:30:00Z'));
  });

  afterAll(() => {
    vi.useRealTimers();
    for (const name of ['RATE_LIMIT_IP_BURST', 'RATE_LIMIT_IP_SUSTAINED']) Reflect.deleteProperty(process.env, name);
  });

  it('give one IPv6 /64 one budget, whichever of its addresses a client rotates through', async () => {
    const passed = [
      await accepted('2001:db8:aaaa:1::1', 1),
      await accepted('2001:db8:aaaa:1::2', 1),
      await accepted('2001:db8:aaaa:1:ffff:ffff:ffff:fffe', 1),
      await accepted('2001:DB8:AAAA:1:1234::99', 1),
    ];
    expect(passed).toEqual([1, 1, 1, 0]);
  });

  it('give different /64s budgets of their own', async () => {
    expect(await accepted('2001:db8:bbbb:1::1')).toBe(3);
    expect(await accepted('2001:db8:bbbb:2::1')).toBe(3);
  });

  it('count IPv4 per address, and IPv4-mapped IPv6 as that address', async () => {
    expect(await accepted('192.0.2.10', 2)).toBe(2);
    expect(await accepted('::ffff:192.0.2.10', 2)).toBe(1);
    expect(await accepted('192.0.2.11')).toBe(3);
  });
});
