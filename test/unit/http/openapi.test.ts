import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { validate } from '@readme/openapi-parser';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { z } from 'zod';
import { handler as getOpenApi } from '#functions/http/get-openapi.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { httpRoutes } from '#infra/manifest.ts';
import { resetConfig } from '#shared/config.ts';
import type { Campaign, Counts } from '#shared/domain/campaign.ts';
import { campaignSummary, type CampaignSummary } from '#shared/domain/campaign-views.ts';
import type { Endorsement, PublicEndorsement } from '#shared/domain/endorsement.ts';
import { campaignSchema, campaignSummarySchema, countsSchema, problemSchema } from '#shared/http/api-schemas.ts';
import type {
  adminEndorsementSchema,
  confirmationKinds,
  offsetAuditSchema,
  outreachStatusSchema,
  publicEndorsementSchema,
  publicSignatureSchema,
  reconciliationSchema,
} from '#shared/http/api-schemas.ts';
import { routeOf, type HttpHandler } from '#shared/http/handler.ts';
import { openApiDocument, type JsonSchema, type OpenApiOperation, type OpenApiResponse } from '#shared/http/openapi.ts';
import { Problem } from '#shared/http/problem.ts';
import type { RouteDefinition } from '#shared/http/route-definition.ts';
import { documentedRoutes, notFound } from '#shared/http/routes.ts';
import type { OffsetAudit } from '#shared/store/counter-store.ts';
import type { OutreachStatus } from '#shared/store/outreach-store.ts';
import type { Reconciliation } from '#shared/store/reconciliation.ts';
import type { PublicSignature } from '#shared/store/signature-store.ts';
import type { ConfirmationAction } from '#shared/store/token-store.ts';

const document = openApiDocument('https://tadamon.example.org/');

const manifestRoutes = httpRoutes()
  .filter(({ trigger }) => trigger.path !== '/$default')
  .map(({ spec, trigger }) => ({ key: `${trigger.method} ${trigger.path}`, name: spec.name, operator: trigger.operator === true }));

const documented = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation: operation })),
);

