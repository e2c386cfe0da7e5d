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
import { defineRoute, type ApiContent, type ApiResponse, type RouteCache, type RouteDefinition } from './route-definition.ts';

/**
 * Every HTTP route, each defined once (route-definition.ts): its handler is made from the definition
 * (`httpHandler(routes.adminSetOffset, …)`), infra/manifest.ts routes it (`route(routes.adminSetOffset, entry, …)`),
 * and the OpenAPI document describes it, in the order of `documentedRoutes`. Request bodies and queries are the
 * very schemas the handlers validate with (from the domain modules and request-schemas.ts); response schemas
 * are in api-schemas.ts. A route of the contract (docs/http-api.md) that is not built yet has no definition:
 * the document describes the running system.
 *
 * One export per route, each call marked pure: a handler's bundle keeps its own definition and drops the
 * description of every other route. Every handler and the manifest import this module, so it imports no
 * store and nothing that makes a key: a handler would carry keys it has no secret for
 * (test/infra/secrets.test.ts).
 */

const blockSchema = /* @__PURE__ */ z.object({ kind: z.enum(blockKinds), value: z.string(), reason: z.string(), at: z.string(), by: z.string() });
const blockPage = /* @__PURE__ */ pageOf(blockSchema);
const blockRemovedSchema = /* @__PURE__ */ z.object({ kind: z.enum(blockKinds), value: z.string(), removed: z.literal(true) });

// Annotated, and no spreads below, so that a handler's bundle drops the other routes' definitions.
const json = /* @__NO_SIDE_EFFECTS__ */ (schema: z.ZodType): ApiContent[] => [{ type: 'json', schema }];
const campaign = { description: 'The campaign, with its counts.', content: json(campaignSchema) };
const campaignSummaryPage = /* @__PURE__ */ pageOf(campaignSummarySchema);
const publicSignaturePage = /* @__PURE__ */ pageOf(publicSignatureSchema);
const publicEndorsementPage = /* @__PURE__ */ pageOf(publicEndorsementSchema);
const adminEndorsementPage = /* @__PURE__ */ pageOf(adminEndorsementSchema);
const offsetAuditPage = /* @__PURE__ */ pageOf(offsetAuditSchema);
const page = /* @__NO_SIDE_EFFECTS__ */ (what: string, schema: z.ZodType): ApiResponse => ({ description: `A page of ${what}.`, content: json(schema) });

// How long public reads may be kept by browsers and the CDN (shared/http/caching.ts). Counts move every few
// seconds and are what every open widget polls; campaigns and lists change when an operator edits or a
// signature is confirmed; the feed is read by feed readers every few minutes. stale-if-error keeps the last
// answer on screen while the API fails. Routes without `cache` are never kept (`no-store`).
const countsCache: RouteCache = { maxAgeSeconds: 5, staleWhileRevalidateSeconds: 10, staleIfErrorSeconds: 300 };
const campaignCache: RouteCache = { maxAgeSeconds: 30, staleWhileRevalidateSeconds: 30, staleIfErrorSeconds: 3600 };
const listCache: RouteCache = { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 60, staleIfErrorSeconds: 3600 };
const feedCache: RouteCache = { maxAgeSeconds: 300, staleWhileRevalidateSeconds: 300, staleIfErrorSeconds: 86_400 };
const documentCache: RouteCache = { maxAgeSeconds: 300, staleWhileRevalidateSeconds: 300 };

const accepted: ApiResponse = { description: 'Recorded; a confirmation link is on its way by email.', content: json(acceptedSchema) };

// Public
export const health = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/health',
  name: 'Health',
  tag: 'Service',
  summary: 'Readiness',
  responses: {
    200: { description: 'Every component is up.', content: json(healthSchema) },
    503: { description: 'Still starting: `{"status":"starting"}`.', content: json(healthSchema) },
  },
});

export const getOpenApi = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/openapi.json',
  name: 'GetOpenApi',
  tag: 'Service',
  summary: 'This OpenAPI 3.1 document',
  responses: { 200: { description: 'The OpenAPI document.', content: [{ type: 'openapi' }] } },
  cache: documentCache,
});

