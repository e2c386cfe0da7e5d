import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '#shared/domain/errors.ts';
import { nowIso } from '#shared/clock.ts';
import {
  slugSchema,
  slugFromTitle,
  type Campaign,
  type CampaignInput,
  type CampaignKind,
  type CampaignPatch,
  type CampaignStatus,
} from '#shared/domain/campaign.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { cancellationReasons, db, isConditionFailure, keys, tableName } from './table.ts';
import { indexEntries, partitions } from './layout.ts';
import { campaignCodec } from './items.ts';

const toCampaign = campaignCodec.decode;

function listKeys(status: CampaignStatus, createdAt: string, slug: string) {
  return indexEntries.campaign(status, createdAt, slug);
}

export interface CreateOptions {
  status?: CampaignStatus;
  /** Demo data keeps the seed documents' own order. */
  createdAt?: string;
  offset?: number;
}

/**
 * A campaign and its counter are born together in one transaction: the stream aggregator can then always
 * update the counter's nested per-country map without first checking that the item exists.
 */
export async function createCampaign(input: CampaignInput, options: CreateOptions = {}): Promise<Campaign> {
  const explicit = input.slug !== undefined;
  const base = input.slug ?? slugFromTitle(input.title);
  for (let attempt = 1; attempt <= 20; attempt++) {
    // Trimmed of a trailing hyphen where the cut falls, so the suffixed slug stays a valid slug.
    const slug = attempt === 1 ? base : `${base.slice(0, 76).replace(/-+$/, '')}-${attempt}`;
    try {
      return await insertCampaign(slug, input, options);
    } catch (error) {
      if (!isTransactionConditionFailure(error)) throw error;
      if (explicit) throw conflict('slug-taken', `The slug "${slug}" is already taken.`);
    }
  }
  throw conflict('slug-taken', `Every slug derived from "${base}" is taken; choose one.`);
}

async function insertCampaign(slug: string, input: CampaignInput, options: CreateOptions): Promise<Campaign> {
  const at = nowIso();
  const createdAt = options.createdAt ?? at;
  const status = options.status ?? 'draft';
  const { slug: _ignored, ...fields } = input;
  const campaign: Campaign = { ...fields, slug, status, createdAt, updatedAt: at };
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.campaign(slug), type: 'campaign', ...listKeys(status, createdAt, slug), ...campaign },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.counter(slug), type: 'counter', signatures: 0, endorsements: 0, offset: options.offset ?? 0, byCountry: {} },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
  return campaign;
}

function isTransactionConditionFailure(error: unknown): boolean {
  return cancellationReasons(error)?.some((r) => r.Code === 'ConditionalCheckFailed') ?? false;
}

export async function findCampaign(slug: string): Promise<Campaign | undefined> {
  // Anything that cannot be a slug (traversal attempts, over-long keys DynamoDB would refuse) is simply unknown.
  if (!slugSchema.safeParse(slug).success) return undefined;
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: keys.campaign(slug) }));
  return result.Item ? toCampaign(result.Item) : undefined;
}

export async function getCampaign(slug: string): Promise<Campaign> {
  const campaign = await findCampaign(slug);
  if (!campaign) throw notFound(`There is no campaign "${slug}".`);
  return campaign;
}

/** A campaign the public may see: drafts are as invisible as campaigns that do not exist. */
export async function getPublicCampaign(slug: string): Promise<Campaign> {
  const campaign = await findCampaign(slug);
  if (!campaign || campaign.status === 'draft') throw notFound(`There is no campaign "${slug}".`);
  return campaign;
}

export async function listCampaigns(query: {
  status?: CampaignStatus | undefined;
  kind?: CampaignKind | undefined;
  limit: number;
  cursor?: string | undefined;
}): Promise<Page<Campaign>> {
  const byStatus = query.status !== undefined;
  return queryPage(
    {
      TableName: tableName(),
      IndexName: byStatus ? 'gsi1' : 'gsi2',
      KeyConditionExpression: byStatus ? 'gsi1pk = :pk' : 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': query.status !== undefined ? partitions.campaignsWithStatus(query.status) : partitions.campaigns, ...(query.kind ? { ':kind': query.kind } : {}) },
      ...(query.kind ? { FilterExpression: 'kind = :kind' } : {}),
      ScanIndexForward: false,
    },
    {
      scope: `campaigns:${query.status ?? '*'}:${query.kind ?? '*'}`,
      limit: query.limit,
      cursor: query.cursor,
      keyAttributes: byStatus ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
      map: toCampaign,
    },
  );
}

/** Every campaign of a status, newest first, a page at a time: for jobs that must visit them all. */
export async function* campaignsWithStatus(status: CampaignStatus): AsyncGenerator<Campaign> {
  let cursor: string | undefined;
  do {
    const page = await listCampaigns({ status, limit: 100, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export async function updateCampaign(slug: string, patch: CampaignPatch): Promise<Campaign> {
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':updatedAt': nowIso() };
  const sets = ['#updatedAt = :updatedAt'];
  const removes: string[] = [];
  let i = 0;
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (field === 'translations') {
      // Translations merge per locale, so each language can be sent (and stay under the body limit) alone.
      // The name is only declared when a locale uses it: DynamoDB refuses unused expression names.
      for (const [locale, translation] of Object.entries(value as Record<string, unknown>)) {
        names['#translations'] = 'translations';
        names[`#l${i}`] = locale;
        if (translation === null) {
          // Removing a translation that is not there changes nothing, as REMOVE of a missing path does.
          removes.push(`#translations.#l${i}`);
        } else {
          values[`:v${i}`] = translation;
          sets.push(`#translations.#l${i} = :v${i}`);
        }
        i++;
      }
      continue;
    }
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    sets.push(`#f${i} = :v${i}`);
    i++;
  }
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.campaign(slug),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toCampaign(result.Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) throw notFound(`There is no campaign "${slug}".`);
    throw error;
  }
}

/**
 * Moves a campaign along draft → open → closed. Moving to where it already is changes nothing and
 * succeeds, so an operator's retried click is harmless; other moves outside `from` are a 409.
 */
export async function transitionCampaign(slug: string, from: CampaignStatus[], to: CampaignStatus): Promise<Campaign> {
  const campaign = await getCampaign(slug);
  if (campaign.status === to) return campaign;
  if (!from.includes(campaign.status)) {
    throw conflict('invalid-transition', `A ${campaign.status} campaign cannot become ${to}.`);
  }
  const at = nowIso();
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.campaign(slug),
        UpdateExpression: `SET #status = :to, updatedAt = :at, gsi1pk = :gsi1pk${to === 'open' ? ', publishedAt = if_not_exists(publishedAt, :at)' : ''}${to === 'closed' ? ', closedAt = :at' : ''}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':to': to, ':from': campaign.status, ':at': at, ':gsi1pk': partitions.campaignsWithStatus(to) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toCampaign(result.Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) throw conflict('concurrent-change', 'The campaign changed meanwhile; try again.');
    throw error;
  }
}

/** Records that a closed campaign's signers were anonymised (after the retention period). */
export async function markAnonymised(slug: string): Promise<void> {
  await db().send(new UpdateCommand({ TableName: tableName(), Key: keys.campaign(slug), UpdateExpression: 'SET anonymisedAt = :at', ExpressionAttributeValues: { ':at': nowIso() } }));
}
