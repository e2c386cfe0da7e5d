import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import { canonicalEmail } from '#shared/domain/email-address.ts';
import type { Endorsement, EndorsementInput, EndorsementOrder, EndorsementStatus, PublicEndorsement } from '#shared/domain/endorsement.ts';
export type { PublicEndorsement };
import { conflict, notFound } from '#shared/domain/errors.ts';
import { hmac } from '#shared/ids.ts';
import { confirmAwaiting, recordAwaitingConfirmation, type ClickScope, type ConfirmOutcome, type RequestOutcome } from './awaiting-confirmation.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { personIndex } from './signature-store.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';
import { endorsementStatus } from '#shared/domain/statuses.ts';
import { indexEntries, parse, partitions } from './layout.ts';
import { endorsementCodec, type StoredItem } from './items.ts';

/** Ids operators type and paste: hex, so none starts with `-` and reads as a command-line option. */
function readableId(digest: string): string {
  return Buffer.from(digest, 'base64url').toString('hex').slice(0, 26);
}

/** One endorsement per organisation and contact per campaign: the id is derived, so a repeat finds it. */
export function endorsementId(campaign: string, input: Pick<EndorsementInput, 'email' | 'organisation'>): string {
  return readableId(hmac('endorsement', `${campaign}\u0000${canonicalEmail(input.email)}\u0000${input.organisation.toLowerCase()}`));
}

function statusKeys(status: EndorsementStatus, campaign: string, id: string, at: string) {
  return {
    ...indexEntries.endorsementWithStatus(status, at, id),
    // Only approved endorsements are in the campaign's public list.
    ...(status === endorsementStatus.approved ? indexEntries.approvedEndorsement(campaign, at, id) : {}),
  };
}

export async function recordEndorsement(campaign: string, input: EndorsementInput): Promise<RequestOutcome> {
  const id = endorsementId(campaign, input);
  const key = keys.endorsement(id);
  return recordAwaitingConfirmation(key, { type: 'endorsement', id, campaign, ...input, ...personIndex(key.pk, input.email) }, endorsementStatus.awaitingLink, { optional: ['website', 'contactName', 'locale'] });
}

/** The contact confirmed: the endorsement now waits for an operator. */
export async function confirmEndorsement(key: { pk: string; sk: string }, scope: ClickScope = {}): Promise<ConfirmOutcome> {
  const at = nowIso();
  const id = parse.endorsementId(key.pk);
  return (await confirmAwaiting(key, { from: endorsementStatus.awaitingLink, to: endorsementStatus.awaitingOperator, set: { confirmedAt: at, ...statusKeys(endorsementStatus.awaitingOperator, '', id, at) }, ...scope })).outcome;
}

/** An operator's decision on a confirmed endorsement. Deciding the same way twice is harmless. */
export async function decideEndorsement(id: string, decision: 'approved' | 'rejected', operatorId: string): Promise<Endorsement> {
  const current = await getEndorsement(id);
  if (current.status === decision) return current;
  if (current.status !== endorsementStatus.awaitingOperator) {
    throw conflict('invalid-transition', current.status === endorsementStatus.awaitingLink ? 'The contact has not confirmed this endorsement yet.' : `This endorsement is already ${current.status}.`);
  }
  const at = nowIso();
  const next = statusKeys(decision, current.campaign, id, at);
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.endorsement(id),
        UpdateExpression: `SET #status = :decision, decidedAt = :at, decidedBy = :by, ${Object.keys(next).map((k) => `${k} = :${k}`).join(', ')}`,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':decision': decision, ':pending': endorsementStatus.awaitingOperator, ':at': at, ':by': operatorId, ...Object.fromEntries(Object.entries(next).map(([k, v]) => [`:${k}`, v])) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toEndorsement(result.Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) throw conflict('concurrent-change', 'The endorsement changed meanwhile; try again.');
    throw error;
  }
}

export async function getEndorsement(id: string): Promise<Endorsement> {
  const item = /^[A-Za-z0-9_-]{1,64}$/.test(id)
    ? (await db().send(new GetCommand({ TableName: tableName(), Key: keys.endorsement(id) }))).Item
    : undefined;
  if (!item) throw notFound(`There is no endorsement "${id}".`);
  return toEndorsement(item);
}

/**
 * An endorsement already approved, with no contact to confirm: organisations that signed a published
 * statement (the demo data). The stream counts it like any approval.
 */
export async function recordApprovedEndorsement(campaign: string, endorsement: PublicEndorsement): Promise<void> {
  // Derived, so loading the same list again (or an SDK retry of a write that did land) adds nothing.
  const id = readableId(hmac('listed-endorsement', `${campaign}\u0000${endorsement.organisation.toLowerCase()}`));
  const at = nowIso();
  try {
    await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.endorsement(id),
        type: 'endorsement',
        id,
        campaign,
        ...endorsement,
        status: endorsementStatus.approved,
        createdAt: at,
        decidedAt: at,
        decidedBy: 'demo-data',
        ...statusKeys(endorsementStatus.approved, campaign, id, at),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * A campaign's approved endorsements, a page at a time. One index partition per campaign, sorted by approval
 * time (`<at>#<id>`): oldest first is the order organisations joined, as a statement lists its signatories;
 * newest first reads the same partition backwards (who joined lately, for a widget).
 */
export function listApprovedEndorsements(
  campaign: string,
  page: { limit: number; cursor?: string | undefined; order?: EndorsementOrder | undefined },
): Promise<Page<PublicEndorsement>> {
  const newest = page.order === 'newest';
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.approvedEndorsements(campaign) },
      ScanIndexForward: !newest,
    },
    {
      // A cursor knows its order: one from the other end would skip or repeat organisations, so it is refused.
      scope: newest ? `endorsements:${campaign}:newest` : `endorsements:${campaign}`,
      limit: page.limit,
      cursor: page.cursor,
      keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      map: endorsementCodec.decodePublic,
    },
  );
}

export function listEndorsementsByStatus(status: EndorsementStatus, page: { limit: number; cursor?: string | undefined }): Promise<Page<Endorsement>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.endorsementsWithStatus(status) },
      ScanIndexForward: true,
    },
    { scope: `endorsements-by-status:${status}`, limit: page.limit, cursor: page.cursor, keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'], map: toEndorsement },
  );
}

const toEndorsement = (item: StoredItem): Endorsement => endorsementCodec.decode(item);
