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
  /** One partner's count (counter-store.ts `setPartnerCount`); the counter holds their sum. */
  partnerCount: (slug: string, partner: string): Key => ({ pk: `CAMPAIGN#${slug}`, sk: `${partnerCountPrefix}${partner}` }),
  /** One UTC day of a campaign's confirmations before its newest, an hour per attribute (counting.ts); `day` is `YYYY-MM-DD`. */
  statsDay: (slug: string, day: string): Key => ({ pk: `CAMPAIGN#${slug}`, sk: `${statsDayPrefix}${day}` }),
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
  /** Every webhook in one partition (there are at most 20: shared/domain/webhook.ts), beside their count. */
  webhook: (id: string): Key => ({ pk: webhooksPartition, sk: `${webhookPrefix}${id}` }),
  webhookCount: (): Key => ({ pk: webhooksPartition, sk: 'COUNT' }),
  /** A webhook's deliveries under its own partition; delivery ids sort by time, so a query reads newest first. */
  webhookDelivery: (webhookId: string, deliveryId: string): Key => ({ pk: `WEBHOOK#${webhookId}`, sk: `${webhookDeliveryPrefix}${deliveryId}` }),
  /** A partner's Action Network connector, under its campaign (the campaign's partition lists them). */
  connector: (slug: string, partner: string): Key => ({ pk: `CAMPAIGN#${slug}`, sk: `${connectorPrefix}action-network#${partner}` }),
  /** One signature's delivery to a connector; signature ids sort by time, so a query reads newest first. */
  connectorDelivery: (slug: string, partner: string, signatureId: string): Key => ({
    pk: connectorDeliveriesPartition(slug, partner),
    sk: `${connectorDeliveryPrefix}${signatureId}`,
  }),
  /** The bench's naive counter, the one-item design it compares the sharded count with. */
  benchCounter: (name: string): Key => ({ pk: `BENCH#${name}`, sk: 'COUNTER' }),
};

/**
 * Item keys in the limits table (table-definition.ts `limitsTableDefinition`), never the main table: counters
 * that expire. Each kind of limit has a partition key prefix of its own (`RATE#`, `MAILBOX#`, and a prefix of
 * its own for any limit added later), so kinds never share an item nor read each other's.
 */
export const limitKeys = {
  /** One subject's rate windows, all in one item (rate-limit-store.ts); a busy subject has one item per shard. */
  rateSubject: (scope: string, subject: string, shard: number): Key => ({ pk: `RATE#${scope}#${subject}#${shard}`, sk: 'RATE' }),
  mailboxAllowance: (mailboxKey: string, day: string): Key => ({ pk: `MAILBOX#${mailboxKey}#${day}`, sk: 'MAILBOX' }),
  /** The account-wide sending pace: the sends claimed in one window (send-pace-store.ts). */
  sendPace: (windowMs: number, window: number): Key => ({ pk: `PACE#${windowMs}#${window}`, sk: 'PACE' }),
  /** An event consumed once (event-receipt-store.ts): an HMAC of who sent it and its id or idempotency key. */
  eventReceipt: (receipt: string): Key => ({ pk: `EVENT#${receipt}`, sk: 'EVENT' }),
  /** One connector's requests in one window (connector-pace-store.ts): each partner's key has a rate of its own. */
  connectorPace: (connector: string, window: number): Key => ({ pk: `CONNECTOR-PACE#${connector}#${window}`, sk: 'PACE' }),
};

