import { beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema, type CampaignInput } from '#shared/domain/campaign.ts';
import {
  createCampaign,
  findCampaign,
  getCampaign,
  getPublicCampaign,
  listCampaigns,
  transitionCampaign,
  updateCampaign,
} from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { useTestTable } from '#test/support/test-table.ts';
import { problemFrom } from '#test/support/problems.ts';
import { NotFoundError } from '#shared/domain/errors.ts';

const input = (fields: Record<string, unknown>): CampaignInput => campaignInputSchema.parse({ kind: 'petition', ...fields });

describe('campaign store', () => {
  beforeAll(async () => {
    await useTestTable('campaign-store');
  });

  describe('creating a campaign', () => {
    it('derives the slug from the title and starts as a draft', async () => {
      const campaign = await createCampaign(input({ title: 'Urge Morocco to free Nasser Zefzafi!', countries: ['MA'], goal: 1000 }));
      expect(campaign).toMatchObject({ slug: 'urge-morocco-to-free-nasser-zefzafi', status: 'draft', title: 'Urge Morocco to free Nasser Zefzafi!', countries: ['MA'] });
      expect(campaign.createdAt).toBe(campaign.updatedAt);
      expect(await findCampaign(campaign.slug)).toEqual(campaign);
    });

    it('creates the counter with it, at zero', async () => {
      const campaign = await createCampaign(input({ title: 'Counted from zero', goal: 500 }));
      expect(await getCounts(campaign.slug, campaign.goal)).toEqual({ signatures: 0, offset: 0, total: 0, endorsements: 0, goal: 500, byCountry: {} });
    });

    it('takes an offset at creation into the counter', async () => {
      const campaign = await createCampaign(input({ title: 'Offline signatures' }), { offset: 785 });
      expect(await getCounts(campaign.slug, undefined)).toMatchObject({ signatures: 0, offset: 785, total: 785, goal: null });
    });

    it('answers 409 when an explicit slug is taken, and leaves the first campaign alone', async () => {
      await createCampaign(input({ slug: 'free-them-all', title: 'The first' }));
      const problem = await problemFrom(createCampaign(input({ slug: 'free-them-all', title: 'The second' })));
      expect(problem.status).toBe(409);
      expect(problem.slug).toBe('slug-taken');
      expect((await getCampaign('free-them-all')).title).toBe('The first');
    });

    it('gives a derived slug a numbered suffix when it is taken', async () => {
      const first = await createCampaign(input({ title: 'Solidarity with the strikers' }));
      const second = await createCampaign(input({ title: 'Solidarity with the strikers' }));
      const third = await createCampaign(input({ title: 'Solidarity with the Strikers!' }));
      expect([first.slug, second.slug, third.slug]).toEqual(['solidarity-with-the-strikers', 'solidarity-with-the-strikers-2', 'solidarity-with-the-strikers-3']);
      expect((await getCampaign(first.slug)).createdAt).toBe(first.createdAt);
    });

    it('keeps suffixed slugs valid and within 80 characters', async () => {
      // The derived slug has a hyphen exactly where the suffix is cut in.
      const title = `${'a'.repeat(75)} ${'b'.repeat(30)}`;
      const first = await createCampaign(input({ title }));
      const second = await createCampaign(input({ title }));
      expect(first.slug).toHaveLength(80);
      expect(second.slug).not.toBe(first.slug);
      for (const slug of [first.slug, second.slug]) {
        expect(slug.length).toBeLessThanOrEqual(80);
        expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      }
    });
  });

  describe('updating a campaign', () => {
    it('changes what the patch names and nothing else', async () => {
      const created = await createCampaign(input({ title: 'Before', summary: 'Kept', countries: ['TR'], goal: 10 }));
      const updated = await updateCampaign(created.slug, { title: 'After', goal: 20 });
      expect(updated).toMatchObject({ slug: created.slug, title: 'After', goal: 20, summary: 'Kept', countries: ['TR'], status: 'draft', createdAt: created.createdAt });
      expect(updated.updatedAt >= created.updatedAt).toBe(true);
      expect(await getCampaign(created.slug)).toEqual(updated);
    });

    it('merges translations per locale', async () => {
      const fr = { title: 'Libérez-les', summary: 'fr', body: 'corps' };
      const ar = { title: 'أطلقوا سراحهم', summary: 'ar', body: 'نص' };
      const created = await createCampaign(input({ title: 'Free them', translations: { fr } }));

      const withArabic = await updateCampaign(created.slug, { translations: { ar } });
      expect(withArabic.translations).toEqual({ fr, ar });

      const frenchAgain = { ...fr, title: 'Libérez-les tous' };
      const updated = await updateCampaign(created.slug, { translations: { fr: frenchAgain } });
      expect(updated.translations).toEqual({ fr: frenchAgain, ar });
    });

    it('treats an empty translations map as nothing to merge', async () => {
      const created = await createCampaign(input({ title: 'Nothing to translate', translations: { fr: { title: 't', summary: '', body: '' } } }));
      const updated = await updateCampaign(created.slug, { title: 'Still nothing to translate', translations: {} });
      expect(updated.title).toBe('Still nothing to translate');
      expect(updated.translations).toEqual({ fr: { title: 't', summary: '', body: '' } });
    });

    it('answers 404 for a campaign that does not exist, and creates nothing', async () => {
      expect((await problemFrom(updateCampaign('no-such-campaign', { title: 'x' }))).status).toBe(404);
      expect(await findCampaign('no-such-campaign')).toBeUndefined();
    });
  });

  describe('moving a campaign along draft → open → closed', () => {
    it('publishes a draft and closes an open campaign, moving it between status lists', async () => {
      const draft = await createCampaign(input({ title: 'A whole life' }));
      await expect(getPublicCampaign(draft.slug)).rejects.toBeInstanceOf(NotFoundError);

      const open = await transitionCampaign(draft.slug, ['draft', 'closed'], 'open');
      expect(open.status).toBe('open');
      expect((await getPublicCampaign(draft.slug)).status).toBe('open');
      expect(slugs(await listCampaigns({ status: 'open', limit: 100 }))).toContain(draft.slug);
      expect(slugs(await listCampaigns({ status: 'draft', limit: 100 }))).not.toContain(draft.slug);

      const closed = await transitionCampaign(draft.slug, ['open'], 'closed');
      expect(closed.status).toBe('closed');
      expect(slugs(await listCampaigns({ status: 'closed', limit: 100 }))).toContain(draft.slug);
      expect(slugs(await listCampaigns({ status: 'open', limit: 100 }))).not.toContain(draft.slug);
    });

    it('makes a repeated move a no-op that succeeds', async () => {
      const draft = await createCampaign(input({ title: 'Twice clicked' }));
      const open = await transitionCampaign(draft.slug, ['draft', 'closed'], 'open');
      const again = await transitionCampaign(draft.slug, ['draft', 'closed'], 'open');
      expect(again).toEqual(open);
      const closed = await transitionCampaign(draft.slug, ['open'], 'closed');
      expect(await transitionCampaign(draft.slug, ['open'], 'closed')).toEqual(closed);
    });

    it('reopens a closed campaign when publishing allows it', async () => {
      const draft = await createCampaign(input({ title: 'Reopened' }));
      await transitionCampaign(draft.slug, ['draft', 'closed'], 'open');
      await transitionCampaign(draft.slug, ['open'], 'closed');
      expect((await transitionCampaign(draft.slug, ['draft', 'closed'], 'open')).status).toBe('open');
    });

    it('answers 409 when closing a draft, and leaves it a draft', async () => {
      const draft = await createCampaign(input({ title: 'Never opened' }));
      const problem = await problemFrom(transitionCampaign(draft.slug, ['open'], 'closed'));
      expect(problem.status).toBe(409);
      expect(problem.slug).toBe('invalid-transition');
      expect((await getCampaign(draft.slug)).status).toBe('draft');
    });

    it('answers 404 for a campaign that does not exist', async () => {
      expect((await problemFrom(transitionCampaign('no-such-campaign', ['draft'], 'open'))).status).toBe(404);
    });
  });
});

function slugs(page: { items: { slug: string }[] }): string[] {
  return page.items.map((c) => c.slug);
}
