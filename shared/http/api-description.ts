import { z } from 'zod';
import { blockKinds } from '#shared/domain/blocklist.ts';
import { campaignInputSchema, campaignPatchSchema } from '#shared/domain/campaign.ts';
import { endorsementRequestSchema } from '#shared/domain/endorsement.ts';
import { signatureRequestSchema } from '#shared/domain/signature.ts';
import { subscriptionRequestSchema } from '#shared/domain/subscription.ts';
import {
  acceptedSchema,
  adminEndorsementSchema,
  campaignSchema,
  campaignSummarySchema,
  confirmResultSchema,
  countsSchema,
  healthSchema,
  offsetAuditSchema,
  outreachAcceptedSchema,
  outreachStatusSchema,
  pageOf,
  publicEndorsementSchema,
  publicSignatureSchema,
  reconciliationSchema,
  unsubscribedSchema,
} from './api-schemas.ts';
import {
  adminListCampaignsQuerySchema,
  adminListEndorsementsQuerySchema,
  blockInputSchema,
  campaignQuerySchema,
  demoPageQuerySchema,
  digestRequestSchema,
  erasureRequestSchema,
  exportQuerySchema,
  feedQuerySchema,
  listCampaignsQuerySchema,
  listQuerySchema,
  offsetInputSchema,
  reconcileQuerySchema,
  urgentCallInputSchema,
} from './request-schemas.ts';

/**
 * The HTTP API as the OpenAPI document describes it: one entry per route of infra/manifest.ts (the test
 * test/unit/http/openapi.test.ts holds the two lists equal, both ways), keyed by the manifest's
 * `METHOD /path`. Request bodies and queries are the very schemas the handlers validate with (from the domain
 * modules and request-schemas.ts); response schemas are in api-schemas.ts. A route of the contract (docs/http-api.md)
 * that is not built yet has no entry: the document describes the running system.
 */

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteKey = `${ApiMethod} /${string}`;

/** Statuses answered with problem details (application/problem+json), as the contract assigns them. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429;

export type ApiContent =
  | { type: 'json'; schema: z.ZodType }
  | { type: 'problem' }
  | { type: 'html' }
  | { type: 'atom' }
  | { type: 'csv' }
  | { type: 'openapi' };

export interface ApiResponse {
  description: string;
  content?: ApiContent[];
  headers?: Record<string, string>;
}

export interface ApiOperation {
  /** The manifest's function name for this route. */
  operationId: string;
  summary: string;
  description?: string;
  tag: 'Service' | 'Campaigns' | 'Signatures' | 'Endorsements' | 'Subscriptions' | 'Confirmation' | 'Operators';
  /** Operator route: bearer token required, 401 otherwise. */
  operator?: boolean;
  query?: z.ZodObject;
  /** Descriptions of path parameters other than the usual `slug` and `token`. */
  params?: Record<string, string>;
  /** A JSON request body (the handler's zod schema) and its component name. */
  body?: { name: string; schema: z.ZodType };
  /** An optional form body that the route accepts and ignores (RFC 8058 one-click unsubscribe). */
  oneClickForm?: boolean;
  /** Non-problem answers, success first. */
  responses: Record<number, ApiResponse>;
  /** Problem details this route can answer with (besides 401, implied by `operator`). */
  problems?: ProblemStatus[];
}

const blockSchema = z.object({ kind: z.enum(blockKinds), value: z.string(), reason: z.string(), at: z.string(), by: z.string() });
const blockPage = pageOf(blockSchema);
const blockRemovedSchema = z.object({ kind: z.enum(blockKinds), value: z.string(), removed: z.literal(true) });

const json = (schema: z.ZodType): ApiContent[] => [{ type: 'json', schema }];
const campaign = { description: 'The campaign, with its counts.', content: json(campaignSchema) };
const campaignSummaryPage = pageOf(campaignSummarySchema);
const publicSignaturePage = pageOf(publicSignatureSchema);
const publicEndorsementPage = pageOf(publicEndorsementSchema);
const adminEndorsementPage = pageOf(adminEndorsementSchema);
const offsetAuditPage = pageOf(offsetAuditSchema);
const page = (what: string, schema: z.ZodType): ApiResponse => ({ description: `A page of ${what}.`, content: json(schema) });
const accepted: ApiResponse = { description: 'Recorded; a confirmation link is on its way by email.', content: json(acceptedSchema) };