/** The sort key prefix of a campaign's offset changes, under its counter's partition. */
export const offsetChangePrefix = 'OFFSET#';
/** The sort key prefix of a campaign's partners' counts (`keys.partnerCount`), under its counter's partition. */
export const partnerCountPrefix = 'PARTNER#';
/** The sort key prefix of a campaign's days (`keys.statsDay`), under its counter's partition; days sort as text. */
export const statsDayPrefix = 'STATS#DAY#';
/** The partition of every webhook (`keys.webhook`) and of their count. */
export const webhooksPartition = 'WEBHOOKS';
/** The sort key prefix of a webhook under `webhooksPartition`. */
export const webhookPrefix = 'WEBHOOK#';
/** The sort key prefix of a webhook's deliveries (`keys.webhookDelivery`). */
export const webhookDeliveryPrefix = 'DELIVERY#';
/** The sort key prefix of a campaign's connectors (`keys.connector`), under its campaign's partition. */
export const connectorPrefix = 'CONNECTOR#';
/** The partition of one connector's deliveries (`keys.connectorDelivery`). */
export const connectorDeliveriesPartition = (slug: string, partner: string) => `CONNECTOR#${slug}#${partner}`;
/** The sort key prefix of a connector's deliveries. */
export const connectorDeliveryPrefix = 'DELIVERY#';
/** The partition of every blocklist entry. */
export const blocklistPartition = keys.block('', '').pk;

/** Listings sort by time, then id: `<at>#<id>`. */
const byTime = (at: string, id: string) => `${at}#${id}`;

/**
 * How many index partitions one campaign's signatures are spread over, in each listing that takes a write per
 * confirmation (the export index, the public list, the uncounted index). An index partition key takes at most
 * 1,000 WCU/s, and a throttled index throttles the table's writes. A signature's index entry is its whole item
 * (ALL projection), 1 WCU up to 1 KB and 2 WCU for a long comment: at 2,000 confirmations/s on one campaign,
 * 8 shards take ~250 entries/s each, 250-500 WCU/s, half a partition at worst. Readers merge the shards (and
 * the unsharded key earlier versions wrote); more shards cost every reader a query more per page.
 */
export const signatureShards = 8;

/**
 * A signature's shard, from something that never changes for it (its id; its key where the id is not at hand):
 * a re-write of the same signature lands on the same shard. FNV-1a, for a spread that needs no import.
 */
export function signatureShard(stable: string): number {
  return fnv1a(stable) % signatureShards;
}

/**
 * How many index partitions one outreach's deliveries are spread over. A delivery's index entry (ALL projection,
 * about 300 bytes: 1 WCU) is written when the planner creates it and again at each step of its send (claimed,
 * sending, finished): planning 10,000 recipients in a few seconds while the first are sent at 100/s asks one
 * outreach for several thousand WCU/s, several partitions' worth, and a throttled index throttles the table's
 * writes. 16 shards take a sixteenth each. Their one reader, the planner's recipient count, queries each shard
 * (and the unsharded key earlier versions wrote) once per planning.
 */
export const deliveryShards = 16;

/** A delivery's shard, from its email key: the same recipient of an outreach always lands on the same shard. */
export function deliveryShard(emailKey: string): number {
  return fnv1a(emailKey) % deliveryShards;
}

