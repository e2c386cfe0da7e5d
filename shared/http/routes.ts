import * as z from 'zod';
import { blockKinds } from '#shared/domain/blocklist.ts';
import { campaignInputSchema, campaignPatchSchema } from '#shared/domain/campaign.ts';
import { endorsementRequestSchema } from '#shared/domain/endorsement.ts';
import { signatureRequestSchema } from '#shared/domain/signature.ts';
import { subscriptionRequestSchema } from '#shared/domain/subscription.ts';
import { connectorInputSchema } from '#shared/connectors/action-network.ts';
import { connectorDeliverySchema, connectorListSchema, connectorRemovedSchema, connectorSchema } from './connector-schemas.ts';
import {
  acceptedSchema,
  adminEndorsementSchema,
  adminStatsSchema,
  campaignSchema,
  campaignSummarySchema,
  confirmResultSchema,
  countsSchema,
  healthSchema,
  offsetAuditSchema,
  outreachAcceptedSchema,
  partnerCountsSchema,
  outreachPageSchema,
  outreachStatusSchema,
  pageOf,
  publicEndorsementSchema,
  publicSignatureSchema,
  reconciliationSchema,
  statsSchema,
  unsubscribedSchema,
  preferencesSavedSchema,
  urgentCallAudienceSchema,
} from './api-schemas.ts';
import {
  adminListCampaignsQuerySchema,
  adminListEndorsementsQuerySchema,
  listEndorsementsQuerySchema,
  blockInputSchema,
  campaignPageQuerySchema,
  campaignQuerySchema,
  countriesExportQuerySchema,
  deliveryQuerySchema,
  demoPageQuerySchema,
  digestRequestSchema,
  erasureRequestSchema,
  exportQuerySchema,
  feedQuerySchema,
  frontPageQuerySchema,
  listCampaignsQuerySchema,
  listQuerySchema,
  offsetInputSchema,
  partnerOffsetInputSchema,
  reconcileQuerySchema,
  statsQuerySchema,
  urgentCallInputSchema,
} from './request-schemas.ts';
import {
  deadLetterListSchema,
  deadLetterReplaySchema,
  deadLetterInvokeReplaySchema,
  erasureAuditSchema,
  operatorErasureResultSchema,
  operatorErasureSchema,
  subscriberExportQuerySchema,
  subscriberSummaryQuerySchema,
  subscriberSummarySchema,
} from './operator-schemas.ts';
import {
  webhookSchema,
  webhookCreatedSchema,
  webhookDeletedSchema,
  webhookDeliveryPageSchema,
  webhookDeliverySchema,
  webhookListSchema,
} from './webhook-schemas.ts';
import { webhookInputSchema } from '#shared/domain/webhook.ts';
import { signatureImportResultSchema, signatureImportSchema } from './import-schemas.ts';
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
const erasureAuditPage = /* @__PURE__ */ pageOf(erasureAuditSchema);
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

// Pages for people (text/html): the front page and each campaign's page, in the reader's language.
const pageCache: RouteCache = { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 60, staleIfErrorSeconds: 86_400, varyByLanguage: true };
const htmlPage = /* @__NO_SIDE_EFFECTS__ */ (description: string): ApiResponse => ({ description, content: [{ type: 'html' }] });

export const getFrontPage = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/',
  name: 'GetFrontPage',
  tag: 'Campaigns',
  summary: 'The front page (HTML)',
  description:
    'For browsers: open campaigns with their counters, then closed ones, a page at a time (`open`, `closed`: the cursors its links carry), each linking to its page. ' +
    'In `?locale=`, else the best of `Accept-Language` among en, fr, es and ar, else English; answers `Vary: Accept-Language`.',
  query: frontPageQuerySchema,
  responses: { 200: htmlPage('The page (`text/html`).') },
  problems: [400],
  cache: pageCache,
});

