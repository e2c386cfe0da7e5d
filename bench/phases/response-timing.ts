import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSignature } from '#shared/store/signature-store.ts';
import { confirmSubscription } from '#shared/store/subscription-store.ts';
import { keys } from '#shared/store/table.ts';
import type { Api } from '../stack.ts';
import { percentile, round } from '../stats.ts';

/**
 * Can response time tell whether an address is known? Signing and subscribing are timed from one client, for
 * addresses the table has never seen, addresses waiting for their link and confirmed ones, the paths taken in
 * turn (in a new order each round) so that any drift of the machine weighs on each alike. The medians per path, and their spread (the
 * largest median over the smallest, less one), are the figures: the goal is a spread within 10 %.
 */
export interface TimingPath {
  action: 'sign' | 'subscribe';
  address: 'new' | 'waiting' | 'confirmed';
  requests: number;
  medianMs: number;
  p90Ms: number;
}

export interface TimingReport {
  perPath: number;
  paths: TimingPath[];
  /** Per action: the largest median over the smallest, less one. */
  spread: Record<'sign' | 'subscribe', number>;
  non202: number;
}

const addresses = ['new', 'waiting', 'confirmed'] as const;

export async function responseTiming(api: Api, perPath: number): Promise<TimingReport> {
  const slug = 'timing-probe';
  await api.openCampaign(slug, 'Timing probe');
  const run = Date.now().toString(36);
  const email = (action: string, address: string, i: number) => `${action}-${address}-${run}-${i}@timing.example.org`;
  const sign = (to: string) =>
    fetch(`${api.url}/campaigns/${slug}/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Timing Probe', email: to, country: 'MA' }) });
  const subscribe = (to: string) => fetch(`${api.url}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: to }) });

  // Waiting and confirmed addresses, made through the API as a person would (confirmed straight in the store).
  for (let i = 0; i < perPath; i++) {
    for (const address of ['waiting', 'confirmed'] as const) {
      await (await sign(email('sign', address, i))).arrayBuffer();
      await (await subscribe(email('subscribe', address, i))).arrayBuffer();
    }
    await confirmSignature(keys.signature(slug, emailKey(email('sign', 'confirmed', i))));
    await confirmSubscription(keys.subscriber(emailKey(email('subscribe', 'confirmed', i))));
  }
  // Warm every path before timing it.
  await (await sign(`warm-${run}@timing.example.org`)).arrayBuffer();
  await (await subscribe(`warm-${run}@timing.example.org`)).arrayBuffer();

  const times = new Map<string, number[]>();
  let non202 = 0;
  // The paths in a new order every round: a mail the previous request set off weighs on whichever comes next.
  let seed = 7;
  const shuffled = () =>
    [...addresses]
      .map((address) => ({ address, at: (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) }))
      .sort((a, b) => a.at - b.at)
      .map(({ address }) => address);
  for (let i = 0; i < perPath; i++) {
    for (const action of ['sign', 'subscribe'] as const) {
      for (const address of shuffled()) {
        const started = performance.now();
        const response = await (action === 'sign' ? sign : subscribe)(email(action, address, i));
        await response.arrayBuffer();
        const ms = performance.now() - started;
        if (response.status !== 202) non202++;
        const key = `${action}:${address}`;
        times.set(key, [...(times.get(key) ?? []), ms]);
      }
    }
  }
  const paths: TimingPath[] = [];
  for (const action of ['sign', 'subscribe'] as const) {
    for (const address of addresses) {
      const sorted = [...(times.get(`${action}:${address}`) ?? [])].sort((a, b) => a - b);
      paths.push({ action, address, requests: sorted.length, medianMs: round(percentile(sorted, 50), 2), p90Ms: round(percentile(sorted, 90), 2) });
    }
  }
  const spreadOf = (action: 'sign' | 'subscribe') => {
    const medians = paths.filter((p) => p.action === action).map((p) => p.medianMs);
    return round(Math.max(...medians) / Math.min(...medians) - 1, 3);
  };
  return { perPath, paths, spread: { sign: spreadOf('sign'), subscribe: spreadOf('subscribe') }, non202 };
}