function resolve(pointer: string): unknown {
  expect(pointer.startsWith('#/')).toBe(true);
  return pointer
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

const schema = (pointerOrSchema: JsonSchema): JsonSchema =>
  typeof pointerOrSchema.$ref === 'string' ? (resolve(pointerOrSchema.$ref) as JsonSchema) : pointerOrSchema;

function operation(key: string): OpenApiOperation {
  const found = documented.find((d) => d.key === key)?.operation;
  if (!found) throw new Error(`${key} is not documented`);
  return found;
}

function response(op: OpenApiOperation, status: number): OpenApiResponse {
  const r = op.responses[String(status)];
  if (!r) throw new Error(`no ${status} response`);
  return '$ref' in r ? (resolve(r.$ref) as OpenApiResponse) : r;
}

const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('one definition per route', () => {
  const definitions: RouteDefinition[] = [...documentedRoutes, notFound];

  it('gives every HTTP route of the manifest exactly one definition, and routes every definition once', () => {
    const routed = httpRoutes().map(({ trigger }) => trigger.route);
    expect(routed.filter((route) => route === undefined), 'manifest routes made without a definition').toEqual([]);
    expect(new Set(routed).size, 'a definition routed twice').toBe(routed.length);
    expect(new Set(definitions).size, 'a definition documented twice').toBe(definitions.length);
    expect(definitions.filter((d) => !routed.includes(d)).map((d) => `${d.method} ${d.path}`), 'definitions the manifest does not route').toEqual([]);
    expect(routed.filter((r) => !definitions.includes(r!)).map((r) => `${r!.method} ${r!.path}`), 'routes outside routes.ts').toEqual([]);
  });

  it('routes each at the method, path and name its definition gives, operator routes as such', () => {
    for (const { spec, trigger } of httpRoutes()) {
      const route = trigger.route!;
      expect({ name: spec.name, method: trigger.method, path: trigger.path, operator: trigger.operator === true }).toEqual({
        name: route.name,
        method: route.method,
        path: route.path,
        operator: route.operator === true,
      });
    }
  });

  // The handler takes its schemas from the definition it is made from (shared/http/handler.ts), so the one
  // it was made from is the one whose schemas the document shows.
  it.each(httpRoutes().map(({ spec, trigger }) => [spec.name, spec.entry, trigger.route] as const))(
    '%s: the handler is made from the definition the manifest routes and the document describes',
    async (_name, entry, route) => {
      const { handler } = (await import(pathToFileURL(path.join(root, entry)).href)) as { handler: HttpHandler };
      expect(routeOf(handler)).toBe(route);
    },
  );
});

describe('the OpenAPI document and the manifest', () => {
  it('documents every HTTP route of the manifest, with the same method and path', () => {
    const keys = documented.map((d) => d.key);
    const missing = manifestRoutes.filter((r) => !keys.includes(r.key)).map((r) => r.key);
    expect(missing, 'routes in infra/manifest.ts that the document does not describe').toEqual([]);
  });

  it('documents no operation the manifest does not route (the document describes the running system)', () => {
    const routed = manifestRoutes.map((r) => r.key);
    const extra = documented.map((d) => d.key).filter((key) => !routed.includes(key));
    expect(extra, 'definitions in shared/http/routes.ts that infra/manifest.ts does not route').toEqual([]);
    expect(documentedRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(routed.sort());
  });

  it('names each operation after its manifest function', () => {
    for (const route of manifestRoutes) expect(operation(route.key).operationId, route.key).toBe(route.name);
  });

  it('asks for the bearer token on operator routes and only there, each answering 401 with problem details', () => {
    for (const route of manifestRoutes) {
      const op = operation(route.key);
      if (route.operator) {
        expect(op.security, route.key).toEqual([{ bearer: [] }]);
        expect(Object.keys(response(op, 401).content ?? {}), route.key).toEqual(['application/problem+json']);
      } else {
        expect(op.security, route.key).toBeUndefined();
        expect(op.responses['401'], route.key).toBeUndefined();
      }
    }
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    // The validator dereferences in place: give it a copy.
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
  });

  it('resolves every $ref inside itself', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();
  });

  it('names PUBLIC_URL as its server', () => {
    expect(document.servers).toEqual([{ url: 'https://tadamon.example.org' }]);
  });

  it('takes the signature body from the zod schema that validates it', () => {
    const body = operation('POST /campaigns/{slug}/signatures').requestBody?.content['application/json']?.schema;
    const signature = schema(body!);
    expect(signature.required).toEqual(['name', 'email', 'country']);
    expect(signature.additionalProperties).toBe(false);
    const properties = signature.properties as Record<string, JsonSchema>;
    expect(properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(properties.email).toMatchObject({ type: 'string', format: 'email', maxLength: 254 });
    expect(properties.country).toMatchObject({ type: 'string', pattern: '^[A-Z]{2}$' });
    expect(properties.public).toMatchObject({ type: 'boolean', default: false });
    expect(Object.keys(properties).sort()).toEqual(['captchaToken', 'comment', 'country', 'email', 'locale', 'name', 'partners', 'postcode', 'public', 'source', 'subscribe', 'website']);
    expect(schema(properties.source!)).toMatchObject({ type: 'object', additionalProperties: false });
    expect(properties.partners).toMatchObject({ type: 'array', maxItems: 10, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' } });
  });

  it('takes the other request bodies from their zod schemas too', () => {
    const body = (key: string) => schema(operation(key).requestBody!.content['application/json']!.schema);
    expect(body('POST /campaigns/{slug}/endorsements')).toMatchObject({ required: ['organisation', 'country', 'email'], properties: { organisation: { maxLength: 300 } } });
    expect(body('POST /admin/campaigns').required).toEqual(['kind', 'title']);
    expect(body('PATCH /admin/campaigns/{slug}').required).toBeUndefined();
    expect(body('PUT /admin/campaigns/{slug}/offset')).toMatchObject({ required: ['offset', 'reason'], properties: { offset: { type: 'integer', minimum: 0 } } });
  });

  it('documents list queries: limit 1..100 (default 20) and an opaque cursor', () => {
    const parameters = operation('GET /campaigns').parameters ?? [];
    expect(parameters.find((p) => p.name === 'limit')).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } });
    expect(parameters.find((p) => p.name === 'cursor')).toMatchObject({ in: 'query', required: false });
    expect(parameters.find((p) => p.name === 'status')?.schema.enum).toEqual(['open', 'closed']);
    expect(operation('GET /campaigns/{slug}').parameters?.find((p) => p.name === 'slug')).toMatchObject({ in: 'path', required: true });
  });

  it('answers errors with problem details where the contract says so', () => {
    const sign = operation('POST /campaigns/{slug}/signatures');
    expect(Object.keys(sign.responses)).toEqual(['202', '400', '403', '404', '409', '413', '415', '429']);
    for (const status of [400, 404, 409, 413, 415]) {
      expect(response(sign, status).content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    expect(Object.keys(operation('POST /confirm/{token}').responses)).toEqual(['200', '404', '410']);
    expect(schema({ $ref: '#/components/schemas/Problem' }).required).toEqual(['type', 'title', 'status', 'detail']);
  });

  it('answers the feed as Atom and lists campaigns as pages of summaries', () => {
    expect(Object.keys(response(operation('GET /feed.atom'), 200).content ?? {})).toEqual(['application/atom+xml']);
    const page = schema(response(operation('GET /campaigns'), 200).content!['application/json']!.schema);
    expect(page.required).toEqual(['items', 'nextCursor']);
    expect((page.properties as Record<string, JsonSchema>).items).toEqual({ type: 'array', items: { $ref: '#/components/schemas/CampaignSummary' } });
  });

  it('shows no personal data in public answers: a public signature is name, country and date', () => {
    const listed = schema(response(operation('GET /campaigns/{slug}/signatures'), 200).content!['application/json']!.schema);
    const item = schema(((listed.properties as Record<string, JsonSchema>).items!.items as JsonSchema));
    expect(Object.keys(item.properties as object).sort()).toEqual(['country', 'name', 'signedAt']);
    const endorsement = schema({ $ref: '#/components/schemas/PublicEndorsement' });
    expect(Object.keys(endorsement.properties as object)).not.toContain('email');
  });
});

describe('GET /openapi.json', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('answers the document for this deployment', async () => {
    vi.stubEnv('PUBLIC_URL', 'http://localhost:3210');
    resetConfig();
    const event = {
      version: '2.0',
      routeKey: 'GET /openapi.json',
      rawPath: '/openapi.json',
      rawQueryString: '',
      headers: { host: 'localhost' },
      requestContext: { http: { method: 'GET', path: '/openapi.json' }, requestId: 'r1' },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const result = await getOpenApi(event, lambdaContext('GetOpenApi', 10));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.body ?? '')).toEqual(JSON.parse(JSON.stringify(openApiDocument('http://localhost:3210'))));
  });
});

describe('the response schemas', () => {
  const campaign: Campaign = {
    slug: 'free-them-all',
    kind: 'petition',
    title: 'Free them all',
    summary: 'Release every political prisoner.',
    body: 'The **body**.',
    demands: ['Release them'],
    locale: 'en',
    translations: { fr: { title: 'Libérez-les tous', summary: 'Libérez chaque prisonnier.', body: 'Le corps.' } },
    countries: ['MA'],
    topics: ['political-prisoners'],
    goal: 1000,
    urgent: true,
    status: 'open',
    opensAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  };
  const counts: Counts = { signatures: 3, offset: 10, total: 13, endorsements: 1, goal: 1000, byCountry: { MA: 3 } };

  // Parsing strips unknown keys: an answer equal to its parse has no field the schema does not describe.
  it('describe what the views answer, field for field', () => {
    expect(campaignSummarySchema.parse(campaignSummary(campaign, 'fr'))).toEqual(campaignSummary(campaign, 'fr'));
    expect(campaignSchema.parse({ ...campaign, counts })).toEqual({ ...campaign, counts });
    expect(countsSchema.parse(counts)).toEqual(counts);
    expect(problemSchema.parse(new Problem(400, 'validation', 'Bad.', { errors: [{ path: 'email', message: 'No.' }] }).body)).toBeDefined();
  });

  it('have the types the stores answer with', () => {
    expectTypeOf<z.output<typeof campaignSummarySchema>>().toEqualTypeOf<CampaignSummary>();
    expectTypeOf<z.output<typeof campaignSchema>>().toEqualTypeOf<{ [K in keyof (Campaign & { counts: Counts })]: (Campaign & { counts: Counts })[K] }>();
    expectTypeOf<z.output<typeof countsSchema>>().toEqualTypeOf<Counts>();
    expectTypeOf<z.output<typeof publicSignatureSchema>>().toEqualTypeOf<PublicSignature>();
    expectTypeOf<z.output<typeof publicEndorsementSchema>>().toEqualTypeOf<PublicEndorsement>();
    expectTypeOf<z.output<typeof adminEndorsementSchema>>().toEqualTypeOf<Endorsement>();
    expectTypeOf<z.output<typeof offsetAuditSchema>>().toEqualTypeOf<OffsetAudit>();
    expectTypeOf<z.output<typeof reconciliationSchema>>().toEqualTypeOf<Reconciliation>();
    expectTypeOf<z.output<typeof outreachStatusSchema>>().toEqualTypeOf<OutreachStatus>();
    expectTypeOf<(typeof confirmationKinds)[number]>().toEqualTypeOf<ConfirmationAction>();
  });
});