export const getCampaignPage = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/act/{slug}',
  name: 'GetCampaignPage',
  tag: 'Campaigns',
  summary: "A campaign's page (HTML)",
  description:
    'The page a person reads and signs: title, summary, text, demands, letter, counter and goal, endorsing organisations (statements; `orgs`: the cursor of a later page), a form that works without JavaScript (the widget enhances it), share links. ' +
    "In `?locale=`, else the best of `Accept-Language` among the campaign's languages, else the campaign's own; `hreflang` alternates, canonical URL, Open Graph and Twitter card meta. " +
    'Unknown and draft campaigns are a 404 page.',
  query: campaignPageQuerySchema,
  responses: { 200: htmlPage('The page (`text/html`).'), 404: htmlPage('No such campaign (an HTML page).') },
  problems: [400],
  cache: pageCache,
});

export const signByForm = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/act/{slug}',
  name: 'SignByForm',
  tag: 'Signatures',
  summary: "Sign from the campaign page's plain form",
  description:
    'An `application/x-www-form-urlencoded` body with the fields of a signature (`public` and `subscribe` are checkboxes: `true` or absent), as a browser posts it without JavaScript. ' +
    'Recorded exactly as `POST /campaigns/{slug}/signatures`; a browser (`Accept: text/html`) gets a page that says to check the mailbox, or, instead of problem details, a page that says what to correct.',
  responses: {
    202: { description: 'Recorded; a confirmation link is on its way by email.', content: [{ type: 'json', schema: acceptedSchema }, { type: 'html' }] },
  },
  problems: [400, 403, 404, 409, 413, 415, 429],
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

export const getCampaignStats = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/campaigns/{slug}/stats',
  name: 'GetCampaignStats',
  tag: 'Campaigns',
  summary: 'Signatures over time, and per country',
  description:
    '`interval=hour`: the hours of the last 7 days; `interval=day` (default): every day since the first signature (or since the campaign was created). ' +
    'Eventually consistent, like the counts; cacheable for a few seconds.',
  query: statsQuerySchema,
  responses: { 200: { description: 'The stats.', content: json(statsSchema) } },
  problems: [400, 404],
  cache: countsCache,
});

export const createSignature = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/campaigns/{slug}/signatures',
  name: 'CreateSignature',
  tag: 'Signatures',
  summary: 'Sign a campaign',
  description: 'Counted once confirmed by email. A repeat gets the same answer: it never tells whether an address already signed. 409 `organisations-only` on a campaign whose `signers` is `organisations`.',
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
  description: "Listed and counted once confirmed by its contact and approved by an operator. The contact's name and address are shown to operators only. 409 `people-only` on a campaign whose `signers` is `people`.",
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
  description: 'Oldest first (the order organisations joined) unless `order=newest`. A cursor continues the order it was issued for.',
  query: listEndorsementsQuerySchema,
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
  responses: {
    200: { description: 'Unsubscribed.', content: [{ type: 'json', schema: unsubscribedSchema }, { type: 'html' }] },
    404: { description: 'Unknown link (an HTML page for a browser).', content: [{ type: 'problem' }, { type: 'html' }] },
  },
});

export const getPreferencesPage = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/preferences/{token}',
  name: 'GetPreferencesPage',
  tag: 'Subscriptions',
  summary: 'Preferences page',
  description:
    'An HTML page with a form: urgent calls on/off, the weekly digest on/off, countries, topics, language. The token is the one in the unsubscribe link of every bulk mail. Changes nothing; never cached.',
  responses: {
    200: { description: 'The page.', content: [{ type: 'html' }] },
    404: { description: 'Unknown link, or no subscription behind it (an HTML page).', content: [{ type: 'html' }] },
  },
});

