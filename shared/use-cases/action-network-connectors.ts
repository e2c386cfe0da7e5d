import type { ActionNetworkConnector, ConnectorInput } from '#shared/connectors/action-network.ts';
import { connectorSecretName, deleteConnectorKey, putConnectorKey } from '#shared/connectors/connector-keys.ts';
import { notFound } from '#shared/domain/errors.ts';
import { findPartner } from '#shared/domain/partners.ts';
import { getCampaign } from '#shared/store/campaign-store.ts';
import { deleteConnector, getConnector, listConnectors, publicConnector, putConnector } from '#shared/store/connector-store.ts';

/**
 * Setting up and removing a partner's Action Network connector. The key goes to Secrets Manager first and the
 * connector item second: a connector item always names a secret that was written (a failure in between leaves
 * a secret no connector uses, which the next PUT overwrites). Removal goes the other way round: the item first,
 * so nothing is sent with a key being deleted.
 */

/** The campaign and its partner, or a 404 naming what is missing. */
async function campaignPartner(slug: string, partner: string) {
  const campaign = await getCampaign(slug);
  if (!findPartner(campaign, partner)) throw notFound(`The campaign ${slug} has no partner ${partner}: add it to the campaign's partners first.`);
  return campaign;
}

export async function setActionNetworkConnector(slug: string, partner: string, input: ConnectorInput, by: string, now: Date): Promise<ActionNetworkConnector> {
  const campaign = await campaignPartner(slug, partner);
  const secretName = connectorSecretName('action-network', campaign.slug, partner);
  await putConnectorKey(secretName, input.apiKey, `Tadamon: Action Network API key of ${partner} for the campaign ${campaign.slug}`);
  const stored = await putConnector(campaign.slug, { partner, petitionId: input.petitionId, tags: input.tags ?? [], secretName }, by, now);
  return publicConnector(stored);
}

export async function removeActionNetworkConnector(slug: string, partner: string): Promise<void> {
  const campaign = await getCampaign(slug);
  const removed = await deleteConnector(campaign.slug, partner);
  // Also when there is no connector: a removal whose key deletion failed, or a PUT that stopped after its key, left one.
  await deleteConnectorKey(removed?.secretName ?? connectorSecretName('action-network', campaign.slug, partner));
  if (!removed) throw notFound(`The partner ${partner} of ${slug} has no Action Network connector.`);
}

export async function campaignConnectors(slug: string): Promise<ActionNetworkConnector[]> {
  const campaign = await getCampaign(slug);
  return (await listConnectors(campaign.slug)).map(publicConnector);
}

/** The partner must be the campaign's, or have a connector still (a partner removed from the campaign keeps its log). */
export async function connectorOwner(slug: string, partner: string): Promise<string> {
  const campaign = await getCampaign(slug);
  if (!findPartner(campaign, partner) && !(await getConnector(campaign.slug, partner))) throw notFound(`The campaign ${slug} has no partner ${partner}.`);
  return campaign.slug;
}