export const getWidget = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/widget.js',
  name: 'GetWidget',
  tag: 'Service',
  summary: 'The embeddable widget script',
  description:
    'The `<tadamon-action campaign="slug" api="…" locale="…">` custom element, one minified script (`text/javascript`). Served here by the local runtime; on AWS it is a static file (the stack output `WidgetUrl`), and this route is not deployed unless the stage sets `developmentRoutes` (it then answers 404).',
  responses: { 200: { description: 'The script (`text/javascript; charset=utf-8`).' } },
  problems: [404],
  cache: documentCache,
});

export const getDemoPage = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/demo/{slug}',
  name: 'GetDemoPage',
  tag: 'Service',
  summary: 'A demo page embedding the widget',
  description:
    'An HTML page with the widget for this campaign and its embed code; the widget talks to this deployment (PUBLIC_URL) only. A development route: served by the local runtime, deployed on AWS only where the stage sets `developmentRoutes`.',
  query: demoPageQuerySchema,
  responses: { 200: { description: 'The page.', content: [{ type: 'html' }] } },
  problems: [400, 404],
  cache: listCache,
});

export const getFeed = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/feed.atom',
  name: 'GetFeed',
  tag: 'Campaigns',
  summary: 'Atom feed of open campaigns',
  description: 'Open campaigns, newest first (at most 50), as an Atom 1.0 (RFC 4287) feed; texts in `locale` where a translation exists.',
  query: feedQuerySchema,
  responses: { 200: { description: 'The feed.', content: [{ type: 'atom' }] } },
  problems: [400],
  cache: feedCache,
});

export const listCampaigns = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/campaigns',
  name: 'ListCampaigns',
  tag: 'Campaigns',
  summary: 'List campaigns',
  description: 'Newest first. Drafts are never listed.',
  query: listCampaignsQuerySchema,
  responses: { 200: page('campaign summaries', campaignSummaryPage) },
  problems: [400],
  cache: listCache,
});

export const getCampaign = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/campaigns/{slug}',
  name: 'GetCampaign',
  tag: 'Campaigns',
  summary: 'Get a campaign',
  description: 'Drafts are 404 here. With `?locale=` the translated fields are served where they exist.',
  query: campaignQuerySchema,
  responses: { 200: campaign },
  problems: [400, 404],
  cache: campaignCache,
});

export const getCampaignCounts = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/campaigns/{slug}/counts',
  name: 'GetCampaignCounts',
  tag: 'Campaigns',
  summary: "A campaign's counts",
  description: 'Eventually consistent; cacheable for a few seconds.',
  responses: { 200: { description: 'The counts.', content: json(countsSchema) } },
  problems: [404],
  cache: countsCache,
});

export const createSignature = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/campaigns/{slug}/signatures',
  name: 'CreateSignature',
  tag: 'Signatures',
  summary: 'Sign a campaign',
  description: 'Counted once confirmed by email. A repeat gets the same answer: it never tells whether an address already signed.',
  body: { name: 'SignatureInput', schema: signatureRequestSchema },
  responses: { 202: accepted },
  problems: [400, 403, 404, 409, 413, 415, 429],
});

export const listSignatures = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/campaigns/{slug}/signatures',
  name: 'ListSignatures',
  tag: 'Signatures',
  summary: 'List public signatures',
  description: 'Confirmed signatures whose signers chose `public: true`; newest first.',
  query: listQuerySchema,
  responses: { 200: page('public signatures', publicSignaturePage) },
  problems: [400, 404],
  cache: listCache,
});

export const createEndorsement = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/campaigns/{slug}/endorsements',
  name: 'CreateEndorsement',
  tag: 'Endorsements',
  summary: 'Endorse a campaign as an organisation',
  description: 'Listed and counted once confirmed by its contact and approved by an operator.',
  body: { name: 'EndorsementInput', schema: endorsementRequestSchema },
  responses: { 202: accepted },
  problems: [400, 403, 404, 409, 413, 415, 429],
});

export const listEndorsements = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/campaigns/{slug}/endorsements',
  name: 'ListEndorsements',
  tag: 'Endorsements',
  summary: 'List approved endorsements',
  query: listQuerySchema,
  responses: { 200: page('approved endorsements', publicEndorsementPage) },
  problems: [400, 404],
  cache: listCache,
});