export const updatePreferences = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/preferences/{token}',
  name: 'UpdatePreferences',
  tag: 'Subscriptions',
  summary: 'Change what a subscriber receives',
  description:
    'The preferences page posts its form (`application/x-www-form-urlencoded`: `urgent=on`, `digest=on`, `country` and `topic` repeated, `otherCountries`, `locale`) and gets an HTML page. API clients send JSON `{"urgent"?, "digest"?: "weekly"|"none", "countries"?, "topics"?, "locale"?: "en"|"fr"|"es"|"ar"}`; absent fields stay as they are. An unsubscribed address stays unsubscribed (409): subscribing again needs a fresh confirmation.',
  responses: {
    200: { description: 'Saved.', content: [{ type: 'json', schema: preferencesSavedSchema }, { type: 'html' }] },
    400: { description: 'A choice that cannot be used.', content: [{ type: 'problem' }, { type: 'html' }] },
    404: { description: 'Unknown link, or no subscription behind it.', content: [{ type: 'problem' }, { type: 'html' }] },
    409: { description: 'The address is unsubscribed.', content: [{ type: 'problem' }, { type: 'html' }] },
  },
  problems: [413, 415],
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
  description:
    'Confirms what the link stands for; a repeat answers 200 and is counted once. A browser form post (`Accept: text/html`) gets HTML pages instead of JSON, in the language of the request the link was made for. The page after a signature offers to subscribe: its form posts `also=subscribe` here, which subscribes the address of the confirmed signature (confirmed at once: the link was mailed there).',
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
  description: 'Publishing an open campaign changes nothing; a closed campaign is a 409 (reopen it instead).',
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

export const adminReopenCampaign = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/campaigns/{slug}/reopen',
  name: 'AdminReopenCampaign',
  tag: 'Operators',
  operator: true,
  summary: 'Reopen a closed campaign (status `open`)',
  description:
    'Reopening an open campaign changes nothing; a draft is a 409 (publish it), and so is a campaign whose `closesAt` has passed (PATCH a later `closesAt` first, or the minutely close would end it again).',
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

export const adminSetPartnerOffset = /* @__PURE__ */ defineRoute({
  method: 'PUT',
  path: '/admin/campaigns/{slug}/offsets/{partner}',
  name: 'AdminSetPartnerOffset',
  tag: 'Operators',
  operator: true,
  summary: "Set a partner's count",
  description:
    "Sets the partner's absolute count (a repeat replaces it, it does not add) and, with `byCountry`, its breakdown per country. " +
    "The campaign's `offset` is the sum of its partners' counts; `PUT …/offset` sets the partner `default`. Every change is kept in the audit trail (offset-history). " +
    '409 when another operator changed the same campaign\'s offsets at the same moment: read and retry.',
  params: { partner: 'The partner: 1 to 64 lower-case letters, digits and inner hyphens (`default` is the campaign\'s own offset).' },
  body: { name: 'PartnerOffsetInput', schema: partnerOffsetInputSchema },
  responses: { 200: { description: 'The counts.', content: json(countsSchema) } },
  problems: [400, 404, 409, 413, 415],
});

export const adminListPartnerOffsets = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/offsets',
  name: 'AdminListPartnerOffsets',
  tag: 'Operators',
  operator: true,
  summary: "The partners' counts",
  description: "Each partner's current count and breakdown per country, largest first (at most 100 partners: one answer). The changes are in offset-history.",
  responses: { 200: { description: "The partners' counts.", content: json(partnerCountsSchema) } },
  problems: [404],
});

export const adminGetCampaignStats = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/stats',
  name: 'AdminGetCampaignStats',
  tag: 'Operators',
  operator: true,
  summary: 'Signatures over time, per country and per source',
  description: 'The public stats (drafts included) plus `bySource`: counts per value of each source field, never per person.',
  query: statsQuerySchema,
  responses: { 200: { description: 'The stats with sources.', content: json(adminStatsSchema) } },
  problems: [400, 404],
});

export const adminExportCountries = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/countries.csv',
  name: 'AdminExportCountries',
  tag: 'Operators',
  operator: true,
  summary: 'Export the per-country totals as CSV',
  description:
    "Columns `country,country_name,signatures,partners,total`, largest total first: confirmed signatures, partners' counts, their sum. " +
    '`?bom=1` starts it with a UTF-8 byte-order mark (for spreadsheets).',
  query: countriesExportQuerySchema,
  responses: {
    200: {
      description: 'The CSV.',
      content: [{ type: 'csv' }],
      headers: { 'Content-Disposition': 'attachment; filename="{slug}-countries.csv"' },
    },
  },
  problems: [400, 404],
});

