import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';
import { canonicalEmail } from '#shared/domain/email-address.ts';
import type { PartnerConsents } from '#shared/domain/partners.ts';
import type { SignatureInput, StoredSignatureSource } from '#shared/domain/signature.ts';
import { hmac, newId } from '#shared/ids.ts';
import { confirmAwaiting, recordAwaitingConfirmation, type ClickScope, type Confirmation, type ConfirmOutcome, type RequestOutcome } from './awaiting-confirmation.ts';
import type { Page } from './pagination.ts';
import { mergedQueryPage } from './query-pages.ts';
import { db, keys, tableName } from './table.ts';
import { signatureStatus } from '#shared/domain/statuses.ts';
import { indexEntries, parse, partitions } from './layout.ts';
import { signatureCodec, type SignatureItem } from './items.ts';

/** Indexes an item under the person it belongs to (gsi3), so erasure can find everything about them. */
export function personIndex(pk: string, email: string): { gsi3pk: string; gsi3sk: string } {
  return indexEntries.person(personKey(email), pk);
}

/**
 * The person index's key: an HMAC of the canonical address under a key of its own, so it never equals (nor
 * can be matched with) the email key that item keys carry.
 */
export function personKey(email: string): string {
  return hmac('person', canonicalEmail(email));
}

/**
 * The email key, the one HMAC of an address that item keys carry (a signature, a subscriber, a suppression, a
 * delivery): of the canonical address, so a leaked table does not list who signed by hash lookup, and a repeat
 * finds its item.
 */
export function emailKey(email: string): string {
  return hmac('email', canonicalEmail(email));
}

export type SignOutcome = RequestOutcome;

/**
 * A signature as recorded: the person's fields, with the partners they chose as consents (the text each box
 * showed), never as bare ids.
 */
export type RecordedSignature = Omit<SignatureInput, 'partners'> & { partnerConsents?: PartnerConsents | undefined };

/**
 * What a signer may leave out: a repeat that leaves them out removes the earlier request's. Consents too: the
 * newest request decides, so a box a stranger ticked on a waiting request goes when the owner signs without it.
 */
const optionalSignatureFields = ['postcode', 'comment', 'locale', 'source', 'partnerConsents'] as const satisfies readonly (keyof RecordedSignature)[];

/**
 * Records a pending signature, once per person per campaign. A repeat from a pending signer replaces its
 * fields (the newest request is what a click confirms) and asks for another confirmation mail; a repeat from a
 * confirmed signer changes nothing. The caller answers the same in every case, so the answer never tells
 * whether an address is known.
 */
export async function recordSignature(campaign: string, input: RecordedSignature & { partners?: unknown }): Promise<SignOutcome> {
  const key = keys.signature(campaign, emailKey(input.email));
  // Bare partner ids are never stored: only consents, with the text they were given with (sign-campaign.ts).
  const { partners: _partners, ...fields } = input;
  return recordAwaitingConfirmation(key, { type: 'signature', campaign, ...fields, ...personIndex(key.pk, input.email) }, signatureStatus.awaitingLink, {
    optional: optionalSignatureFields,
    once: { id: newId() },
  });
}

export type { ConfirmOutcome };

/**
 * Confirms a pending signature (within the click's scope: the request its confirm page showed, the item its
 * link was mailed for); a second click, or an earlier link of the same person, finds it standing.
 */
export function confirmPendingSignature(key: { pk: string; sk: string }, scope: ClickScope = {}): Promise<Confirmation> {
  const confirmedAt = now().toISOString();
  // The same write files it in the sparse index of uncounted confirmations; counting takes it out again.
  const uncounted = indexEntries.uncountedSignature(parse.signatureCampaign(key.pk), confirmedAt, key.pk);
  return confirmAwaiting(key, { from: signatureStatus.awaitingLink, to: signatureStatus.confirmed, set: { confirmedAt, ...uncounted }, ...scope });
}

export async function confirmSignature(key: { pk: string; sk: string }): Promise<ConfirmOutcome> {
  return (await confirmPendingSignature(key)).outcome;
}

export interface PublicSignature {
  name: string;
  country: string;
  signedAt: string;
}

/**
 * Newest first. Only signatures the counter has listed: confirmed, and `public: true`. The list is spread over
 * the campaign's shards (layout.ts `signatureShards`); a page merges them in time order.
 */
export function listPublicSignatures(campaign: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<PublicSignature>> {
  return mergedQueryPage(
    // A signer erased while their confirmation was being counted must not reappear without a name.
    partitions.allPublicSignatures(campaign).map((partition) => unerased('gsi1', partition)),
    {
      scope: `signatures:${campaign}`,
      limit: page.limit,
      cursor: page.cursor,
      sortKey: 'gsi1sk',
      ascending: false,
      map: (item) => {
        const { name, country, confirmedAt } = signatureCodec.decode(item);
        return { name, country, signedAt: confirmedAt };
      },
    },
  );
}

export interface ExportedSignature {
  name: string;
  email: string;
  country: string;
  postcode: string;
  comment: string;
  /** When the confirmed request was made; the confirmation time for signatures stored before it was kept. */
  signedAt: string;
  confirmedAt: string;
  locale: string;
  source?: StoredSignatureSource;
  public: boolean;
  subscribed: boolean;
}

/**
 * The queries (one per shard) for a campaign's counted signatures that still have a person's data: erased
 * (anonymised) ones stay in the index, since they still count, but nothing of them is left to deliver or to
 * anonymise again.
 */
export function unerasedCountedSignatures(campaign: string) {
  return partitions.allCountedSignatures(campaign).map((partition) => unerased('gsi2', partition));
}

/** One index partition's signatures, passing over erased ones (which hold nothing of anyone). */
function unerased(index: 'gsi1' | 'gsi2', partition: string) {
  return {
    TableName: tableName(),
    IndexName: index,
    KeyConditionExpression: `${index}pk = :pk`,
    FilterExpression: 'attribute_not_exists(#status) OR #status <> :erased',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': partition, ':erased': signatureStatus.erased },
  };
}

/**
 * A campaign's counted (confirmed) signatures, oldest first (merged across its shards), from `cursor` on:
 * `limit` of them and the cursor of the next one (null at the end). Exports read these a thousand at a time,
 * so nothing is held whole.
 */
export function confirmedSignaturePage(campaign: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ExportedSignature>> {
  return mergedQueryPage(unerasedCountedSignatures(campaign), {
    scope: `export:${campaign}`,
    limit: page.limit,
    cursor: page.cursor,
    sortKey: 'gsi2sk',
    ascending: true,
    map: (item) => {
      const s = signatureCodec.decode(item);
      return {
        name: s.name,
        email: s.email,
        country: s.country,
        postcode: s.postcode,
        comment: s.comment,
        signedAt: s.requestedAt || s.confirmedAt,
        confirmedAt: s.confirmedAt,
        locale: s.locale,
        ...(s.source ? { source: s.source } : {}),
        public: s.public,
        subscribed: s.subscribe,
      };
    },
  });
}

/**
 * The signature an event names, as it stands, if it is confirmed: an erased, replaced or still pending one is
 * not passed on (to a webhook, a connector). Read consistently: the event may follow its write closely.
 */
export async function confirmedSignature(slug: string, emailKey: string): Promise<SignatureItem | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.signature(slug, emailKey), ConsistentRead: true }));
  if (!Item || Item.status !== signatureStatus.confirmed) return undefined;
  return signatureCodec.decode(Item);
}
