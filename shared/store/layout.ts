// No imports: the manifest (IAM item patterns) and the bench read the layout without the AWS SDK or the secrets.

/**
 * The single table's layout, readable here and nowhere else: every item key, every index entry and every index
 * partition a query reads is built by this module, and every key that code takes apart is parsed here. Stores,
 * schedules, the bench and the manifest's IAM patterns use these builders; none spells a key.
 *
 * The one HMAC of an address that item keys carry is the email key (signature-store.ts `emailKey`): a signer's
 * signature, a subscriber, a suppression and a delivery are all filed under it.
 */

type Key = { pk: string; sk: string };

/** Item keys, by item type. */
export const keys = {
  campaign: (slug: string): Key => ({ pk: `CAMPAIGN#${slug}`, sk: 'CAMPAIGN' }),
  counter: (slug: string): Key => ({ pk: `CAMPAIGN#${slug}`, sk: 'COUNTER' }),
  offsetChange: (slug: string, at: string, id: string): Key => ({ pk: `CAMPAIGN#${slug}`, sk: `OFFSET#${at}#${id}` }),
  // One partition per signature: a viral campaign spreads its writes instead of heating one key.
  signature: (slug: string, emailKey: string): Key => ({ pk: `SIGNATURE#${slug}#${emailKey}`, sk: 'SIGNATURE' }),
  endorsement: (id: string): Key => ({ pk: `ENDORSEMENT#${id}`, sk: 'ENDORSEMENT' }),
  subscriber: (emailKey: string): Key => ({ pk: `SUBSCRIBER#${emailKey}`, sk: 'SUBSCRIBER' }),
  suppression: (emailKey: string): Key => ({ pk: `SUPPRESSION#${emailKey}`, sk: 'SUPPRESSION' }),
  outreach: (id: string): Key => ({ pk: `OUTREACH#${id}`, sk: 'OUTREACH' }),
  delivery: (outreachId: string, emailKey: string): Key => ({ pk: `DELIVERY#${outreachId}#${emailKey}`, sk: 'DELIVERY' }),
  token: (tokenHash: string): Key => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  /** Filed under the person key (a different HMAC from the email key), as everything erasure finds. */
  erasure: (personKey: string): Key => ({ pk: `ERASURE#${personKey}`, sk: 'ERASURE' }),
  erasureAudit: (id: string): Key => ({ pk: `ERASED#${id}`, sk: 'ERASED' }),
  notice: (id: string): Key => ({ pk: `NOTICE#${id}`, sk: 'NOTICE' }),
  block: (kind: string, value: string): Key => ({ pk: 'BLOCKLIST', sk: `${kind}#${value}` }),
  rateWindow: (rule: string, subject: string, windowStart: number | string, shard: number | string): Key => ({
    pk: `RATE#${rule}#${subject}#${windowStart}#${shard}`,
    sk: 'RATE',
  }),
  mailboxAllowance: (mailboxKey: string, day: string): Key => ({ pk: `MAILBOX#${mailboxKey}#${day}`, sk: 'MAILBOX' }),
  /** The bench's naive counter, the one-item design it compares the sharded count with. */
  benchCounter: (name: string): Key => ({ pk: `BENCH#${name}`, sk: 'COUNTER' }),
};

/** The sort key prefix of a campaign's offset changes, under its counter's partition. */
export const offsetChangePrefix = 'OFFSET#';
/** The partition of every blocklist entry. */
export const blocklistPartition = keys.block('', '').pk;

/** Listings sort by time, then id: `<at>#<id>`. */
const byTime = (at: string, id: string) => `${at}#${id}`;

/**
 * Index partitions, by what they list (gsi1: public and planner lists; gsi2: operator lists and the export;
 * gsi3: everything filed under one person).
 */