export const adminExportSignatures = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/signatures.csv',
  name: 'AdminExportSignatures',
  tag: 'Operators',
  operator: true,
  summary: 'Export confirmed signatures as CSV',
  description:
    'Columns `name,email,country,postcode,comment,signed_at,confirmed_at,locale,source,public,subscribed`, oldest first ' +
    '(`signed_at`: when the signature was sent; `confirmed_at`: when its link was used; `source`: its source fields as a query string); ' +
    'cells are formula-injection safe; `?bom=1` starts it with a UTF-8 byte-order mark (for spreadsheets). Sent gzip-encoded. ' +
    'Without `rows`, the whole export in one response, or 413 when it is too large for one (about 150,000 signatures). ' +
    'With `rows`, a part of at most that many rows (fewer when the response would grow too large or slow), each with the header ' +
    'row; while more follow, `Link: <…>; rel="next"` and `X-Next-Cursor` give the next part. `cursor` alone asks for parts of 50,000. ' +
    'With `partner`, one partner organisation\'s copy: only the confirmed signers who opted in to it, columns ' +
    '`name,email,country,locale,signed_at,confirmed_at,consent_at,consent_text,consent_locale` (the consent\'s time, the exact text it was given with, ' +
    'and its language); a partner the campaign does not name is 404.',
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

export const adminDeliveryDocument = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/delivery.pdf',
  name: 'AdminDeliveryDocument',
  tag: 'Operators',
  operator: true,
  summary: 'The document to hand to the target (PDF)',
  description:
    'In the campaign\'s language: the letter and its target, the demands, the total with the date, the signatures by country, ' +
    'the endorsing organisations and the signatories\' names and countries, Arabic shaped and set right to left. `names=public` ' +
    '(the default) lists those who chose to be named; `names=all` lists everyone, only for a campaign whose signers were told their ' +
    'name goes to the target (`deliverAllNames`), 409 otherwise. A long list comes in parts, each a PDF of its own within the ' +
    'response size limit: while more follow, `Link: <…>; rel="next"` and `X-Next-Cursor` give the next part (the CLI follows them).',
  query: deliveryQuerySchema,
  responses: {
    200: {
      description: 'The document, or one part of it.',
      content: [{ type: 'pdf' }],
      headers: {
        'Content-Disposition': 'attachment; filename="{slug}-delivery.pdf"',
        'X-Name-Count': 'Names listed in this part.',
        'X-Next-Cursor': 'Present while more parts follow: the `cursor` of the next one.',
        Link: 'Present while more parts follow: the next part\'s URL, rel="next".',
      },
    },
  },
  problems: [400, 404, 409],
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
  description:
    'Emails every confirmed subscriber with `urgent: true` whose countries and topics match the campaign, each in their language where `messages` has it, else in the campaign\'s. Open campaigns only. `dryRun` answers 200 with the audience and records nothing; `testTo` mails every version to those addresses only, marked as a test; `sendAt` schedules it.',
  body: { name: 'UrgentCallInput', schema: urgentCallInputSchema },
  responses: {
    200: { description: 'A dry run: who would receive it.', content: json(urgentCallAudienceSchema) },
    202: { description: 'Queued, or scheduled.', content: json(outreachAcceptedSchema) },
  },
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

export const adminListOutreach = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/outreach',
  name: 'AdminListOutreach',
  tag: 'Operators',
  operator: true,
  summary: 'Urgent calls and digests, newest first',
  description: 'Past, under way and scheduled (test sends included, marked `test`).',
  query: listQuerySchema,
  responses: { 200: page('outreach', outreachPageSchema) },
  problems: [400],
});

export const adminCancelOutreach = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/outreach/{id}/cancel',
  name: 'AdminCancelOutreach',
  tag: 'Operators',
  operator: true,
  summary: 'Cancel a scheduled or running outreach',
  description: 'A scheduled one never starts; of a running one, what was sent stays sent and the rest is skipped (counted in `skipped`). Repeating it changes nothing; one sent in full is a 409.',
  params: { id: 'The outreach id (`outreachId`).' },
  responses: { 200: { description: 'Its progress, status `cancelled`.', content: json(outreachStatusSchema) } },
  problems: [404, 409],
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

