import { milestoneReached, type MilestoneReached } from '#events/milestone-reached.ts';
import { nowIso } from '#shared/clock.ts';
import { milestonesCrossed } from '#shared/domain/milestones.ts';
import { publish, type DomainEvent } from '#shared/events/publisher.ts';
import { logger } from '#shared/observability.ts';
import { findCampaign } from '#shared/store/campaign-store.ts';
import { claimMilestone } from '#shared/store/counter-store.ts';
import { images, type Image } from '#shared/streams/images.ts';
import { batchStreamHandler } from '#shared/triggers/stream-handler.ts';
import { parse } from '#shared/store/layout.ts';

const total = (image: Image | undefined) => Number(image?.signatures ?? 0) + Number(image?.offset ?? 0);
const claimed = (image: Image | undefined) => new Set<number>([...((image?.milestones as Set<number> | undefined) ?? [])].map(Number));

/**
 * Counter changes in, milestones out, in two idempotent steps:
 * 1. a total that crossed a threshold claims it on the counter (a conditional set add: once, ever);
 * 2. a counter whose claimed set grew puts MilestoneReached on the bus (the outbox: a failed put is
 *    retried with the batch, so the event is delivered at least once and never lost after a claim).
 * Any failure throws: the whole batch is retried, and both steps are idempotent.
 */
export const handler = batchStreamHandler(async (records) => {
  const events: DomainEvent[] = [];
  const goals = new Map<string, number | undefined>();
  // A campaign's goal is read once per invocation, however many of its counter changes the batch holds.
  const goalOf = async (slug: string) => {
    if (!goals.has(slug)) goals.set(slug, (await findCampaign(slug))?.goal);
    return goals.get(slug);
  };
  for (const record of records) {
    const { newImage, oldImage } = images(record);
    if (!newImage || newImage.type !== 'counter') continue;
    const slug = parse.campaignSlug(String(newImage.pk));
    const before = total(oldImage);
    const after = total(newImage);
    if (after > before) {
      for (const milestone of milestonesCrossed(before, after, await goalOf(slug))) {
        if (await claimMilestone(slug, milestone.threshold)) logger.info('milestone claimed', { campaign: slug, threshold: milestone.threshold });
      }
    }
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
  }
  if (events.length > 0) await publish(events);
  return [];
});
