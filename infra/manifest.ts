/**
 * The wiring manifest: every function and what triggers it. The CDK stack and the local runtime both
 * read this list, so AWS and a laptop run the same handlers on the same triggers. Adding a route is one
 * line here plus its handler file.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An EventBridge-style content filter (the subset both Lambda filter criteria and our local bus accept). */
export type PatternValue = string | number | boolean | null | { exists: boolean } | { prefix: string } | { 'anything-but': (string | number)[] };
export type EventPattern = { [key: string]: EventPattern | PatternValue[] };

export interface HttpTrigger {
  type: 'http';
  method: HttpMethod;
  /** API Gateway path syntax: `/campaigns/{slug}`. */
  path: string;
  operator?: boolean;
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

export type Trigger = HttpTrigger | StreamTrigger | EventTrigger | ScheduleTrigger;

/** The secrets a function's code may use (shared/config.ts), each given only to the functions that declare it. */
export type SecretName =
  /** Links and identities: confirmation and unsubscribe links, dedupe keys, the person index, IP and mailbox hashes. */
  | 'links'
  /** List cursors (shared/store/pagination.ts): any function that pages through a list. */
  | 'cursors';

/** The table's secondary indexes (shared/store/table-definition.ts). */
export type IndexName = 'gsi1' | 'gsi2' | 'gsi3';

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
  /** The secrets its code uses (test/infra/secrets.test.ts checks this against the bundled code). */
  secrets?: SecretName[];
  sendsEmail?: boolean;
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
}

const route = (spec: `${HttpMethod} /${string}`, name: string, entry: string, options: Partial<FunctionSpec> & { operator?: boolean } = {}): FunctionSpec => {
  const [method, path] = spec.split(' ') as [HttpMethod, string];
  const { operator, ...rest } = options;
  return { name, entry, ...rest, triggers: [{ type: 'http', method, path, ...(operator ? { operator } : {}) }] };
};

const admin = (spec: `${HttpMethod} /admin/${string}`, name: string, entry: string, options: Partial<FunctionSpec> = {}) =>
  route(spec, name, entry, { table: 'write', ...options, operator: true });

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
const campaignItems = 'CAMPAIGN#*';