export const adminSubscriberSummary = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/subscribers/summary',
  name: 'AdminSubscriberSummary',
  tag: 'Operators',
  operator: true,
  summary: 'Count confirmed subscribers',
  description:
    'Confirmed subscribers matching the filters, by locale, country, topic, urgent calls and digest. A subscriber who chose no country (topic) matches every `country` (`topic`) asked for, as an urgent call would reach them. ' +
    'A very long list is counted in parts of about 20 seconds: while `nextCursor` is not null, ask again with it and add the counts up (`tadamon subscribers summary` does).',
  query: subscriberSummaryQuerySchema,
  responses: { 200: { description: 'The counts.', content: json(subscriberSummarySchema) } },
  problems: [400],
});

export const adminExportSubscribers = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/subscribers.csv',
  name: 'AdminExportSubscribers',
  tag: 'Operators',
  operator: true,
  summary: 'Export confirmed subscribers as CSV',
  description:
    'Columns `email,name,locale,urgent,digest,countries,topics` (lists joined by spaces), filtered as the summary is; cells are formula-injection safe. Sent gzip-encoded, in parts as the signature export is: ' +
    'at most `rows` rows (default 50,000; fewer when the response would grow too large or slow), and while more follow, `X-Next-Cursor` and `Link: <…>; rel="next"`. Every export is logged with who asked, the filters and the row count, never an address.',
  query: subscriberExportQuerySchema,
  responses: {
    200: {
      description: 'The CSV, or one part of it.',
      content: [{ type: 'csv' }],
      headers: {
        'Content-Encoding': 'gzip',
        'X-Row-Count': 'Rows in this response (the header row not included).',
        'X-Next-Cursor': 'Present while more parts follow: the `cursor` of the next one.',
        Link: 'Present while more parts follow: the next part\'s URL, rel="next".',
      },
    },
  },
  problems: [400],
});

export const adminErasePerson = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/privacy/erasure',
  name: 'AdminErasePerson',
  tag: 'Operators',
  operator: true,
  summary: "Erase a person's data at once (a request made by post or phone)",
  description:
    'The same erasure as a confirmed `POST /privacy/erasure`, without the email round trip: every personal field of that address goes, counts stay. ' +
    'The audit trail keeps who asked, when, the reason and how many items were erased, never the address; write the reason without one (an address in it is a 400). ' +
    'A person with a lot of data may not be finished within the request: `202 {"status":"erasing"}`, and the daily job finishes it.',
  body: { name: 'OperatorErasure', schema: operatorErasureSchema },
  responses: {
    200: { description: 'Erased.', content: json(operatorErasureResultSchema) },
    202: { description: 'Erasing; the daily job finishes it.', content: json(operatorErasureResultSchema) },
  },
  problems: [400, 413, 415],
});

export const adminListErasures = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/privacy/erasures',
  name: 'AdminListErasures',
  tag: 'Operators',
  operator: true,
  summary: 'The erasure audit trail',
  description: "Every finished erasure, newest day first: the day and how many items; an operator's also who, when and why. Never whose.",
  query: listQuerySchema,
  responses: { 200: page('erasures', erasureAuditPage) },
  problems: [400],
});

export const adminListDeadLetters = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/dead-letters',
  name: 'AdminListDeadLetters',
  tag: 'Operators',
  operator: true,
  summary: 'The dead-letter queues and how many messages each holds',
  description: 'Every dead-letter queue of this deployment (locally: the mail queue\'s), with SQS\'s approximate counts. Any count above zero also sets off its alarm on AWS.',
  responses: { 200: { description: 'Every dead-letter queue.', content: json(deadLetterListSchema) } },
  problems: [],
});

