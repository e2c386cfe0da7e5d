import { conflict } from '#shared/domain/errors.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { getCounts } from '#shared/store/counter-store.ts';
import { listApprovedEndorsements } from '#shared/store/endorsement-store.ts';
import type { Page } from '#shared/store/pagination.ts';
import { confirmedSignaturePage, listPublicSignatures } from '#shared/store/signature-store.ts';
import { renderDeliveryDocument, type DeliveryContent, type Signatory } from './delivery-document.ts';

export interface DeliveryRequest {
  names: 'public' | 'all';
  /** Where this part's names start: absent for the first part. */
  cursor?: string | undefined;
  /** The number of the first name in this part (1 for the first part). */
  from: number;
  at: Date;
}

export interface DeliveryPart {
  slug: string;
  pdf: Buffer;
  names: number;
  /** Present while names are left for a further part. */
  nextCursor?: string;
}

/**
 * Within Lambda's 6 MB synchronous response (base64 makes 4 bytes of 3, so 4.5 MB of PDF at most) and API
 * Gateway's 30 s: a part stops listing once its PDF passes 3 MB or it has taken 20 s, checked after each
 * thousand names (a thousand names add about 50 KB).
 */
export const partBudget = { maxBytes: 3_000_000, maxMs: 20_000, namesPerRead: 1000 };

/**
 * One part of a campaign's delivery document. `names=all` only for a campaign whose signers were told that
 * their name goes to the target (`deliverAllNames`): a refusal before anything is read.
 */
export async function deliveryPart(slug: string, request: DeliveryRequest, budget = partBudget): Promise<DeliveryPart> {
  const campaign = await getCampaign(slug);
  if (request.names === 'all' && campaign.deliverAllNames !== true) {
    throw conflict(
      'names-not-consented',
      `The signers of "${campaign.slug}" were not told that their names go to the target: only the public names (names=public) can be delivered. Set deliverAllNames on a campaign whose consent text says so.`,
    );
  }
  const first = request.from === 1 && request.cursor === undefined;
  const counts = await getCounts(campaign.slug, campaign.goal);
  const content: DeliveryContent = {
    locale: campaign.locale,
    title: campaign.title,
    target: campaign.target,
    issuedBy: campaign.issuedBy,
    letter: campaign.letter,
    demands: campaign.demands,
    counts,
    at: request.at,
    organisations: first ? await allOrganisations(campaign.slug) : [],
    names: request.names,
  };
  let cursor = request.cursor;
  const read = (): Promise<Page<Signatory>> =>
    request.names === 'all' ? confirmedSignaturePage(campaign.slug, { limit: budget.namesPerRead, cursor }) : listPublicSignatures(campaign.slug, { limit: budget.namesPerRead, cursor });
  const rendered = await renderDeliveryDocument(
    content,
    async () => {
      const page = await read();
      cursor = page.nextCursor ?? undefined;
      return { signatories: page.items.map(({ name, country }) => ({ name, country })), more: cursor !== undefined };
    },
    { maxBytes: budget.maxBytes, maxMs: budget.maxMs, firstName: request.from },
  );
  return { slug: campaign.slug, pdf: rendered.pdf, names: rendered.names, ...(rendered.complete || !cursor ? {} : { nextCursor: cursor }) };
}

async function allOrganisations(slug: string): Promise<DeliveryContent['organisations']> {
  const organisations: DeliveryContent['organisations'] = [];
  let cursor: string | undefined;
  do {
    const page = await listApprovedEndorsements(slug, { limit: 100, cursor });
    organisations.push(...page.items.map(({ organisation, country }) => ({ organisation, country })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return organisations;
}
