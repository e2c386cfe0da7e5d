/**
 * The wiring manifest: every function and what triggers it. The CDK stack and the local runtime both
 * read this list, so AWS and a laptop run the same handlers on the same triggers. Adding a route is its
 * definition (shared/http/routes.ts: method, path, schemas, answers), one line here, and its handler file.
 */

import type { HttpMethod, RouteDefinition } from '#shared/http/route-definition.ts';
import * as routes from '#shared/http/routes.ts';
import { awaitingLink, campaignStatus, endorsementStatus, signatureStatus } from '#shared/domain/statuses.ts';
import { itemPatterns, keys } from '#shared/store/layout.ts';
import { bundledFonts } from '#shared/delivery/fonts.ts';
import type { QueueName } from '#shared/queues/queue-names.ts';

export type { HttpMethod } from '#shared/http/route-definition.ts';

/** An EventBridge-style content filter (the subset both Lambda filter criteria and our local bus accept). */
export type PatternValue = string | number | boolean | null | { exists: boolean } | { prefix: string } | { 'anything-but': (string | number)[] };
export type EventPattern = { [key: string]: EventPattern | PatternValue[] };

export interface HttpTrigger {
  type: 'http';
  method: HttpMethod;
  /** API Gateway path syntax: `/campaigns/{slug}`. */
  path: string;
  operator?: boolean;
  /** The definition the route was made from, which its handler is made from too (shared/http/routes.ts). */
  route?: RouteDefinition;
}

export interface StreamTrigger {
  type: 'stream';
  /** Lambda filter criteria: a record is delivered when it matches any pattern. */
  filters: EventPattern[];
  batchSize: number;
  maxBatchingWindowSeconds: number;
  retryAttempts: number;
  bisectOnError: boolean;
  parallelizationFactor: number;
  maxRecordAgeSeconds: number;
}

export interface EventTrigger {
  type: 'event';
  pattern: EventPattern;
}

export interface ScheduleTrigger {
  type: 'schedule';
  /** Five-field cron in UTC (minute hour day-of-month month day-of-week), names allowed for days. */
  cron: string;
}

/**
 * A queue's messages, in batches, as Lambda's SQS event source mapping delivers them: a partial batch response
 * names the failures, which come again after the visibility timeout and go to the dead-letter queue after
 * `maxReceiveCount` receives.
 */
export interface QueueTrigger {
  type: 'queue';
  queue: QueueName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** How long a received message stays hidden before it may come again; at least the function's timeout. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** The mapping's maximum concurrency (2 to 1,000), where the consumer must not run wider. */
  maxConcurrency?: number;
  /**
   * For a sender that waits for the mail pace's slots: the mapping runs as many batches at once as hold this many
   * seconds of the stage's SES rate (at least 2, at most `maxConcurrency`), see queue-wiring.ts' mappingConcurrency.
   */
  paceSeconds?: number;
}

export type Trigger = HttpTrigger | StreamTrigger | EventTrigger | ScheduleTrigger | QueueTrigger;

/** The secrets a function's code may use (shared/config.ts), each given only to the functions that declare it. */
export type SecretName =
  /** Links and identities: confirmation and unsubscribe links, dedupe keys, the person index, IP and mailbox hashes. */
  | 'links'
  /** List cursors (shared/store/pagination.ts): any function that pages through a list. */
  | 'cursors';

/** The table's secondary indexes (shared/store/table-definition.ts). */
export type IndexName = 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4';