export const adminReplayDeadLetters = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/dead-letters/{queue}/replay',
  name: 'AdminReplayDeadLetters',
  tag: 'Operators',
  operator: true,
  summary: 'Replay a dead-letter queue',
  description:
    '`mail`: SQS moves every message back to the queue it came from (a message move task, 10 a second), receive count reset; the senders skip what is already done, so replaying is safe (202). ' +
    "`events` and `address-events`: each failure record names the function that failed and carries its event; that function is invoked again, asynchronously, with it, and the message deleted (200). Records for any other function stay (`skipped`). One call works up to 20 s, 10 messages at a time: call again until `left` is 0. " +
    '`stream`: each failure record names a batch of the table stream; the batch is read again from the stream (24 h) and its consumer invoked with it, waiting for the answer; the message is deleted once every record went through (200), and a batch gone from the stream stays (`skipped`). ' +
    'Fix the cause first. A mail replay already under way is a 409.',
  params: { queue: '`mail`, `events`, `address-events` or `stream`.' },
  responses: {
    200: { description: '`events`, `address-events`, `stream`: what this call replayed and what is left.', content: json(deadLetterInvokeReplaySchema) },
    202: { description: '`mail`: the move has started (locally it is already done).', content: json(deadLetterReplaySchema) },
  },
  problems: [404, 409],
});

// Webhooks: signed deliveries of events to partners' systems (shared/use-cases/webhook-deliveries.ts).
export const adminCreateWebhook = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/webhooks',
  name: 'AdminCreateWebhook',
  tag: 'Operators',
  operator: true,
  summary: 'Add a webhook',
  description:
    'Every event named in `events` is POSTed to `url` as JSON, signed: `Tadamon-Event-Id` (the idempotency key, the same across retries and replays), `Tadamon-Timestamp` (unix seconds) and `Tadamon-Signature` (`v1=` and the hex HMAC-SHA256 of `${timestamp}.${body}` under the secret). ' +
    'A webhook with a `partner` receives a signer\'s name and email only when they opted in to that partner; without one it is the operator\'s own system. ' +
    'On AWS the URL is https, names a public host and carries no credentials (locally http://localhost is allowed too); at most 20 webhooks (409 beyond). The secret is in this answer only.',
  body: { name: 'WebhookInput', schema: webhookInputSchema },
  responses: { 201: { description: 'The webhook and its secret, shown this once.', content: json(webhookCreatedSchema), headers: { Location: 'The webhook\'s deliveries: `/admin/webhooks/{id}/deliveries`.' } } },
  problems: [400, 409, 413, 415],
});

export const adminListWebhooks = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/webhooks',
  name: 'AdminListWebhooks',
  tag: 'Operators',
  operator: true,
  summary: 'List the webhooks',
  description: 'Oldest first; never their secrets.',
  responses: { 200: { description: 'Every webhook.', content: json(webhookListSchema) } },
  problems: [],
});

export const adminDeleteWebhook = /* @__PURE__ */ defineRoute({
  method: 'DELETE',
  path: '/admin/webhooks/{id}',
  name: 'AdminDeleteWebhook',
  tag: 'Operators',
  operator: true,
  summary: 'Remove a webhook',
  description: 'Nothing more is sent to it (on AWS its rule, API destination and connection are deleted); its deliveries stay listed until they expire (30 days).',
  params: { id: 'The webhook\'s id.' },
  responses: { 200: { description: 'Removed.', content: json(webhookDeletedSchema) } },
  problems: [404],
});

export const adminListWebhookDeliveries = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/webhooks/{id}/deliveries',
  name: 'AdminListWebhookDeliveries',
  tag: 'Operators',
  operator: true,
  summary: 'A webhook\'s deliveries',
  description: 'Newest first (by the time of their event), kept 30 days: the event id and type, the attempts, the receiver\'s last status code and error, and whether it was dead-lettered.',
  params: { id: 'The webhook\'s id.' },
  query: listQuerySchema,
  responses: { 200: page('deliveries', webhookDeliveryPageSchema) },
  problems: [400, 404],
});