export const createSubscription = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/subscriptions',
  name: 'CreateSubscription',
  tag: 'Subscriptions',
  summary: 'Subscribe to urgent calls and the weekly digest',
  description: 'Takes effect once confirmed by email. Empty `countries`/`topics` mean everything. A repeat gets the same answer.',
  body: { name: 'SubscriptionInput', schema: subscriptionRequestSchema },
  responses: { 202: accepted },
  problems: [400, 403, 413, 415, 429],
});

export const requestErasure = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/privacy/erasure',
  name: 'RequestErasure',
  tag: 'Subscriptions',
  summary: 'Erase everything personal about an address',
  description: 'Once confirmed from the mailbox, every name, address, comment and postcode of that person is erased from signatures, subscriptions and endorsement contacts. Counts stay. The answer is the same whether the address was known or not.',
  body: { name: 'ErasureRequest', schema: erasureRequestSchema },
  responses: { 202: { description: 'A confirmation link is on its way by email.', content: json(acceptedSchema) } },
  problems: [400, 403, 413, 415, 429],
});

export const getUnsubscribePage = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/unsubscribe/{token}',
  name: 'GetUnsubscribePage',
  tag: 'Subscriptions',
  summary: 'Unsubscribe page',
  description: 'An HTML page with an unsubscribe button; changes nothing.',
  responses: {
    200: { description: 'The page.', content: [{ type: 'html' }] },
    404: { description: 'Unknown link (an HTML page).', content: [{ type: 'html' }] },
  },
});

export const unsubscribe = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/unsubscribe/{token}',
  name: 'Unsubscribe',
  tag: 'Subscriptions',
  summary: 'Unsubscribe (RFC 8058 one-click)',
  description: 'Takes effect at once: no bulk email to that address afterwards. Repeats are harmless. A browser form post (`Accept: text/html`) gets an HTML page.',
  oneClickForm: true,
  responses: { 200: { description: 'Unsubscribed.', content: [{ type: 'json', schema: unsubscribedSchema }, { type: 'html' }] } },
  problems: [404],
});

export const getConfirmPage = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/confirm/{token}',
  name: 'GetConfirmPage',
  tag: 'Confirmation',
  summary: 'Confirmation page',
  description: 'An HTML page with a confirm button; changes nothing (mail scanners prefetch links).',
  responses: {
    200: { description: 'The page.', content: [{ type: 'html' }] },
    404: { description: 'Unknown link (an HTML page).', content: [{ type: 'html' }] },
    410: { description: 'Expired link (an HTML page).', content: [{ type: 'html' }] },
  },
});

export const confirm = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/confirm/{token}',
  name: 'Confirm',
  tag: 'Confirmation',
  summary: 'Confirm',
  description: 'Confirms what the link stands for; a repeat answers 200 and is counted once. A browser form post (`Accept: text/html`) gets HTML pages instead of JSON.',
  responses: {
    200: { description: 'Confirmed.', content: [{ type: 'json', schema: confirmResultSchema }, { type: 'html' }] },
    404: { description: 'Unknown link.', content: [{ type: 'problem' }, { type: 'html' }] },
    410: { description: 'Expired link, or what it confirms no longer exists.', content: [{ type: 'problem' }, { type: 'html' }] },
  },
});

// Operators
export const adminCreateCampaign = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/campaigns',
  name: 'AdminCreateCampaign',
  tag: 'Operators',
  operator: true,
  summary: 'Create a campaign',
  description: 'Created as a draft; `slug` is derived from the title when absent.',
  body: { name: 'CampaignInput', schema: campaignInputSchema },
  responses: { 201: { description: 'The campaign, with its counts.', content: json(campaignSchema), headers: { Location: 'The new campaign: `/admin/campaigns/{slug}`.' } } },
  problems: [400, 409, 413, 415],
});

export const adminListCampaigns = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns',
  name: 'AdminListCampaigns',
  tag: 'Operators',
  operator: true,
  summary: 'List campaigns, drafts included',
  query: adminListCampaignsQuerySchema,
  responses: { 200: page('campaign summaries', campaignSummaryPage) },
  problems: [400],
});