export interface FunctionSpec {
  /** PascalCase, unique: the CDK construct id and the name in local logs. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  triggers: Trigger[];
  memoryMb?: number;
  timeoutSeconds?: number;
  /** What the function may do with the table; least privilege on AWS. `describe`: its status only, no item. */
  table?: 'describe' | 'read' | 'write';
  /**
   * Only the items whose partition key matches one of these (IAM wildcards: `CAMPAIGN#*`): on AWS the grant
   * carries a `dynamodb:LeadingKeys` condition and leaves out Scan. Unset: every item. Keep it in step with
   * the code: the local runtime refuses, as AWS would, any item this does not list (infra/local/item-access.ts).
   */
  items?: string[];
  /** The indexes it queries; only with `items` (without `items`, every index). */
  indexes?: IndexName[];
  /**
   * It scans the table itself (never an index), beside its narrowed `items`: IAM cannot narrow a Scan to
   * partition keys, so this reads every item of the table, and is given to read-only operator counts alone.
   */
  scan?: boolean;
  /** It counts in the limits table (abuse guard windows, per-mailbox mail caps, the account-wide sending pace). */
  limits?: boolean;
  /** The secrets its code uses (test/infra/secrets.test.ts checks this against the bundled code). */
  secrets?: SecretName[];
  /**
   * Partners' connector keys in Secrets Manager (shared/connectors/connector-keys.ts), under the stage's name prefix
   * alone: `read` reads a key to send with; `manage` creates, replaces, restores and schedules the deletion of one.
   */
  connectorKeys?: 'read' | 'manage';
  sendsEmail?: boolean;
  /** The queues it puts messages on (shared/queues/queue-client.ts), each given as `QUEUE_URL_<NAME>`. */
  sendsTo?: QueueName[];
  reservedConcurrency?: number;
  putsEvents?: boolean;
  /**
   * A development aid (the demo page, the widget built on request): the local runtime serves it, and a
   * deployment builds it only when its stage sets `developmentRoutes`.
   */
  development?: boolean;
  /**
   * Its part in the captcha: `verifies` a submission's `captchaToken` with the provider (the abuse guard:
   * given the provider and its secret), or `shows` the challenge in a page's widget (given the provider and
   * its public site key, never the secret).
   */
  captcha?: 'verifies' | 'shows';
  /** Its events carry email addresses (SES bounces and complaints): its dead letters are kept days, not weeks. */
  eventsCarryAddresses?: boolean;
  /**
   * For an operator route's function: `integrations` builds it in a nested stack of its own with the other routes
   * that connect partners' systems (imports, webhooks), beside the operator API's (infra/stack/function-stacks.ts),
   * so each template keeps room under CloudFormation's 500 resources. Unset: the operator API's.
   */
  operatorArea?: 'integrations';
  /** Files its code reads at run time, copied beside the bundle: path in the bundle → path in the repository. */
  bundleFiles?: Record<string, string>;
  /**
   * The dead-letter queues (shared/queues/dead-letters.ts), each given as `DEAD_LETTERS_<NAME>`: `read` counts
   * their messages; `redrive` also moves the mail dead letters back to their queues (SQS message move tasks), and
   * reads the event failure records and invokes the stack's event and schedule functions again with them.
   */
  deadLetters?: 'read' | 'redrive';
  /**
   * `manage`: it makes and deletes webhooks' EventBridge connections, API destinations and rules, those named by the
   * stage's webhook prefix only, and passes the role EventBridge invokes them with (infra/stack/webhooks.ts).
   */
  webhooks?: 'manage';
}

/** Method, path, name and whether it is an operator's come from the route's definition, never from here. */
const route = (definition: RouteDefinition, entry: string, options: Partial<FunctionSpec> = {}): FunctionSpec => {
  const { method, path, name, operator } = definition;
  return { name, entry, ...options, triggers: [{ type: 'http', method, path, ...(operator ? { operator } : {}), route: definition }] };
};

const admin = (definition: RouteDefinition & { operator: true; path: `/admin/${string}` }, entry: string, options: Partial<FunctionSpec> = {}) =>
  route(definition, entry, { table: 'write', ...options });

const streamDefaults = {
  type: 'stream',
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  retryAttempts: 10,
  bisectOnError: true,
  parallelizationFactor: 1,
  maxRecordAgeSeconds: 6 * 3600,
} as const;

/** Partition keys of the single table (shared/store/table.ts), for the functions whose `items` are known. */
const campaignItems = itemPatterns.campaign;
/** A subscriber's item, under its email key (the unsubscribe and preferences pages reach no other). */
const subscriberItems = `${keys.subscriber('').pk}*`;

