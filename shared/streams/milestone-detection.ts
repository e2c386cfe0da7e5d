import { milestoneReached, type MilestoneReached } from '#events/milestone-reached.ts';
import { nowIso } from '#shared/clock.ts';
import { milestonesCrossed } from '#shared/domain/milestones.ts';
import type { DomainEvent } from '#shared/events/publisher.ts';
import { logger } from '#shared/observability.ts';
import { claimMilestone } from '#shared/store/counter-store.ts';
import { parse } from '#shared/store/layout.ts';
import type { Image } from './images.ts';

const total = (image: Image | undefined) => Number(image?.signatures ?? 0) + Number(image?.offset ?? 0);
const claimed = (image: Image | undefined) => new Set<number>([...((image?.milestones as Set<number> | undefined) ?? [])].map(Number));

/**
 * One counter change in, milestones out, in two idempotent steps:
 * 1. a total that crossed a threshold claims it on the counter (a conditional set add: once, ever);
 * 2. a change whose claimed set grew yields MilestoneReached, which the caller puts on the bus (the outbox: a
 *    failed put fails the record, which comes again, so the event is delivered at least once and never lost
 *    after a claim; NotifyOperators claims each milestone id once, so a repeat mails nobody twice).
 * The claim of step 1 is itself a counter change, which comes back through the stream as step 2.
 */
export async function milestoneEvents(newImage: Image, oldImage: Image | undefined, goalOf: (slug: string) => Promise<number | undefined>): Promise<DomainEvent[]> {
  if (newImage.type !== 'counter') return [];
  const slug = parse.campaignSlug(String(newImage.pk));
  const before = total(oldImage);
  const after = total(newImage);
  if (after > before) {
    for (const milestone of milestonesCrossed(before, after, await goalOf(slug))) {
      if (await claimMilestone(slug, milestone.threshold)) logger.info('milestone claimed', { campaign: slug, threshold: milestone.threshold });
    }
  }
  const events: DomainEvent[] = [];
  const had = claimed(oldImage);
  for (const threshold of claimed(newImage)) {
    if (had.has(threshold)) continue;
    const share = milestonesCrossed(threshold - 1, threshold, await goalOf(slug)).find((m) => m.threshold === threshold);
    const detail: MilestoneReached = {
      milestoneId: `${slug}:${threshold}`,
      slug,
      threshold,
      kind: share?.kind ?? 'round-number',
      ...(share?.goalPercent !== undefined ? { goalPercent: share.goalPercent } : {}),
      total: after,
      reachedAt: nowIso(),
    };
    events.push({ detailType: milestoneReached, detail });
  }
  return events;
}