export const apiDescription: Record<RouteKey, ApiOperation> = {
  // Public
  'GET /health': {
    operationId: 'Health',
    tag: 'Service',
    summary: 'Readiness',
    responses: {
      200: { description: 'Every component is up.', content: json(healthSchema) },
      503: { description: 'Still starting: `{"status":"starting"}`.', content: json(healthSchema) },
    },
  },
  'GET /openapi.json': {
    operationId: 'GetOpenApi',
    tag: 'Service',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'The OpenAPI document.', content: [{ type: 'openapi' }] } },
  },
  'GET /widget.js': {
    operationId: 'GetWidget',
    tag: 'Service',
    summary: 'The embeddable widget script',
    description:
      'The `<tadamon-action campaign="slug" api="…" locale="…">` custom element, one minified script (`text/javascript`). Served here by the local runtime; on AWS it is a static file (the stack output `WidgetUrl`), and this route is not deployed unless the stage sets `developmentRoutes` (it then answers 404).',
    responses: { 200: { description: 'The script (`text/javascript; charset=utf-8`), with an ETag; 304 when `If-None-Match` matches.' } },
    problems: [404],
  },
  'GET /demo/{slug}': {
    operationId: 'GetDemoPage',
    tag: 'Service',
    summary: 'A demo page embedding the widget',
    description:
      'An HTML page with the widget for this campaign and its embed code; the widget talks to this deployment (PUBLIC_URL) only. A development route: served by the local runtime, deployed on AWS only where the stage sets `developmentRoutes`.',
    query: demoPageQuerySchema,
    responses: { 200: { description: 'The page.', content: [{ type: 'html' }] } },
    problems: [400, 404],
  },
  'GET /feed.atom': {
    operationId: 'GetFeed',
    tag: 'Campaigns',
    summary: 'Atom feed of open campaigns',
    description: 'Open campaigns, newest first (at most 50), as an Atom 1.0 (RFC 4287) feed; texts in `locale` where a translation exists.',
    query: feedQuerySchema,
    responses: { 200: { description: 'The feed.', content: [{ type: 'atom' }] } },
    problems: [400],
  },
  'GET /campaigns': {
    operationId: 'ListCampaigns',
    tag: 'Campaigns',
    summary: 'List campaigns',
    description: 'Newest first. Drafts are never listed.',
    query: listCampaignsQuerySchema,
    responses: { 200: page('campaign summaries', campaignSummaryPage) },
    problems: [400],
  },
  'GET /campaigns/{slug}': {
    operationId: 'GetCampaign',
    tag: 'Campaigns',
    summary: 'Get a campaign',
    description: 'Drafts are 404 here. With `?locale=` the translated fields are served where they exist.',
    query: campaignQuerySchema,
    responses: { 200: campaign },
    problems: [400, 404],
  },
  'GET /campaigns/{slug}/counts': {
    operationId: 'GetCampaignCounts',
    tag: 'Campaigns',
    summary: "A campaign's counts",
    description: 'Eventually consistent; cacheable for a few seconds.',
    responses: { 200: { description: 'The counts.', content: json(countsSchema), headers: { 'Cache-Control': 'public, max-age=5' } } },
    problems: [404],
  },
  'POST /campaigns/{slug}/signatures': {
    operationId: 'CreateSignature',
    tag: 'Signatures',
    summary: 'Sign a campaign',
    description: 'Counted once confirmed by email. A repeat gets the same answer: it never tells whether an address already signed.',
    body: { name: 'SignatureInput', schema: signatureRequestSchema },
    responses: { 202: accepted },
    problems: [400, 403, 404, 409, 413, 415, 429],
  },
  'GET /campaigns/{slug}/signatures': {
    operationId: 'ListSignatures',
    tag: 'Signatures',
    summary: 'List public signatures',
    description: 'Confirmed signatures whose signers chose `public: true`; newest first.',
    query: listQuerySchema,
    responses: { 200: page('public signatures', publicSignaturePage) },
    problems: [400, 404],
  },
  'POST /campaigns/{slug}/endorsements': {
    operationId: 'CreateEndorsement',
    tag: 'Endorsements',
    summary: 'Endorse a campaign as an organisation',
    description: 'Listed and counted once confirmed by its contact and approved by an operator.',
    body: { name: 'EndorsementInput', schema: endorsementRequestSchema },
    responses: { 202: accepted },
    problems: [400, 403, 404, 409, 413, 415, 429],
  },
  'GET /campaigns/{slug}/endorsements': {
    operationId: 'ListEndorsements',
    tag: 'Endorsements',
    summary: 'List approved endorsements',
    query: listQuerySchema,
    responses: { 200: page('approved endorsements', publicEndorsementPage) },
    problems: [400, 404],
  },
  'POST /subscriptions': {
    operationId: 'CreateSubscription',
    tag: 'Subscriptions',
    summary: 'Subscribe to urgent calls and the weekly digest',
    description: 'Takes effect once confirmed by email. Empty `countries`/`topics` mean everything. A repeat gets the same answer.',
    body: { name: 'SubscriptionInput', schema: subscriptionRequestSchema },
    responses: { 202: accepted },
    problems: [400, 403, 413, 415, 429],
  },
  'POST /privacy/erasure': {
    operationId: 'RequestErasure',
    tag: 'Subscriptions',
    summary: 'Erase everything personal about an address',
    description: 'Once confirmed from the mailbox, every name, address, comment and postcode of that person is erased from signatures, subscriptions and endorsement contacts. Counts stay. The answer is the same whether the address was known or not.',
    body: { name: 'ErasureRequest', schema: erasureRequestSchema },
    responses: { 202: { description: 'A confirmation link is on its way by email.', content: json(acceptedSchema) } },
    problems: [400, 403, 413, 415, 429],
  },
  'GET /unsubscribe/{token}': {
    operationId: 'GetUnsubscribePage',
    tag: 'Subscriptions',
    summary: 'Unsubscribe page',
    description: 'An HTML page with an unsubscribe button; changes nothing.',
    responses: {
      200: { description: 'The page.', content: [{ type: 'html' }] },
      404: { description: 'Unknown link (an HTML page).', content: [{ type: 'html' }] },
    },
  },
  'POST /unsubscribe/{token}': {
    operationId: 'Unsubscribe',
    tag: 'Subscriptions',
    summary: 'Unsubscribe (RFC 8058 one-click)',
    description: 'Takes effect at once: no bulk email to that address afterwards. Repeats are harmless. A browser form post (`Accept: text/html`) gets an HTML page.',
    oneClickForm: true,
    responses: { 200: { description: 'Unsubscribed.', content: [...json(unsubscribedSchema), { type: 'html' }] } },
    problems: [404],
  },
  'GET /confirm/{token}': {
    operationId: 'GetConfirmPage',
    tag: 'Confirmation',
    summary: 'Confirmation page',
    description: 'An HTML page with a confirm button; changes nothing (mail scanners prefetch links).',
    responses: {
      200: { description: 'The page.', content: [{ type: 'html' }] },
      404: { description: 'Unknown link (an HTML page).', content: [{ type: 'html' }] },
      410: { description: 'Expired link (an HTML page).', content: [{ type: 'html' }] },
    },
  },
  'POST /confirm/{token}': {
    operationId: 'Confirm',
    tag: 'Confirmation',
    summary: 'Confirm',
    description: 'Confirms what the link stands for; a repeat answers 200 and is counted once. A browser form post (`Accept: text/html`) gets HTML pages instead of JSON.',
    responses: {
      200: { description: 'Confirmed.', content: [...json(confirmResultSchema), { type: 'html' }] },
      404: { description: 'Unknown link.', content: [{ type: 'problem' }, { type: 'html' }] },
      410: { description: 'Expired link, or what it confirms no longer exists.', content: [{ type: 'problem' }, { type: 'html' }] },
    },
  },

  // Operators
  'POST /admin/campaigns': {
    operationId: 'AdminCreateCampaign',
    tag: 'Operators',
    operator: true,
    summary: 'Create a campaign',
    description: 'Created as a draft; `slug` is derived from the title when absent.',
    body: { name: 'CampaignInput', schema: campaignInputSchema },
    responses: { 201: { ...campaign, headers: { Location: 'The new campaign: `/admin/campaigns/{slug}`.' } } },
    problems: [400, 409, 413, 415],
  },
  'GET /admin/campaigns': {
    operationId: 'AdminListCampaigns',
    tag: 'Operators',
    operator: true,
    summary: 'List campaigns, drafts included',
    query: adminListCampaignsQuerySchema,
    responses: { 200: page('campaign summaries', campaignSummaryPage) },
    problems: [400],
  },
  'GET /admin/campaigns/{slug}': {
    operationId: 'AdminGetCampaign',
    tag: 'Operators',
    operator: true,
    summary: 'Get a campaign, drafts included',
    responses: { 200: campaign },
    problems: [404],
  },
  'PATCH /admin/campaigns/{slug}': {
    operationId: 'AdminUpdateCampaign',
    tag: 'Operators',
    operator: true,
    summary: 'Change campaign fields',
    description: 'Any editable field; absent means unchanged. `translations` merge per locale. `slug` and `status` are not patchable.',
    body: { name: 'CampaignPatch', schema: campaignPatchSchema },
    responses: { 200: campaign },
    problems: [400, 404, 413, 415],
  },
  'POST /admin/campaigns/{slug}/publish': {
    operationId: 'AdminPublishCampaign',
    tag: 'Operators',
    operator: true,
    summary: 'Publish (status `open`)',
    description: 'Publishing an open campaign changes nothing.',
    responses: { 200: campaign },
    problems: [404, 409],
  },
  'POST /admin/campaigns/{slug}/close': {
    operationId: 'AdminCloseCampaign',
    tag: 'Operators',
    operator: true,
    summary: 'Close (status `closed`)',
    description: 'Closing a closed campaign changes nothing; closing a draft is a 409.',
    responses: { 200: campaign },
    problems: [404, 409],
  },
  'PUT /admin/campaigns/{slug}/offset': {
    operationId: 'AdminSetOffset',
    tag: 'Operators',
    operator: true,
    summary: 'Set the signature offset',
    description: 'Every change is kept in an audit trail (offset-history).',
    body: { name: 'OffsetInput', schema: offsetInputSchema },
    responses: { 200: { description: 'The counts.', content: json(countsSchema) } },
    problems: [400, 404, 409, 413, 415],
  },
  'GET /admin/campaigns/{slug}/signatures.csv': {
    operationId: 'AdminExportSignatures',
    tag: 'Operators',
    operator: true,
    summary: 'Export confirmed signatures as CSV',
    description:
      'Columns `name,email,country,postcode,comment,signed_at`, oldest first; cells are formula-injection safe. Sent gzip-encoded. ' +
      'Without `rows`, the whole export in one response, or 413 when it is too large for one (about 150,000 signatures). ' +
      'With `rows`, a part of at most that many rows (fewer when the response would grow too large or slow), each with the header ' +
      'row; while more follow, `Link: <…>; rel="next"` and `X-Next-Cursor` give the next part. `cursor` alone asks for parts of 50,000.',
    query: exportQuerySchema,
    responses: {
      200: {
        description: 'The CSV, or one part of it.',
        content: [{ type: 'csv' }],
        headers: {
          'Content-Encoding': 'gzip',
          'Content-Disposition': 'attachment; filename="{slug}-signatures.csv"',
          'X-Row-Count': 'Rows in this response (the header row not included).',
          'X-Next-Cursor': 'Present while more parts follow: the `cursor` of the next one.',
          Link: 'Present while more parts follow: the next part\'s URL, rel="next".',
        },
      },
    },
    problems: [400, 404, 413],
  },
  'POST /admin/campaigns/{slug}/reconcile': {
    operationId: 'AdminReconcileCampaign',
    tag: 'Operators',
    operator: true,
    summary: 'Recount a campaign from its signatures',
    description: 'Corrects drift unless `?apply=false`.',
    query: reconcileQuerySchema,
    responses: { 200: { description: 'The recount.', content: json(reconciliationSchema) } },
    problems: [400, 404],
  },
  'GET /admin/campaigns/{slug}/offset-history': {
    operationId: 'AdminOffsetHistory',
    tag: 'Operators',
    operator: true,
    summary: "The offset's audit trail",
    description: 'Newest first.',
    query: listQuerySchema,
    responses: { 200: page('offset changes', offsetAuditPage) },
    problems: [400, 404],
  },
  'POST /admin/campaigns/{slug}/urgent-calls': {
    operationId: 'AdminCreateUrgentCall',
    tag: 'Operators',
    operator: true,
    summary: 'Send an urgent call',
    description: 'Emails every confirmed subscriber with `urgent: true` whose countries and topics match the campaign. Open campaigns only.',
    body: { name: 'UrgentCallInput', schema: urgentCallInputSchema },
    responses: { 202: { description: 'Queued.', content: json(outreachAcceptedSchema) } },
    problems: [400, 404, 409, 413, 415],
  },
  'POST /admin/digests': {
    operationId: 'AdminRequestDigest',
    tag: 'Operators',
    operator: true,
    summary: 'Send the weekly digest',
    description: '`period` is an ISO week such as `2026-W47` (default: the current one). The same code the schedule runs; a period is sent at most once per subscriber.',
    body: { name: 'DigestRequest', schema: digestRequestSchema },
    responses: { 202: { description: 'Queued.', content: json(outreachAcceptedSchema) } },
    problems: [400, 413, 415],
  },
  'GET /admin/outreach/{id}': {
    operationId: 'AdminGetOutreach',
    tag: 'Operators',
    operator: true,
    summary: 'Progress of an urgent call or digest',
    params: { id: 'The outreach id (`outreachId`).' },
    responses: { 200: { description: 'Its progress.', content: json(outreachStatusSchema) } },
    problems: [404],
  },
  'GET /admin/blocklist': {
    operationId: 'AdminListBlocks',
    tag: 'Operators',
    operator: true,
    summary: 'The blocklists',
    description:
      'IP addresses, CIDR ranges and email domains whose submissions are refused (403). A domain blocks its subdomains; values are canonical (lower-case ASCII domains, RFC 5952 IPv6, ranges as their network).',
    responses: { 200: { description: 'Every entry.', content: json(blockPage) } },
    problems: [],
  },
  'PUT /admin/blocklist/{kind}/{value}': {
    operationId: 'AdminAddBlock',
    tag: 'Operators',
    operator: true,
    summary: 'Block an IP address, a CIDR range or an email domain',
    description:
      'An email domain also blocks its subdomains (`evil.example` blocks `mail.evil.example`, not `notevil.example`). An IP entry is an address or a CIDR range (`203.0.113.0/24`, `2001:db8::/32`); IPv4-mapped IPv6 is stored as the IPv4 address. The entry is stored canonical and answered as stored; a malformed value is a 400 and stores nothing. Domain entries apply to the next request, IP entries within a minute.',
    params: {
      kind: '`ip` or `email-domain`.',
      value: 'The IP address, CIDR range or domain, percent-encoded; on API Gateway encode a range\'s `/` twice (`%252F`), which also works locally.',
    },
    body: { name: 'BlockInput', schema: blockInputSchema },
    responses: { 200: { description: 'The entry.', content: json(blockSchema) } },
    problems: [400, 413, 415],
  },
  'DELETE /admin/blocklist/{kind}/{value}': {
    operationId: 'AdminRemoveBlock',
    tag: 'Operators',
    operator: true,
    summary: 'Unblock',
    params: { kind: '`ip` or `email-domain`.', value: 'The entry, written as for blocking (it is canonicalised the same way).' },
    responses: { 200: { description: 'Removed (also when it was not there).', content: json(blockRemovedSchema) } },
    problems: [400],
  },
  'GET /admin/endorsements': {
    operationId: 'AdminListEndorsements',
    tag: 'Operators',
    operator: true,
    summary: 'List endorsements by status',
    description: '`pending` (the default): confirmed by their contact, awaiting an operator.',
    query: adminListEndorsementsQuerySchema,
    responses: { 200: page('endorsements', adminEndorsementPage) },
    problems: [400],
  },
  'POST /admin/endorsements/{id}/approve': {
    operationId: 'AdminApproveEndorsement',
    tag: 'Operators',
    operator: true,
    params: { id: 'The endorsement id.' },
    summary: 'Approve an endorsement',
    description: 'Approving an approved endorsement changes nothing.',
    responses: { 200: { description: 'The endorsement.', content: json(adminEndorsementSchema) } },
    problems: [404, 409],
  },
  'POST /admin/endorsements/{id}/reject': {
    operationId: 'AdminRejectEndorsement',
    tag: 'Operators',
    operator: true,
    params: { id: 'The endorsement id.' },
    summary: 'Reject an endorsement',
    description: 'Rejecting a rejected endorsement changes nothing.',
    responses: { 200: { description: 'The endorsement.', content: json(adminEndorsementSchema) } },
    problems: [404, 409],
  },
};

/** Component names of the response schemas: the document defines each once and refers to it. */
export const namedResponseSchemas: Record<string, z.ZodType> = {
  CampaignSummaryPage: campaignSummaryPage,
  PublicSignaturePage: publicSignaturePage,
  PublicEndorsementPage: publicEndorsementPage,
  AdminEndorsementPage: adminEndorsementPage,
  OffsetAuditPage: offsetAuditPage,
  Campaign: campaignSchema,
  CampaignSummary: campaignSummarySchema,
  Counts: countsSchema,
  PublicSignature: publicSignatureSchema,
  PublicEndorsement: publicEndorsementSchema,
  AdminEndorsement: adminEndorsementSchema,
  OffsetAuditEntry: offsetAuditSchema,
  ConfirmResult: confirmResultSchema,
  Accepted: acceptedSchema,
  Health: healthSchema,
  Reconciliation: reconciliationSchema,
  Unsubscribed: unsubscribedSchema,
  OutreachAccepted: outreachAcceptedSchema,
  OutreachStatus: outreachStatusSchema,
  Block: blockSchema,
  BlockPage: blockPage,
  BlockRemoved: blockRemovedSchema,
};