export const adminGetCampaign = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}',
  name: 'AdminGetCampaign',
  tag: 'Operators',
  operator: true,
  summary: 'Get a campaign, drafts included',
  responses: { 200: campaign },
  problems: [404],
});

export const adminUpdateCampaign = /* @__PURE__ */ defineRoute({
  method: 'PATCH',
  path: '/admin/campaigns/{slug}',
  name: 'AdminUpdateCampaign',
  tag: 'Operators',
  operator: true,
  summary: 'Change campaign fields',
  description: 'Any editable field; absent means unchanged. `translations` merge per locale. `slug` and `status` are not patchable.',
  body: { name: 'CampaignPatch', schema: campaignPatchSchema },
  responses: { 200: campaign },
  problems: [400, 404, 413, 415],
});

export const adminPublishCampaign = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/campaigns/{slug}/publish',
  name: 'AdminPublishCampaign',
  tag: 'Operators',
  operator: true,
  summary: 'Publish (status `open`)',
  description: 'Publishing an open campaign changes nothing.',
  responses: { 200: campaign },
  problems: [404, 409],
});

export const adminCloseCampaign = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/campaigns/{slug}/close',
  name: 'AdminCloseCampaign',
  tag: 'Operators',
  operator: true,
  summary: 'Close (status `closed`)',
  description: 'Closing a closed campaign changes nothing; closing a draft is a 409.',
  responses: { 200: campaign },
  problems: [404, 409],
});

export const adminSetOffset = /* @__PURE__ */ defineRoute({
  method: 'PUT',
  path: '/admin/campaigns/{slug}/offset',
  name: 'AdminSetOffset',
  tag: 'Operators',
  operator: true,
  summary: 'Set the signature offset',
  description: 'Every change is kept in an audit trail (offset-history).',
  body: { name: 'OffsetInput', schema: offsetInputSchema },
  responses: { 200: { description: 'The counts.', content: json(countsSchema) } },
  problems: [400, 404, 409, 413, 415],
});

export const adminExportSignatures = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/signatures.csv',
  name: 'AdminExportSignatures',
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
});

export const adminReconcileCampaign = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/campaigns/{slug}/reconcile',
  name: 'AdminReconcileCampaign',
  tag: 'Operators',
  operator: true,
  summary: 'Recount a campaign from its signatures',
  description: 'Corrects drift unless `?apply=false`.',
  query: reconcileQuerySchema,
  responses: { 200: { description: 'The recount.', content: json(reconciliationSchema) } },
  problems: [400, 404],
});

export const adminOffsetHistory = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/offset-history',
  name: 'AdminOffsetHistory',
  tag: 'Operators',
  operator: true,
  summary: "The offset's audit trail",
  description: 'Newest first.',
  query: listQuerySchema,
  responses: { 200: page('offset changes', offsetAuditPage) },
  problems: [400, 404],
});

export const adminCreateUrgentCall = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/campaigns/{slug}/urgent-calls',
  name: 'AdminCreateUrgentCall',
  tag: 'Operators',
  operator: true,
  summary: 'Send an urgent call',
  description: 'Emails every confirmed subscriber with `urgent: true` whose countries and topics match the campaign. Open campaigns only.',
  body: { name: 'UrgentCallInput', schema: urgentCallInputSchema },
  responses: { 202: { description: 'Queued.', content: json(outreachAcceptedSchema) } },
  problems: [400, 404, 409, 413, 415],
});

export const adminRequestDigest = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/digests',
  name: 'AdminRequestDigest',
  tag: 'Operators',
  operator: true,
  summary: 'Send the weekly digest',
  description: '`period` is an ISO week such as `2026-W47` (default: the current one). The same code the schedule runs; a period is sent at most once per subscriber.',
  body: { name: 'DigestRequest', schema: digestRequestSchema },
  responses: { 202: { description: 'Queued.', content: json(outreachAcceptedSchema) } },
  problems: [400, 413, 415],
});