export const partitions = {
  campaigns: 'CAMPAIGNS',
  campaignsWithStatus: (status: string) => `CAMPAIGNS#${status}`,
  /** gsi2: a campaign's counted signatures, for the export, the recount and anonymisation. */
  countedSignatures: (campaign: string) => `CONFIRMED#${campaign}`,
  /** gsi1: a campaign's counted signatures whose signers chose to be listed. */
  publicSignatures: (campaign: string) => `SIGNATURES#${campaign}`,
  endorsementsWithStatus: (status: string) => `ENDORSEMENTS#${status}`,
  approvedEndorsements: (campaign: string) => `ENDORSEMENTS#${campaign}#approved`,
  confirmedSubscribers: 'SUBSCRIBERS#confirmed',
  outreaches: 'OUTREACHES',
  deliveries: (outreachId: string) => `DELIVERIES#${outreachId}`,
  erasuresErasing: 'ERASURES#erasing',
  erasuresDone: 'ERASURES#done',
  person: (personKey: string) => `PERSON#${personKey}`,
};

/** Index entries (the attributes an item carries to appear in a listing), by listing. */
export const indexEntries = {
  campaign: (status: string, createdAt: string, slug: string) => ({
    gsi1pk: partitions.campaignsWithStatus(status),
    gsi1sk: byTime(createdAt, slug),
    gsi2pk: partitions.campaigns,
    gsi2sk: byTime(createdAt, slug),
  }),
  countedSignature: (campaign: string, at: string, id: string) => ({ gsi2pk: partitions.countedSignatures(campaign), gsi2sk: byTime(at, id) }),
  publicSignature: (campaign: string, at: string, id: string) => ({ gsi1pk: partitions.publicSignatures(campaign), gsi1sk: byTime(at, id) }),
  endorsementWithStatus: (status: string, at: string, id: string) => ({ gsi2pk: partitions.endorsementsWithStatus(status), gsi2sk: byTime(at, id) }),
  approvedEndorsement: (campaign: string, at: string, id: string) => ({ gsi1pk: partitions.approvedEndorsements(campaign), gsi1sk: byTime(at, id) }),
  confirmedSubscriber: (emailKey: string) => ({ gsi1pk: partitions.confirmedSubscribers, gsi1sk: emailKey }),
  outreach: (id: string, at: string) => ({ gsi2pk: partitions.outreaches, gsi2sk: byTime(at, id) }),
  delivery: (outreachId: string, emailKey: string) => ({ gsi2pk: partitions.deliveries(outreachId), gsi2sk: emailKey }),
  erasureErasing: (at: string) => ({ gsi2pk: partitions.erasuresErasing, gsi2sk: at }),
  erasureDone: (on: string, id: string) => ({ gsi2pk: partitions.erasuresDone, gsi2sk: byTime(on, id) }),
  person: (personKey: string, pk: string) => ({ gsi3pk: partitions.person(personKey), gsi3sk: pk }),
};

/** A listing sort key (`<at>#<id>`) with its id replaced: the anonymous copy of an item keeps its place. */
export function relistedSortKey(sortKey: string, id: string): string {
  return sortKey.replace(/#[^#]*$/, `#${id}`);
}

/** Keys taken apart: the inverse of the builders above. */
export const parse = {
  campaignSlug: (pk: string) => pk.replace(/^CAMPAIGN#/, ''),
  endorsementId: (pk: string) => pk.slice('ENDORSEMENT#'.length),
  subscriberEmailKey: (pk: string) => pk.slice('SUBSCRIBER#'.length),
};

/** IAM patterns over partition keys (the manifest's `items`): which items a function may touch. */
export const itemPatterns = {
  campaign: 'CAMPAIGN#*',
  signature: 'SIGNATURE#*',
  endorsement: 'ENDORSEMENT#*',
  outreach: 'OUTREACH#*',
  suppression: 'SUPPRESSION#*',
  notice: 'NOTICE#*',
  blocklist: blocklistPartition,
};

/** Bench only: a signature key prefix, to recognise a campaign's signatures among the writes it watches. */
export const signaturePrefix = (slug: string) => `SIGNATURE#${slug}#`;