export const adminReplayWebhookDelivery = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/webhooks/{id}/deliveries/{delivery}/replay',
  name: 'AdminReplayWebhookDelivery',
  tag: 'Operators',
  operator: true,
  summary: 'Send a delivery again',
  description:
    'The same `Tadamon-Event-Id`, a new timestamp and signature; the body is built again from what Tadamon holds now (a signer erased meanwhile is not sent). Receivers that dedupe on the event id act on it once.',
  params: { id: 'The webhook\'s id.', delivery: 'The delivery\'s id.' },
  responses: { 202: { description: 'Handed to the bus again.', content: json(webhookDeliverySchema) } },
  problems: [404],
});

export const adminImportSignatures = /* @__PURE__ */ defineRoute({
  method: 'POST',
  path: '/admin/campaigns/{slug}/signatures/import',
  name: 'AdminImportSignatures',
  tag: 'Operators',
  operator: true,
  summary: 'Import signatures from paper or offline forms',
  description:
    'Up to 10 signature requests, each put on the bus as a `SignatureSubmitted` event and recorded from there through the rules of ' +
    '`POST /campaigns/{slug}/signatures`: each person gets the confirmation link, and counts once they click it. Each row carries an ' +
    '`idempotencyKey`: a row sent again with the same key (a retried batch, a re-run of the same file) is recorded once. ' +
    '409 when the campaign takes no signatures. `tadamon import SLUG signatures.csv` sends a CSV file through this route.',
  body: { name: 'SignatureImport', schema: signatureImportSchema },
  responses: { 202: { description: 'The rows on the bus, and those EventBridge did not take.', content: json(signatureImportResultSchema) } },
  problems: [400, 404, 409, 413, 415],
});

// Connectors: a partner's Action Network petition, which each consented, confirmed signature is pushed to.
const connectorDeliveryPage = /* @__PURE__ */ pageOf(connectorDeliverySchema);
const connectorParams = { partner: 'One of the campaign\'s partners (its `partners[].id`), such as amnesty-ma.' };

export const adminSetActionNetwork = /* @__PURE__ */ defineRoute({
  method: 'PUT',
  path: '/admin/campaigns/{slug}/partners/{partner}/action-network',
  name: 'AdminSetActionNetwork',
  tag: 'Operators',
  operator: true,
  summary: "Connect a partner's Action Network petition",
  description:
    "From now on every confirmed signature whose signer opted in to this partner is recorded on the partner's Action Network petition (its record signature helper), " +
    "which subscribes a person new to the partner's list. `apiKey` is the partner's API key: kept in Secrets Manager, never answered nor logged. A repeat replaces the petition, tags and key. " +
    '404 when the campaign has no such partner.',
  params: connectorParams,
  body: { name: 'ActionNetworkConnectorInput', schema: connectorInputSchema },
  responses: { 200: { description: 'The connector, without its key.', content: json(connectorSchema) } },
  problems: [400, 404, 413, 415],
});

export const adminRemoveActionNetwork = /* @__PURE__ */ defineRoute({
  method: 'DELETE',
  path: '/admin/campaigns/{slug}/partners/{partner}/action-network',
  name: 'AdminRemoveActionNetwork',
  tag: 'Operators',
  operator: true,
  summary: "Disconnect a partner's Action Network petition",
  description: 'Nothing more is sent; the key is scheduled for deletion (7 days in which it can be restored). 404 when the partner has no connector.',
  params: connectorParams,
  responses: { 200: { description: 'Removed.', content: json(connectorRemovedSchema) } },
  problems: [400, 404],
});

export const adminListConnectors = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/connectors',
  name: 'AdminListConnectors',
  tag: 'Operators',
  operator: true,
  summary: "The campaign's connectors",
  description: 'Each partner\'s Action Network petition and tags, never its key.',
  responses: { 200: { description: 'The connectors.', content: json(connectorListSchema) } },
  problems: [404],
});