export const adminGetOutreach = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/outreach/{id}',
  name: 'AdminGetOutreach',
  tag: 'Operators',
  operator: true,
  summary: 'Progress of an urgent call or digest',
  params: { id: 'The outreach id (`outreachId`).' },
  responses: { 200: { description: 'Its progress.', content: json(outreachStatusSchema) } },
  problems: [404],
});

export const adminListBlocks = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/blocklist',
  name: 'AdminListBlocks',
  tag: 'Operators',
  operator: true,
  summary: 'The blocklists',
  description:
    'IP addresses, CIDR ranges and email domains whose submissions are refused (403). A domain blocks its subdomains; values are canonical (lower-case ASCII domains, RFC 5952 IPv6, ranges as their network).',
  responses: { 200: { description: 'Every entry.', content: json(blockPage) } },
  problems: [],
});

export const adminAddBlock = /* @__PURE__ */ defineRoute({
  method: 'PUT',
  path: '/admin/blocklist/{kind}/{value}',
  name: 'AdminAddBlock',
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
});

export const adminRemoveBlock = /* @__PURE__ */ defineRoute({
  method: 'DELETE',
  path: '/admin/blocklist/{kind}/{value}',
  name: 'AdminRemoveBlock',
  tag: 'Operators',
  operator: true,
  summary: 'Unblock',
  params: { kind: '`ip` or `email-domain`.', value: 'The entry, written as for blocking (it is canonicalised the same way).' },
  responses: { 200: { description: 'Removed (also when it was not there).', content: json(blockRemovedSchema) } },
  problems: [400],
});

export const adminListEndorsements = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/endorsements',
  name: 'AdminListEndorsements',
  tag: 'Operators',
  operator: true,
  summary: 'List endorsements by status',
  description: '`pending` (the default): confirmed by their contact, awaiting an operator.',
  query: adminListEndorsementsQuerySchema,
  responses: { 200: page('endorsements', adminEndorsementPage) },
  problems: [400],
});

export const adminApproveEndorsement = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/endorsements/{id}/approve',
  name: 'AdminApproveEndorsement',
  tag: 'Operators',
  operator: true,
  params: { id: 'The endorsement id.' },
  summary: 'Approve an endorsement',
  description: 'Approving an approved endorsement changes nothing.',
  responses: { 200: { description: 'The endorsement.', content: json(adminEndorsementSchema) } },
  problems: [404, 409],
});

export const adminRejectEndorsement = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/endorsements/{id}/reject',
  name: 'AdminRejectEndorsement',
  tag: 'Operators',
  operator: true,
  params: { id: 'The endorsement id.' },
  summary: 'Reject an endorsement',
  description: 'Rejecting a rejected endorsement changes nothing.',
  responses: { 200: { description: 'The endorsement.', content: json(adminEndorsementSchema) } },
  problems: [404, 409],
});

/**
 * Anything no route matches (API Gateway's `$default`): a problem+json 404 rather than the gateway's own
 * answer. Routed, but not an operation a client calls, so not in the document.
 */
export const notFound = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/$default',
  name: 'NotFound',
  tag: 'Service',
  summary: 'Anything no route matches',
  responses: {},
  problems: [404],
});

/** The routes the OpenAPI document describes, in its order. */
export const documentedRoutes: readonly RouteDefinition[] = [
  health,
  getOpenApi,
  getWidget,
  getDemoPage,
  getFeed,
  listCampaigns,
  getCampaign,
  getCampaignCounts,
  createSignature,
  listSignatures,
  createEndorsement,
  listEndorsements,
  createSubscription,
  requestErasure,
  getUnsubscribePage,
  unsubscribe,
  getConfirmPage,
  confirm,
  adminCreateCampaign,
  adminListCampaigns,
  adminGetCampaign,
  adminUpdateCampaign,
  adminPublishCampaign,
  adminCloseCampaign,
  adminSetOffset,
  adminExportSignatures,
  adminReconcileCampaign,
  adminOffsetHistory,
  adminCreateUrgentCall,
  adminRequestDigest,
  adminGetOutreach,
  adminListBlocks,
  adminAddBlock,
  adminRemoveBlock,
  adminListEndorsements,
  adminApproveEndorsement,
  adminRejectEndorsement,
];

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
