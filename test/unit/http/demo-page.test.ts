import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import { resetConfig } from '#shared/config.ts';
import type { Campaign } from '#shared/domain/campaign.ts';

// The page looks the campaign up in this deployment; here the store answers without a table.
vi.mock('#shared/store/campaign-store.ts', () => ({
  getPublicCampaign: async (slug: string): Promise<Campaign> => ({
    slug,
    kind: 'petition',
    title: 'Urge Morocco to free Nasser Zefzafi!',
    summary: '',
    body: '',
    demands: [],
    issuedBy: 'Amnesty International Canada',
    locale: 'en',
    translations: {},
    countries: ['MA'],
    topics: [],
    urgent: true,
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  }),
}));

const { handler } = await import('#functions/http/get-demo-page.ts');

function request(query: Record<string, string>): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: 'GET /demo/{slug}',
    rawPath: '/demo/free-nasser-zefzafi',
    rawQueryString,
    headers: { host: 'api.example.org' },
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    pathParameters: { slug: 'free-nasser-zefzafi' },
    requestContext: { http: { method: 'GET', path: '/demo/free-nasser-zefzafi', sourceIp: '192.0.2.1' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const page = async (query: Record<string, string>) =>
  (await handler(request(query), lambdaContext('GetDemoPage', 10))) as APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

describe('GET /demo/{slug} talks to this deployment only', () => {
  beforeEach(() => {
    vi.stubEnv('PUBLIC_URL', 'https://api.example.org');
    resetConfig();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfig();
  });

  it.each([
    ['another server', 'https://evil.example'],
    ['a script URL', 'javascript:alert(1)'],
    ['markup', 'https://x.example/"><script>alert(1)</script>'],
  ])('ignores ?api= naming %s: the widget and the CSP name PUBLIC_URL', async (_what, api) => {
    const answer = await page({ api, locale: 'fr' });
    expect(answer.statusCode).toBe(200);
    const csp = answer.headers['content-security-policy'];
    expect(csp).toContain('connect-src https://api.example.org;');
    expect(csp).not.toMatch(/evil|x\.example|javascript/);
    expect(answer.body).toContain('<tadamon-action campaign="free-nasser-zefzafi" api="https://api.example.org" locale="fr">');
    expect(answer.body).not.toMatch(/evil\.example|x\.example|javascript:|<script>alert/);
  });

  it('loads the widget from where the deployment publishes it, and lets only that origin in', async () => {
    vi.stubEnv('WIDGET_URL', 'https://d111111abcdef8.cloudfront.net/widget.js');
    const answer = await page({});
    expect(answer.headers['content-security-policy']).toContain("script-src 'self' https://d111111abcdef8.cloudfront.net;");
    expect(answer.body).toContain('<script src="https://d111111abcdef8.cloudfront.net/widget.js" defer></script></body>');
    expect(answer.body).toContain('&lt;script src=&quot;https://d111111abcdef8.cloudfront.net/widget.js&quot; defer&gt;');
  });

  it('serves the widget from its own origin where no one publishes it (the local runtime)', async () => {
    const answer = await page({});
    expect(answer.headers['content-security-policy']).toContain("script-src 'self';");
    expect(answer.body).toContain('<script src="/widget.js" defer></script></body>');
  });
});