function fnv1a(stable: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < stable.length; i++) hash = Math.imul(hash ^ stable.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const shardSuffix = (shard: number) => String(shard).padStart(2, '0');
const allShards = () => Array.from({ length: signatureShards }, (_, shard) => shard);

/**
 * Index partitions, by what they list (gsi1: public and planner lists; gsi2: operator lists and the export;
 * gsi3: everything filed under one person; gsi4: confirmations not counted yet).
 */
export const partitions = {
  campaigns: 'CAMPAIGNS',
  campaignsWithStatus: (status: string) => `CAMPAIGNS#${status}`,
  /** gsi2: one shard of a campaign's counted signatures, for the export, the recount and anonymisation. */
  countedSignatures: (campaign: string, shard: number) => `CONFIRMED#${campaign}#${shardSuffix(shard)}`,
  /** gsi1: one shard of a campaign's counted signatures whose signers chose to be listed. */
  publicSignatures: (campaign: string, shard: number) => `SIGNATURES#${campaign}#${shardSuffix(shard)}`,
  /**
   * Every gsi2 partition of a campaign's counted signatures, for readers to merge: the shards, and the single
   * partition that versions before sharding wrote (still read, so nothing indexed then disappears).
   */
  allCountedSignatures: (campaign: string) => [`CONFIRMED#${campaign}`, ...allShards().map((shard) => partitions.countedSignatures(campaign, shard))],
  /** Every gsi1 partition of a campaign's public signatures, as `allCountedSignatures`. */
  allPublicSignatures: (campaign: string) => [`SIGNATURES#${campaign}`, ...allShards().map((shard) => partitions.publicSignatures(campaign, shard))],
  /** gsi4 (sparse): one shard of a campaign's signatures confirmed and not counted yet. */
  uncountedSignatures: (campaign: string, shard: number) => `UNCOUNTED#${campaign}#${shardSuffix(shard)}`,
  allUncountedSignatures: (campaign: string) => allShards().map((shard) => partitions.uncountedSignatures(campaign, shard)),
  endorsementsWithStatus: (status: string) => `ENDORSEMENTS#${status}`,
  approvedEndorsements: (campaign: string) => `ENDORSEMENTS#${campaign}#approved`,
  confirmedSubscribers: 'SUBSCRIBERS#confirmed',
  outreaches: 'OUTREACHES',
  /** gsi1 (an entry only while waiting): outreach scheduled for later, by the time they are due. */
  scheduledOutreaches: 'OUTREACHES#scheduled',
  deliveries: (outreachId: string, shard: number) => `DELIVERIES#${outreachId}#${shardSuffix(shard)}`,
  allDeliveries: (outreachId: string) => [
    `DELIVERIES#${outreachId}`,
    ...Array.from({ length: deliveryShards }, (_, shard) => partitions.deliveries(outreachId, shard)),
  ],
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
  countedSignature: (campaign: string, at: string, id: string) => ({ gsi2pk: partitions.countedSignatures(campaign, signatureShard(id)), gsi2sk: byTime(at, id) }),
  publicSignature: (campaign: string, at: string, id: string) => ({ gsi1pk: partitions.publicSignatures(campaign, signatureShard(id)), gsi1sk: byTime(at, id) }),
  /**
   * The sparse index of confirmations not counted yet: set by the confirming write, removed by the counting
   * transaction (counting.ts), so reconciliation reads only what the stream has not counted. Sharded by
   * the signature's key, which the confirming write has (its id it does not).
   */
  uncountedSignature: (campaign: string, confirmedAt: string, signatureKey: string) => ({
    gsi4pk: partitions.uncountedSignatures(campaign, signatureShard(signatureKey)),
    gsi4sk: confirmedAt,
  }),
  endorsementWithStatus: (status: string, at: string, id: string) => ({ gsi2pk: partitions.endorsementsWithStatus(status), gsi2sk: byTime(at, id) }),
  approvedEndorsement: (campaign: string, at: string, id: string) => ({ gsi1pk: partitions.approvedEndorsements(campaign), gsi1sk: byTime(at, id) }),
  confirmedSubscriber: (emailKey: string) => ({ gsi1pk: partitions.confirmedSubscribers, gsi1sk: emailKey }),
  outreach: (id: string, at: string) => ({ gsi2pk: partitions.outreaches, gsi2sk: byTime(at, id) }),
  scheduledOutreach: (sendAt: string, id: string) => ({ gsi1pk: partitions.scheduledOutreaches, gsi1sk: byTime(sendAt, id) }),
  delivery: (outreachId: string, emailKey: string) => ({ gsi2pk: partitions.deliveries(outreachId, deliveryShard(emailKey)), gsi2sk: emailKey }),
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
  /** The campaign of a signature key (`SIGNATURE#<slug>#<email key>`; slugs hold no `#`). */
  signatureCampaign: (pk: string) => pk.slice('SIGNATURE#'.length, pk.lastIndexOf('#')),
  /** The email key of a signature key (what follows its campaign). */
  signatureEmailKey: (pk: string) => pk.slice(pk.lastIndexOf('#') + 1),
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
  subscriber: 'SUBSCRIBER#*',
  erasureAudit: 'ERASED#*',
  /** The webhooks and their count. */
  webhooks: 'WEBHOOKS',
  /** Every webhook's deliveries. */
  webhookDeliveries: 'WEBHOOK#*',
  /** Every connector's deliveries (the connectors themselves are campaign items). */
  connectorDeliveries: 'CONNECTOR#*',
};

/** Bench only: a signature key prefix, to recognise a campaign's signatures among the writes it watches. */
export const signaturePrefix = (slug: string) => `SIGNATURE#${slug}#`;