export const manifest: FunctionSpec[] = [
  // Public HTTP API
  route('GET /health', 'Health', 'functions/http/get-health.ts', { table: 'describe' }),
  route('GET /campaigns', 'ListCampaigns', 'functions/http/list-campaigns.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1', 'gsi2'], secrets: ['cursors'] }),
  route('GET /campaigns/{slug}', 'GetCampaign', 'functions/http/get-campaign.ts', { table: 'read', items: [campaignItems] }),
  route('GET /campaigns/{slug}/counts', 'GetCampaignCounts', 'functions/http/get-campaign-counts.ts', { table: 'read', items: [campaignItems] }),
  route('POST /campaigns/{slug}/signatures', 'CreateSignature', 'functions/http/create-signature.ts', { table: 'write', secrets: ['links'], captcha: 'verifies' }),
  route('GET /campaigns/{slug}/signatures', 'ListSignatures', 'functions/http/list-signatures.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'] }),
  route('POST /campaigns/{slug}/endorsements', 'CreateEndorsement', 'functions/http/create-endorsement.ts', { table: 'write', secrets: ['links'], captcha: 'verifies' }),
  route('GET /campaigns/{slug}/endorsements', 'ListEndorsements', 'functions/http/list-endorsements.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'] }),
  route('POST /subscriptions', 'CreateSubscription', 'functions/http/create-subscription.ts', { table: 'write', secrets: ['links'], captcha: 'verifies' }),
  // Reads nothing: the link is an HMAC it checks.
  route('GET /unsubscribe/{token}', 'GetUnsubscribePage', 'functions/http/get-unsubscribe-page.ts', { secrets: ['links'] }),
  route('POST /unsubscribe/{token}', 'Unsubscribe', 'functions/http/post-unsubscribe.ts', { table: 'write', secrets: ['links'] }),
  route('POST /privacy/erasure', 'RequestErasure', 'functions/http/request-erasure.ts', { table: 'write', secrets: ['links'], captcha: 'verifies' }),
  // Finds the link by its hash (sha256, no secret) and shows the request it confirms.
  route('GET /confirm/{token}', 'GetConfirmPage', 'functions/http/get-confirm-page.ts', { table: 'read' }),
  route('POST /confirm/{token}', 'Confirm', 'functions/http/post-confirm.ts', { table: 'write', secrets: ['links'] }),
  // Lists the open campaigns through the paging code, which signs a cursor when more follow.
  route('GET /feed.atom', 'GetFeed', 'functions/http/get-feed.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1'], secrets: ['cursors'] }),
  route('GET /openapi.json', 'GetOpenApi', 'functions/http/get-openapi.ts'),
  route('GET /widget.js', 'GetWidget', 'functions/http/get-widget.ts', { development: true }),
  route('GET /demo/{slug}', 'GetDemoPage', 'functions/http/get-demo-page.ts', { table: 'read', items: [campaignItems], development: true, captcha: 'shows' }),

  // Anything else: a problem+json 404 rather than the gateway's own answer.
  route('GET /$default', 'NotFound', 'functions/http/not-found.ts'),

  // Operators
  admin('POST /admin/campaigns', 'AdminCreateCampaign', 'functions/http/admin/create-campaign.ts', { items: [campaignItems] }),
  admin('GET /admin/campaigns', 'AdminListCampaigns', 'functions/http/admin/list-campaigns.ts', { table: 'read', items: [campaignItems], indexes: ['gsi1', 'gsi2'], secrets: ['cursors'] }),
  admin('GET /admin/campaigns/{slug}', 'AdminGetCampaign', 'functions/http/admin/get-campaign.ts', { table: 'read', items: [campaignItems] }),
  admin('PATCH /admin/campaigns/{slug}', 'AdminUpdateCampaign', 'functions/http/admin/update-campaign.ts', { items: [campaignItems] }),
  admin('POST /admin/campaigns/{slug}/publish', 'AdminPublishCampaign', 'functions/http/admin/publish-campaign.ts', { items: [campaignItems] }),
  admin('POST /admin/campaigns/{slug}/close', 'AdminCloseCampaign', 'functions/http/admin/close-campaign.ts', { items: [campaignItems] }),
  admin('PUT /admin/campaigns/{slug}/offset', 'AdminSetOffset', 'functions/http/admin/set-offset.ts', { items: [campaignItems] }),
  admin('GET /admin/campaigns/{slug}/signatures.csv', 'AdminExportSignatures', 'functions/http/admin/export-signatures.ts', {
    table: 'read',
    items: [campaignItems],
    indexes: ['gsi2'],
    secrets: ['cursors'],
    memoryMb: 1024,
    timeoutSeconds: 29,
  }),
  admin('POST /admin/campaigns/{slug}/reconcile', 'AdminReconcileCampaign', 'functions/http/admin/reconcile-campaign.ts', { items: [campaignItems], indexes: ['gsi2'], timeoutSeconds: 29 }),
  admin('GET /admin/campaigns/{slug}/offset-history', 'AdminOffsetHistory', 'functions/http/admin/offset-history.ts', { table: 'read', items: [campaignItems], secrets: ['cursors'] }),
  admin('POST /admin/campaigns/{slug}/urgent-calls', 'AdminCreateUrgentCall', 'functions/http/admin/create-urgent-call.ts', { items: [campaignItems, 'OUTREACH#*'] }),
  admin('POST /admin/digests', 'AdminRequestDigest', 'functions/http/admin/request-digest.ts', { items: ['OUTREACH#*'] }),
  admin('GET /admin/outreach/{id}', 'AdminGetOutreach', 'functions/http/admin/get-outreach.ts', { table: 'read', items: ['OUTREACH#*'] }),
  admin('GET /admin/blocklist', 'AdminListBlocks', 'functions/http/admin/list-blocks.ts', { table: 'read', items: ['BLOCKLIST'] }),
  admin('PUT /admin/blocklist/{kind}/{value}', 'AdminAddBlock', 'functions/http/admin/add-block.ts', { items: ['BLOCKLIST'] }),
  admin('DELETE /admin/blocklist/{kind}/{value}', 'AdminRemoveBlock', 'functions/http/admin/remove-block.ts', { items: ['BLOCKLIST'] }),
  admin('GET /admin/endorsements', 'AdminListEndorsements', 'functions/http/admin/list-endorsements.ts', { table: 'read', items: ['ENDORSEMENT#*'], indexes: ['gsi2'], secrets: ['cursors'] }),
  admin('POST /admin/endorsements/{id}/approve', 'AdminApproveEndorsement', 'functions/http/admin/approve-endorsement.ts', { items: ['ENDORSEMENT#*'] }),
  admin('POST /admin/endorsements/{id}/reject', 'AdminRejectEndorsement', 'functions/http/admin/reject-endorsement.ts', { items: ['ENDORSEMENT#*'] }),

  // Stream consumers
  {
    name: 'CountConfirmations',
    entry: 'functions/streams/count-confirmations.ts',
    table: 'write',
    // The confirmed signatures and approved endorsements it marks, and their campaigns' counters.
    items: ['SIGNATURE#*', 'ENDORSEMENT#*', campaignItems],
    timeoutSeconds: 60,
    triggers: [
      {
        ...streamDefaults,
        // A transaction holds 99 count markers and the counter: a batch of 99 is exactly one counter write.
        batchSize: 99,
        filters: [
          {
            eventName: ['MODIFY'],
            dynamodb: {
              OldImage: { type: { S: ['signature'] }, status: { S: ['pending'] } },
              NewImage: { status: { S: ['confirmed'] } },
            },
          },
          { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['endorsement'] }, status: { S: ['approved'] } } } },
          {
            eventName: ['MODIFY'],
            dynamodb: {
              OldImage: { type: { S: ['endorsement'] }, status: { S: [{ 'anything-but': ['approved'] }] } },
              NewImage: { status: { S: ['approved'] } },
            },
          },
        ],
      },
    ],
  },
  {
    name: 'SendConfirmations',
    entry: 'functions/streams/send-confirmations.ts',
    table: 'write',
    secrets: ['links'],
    sendsEmail: true,
    timeoutSeconds: 60,
    triggers: [
      {
        ...streamDefaults,
        batchSize: 25,
        filters: [
          { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['signature'] }, status: { S: ['pending'] } } } },
          { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['endorsement'] }, status: { S: ['unconfirmed'] } } } },
          { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['subscriber'] }, status: { S: ['unconfirmed'] } } } },
          { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['erasure'] }, status: { S: ['unconfirmed'] } } } },
        ],
      },
    ],
  },
  {
    name: 'PublishDomainEvents',
    entry: 'functions/streams/publish-domain-events.ts',
    // Everything it publishes is in the stream records: it reads no item.
    putsEvents: true,
    triggers: [
      {
        ...streamDefaults,
        batchSize: 10,
        filters: [
          { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['campaign'] }, status: { S: ['open'] } } } },
          { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['outreach'] } } } },
        ],
      },
    ],
  },
  {
    name: 'DetectMilestones',
    entry: 'functions/streams/detect-milestones.ts',
    table: 'write',
    items: [campaignItems],
    putsEvents: true,
    triggers: [{ ...streamDefaults, batchSize: 50, filters: [{ eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['counter'] } } } }] }],
  },

  {
    name: 'SendOutreach',
    entry: 'functions/streams/send-outreach.ts',
    table: 'write',
    // Unsubscribe links in every message; the digest pages through the open campaigns.
    secrets: ['links', 'cursors'],
    sendsEmail: true,
    // One sender process paces every send under the SES rate (see RateLimiter).
    reservedConcurrency: 1,
    timeoutSeconds: 900,
    triggers: [{ ...streamDefaults, batchSize: 100, filters: [{ eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['delivery'] }, status: { S: ['queued'] } } } }] }],
  },

  // Events
  {
    name: 'PlanOutreach',
    entry: 'functions/events/plan-outreach.ts',
    table: 'write',
    secrets: ['cursors'],
    timeoutSeconds: 900,
    triggers: [{ type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['UrgentCallIssued', 'DigestRequested'] } }],
  },
  {
    name: 'NotifyOperators',
    entry: 'functions/events/notify-operators.ts',
    table: 'write',
    items: [campaignItems, 'NOTICE#*'],
    sendsEmail: true,
    triggers: [{ type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['MilestoneReached'] } }],
  },
  {
    name: 'SuppressAddresses',
    entry: 'functions/events/suppress-addresses.ts',
    table: 'write',
    items: ['SUPPRESSION#*'],
    secrets: ['links'],
    eventsCarryAddresses: true,
    triggers: [{ type: 'event', pattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] } }],
  },

  // Schedules
  {
    name: 'WeeklyDigest',
    entry: 'functions/schedules/weekly-digest.ts',
    table: 'write',
    items: ['OUTREACH#*'],
    triggers: [{ type: 'schedule', cron: '0 8 * * MON' }],
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
    // It also finishes the erasures a click left unfinished: those find a person's items by their HMACs.
    secrets: ['links', 'cursors'],
    timeoutSeconds: 900,
    triggers: [{ type: 'schedule', cron: '41 2 * * *' }],
  },
  {
    name: 'ReconcileCounts',
    entry: 'functions/schedules/reconcile-counts.ts',
    table: 'write',
    secrets: ['cursors'],
    timeoutSeconds: 900,
    triggers: [{ type: 'schedule', cron: '17 3 * * *' }],
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