export const manifest: FunctionSpec[] = [
  // Public HTTP API
  route(routes.health, 'functions/http/get-health.ts', { table: 'describe' }),
  route(routes.listCampaigns, 'functions/http/list-campaigns.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1', 'gsi2'], secrets: ['cursors'] }),
  route(routes.getCampaign, 'functions/http/get-campaign.ts', { table: 'read', items: [campaignItems] }),
  route(routes.getCampaignCounts, 'functions/http/get-campaign-counts.ts', { table: 'read', items: [campaignItems] }),
  // The campaign, its counter and its day items (all under the campaign's partition).
  route(routes.getCampaignStats, 'functions/http/get-campaign-stats.ts', { table: 'read', items: [campaignItems] }),
  route(routes.createSignature, 'functions/http/create-signature.ts', { table: 'write', secrets: ['links'], captcha: 'verifies', limits: true }),
  route(routes.listSignatures, 'functions/http/list-signatures.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'] }),
  route(routes.createEndorsement, 'functions/http/create-endorsement.ts', { table: 'write', secrets: ['links'], captcha: 'verifies', limits: true }),
  route(routes.listEndorsements, 'functions/http/list-endorsements.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'] }),
  route(routes.createSubscription, 'functions/http/create-subscription.ts', { table: 'write', secrets: ['links'], captcha: 'verifies', limits: true }),
  // The link is a sealed email key it opens; it reads the subscriber only for the language of the page.
  route(routes.getUnsubscribePage, 'functions/http/get-unsubscribe-page.ts', { table: 'read', items: [subscriberItems], secrets: ['links'] }),
  route(routes.unsubscribe, 'functions/http/post-unsubscribe.ts', { table: 'write', secrets: ['links'] }),
  // The same link as unsubscribe's; the page offers the countries and topics of open campaigns (one page of them).
  route(routes.getPreferencesPage, 'functions/http/get-preferences-page.ts', { table: 'read', items: [subscriberItems, campaignItems], indexes: ['gsi1'], secrets: ['links', 'cursors'] }),
  route(routes.updatePreferences, 'functions/http/post-preferences.ts', { table: 'write', items: [subscriberItems], secrets: ['links'] }),
  route(routes.requestErasure, 'functions/http/request-erasure.ts', { table: 'write', secrets: ['links'], captcha: 'verifies', limits: true }),
  // Finds the link by its hash (sha256, no secret) and shows the request it confirms.
  route(routes.getConfirmPage, 'functions/http/get-confirm-page.ts', { table: 'read' }),
  // An erasure's click erases the mailbox's confirmation-mail allowance too, in the limits table.
  route(routes.confirm, 'functions/http/post-confirm.ts', { table: 'write', secrets: ['links'], limits: true }),
  // Lists the open campaigns through the paging code, which signs a cursor when more follow.
  route(routes.getFeed, 'functions/http/get-feed.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'] }),
  // Pages for people: the front page lists campaigns by status; a campaign's page reads it, its counter and (statements)
  // its approved endorsements, and embeds the widget (with the stage's captcha, if any); its plain form signs as the API does.
  route(routes.getFrontPage, 'functions/http/get-front-page.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'] }),
  route(routes.getCampaignPage, 'functions/http/get-campaign-page.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'], captcha: 'shows' }),
  route(routes.signByForm, 'functions/http/post-campaign-form.ts', { table: 'write', secrets: ['links'], captcha: 'verifies', limits: true }),
  route(routes.getOpenApi, 'functions/http/get-openapi.ts'),
  route(routes.getWidget, 'functions/http/get-widget.ts', { development: true }),
  route(routes.getDemoPage, 'functions/http/get-demo-page.ts', { table: 'read', items: [campaignItems], development: true, captcha: 'shows' }),

  // Anything else: a problem+json 404 rather than the gateway's own answer.
  route(routes.notFound, 'functions/http/not-found.ts'),

  // Operators
  admin(routes.adminCreateCampaign, 'functions/http/admin/create-campaign.ts', { items: [campaignItems] }),
  admin(routes.adminListCampaigns, 'functions/http/admin/list-campaigns.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1', 'gsi2'], secrets: ['cursors'] }),
  admin(routes.adminGetCampaign, 'functions/http/admin/get-campaign.ts', { table: 'read', items: [campaignItems] }),
  admin(routes.adminUpdateCampaign, 'functions/http/admin/update-campaign.ts', { items: [campaignItems] }),
  admin(routes.adminPublishCampaign, 'functions/http/admin/publish-campaign.ts', { items: [campaignItems] }),
  admin(routes.adminCloseCampaign, 'functions/http/admin/close-campaign.ts', { items: [campaignItems] }),
  admin(routes.adminReopenCampaign, 'functions/http/admin/reopen-campaign.ts', { items: [campaignItems] }),
  admin(routes.adminSetOffset, 'functions/http/admin/set-offset.ts', { items: [campaignItems] }),
  admin(routes.adminSetPartnerOffset, 'functions/http/admin/set-partner-offset.ts', { items: [campaignItems] }),
  admin(routes.adminListPartnerOffsets, 'functions/http/admin/list-partner-offsets.ts', { table: 'read', items: [campaignItems] }),
  admin(routes.adminGetCampaignStats, 'functions/http/admin/get-campaign-stats.ts', { table: 'read', items: [campaignItems] }),
  admin(routes.adminExportCountries, 'functions/http/admin/export-countries.ts', { table: 'read', items: [campaignItems] }),
  admin(routes.adminExportSignatures, 'functions/http/admin/export-signatures.ts', {
    table: 'read',
    items: [campaignItems],
    indexes: ['gsi2'],
    secrets: ['cursors'],
    memoryMb: 1024,
    timeoutSeconds: 29,
  }),
  // Lists names a thousand at a time into a PDF part that stops within the response limit (get-delivery-pdf.ts);
  // 1,769 MB is one full vCPU, and laying out text is all CPU.
  // Puts imported signatures on the bus (at most 10 a request, one PutEvents call); RecordSubmittedSignature records them.
  admin(routes.adminImportSignatures, 'functions/http/admin/import-signatures.ts', { table: 'read', items: [campaignItems], putsEvents: true, operatorArea: 'integrations' }),
  admin(routes.adminDeliveryDocument, 'functions/http/admin/get-delivery-pdf.ts', {
    table: 'read',
    items: [campaignItems],
    indexes: ['gsi1', 'gsi2'],
    secrets: ['cursors'],
    memoryMb: 1769,
    timeoutSeconds: 29,
    bundleFiles: bundledFonts,
  }),
  admin(routes.adminReconcileCampaign, 'functions/http/admin/reconcile-campaign.ts', { items: [campaignItems], indexes: ['gsi2'], timeoutSeconds: 29 }),
  admin(routes.adminOffsetHistory, 'functions/http/admin/offset-history.ts', { table: 'read', items: [campaignItems], secrets: ['cursors'] }),
  // A dry run counts the audience from the confirmed subscribers' listing (gsi1).
  admin(routes.adminCreateUrgentCall, 'functions/http/admin/create-urgent-call.ts', { items: [campaignItems, itemPatterns.outreach], indexes: ['gsi1'], timeoutSeconds: 29 }),
  admin(routes.adminRequestDigest, 'functions/http/admin/request-digest.ts', { items: [itemPatterns.outreach] }),
  admin(routes.adminGetOutreach, 'functions/http/admin/get-outreach.ts', { table: 'read', items: [itemPatterns.outreach] }),
  admin(routes.adminListOutreach, 'functions/http/admin/list-outreach.ts', { table: 'read', items: [itemPatterns.outreach], indexes: ['gsi2'], secrets: ['cursors'] }),
  admin(routes.adminCancelOutreach, 'functions/http/admin/cancel-outreach.ts', { items: [itemPatterns.outreach] }),
  admin(routes.adminListBlocks, 'functions/http/admin/list-blocks.ts', { table: 'read', items: [itemPatterns.blocklist] }),
  admin(routes.adminAddBlock, 'functions/http/admin/add-block.ts', { items: [itemPatterns.blocklist] }),
  admin(routes.adminRemoveBlock, 'functions/http/admin/remove-block.ts', { items: [itemPatterns.blocklist] }),
  admin(routes.adminListEndorsements, 'functions/http/admin/list-endorsements.ts', { table: 'read', items: [itemPatterns.endorsement], indexes: ['gsi2'], secrets: ['cursors'] }),
  admin(routes.adminApproveEndorsement, 'functions/http/admin/approve-endorsement.ts', { items: [itemPatterns.endorsement] }),
  admin(routes.adminRejectEndorsement, 'functions/http/admin/reject-endorsement.ts', { items: [itemPatterns.endorsement] }),
  // Subscribers are read through their index of confirmed subscribers (gsi1), a page at a time.
  admin(routes.adminSubscriberSummary, 'functions/http/admin/subscriber-summary.ts', { table: 'read', items: [itemPatterns.subscriber], indexes: ['gsi1'], scan: true, secrets: ['cursors'], timeoutSeconds: 29 }),
  admin(routes.adminExportSubscribers, 'functions/http/admin/export-subscribers.ts', {
    table: 'read',
    items: [itemPatterns.subscriber],
    indexes: ['gsi1'],
    secrets: ['cursors'],
    memoryMb: 1024,
    timeoutSeconds: 29,
  }),
  // The erasure a click runs: everything filed under the person (its HMACs), and the mailbox's allowance.
  admin(routes.adminErasePerson, 'functions/http/admin/erase-person.ts', { secrets: ['links'], limits: true, timeoutSeconds: 29 }),
  admin(routes.adminListErasures, 'functions/http/admin/list-erasures.ts', { table: 'read', items: [itemPatterns.erasureAudit], indexes: ['gsi2'], secrets: ['cursors'] }),
  // Connectors: the campaign's items (the campaign, its connectors), and the partner's key in Secrets Manager.
  admin(routes.adminSetActionNetwork, 'functions/http/admin/set-action-network.ts', { items: [campaignItems], connectorKeys: 'manage' }),
  admin(routes.adminRemoveActionNetwork, 'functions/http/admin/remove-action-network.ts', { items: [campaignItems], connectorKeys: 'manage' }),
  admin(routes.adminListConnectors, 'functions/http/admin/list-connectors.ts', { table: 'read', items: [campaignItems] }),
  admin(routes.adminListConnectorDeliveries, 'functions/http/admin/list-connector-deliveries.ts', {
    table: 'read',
    items: [campaignItems, itemPatterns.connectorDeliveries],
    secrets: ['cursors'],
  }),
  // Dead letters: the SQS queues only, never the table.
  route(routes.adminListDeadLetters, 'functions/http/admin/list-dead-letters.ts', { deadLetters: 'read' }),
  // Replays events for up to 20 s a call (functions/http/admin/replay-dead-letters.ts).
  route(routes.adminReplayDeadLetters, 'functions/http/admin/replay-dead-letters.ts', { deadLetters: 'redrive', timeoutSeconds: 29 }),
  // Webhooks: adding and removing one also makes and deletes its connection, API destination and rule on the bus.
  admin(routes.adminCreateWebhook, 'functions/http/admin/create-webhook.ts', { items: [itemPatterns.webhooks], secrets: ['links'], webhooks: 'manage' }),
  admin(routes.adminListWebhooks, 'functions/http/admin/list-webhooks.ts', { table: 'read', items: [itemPatterns.webhooks] }),
  admin(routes.adminDeleteWebhook, 'functions/http/admin/delete-webhook.ts', { items: [itemPatterns.webhooks], webhooks: 'manage' }),
  admin(routes.adminListWebhookDeliveries, 'functions/http/admin/list-webhook-deliveries.ts', { table: 'read', items: [itemPatterns.webhooks, itemPatterns.webhookDeliveries], secrets: ['cursors'] }),
  // Builds the body again (a signature within its consents), signs it with the webhook's sealed secret, puts it on the bus.
  admin(routes.adminReplayWebhookDelivery, 'functions/http/admin/replay-webhook-delivery.ts', {
    items: [itemPatterns.webhooks, itemPatterns.webhookDeliveries, itemPatterns.signature],
    secrets: ['links'],
    putsEvents: true,
  }),

  // Stream consumers
  {
    name: 'CountConfirmations',
    entry: 'functions/streams/count-confirmations.ts',
    table: 'write',
    // What it counted is announced: SignatureConfirmed, EndorsementApproved (shared/streams/confirmation-events.ts).
    putsEvents: true,
    // The confirmed signatures and approved endorsements it marks, and their campaigns' counters.
    // The webhooks and the campaigns' connectors are read to know whether anyone listens (confirmation-listeners.ts).
    items: [itemPatterns.signature, itemPatterns.endorsement, campaignItems, itemPatterns.webhooks],
    timeoutSeconds: 60,
    triggers: [
      {
        ...streamDefaults,
        // A transaction holds 99 count markers and the counter: a batch of 99 is exactly one counter write.
        batchSize: 99,
        // No batching window: a confirmation is counted on the next read of its shard (Lambda reads a stream's shards
        // four times a second), not up to a second later. In a surge the batches fill to 99 anyway; below one, the
        // smaller batches cost a counter write each, a few cents a million signatures.
        maxBatchingWindowSeconds: 0,
        // Up to 4 batches per shard at once (records of one item stay in order): one lane counts ~66 a second, and
        // a surge needs ~1,000. Concurrent batches of one campaign are safe: see countConfirmations' invariant.
        parallelizationFactor: 4,
        filters: [
          {
            eventName: ['MODIFY'],
            dynamodb: {
              OldImage: { type: { S: ['signature'] }, status: { S: [signatureStatus.awaitingLink] } },
              NewImage: { status: { S: [signatureStatus.confirmed] } },
            },
          },
          { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['endorsement'] }, status: { S: [endorsementStatus.approved] } } } },
          {
            eventName: ['MODIFY'],
            dynamodb: {
              OldImage: { type: { S: ['endorsement'] }, status: { S: [{ 'anything-but': [endorsementStatus.approved] }] } },
              NewImage: { status: { S: [endorsementStatus.approved] } },
            },
          },
        ],
      },
    ],
  },
  {
    // The stream's second reader (AWS advises at most two per shard): it forwards what happens, and acts on nothing.
    name: 'RouteChanges',
    entry: 'functions/streams/route-changes.ts',
    table: 'write',
    // Milestones: a campaign's goal, and the claim on its counter.
    items: [campaignItems],
    putsEvents: true,
    sendsTo: ['confirmation-mail', 'bulk-mail'],
    timeoutSeconds: 60,
    triggers: [
      {
        ...streamDefaults,
        // Its records are forwarded, not sent: a full batch is 10 SendMessageBatch calls, seconds at most.
        batchSize: 100,
        // As many lanes per shard as the counter has: records of one item (a counter, a request) stay in order.
        parallelizationFactor: 4,
        // The union of what each route takes (shared/streams/change-routes.ts; a unit test holds the two together).
        filters: [
          // confirmation-mail: one filter per kind of item, each waiting for its link in its own status.
          ...Object.entries(awaitingLink).map(([type, status]) => ({
            eventName: ['INSERT', 'MODIFY'],
            dynamodb: { NewImage: { type: { S: [type] }, status: { S: [status] } } },
          })),
          // bulk-mail: a queued delivery of an urgent call or digest.
          { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['delivery'] }, status: { S: ['queued'] } } } },
          // The bus: an open or closed campaign (CampaignPublished, CampaignClosed), a new outreach.
          { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['campaign'] }, status: { S: [campaignStatus.open, campaignStatus.closed] } } } },
          { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['outreach'] } } } },
          // Milestones: a counter that changed.
          { eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['counter'] } } } },
        ],
      },
    ],
  },

  // Queue consumers: every mail goes out under one account-wide pace (shared/mail/send-pace.ts), links first.
  {
    name: 'SendConfirmations',
    entry: 'functions/queues/send-confirmations.ts',
    table: 'write',
    limits: true,
    secrets: ['links'],
    sendsEmail: true,
    timeoutSeconds: 30,
    triggers: [
      {
        type: 'queue',
        queue: 'confirmation-mail',
        // 2 invocations of 5 keep 10 links in flight: at 14/s they leave within a second, at 1/s within the
        // pace's booking horizon (30 windows), so a link is never received only to find no slot.
        batchSize: 5,
        maxBatchingWindowSeconds: 0,
        maxConcurrency: 2,
        // AWS advises six times the function's timeout; a message SES refused for now comes back after it.
        visibilityTimeoutSeconds: 180,
        maxReceiveCount: 8,
      },
    ],
  },
  {
    name: 'SendOutreach',
    entry: 'functions/queues/send-outreach.ts',
    table: 'write',
    limits: true,
    // Unsubscribe links in every message; the digest pages through the open campaigns.
    secrets: ['links', 'cursors'],
    sendsEmail: true,
    // No reserved concurrency: the pace is the limits table's, shared by every sender, not one process's; the
    // mapping's maximum concurrency bounds the senders without the throttled invokes a reservation would cause.
    timeoutSeconds: 60,
    triggers: [
      {
        type: 'queue',
        queue: 'bulk-mail',
        // A second of the stage's rate in flight, in batches of 10: 2 invocations at 1/s or 14/s (20 deliveries,
        // 1.4 s of slots at 14/s), 10 at 100/s, at most 20. A delivery is in flight about that long: its reads, the
        // bulk lead (a quarter second between its slot claim and its slot, send-pace.ts), its batch's slots and the
        // finish. Senders beyond that never send faster than the pace: they wait for their slots, which is billed. A
        // batch claims its slots together (shared-slot-claims.ts), so a window sees one claim per batch, not one per mail.
        batchSize: 10,
        maxBatchingWindowSeconds: 0,
        paceSeconds: 1,
        maxConcurrency: 20,
        visibilityTimeoutSeconds: 360,
        // A throttled or paused SES hands messages back: ten tries, six minutes apart, before the DLQ.
        maxReceiveCount: 10,
      },
    ],
  },

  {
    // What EventBridge's API destinations gave up on after 24 hours: each delivery marked dead-lettered.
    name: 'RecordWebhookDeadLetters',
    entry: 'functions/queues/record-webhook-dead-letters.ts',
    table: 'write',
    items: [itemPatterns.webhookDeliveries],
    triggers: [
      {
        type: 'queue',
        queue: 'webhook-dead-letters',
        batchSize: 10,
        maxBatchingWindowSeconds: 1,
        visibilityTimeoutSeconds: 60,
        maxReceiveCount: 5,
      },
    ],
  },

  // Events
  {
    name: 'PlanOutreach',
    entry: 'functions/events/plan-outreach.ts',
    table: 'write',
    timeoutSeconds: 900,
    triggers: [{ type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['UrgentCallIssued', 'DigestRequested'] } }],
  },
  {
    name: 'NotifyOperators',
    entry: 'functions/events/notify-operators.ts',
    table: 'write',
    items: [campaignItems, itemPatterns.notice],
    sendsEmail: true,
    // Its notices go out under the account-wide pace, in the limits table.
    limits: true,
    triggers: [{ type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['MilestoneReached'] } }],
  },
  {
    // The webhook signer: one signed WebhookDelivery per webhook that asks for the event; EventBridge's API
    // destinations do the HTTP, 24 hours of retries and the dead letters (shared/webhooks/destinations.ts).
    name: 'SignWebhookDeliveries',
    entry: 'functions/events/sign-webhook-deliveries.ts',
    table: 'write',
    // The webhooks, their deliveries, and a confirmed signature (what its signer agreed to share).
    items: [itemPatterns.webhooks, itemPatterns.webhookDeliveries, itemPatterns.signature],
    secrets: ['links'],
    putsEvents: true,
    triggers: [
      {
        type: 'event',
        pattern: { source: ['tadamon'], 'detail-type': ['SignatureConfirmed', 'EndorsementApproved', 'MilestoneReached', 'CampaignPublished', 'CampaignClosed'] },
      },
    ],
  },
  {
    name: 'SuppressAddresses',
    entry: 'functions/events/suppress-addresses.ts',
    table: 'write',
    items: [itemPatterns.suppression],
    secrets: ['links'],
    eventsCarryAddresses: true,
    triggers: [{ type: 'event', pattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] } }],
  },
  {
    // Consented, confirmed signatures to partners' Action Network petitions (shared/use-cases/push-to-action-network.ts).
    name: 'PushToActionNetwork',
    entry: 'functions/events/push-to-action-network.ts',
    table: 'write',
    // The campaign and its connectors, the signature it reads, and the delivery log; each connector's request
    // rate in the limits table.
    items: [campaignItems, itemPatterns.signature, itemPatterns.connectorDeliveries],
    limits: true,
    connectorKeys: 'read',
    // Three tries of up to 10 s each per partner (partners in parallel), plus waits for the rate's slots.
    timeoutSeconds: 120,
    // Action Network takes 4 requests a second per key: more invocations would only wait for slots, billed. Lambda
    // keeps the events it throttles and tries them again for up to 6 hours (the function's maximum event age).
    reservedConcurrency: 4,
    triggers: [{ type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['SignatureConfirmed'] } }],
  },
  {
    // Signatures put on the stage's bus by the partner accounts it names, and by `tadamon import`: the signing
    // route's rules with the account in the place of the IP (shared/use-cases/submitted-signature.ts). Any
    // source: the bus policy lets partners put this detail type and no other.
    name: 'RecordSubmittedSignature',
    entry: 'functions/events/record-submitted-signature.ts',
    table: 'write',
    secrets: ['links'],
    // The abuse guard's windows and the events' receipts, in the limits table.
    limits: true,
    timeoutSeconds: 30,
    // Its events hold a name and an address: its dead letters are kept days, not weeks.
    eventsCarryAddresses: true,
    triggers: [{ type: 'event', pattern: { 'detail-type': ['SignatureSubmitted'] } }],
  },

  // Schedules
  {
    name: 'WeeklyDigest',
    entry: 'functions/schedules/weekly-digest.ts',
    table: 'write',
    items: [itemPatterns.outreach],
    triggers: [{ type: 'schedule', cron: '0 8 * * MON' }],
  },
  {
    // Scheduled urgent calls: a sparse listing read once a minute, so a call starts within a minute of its time.
    // It puts the planning event itself: the router's filters are at Lambda's quota, and need none more for this.
    name: 'StartDueOutreach',
    entry: 'functions/schedules/start-due-outreach.ts',
    table: 'write',
    items: [itemPatterns.outreach],
    indexes: ['gsi1'],
    putsEvents: true,
    triggers: [{ type: 'schedule', cron: '* * * * *' }],
  },
  {
    name: 'CloseExpiredCampaigns',
    entry: 'functions/schedules/close-expired-campaigns.ts',
    table: 'write',
    items: [campaignItems],
    indexes: ['gsi1'],
    secrets: ['cursors'],
    timeoutSeconds: 60,
    triggers: [{ type: 'schedule', cron: '* * * * *' }],
  },
  {
    name: 'AnonymiseClosedCampaigns',
    entry: 'functions/schedules/anonymise-closed-campaigns.ts',
    table: 'write',
    // It also finishes the erasures a click left unfinished: those find a person's items by their HMACs, and
    // the mailbox's allowance in the limits table.
    secrets: ['links', 'cursors'],
    limits: true,
    timeoutSeconds: 900,
    triggers: [{ type: 'schedule', cron: '41 2 * * *' }],
  },
  {
    // Lists the open campaigns and puts one CampaignReconciliationDue event per campaign: seconds, at any size.
    name: 'ReconcileCounts',
    entry: 'functions/schedules/reconcile-counts.ts',
    table: 'read',
    items: [campaignItems],
    indexes: ['gsi1'],
    secrets: ['cursors'],
    putsEvents: true,
    timeoutSeconds: 300,
    triggers: [{ type: 'schedule', cron: '17 3 * * *' }],
  },
  {
    // One campaign: counts what the stream never counted (gsi4, approved endorsements on gsi1), recounts (gsi2).
    name: 'ReconcileCampaignCounts',
    entry: 'functions/events/reconcile-campaign-counts.ts',
    table: 'write',
    items: [campaignItems, itemPatterns.signature, itemPatterns.endorsement],
    indexes: ['gsi1', 'gsi2', 'gsi4'],
    memoryMb: 512,
    timeoutSeconds: 900,
    triggers: [{ type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['CampaignReconciliationDue'] } }],
  },
];

export function httpRoutes(): { spec: FunctionSpec; trigger: HttpTrigger }[] {
  return manifest.flatMap((spec) =>
    spec.triggers.filter((t): t is HttpTrigger => t.type === 'http').map((trigger) => ({ spec, trigger })),
  );
}

/** What a deployment builds: every function, but development aids only when its stage asks for them. */
export function deployedFunctions(functions: readonly FunctionSpec[], developmentRoutes: boolean): FunctionSpec[] {
  return functions.filter((spec) => developmentRoutes || !spec.development);
}
