import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { canonicalEmail } from '#shared/domain/email-address.ts';
import type { SignatureInput } from '#shared/domain/signature.ts';
import { hmac, newId } from '#shared/ids.ts';
import { recordAwaitingConfirmation, type RequestOutcome } from './awaiting-confirmation.ts';
import type { Page } from './pagination.ts';
import { queryPage } from './query-pages.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';

/** Indexes an item under the person it belongs to (gsi3), so erasure can find everything about them. */
export function personIndex(pk: string, email: string): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: `PERSON#${emailKey(email)}`, gsi3sk: pk };
}

/** The dedupe key: an HMAC of the canonical address, so a leaked table does not list who signed by hash lookup. */
export function emailKey(email: string): string {
  return hmac('email', canonicalEmail(email));
}

export type SignOutcome = RequestOutcome;

/**
 * Records a pending signature, once per person per campaign. A repeat from a pending signer asks for
 * another confirmation mail (bounded); a repeat from a confirmed signer changes nothing. The caller answers
 * the same in every case, so the answer never tells whether an address is known.
 */
export async function recordSignature(campaign: string, input: SignatureInput): Promise<SignOutcome> {
  const key = keys.signature(campaign, emailKey(input.email));
  return recordAwaitingConfirmation(key, { type: 'signature', id: newId(), campaign, ...input, ...personIndex(key.pk, input.email) }, 'pending');
}

export type ConfirmOutcome = 'confirmed' | 'already-confirmed' | 'missing';

export async function confirmSignature(key: { pk: string; sk: string }): Promise<ConfirmOutcome> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET #status = :confirmed, confirmedAt = :at REMOVE expiresAt',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':confirmed': 'confirmed', ':pending': 'pending', ':at': now().toISOString() },
      }),
    );
    return 'confirmed';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  // A second click, or an earlier link of the same person: the signature stands, counted once.
  const existing = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return existing.Item ? 'already-confirmed' : 'missing';
}

export interface PublicSignature {
  name: string;
  country: string;
  signedAt: string;
}

/** Newest first. Only signatures the counter has listed: confirmed, and `public: true`. */
export function listPublicSignatures(campaign: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<PublicSignature>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      // A signer erased while their confirmation was being counted must not reappear without a name.
      FilterExpression: 'attribute_not_exists(#status) OR #status <> :erased',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': `SIGNATURES#${campaign}`, ':erased': 'erased' },
      ScanIndexForward: false,
    },
    {
      scope: `signatures:${campaign}`,
      limit: page.limit,
      cursor: page.cursor,
      keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      map: (item) => ({ name: String(item.name), country: String(item.country), signedAt: String(item.confirmedAt) }),
    },
  );
}

export interface ExportedSignature {
  name: string;
  email: string;
  country: string;
  postcode: string;
  comment: string;
  signedAt: string;
}

/**
 * A campaign's counted (confirmed) signatures, oldest first, from `cursor` on: `limit` of them and the cursor
 * of the next one (null at the end). Exports read these a thousand at a time, so nothing is held whole.
 */
export function confirmedSignaturePage(campaign: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ExportedSignature>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      // Erased signatures still count, but nothing of them is left to deliver.
      FilterExpression: 'attribute_not_exists(#status) OR #status <> :erased',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': `CONFIRMED#${campaign}`, ':erased': 'erased' },
      ScanIndexForward: true,
    },
    {
      scope: `export:${campaign}`,
      limit: page.limit,
      cursor: page.cursor,
      keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
      map: (item) => ({
        name: String(item.name ?? ''),
        email: String(item.email ?? ''),
        country: String(item.country ?? ''),
        postcode: String(item.postcode ?? ''),
        comment: String(item.comment ?? ''),
        signedAt: String(item.confirmedAt ?? ''),
      }),
    },
  );
}

/** The subscriber key of a signer who asked for updates (`subscribe: true`), or undefined. */
export async function signatureWantsUpdates(key: { pk: string; sk: string }): Promise<string | undefined> {
  const result = await db().send(new GetCommand({ TableName: tableName(), Key: key, ProjectionExpression: 'subscribe, email' }));
  return result.Item?.subscribe === true && result.Item.email ? emailKey(String(result.Item.email)) : undefined;
}