export const adminListConnectorDeliveries = /* @__PURE__ */ defineRoute({
  method: 'GET',
  path: '/admin/campaigns/{slug}/partners/{partner}/action-network/deliveries',
  name: 'AdminListConnectorDeliveries',
  tag: 'Operators',
  operator: true,
  summary: "A connector's delivery log",
  description:
    'Newest signature first: `delivered`, `failed` (an answer that will not change: a revoked key, a deleted petition; not retried), `retrying` (tried again with the event) or `sending`. ' +
    'Ids, statuses and error texts only, never the person; kept 90 days.',
  params: connectorParams,
  query: listQuerySchema,
  responses: { 200: page('deliveries', connectorDeliveryPage) },
  problems: [400, 404],
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
  getFrontPage,
  getCampaignPage,
  signByForm,
  listCampaigns,
  getCampaign,
  getCampaignCounts,
  getCampaignStats,
  createSignature,
  listSignatures,
  createEndorsement,
  listEndorsements,
  createSubscription,
  requestErasure,
  getUnsubscribePage,
  unsubscribe,
  getPreferencesPage,
  updatePreferences,
  getConfirmPage,
  confirm,
  adminCreateCampaign,
  adminListCampaigns,
  adminGetCampaign,
  adminUpdateCampaign,
  adminPublishCampaign,
  adminCloseCampaign,
  adminReopenCampaign,
  adminSetOffset,
  adminSetPartnerOffset,
  adminListPartnerOffsets,
  adminGetCampaignStats,
  adminExportCountries,
  adminExportSignatures,
  adminImportSignatures,
  adminDeliveryDocument,
  adminReconcileCampaign,
  adminOffsetHistory,
  adminCreateUrgentCall,
  adminRequestDigest,
  adminGetOutreach,
  adminListOutreach,
  adminCancelOutreach,
  adminListBlocks,
  adminAddBlock,
  adminRemoveBlock,
  adminListEndorsements,
  adminApproveEndorsement,
  adminRejectEndorsement,
  adminSubscriberSummary,
  adminExportSubscribers,
  adminErasePerson,
  adminListErasures,
  adminListDeadLetters,
  adminReplayDeadLetters,
  adminSetActionNetwork,
  adminRemoveActionNetwork,
  adminListConnectors,
  adminListConnectorDeliveries,
  adminCreateWebhook,
  adminListWebhooks,
  adminDeleteWebhook,
  adminListWebhookDeliveries,
  adminReplayWebhookDelivery,
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
  Stats: statsSchema,
  AdminStats: adminStatsSchema,
  PartnerCounts: partnerCountsSchema,
  PublicSignature: publicSignatureSchema,
  PublicEndorsement: publicEndorsementSchema,
  AdminEndorsement: adminEndorsementSchema,
  OffsetAuditEntry: offsetAuditSchema,
  ConfirmResult: confirmResultSchema,
  Accepted: acceptedSchema,
  Health: healthSchema,
  Reconciliation: reconciliationSchema,
  Unsubscribed: unsubscribedSchema,
  PreferencesSaved: preferencesSavedSchema,
  OutreachAccepted: outreachAcceptedSchema,
  OutreachStatus: outreachStatusSchema,
  OutreachPage: outreachPageSchema,
  UrgentCallAudience: urgentCallAudienceSchema,
  Block: blockSchema,
  BlockPage: blockPage,
  BlockRemoved: blockRemovedSchema,
  SubscriberSummary: subscriberSummarySchema,
  OperatorErasureResult: operatorErasureResultSchema,
  ErasureAudit: erasureAuditSchema,
  ErasureAuditPage: erasureAuditPage,
  DeadLetterList: deadLetterListSchema,
  DeadLetterReplay: deadLetterReplaySchema,
  DeadLetterInvokeReplay: deadLetterInvokeReplaySchema,
  SignatureImportResult: signatureImportResultSchema,
  Webhook: webhookSchema,
  WebhookCreated: webhookCreatedSchema,
  WebhookList: webhookListSchema,
  WebhookDeleted: webhookDeletedSchema,
  WebhookDelivery: webhookDeliverySchema,
  WebhookDeliveryPage: webhookDeliveryPageSchema,
  ActionNetworkConnector: connectorSchema,
  ConnectorList: connectorListSchema,
  ConnectorRemoved: connectorRemovedSchema,
  ConnectorDelivery: connectorDeliverySchema,
  ConnectorDeliveryPage: connectorDeliveryPage,
};
