import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCampaignDocument, parseTranslationDocument } from '#shared/domain/campaign-document.ts';
import { createCampaign } from '#shared/store/campaign-store.ts';
import { setOffset } from '#shared/store/counter-store.ts';
import { recordApprovedEndorsement } from '#shared/store/endorsement-store.ts';

const folder = path.join(import.meta.dirname, 'demo-campaigns');

/**
 * Loads the sample campaigns, written from real documents (see demo-campaigns/README.md), through the same
 * store functions the API uses. Campaigns keep their documents' dates as creation time, so lists read in
 * the order the documents were published.
 */
export async function loadDemoCampaigns(): Promise<number> {
  const files = readdirSync(folder).filter((f) => /^[a-z0-9-]+\.md$/.test(f));
  let loaded = 0;
  for (const file of files.sort()) {
    const slug = file.replace(/\.md$/, '');
    const document = parseCampaignDocument(readFileSync(path.join(folder, file), 'utf8'));
    const translations = Object.fromEntries(
      readdirSync(folder)
        .filter((f) => f.startsWith(`${slug}.`) && f !== file && f.endsWith('.md'))
        .map((f) => [f.slice(slug.length + 1, -3), parseTranslationDocument(readFileSync(path.join(folder, f), 'utf8'))]),
    );
    const campaign = await createCampaign(
      { ...document.campaign, translations: { ...document.campaign.translations, ...translations } },
      { status: document.status, ...(document.campaign.opensAt ? { createdAt: document.campaign.opensAt } : {}) },
    );
    if (document.offset) await setOffset(campaign.slug, document.offset, 'demo-data', campaign.goal);
    for (const endorsement of document.endorsements) await recordApprovedEndorsement(campaign.slug, endorsement);
    loaded++;
  }
  return loaded;
}
