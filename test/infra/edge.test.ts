import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { httpRoutes, manifest } from '#infra/manifest.ts';
import { pathPattern, publicRequestHeaders } from '#infra/stack/edge.ts';
import { hasSigningThrottle, isPublicWrite } from '#infra/stack/http-api.ts';
import type { TadamonStack } from '#infra/stack/tadamon-stack.ts';
import { edgeSecretHeader } from '#shared/http/viewer-address.ts';
import { buildApp, synth } from './synth.ts';

/**
 * The edge in front of the API (infra/stack/edge.ts, edge-firewall.ts, http-api.ts): one CloudFront
 * distribution, cached reads keyed on what changes them, uncached writes and operator routes with what they
 * need, the signing routes' own throttle, and the optional web ACL.
 */

// CloudFront's managed policies, by their documented ids.
const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const cachingOptimized = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const allViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

interface Behaviour {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  AllowedMethods: string[];
  CachedMethods: string[];
  ViewerProtocolPolicy: string;
}
interface DistributionConfig {
  DefaultCacheBehavior: Behaviour;
  CacheBehaviors: Behaviour[];
  Origins: { Id: string; DomainName: unknown; CustomOriginConfig?: Record<string, unknown>; S3OriginConfig?: unknown }[];
  CustomErrorResponses: { ErrorCode: number; ErrorCachingMinTTL: number }[];
  WebACLId?: unknown;
}
type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

function distributionOf(stack: TadamonStack, template: Template): { id: string; config: DistributionConfig } {
  const id = stack.getLogicalId(stack.node.findChild('Widget').node.findChild('Distribution').node.defaultChild as CfnDistribution);
  const resource = template.toJSON().Resources[id] as Resource;
  return { id, config: resource.Properties.DistributionConfig as DistributionConfig };
}

function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** A cache policy's cache key, by the logical id a behaviour refers to. */
function cacheKeyOf(template: Template, policy: unknown): { queryStrings: string[] | 'none'; headers: string[] | 'none'; ttl: [number, number, number] } {
  if (typeof policy === 'string') throw new Error(`managed policy ${policy}`);
  const id = (policy as { Ref: string }).Ref;
  const config = (resourcesOf(template, 'AWS::CloudFront::CachePolicy')[id]!.Properties.CachePolicyConfig as Record<string, unknown>);
  const key = config.ParametersInCacheKeyAndForwardedToOrigin as {
    QueryStringsConfig: { QueryStringBehavior: string; QueryStrings?: string[] };
    HeadersConfig: { HeaderBehavior: string; Headers?: string[] };
    CookiesConfig: { CookieBehavior: string };
  };
  expect(key.CookiesConfig.CookieBehavior).toBe('none');
  return {
    queryStrings: key.QueryStringsConfig.QueryStringBehavior === 'none' ? 'none' : [...key.QueryStringsConfig.QueryStrings!].sort(),
    headers: key.HeadersConfig.HeaderBehavior === 'none' ? 'none' : key.HeadersConfig.Headers!,
    ttl: [config.MinTTL, config.DefaultTTL, config.MaxTTL] as [number, number, number],
  };
}

const cacheableRoutes = httpRoutes()
  .map(({ spec, trigger }) => ({ spec, route: trigger.route! }))
  .filter(({ spec, route }) => route.cache && !spec.development);

describe('the distribution in front of the API and the widget', () => {
  let stack: TadamonStack;
  let template: Template;
  let config: DistributionConfig;
  let distributionId: string;
  let behaviours: Map<string, Behaviour>;

  beforeAll(() => {
    ({ stack, template } = synth());
    ({ id: distributionId, config } = distributionOf(stack, template));
    behaviours = new Map(config.CacheBehaviors.map((b) => [b.PathPattern!, b]));
  });

  it('has two origins: the HTTP API over TLS 1.2 only, and the widget bucket through origin access control', () => {
    expect(config.Origins).toHaveLength(2);
    const api = config.Origins.find((o) => o.CustomOriginConfig)!;
    expect(api.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 30 });
    // The API endpoint's host: https://<id>.execute-api.<region>.amazonaws.com split on '/', third part.
    expect(api.DomainName).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.stringMatching(/^HttpApi/), 'ApiEndpoint'] }] }] });
    const bucket = config.Origins.find((o) => o.S3OriginConfig)!;
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(api.Id);
    expect(behaviours.get('/widget.js')).toMatchObject({ TargetOriginId: bucket.Id, CachePolicyId: cachingOptimized });
  });

  it('sends everything else to the API uncached by default, with the public headers and never Host, cookies or Authorization', () => {
    expect(config.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: cachingDisabled,
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']) as unknown,
    });
    const policyId = (config.DefaultCacheBehavior.OriginRequestPolicyId as { Ref: string }).Ref;
    const policy = resourcesOf(template, 'AWS::CloudFront::OriginRequestPolicy')[policyId]!.Properties.OriginRequestPolicyConfig as Record<string, Record<string, unknown>>;
    expect(policy.HeadersConfig).toEqual({ HeaderBehavior: 'whitelist', Headers: [...publicRequestHeaders] });
    const headers = (policy.HeadersConfig!.Headers as string[]).map((h) => h.toLowerCase());
    expect(headers).not.toContain('host');
    expect(headers).not.toContain('authorization');
    expect(headers).toContain('cloudfront-viewer-address');
    expect(policy.QueryStringsConfig).toEqual({ QueryStringBehavior: 'all' });
    expect(policy.CookiesConfig).toEqual({ CookieBehavior: 'none' });
  });

  it('proves to the API that a request came through it, and gives that proof only to the functions that read the viewer address', () => {
    const api = config.Origins.find((o) => o.CustomOriginConfig) as unknown as { OriginCustomHeaders: { HeaderName: string; HeaderValue: unknown }[] };
    const secret = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    expect(api.OriginCustomHeaders).toEqual([{ HeaderName: edgeSecretHeader, HeaderValue: secret }]);
    const guarded = new Set(manifest.filter((spec) => spec.captcha === 'verifies').map((spec) => spec.name));
    expect(guarded.size).toBeGreaterThan(0);
    for (const [name, fn] of stack.functions) {
      const variables = (resourcesOf(template, 'AWS::Lambda::Function')[stack.getLogicalId(fn.function.node.defaultChild as CfnFunction)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      if (guarded.has(name)) expect(variables.EDGE_ORIGIN_SECRET, name).toEqual(secret);
      else expect(variables, name).not.toHaveProperty('EDGE_ORIGIN_SECRET');
    }
  });

  it('never caches /admin/* and forwards everything there but Host, Authorization included', () => {
    expect(behaviours.get('/admin/*')).toMatchObject({
      CachePolicyId: cachingDisabled,
      OriginRequestPolicyId: allViewerExceptHostHeader,
      AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) as unknown,
    });
  });

  it('caches each cacheable GET route on its own behaviour, keyed on exactly the query parameters its schema reads', () => {
    expect(cacheableRoutes.length).toBeGreaterThanOrEqual(6);
    for (const { route } of cacheableRoutes) {
      if (route.path === '/widget.js') continue;
      // The root cannot have a pattern of its own: the front page takes the default behaviour (below).
      if (route.path === '/') continue;
      const behaviour = behaviours.get(pathPattern(route.path));
      expect(behaviour, route.path).toBeDefined();
      expect(behaviour!.CachePolicyId, route.path).not.toBe(cachingDisabled);
      const key = cacheKeyOf(template, behaviour!.CachePolicyId);
      const parameters = Object.keys(route.query?.shape ?? {}).sort();
      expect(key.queryStrings, route.path).toEqual(parameters.length ? parameters : 'none');
      // Origin's answers do not vary by origin when every origin is allowed: no Origin in the key. Pages for
      // people vary by language: Accept-Language is in theirs.
      expect(key.headers, route.path).toEqual(route.cache?.varyByLanguage ? ['Accept-Language'] : 'none');
      // The lifetimes are the answer's own (Cache-Control): nothing is kept that does not say so.
      expect(key.ttl, route.path).toEqual([0, 0, 86_400]);
    }
    // Counts ignore any query string: `?x=random` cannot get past the cache.
    expect(cacheKeyOf(template, behaviours.get('/campaigns/*/counts')!.CachePolicyId).queryStrings).toBe('none');
    expect(cacheKeyOf(template, behaviours.get('/campaigns/*/signatures')!.CachePolicyId).queryStrings).toEqual(['cursor', 'limit']);
    // Oldest and newest first are two answers, each cached under its own key.
    expect(cacheKeyOf(template, behaviours.get('/campaigns/*/endorsements')!.CachePolicyId).queryStrings).toEqual(['cursor', 'limit', 'order']);
    // A campaign's page: one entry per language asked for, by `?locale=` or by the browser.
    expect(cacheKeyOf(template, behaviours.get('/act/*')!.CachePolicyId)).toMatchObject({ queryStrings: ['locale', 'orgs'], headers: ['Accept-Language'] });
    expect(behaviours.has('/')).toBe(false);
    expect(config.DefaultCacheBehavior.CachePolicyId).toBe(cachingDisabled);
  });

  it('lets writes to a cached path through, caching only GET and HEAD', () => {
    const signatures = behaviours.get('/campaigns/*/signatures')!;
    expect(signatures.AllowedMethods).toContain('POST');
    expect([...signatures.CachedMethods].sort()).toEqual(['GET', 'HEAD']);
    expect((signatures.OriginRequestPolicyId as { Ref: string }).Ref).toBe((config.DefaultCacheBehavior.OriginRequestPolicyId as { Ref: string }).Ref);
    // Every public write route is reached uncached or through a behaviour that never caches POST.
    for (const { trigger } of httpRoutes().filter(({ trigger }) => isPublicWrite(trigger))) {
      const behaviour = behaviours.get(pathPattern(trigger.path)) ?? config.DefaultCacheBehavior;
      expect(behaviour.AllowedMethods, trigger.path).toContain(trigger.method);
      expect(behaviour.CachedMethods ?? ['GET', 'HEAD'], trigger.path).not.toContain(trigger.method);
    }
  });

  it('puts more specific paths first (CloudFront takes the first match)', () => {
    const order = config.CacheBehaviors.map((b) => b.PathPattern);
    expect(order.indexOf('/campaigns/*/counts')).toBeLessThan(order.indexOf('/campaigns/*'));
    expect(order.indexOf('/campaigns/*/signatures')).toBeLessThan(order.indexOf('/campaigns/*'));
  });

  it('stays well inside the quotas: behaviours per distribution (75), cache policies per account (20)', () => {
    expect(config.CacheBehaviors.length).toBeLessThanOrEqual(25);
    // One policy per distinct cache key (the endorsements' `order` makes one of its own); two stages in one
    // account use at most twice this.
    expect(Object.keys(resourcesOf(template, 'AWS::CloudFront::CachePolicy')).length).toBeLessThanOrEqual(7);
    expect(Object.keys(resourcesOf(template, 'AWS::CloudFront::OriginRequestPolicy')).length).toBe(1);
    // Headers per origin request policy: 10.
    expect(publicRequestHeaders.length).toBeLessThanOrEqual(10);
  });

  it('does not keep 4xx answers CloudFront would otherwise keep 10 s whatever they say', () => {
    expect(config.CustomErrorResponses).toEqual(expect.arrayContaining([{ ErrorCode: 400, ErrorCachingMinTTL: 0 }, { ErrorCode: 403, ErrorCachingMinTTL: 0 }]));
  });

  it("makes the distribution the deployment's public URL and outputs it", () => {
    const domain = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };
    template.hasOutput('PublicUrl', { Value: domain });
    const custom = synth({ context: { publicUrl: 'https://act.example.net/' } }).template;
    custom.hasOutput('PublicUrl', { Value: 'https://act.example.net' });
  });

  it('keys cached answers on Origin where CORS answers depend on it', () => {
    const { stack: listed, template: listedTemplate } = synth({ context: { allowedOrigins: 'https://a.example,https://b.example' } });
    const { config: listedConfig } = distributionOf(listed, listedTemplate);
    const counts = listedConfig.CacheBehaviors.find((b) => b.PathPattern === '/campaigns/*/counts')!;
    expect(cacheKeyOf(listedTemplate, counts.CachePolicyId).headers).toEqual(['Origin']);
  });
});

describe("the signing routes' own throttle", () => {
  it("gives each public write route and each mailed link's page the signing budget, and leaves reads and operators on the default one", () => {
    const { template } = synth({ stage: 'prod' });
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage!.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
    const settings = stage!.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const writes = httpRoutes()
      .filter(({ trigger }) => hasSigningThrottle(trigger))
      .map(({ trigger }) => `${trigger.method} ${trigger.path}`);
    expect(writes).toEqual(
      expect.arrayContaining(['POST /campaigns/{slug}/signatures', 'POST /campaigns/{slug}/endorsements', 'POST /subscriptions', 'POST /privacy/erasure', 'POST /confirm/{token}', 'GET /confirm/{token}']),
    );
    expect(Object.keys(settings).sort()).toEqual([...writes].sort());
    for (const key of writes) expect(settings[key], key).toEqual({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 });
    expect(Object.keys(settings).filter((key) => (key.startsWith('GET ') && !key.includes('{token}')) || key.includes('/admin/'))).toEqual([]);
  });

  it('creates the routes before the stage that names them', () => {
    const { template } = synth();
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route');
    const keyOf = (id: string) => routes[id]!.Properties.RouteKey as string;
    const dependsOn = (stage!.DependsOn ?? []).filter((id) => routes[id]).map(keyOf);
    for (const key of Object.keys(stage!.Properties.RouteSettings as object)) expect(dependsOn, key).toContain(key);
  });

  it('takes both budgets from context, within the account quota', () => {
    const { template } = synth({ context: { signingThrottleRateLimit: '300', signingThrottleBurstLimit: '600', throttleRateLimit: '50' } });
    const [stage] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage!.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50 });
    expect((stage!.Properties.RouteSettings as Record<string, unknown>)['POST /campaigns/{slug}/signatures']).toEqual({ ThrottlingRateLimit: 300, ThrottlingBurstLimit: 600 });
    expect(() => buildApp({ context: { signingThrottleRateLimit: '20000' } })).toThrow(/account quota/);
    expect(() => buildApp({ context: { signingThrottleBurstLimit: '6000' } })).toThrow(/account quota/);
    expect(() => buildApp({ context: { signingThrottleBurstLimit: '10.5' } })).toThrow(/whole number/);
  });
});

describe('the optional web ACL', () => {
  const webAclOf = (template: Template) => Object.values(resourcesOf(template, 'AWS::WAFv2::WebACL'));

  it('is off in dev and, by default, in prod', () => {
    for (const stage of ['dev', 'prod']) {
      const { stack, template } = synth({ stage });
      expect(webAclOf(template), stage).toHaveLength(0);
      expect(distributionOf(stack, template).config.WebACLId, stage).toBeUndefined();
    }
  });

  it('in us-east-1, is part of the stack: the IP reputation list and a per-address rate rule answering 429', () => {
    const { stack, template } = synth({ stage: 'prod', context: { waf: 'true', region: 'us-east-1', wafRateLimit: '1500' } });
    const [acl] = webAclOf(template);
    expect(acl!.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = acl!.Properties.Rules as Record<string, unknown>[];
    expect(rules).toEqual([
      expect.objectContaining({
        Name: 'AwsIpReputation',
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } },
        OverrideAction: { None: {} },
      }),
      expect.objectContaining({
        Name: 'RatePerAddress',
        Statement: { RateBasedStatement: { Limit: 1500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        Action: { Block: { CustomResponse: expect.objectContaining({ ResponseCode: 429, ResponseHeaders: expect.arrayContaining([{ Name: 'Retry-After', Value: '60' }, { Name: 'Access-Control-Expose-Headers', Value: 'Retry-After' }]) as unknown }) as unknown } },
      }),
    ]);
    // Sampled requests would keep viewers' addresses.
    for (const rule of rules) expect((rule.VisibilityConfig as { SampledRequestsEnabled: boolean }).SampledRequestsEnabled).toBe(false);
    const aclId = Object.keys(resourcesOf(template, 'AWS::WAFv2::WebACL'))[0]!;
    expect(distributionOf(stack, template).config.WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
  });

  it('elsewhere, lives in a companion stack in us-east-1 whose ARN the main stack reads across regions', () => {
    const { app, stack } = buildApp({ stage: 'prod', context: { waf: 'true', region: 'eu-west-1' } });
    const companion = app.node.findChild(`${stack.stackName}-edge-firewall`) as Stack;
    expect(companion.region).toBe('us-east-1');
    expect(stack.dependencies).toContain(companion);
    expect(webAclOf(Template.fromStack(companion))).toHaveLength(1);
    const template = Template.fromStack(stack);
    expect(webAclOf(template)).toHaveLength(0);
    expect(JSON.stringify(distributionOf(stack, template).config.WebACLId)).toMatch(/ExportsReader/);
  });

  it('can be an existing web ACL, and needs a region to be made', () => {
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared-edge/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
    const { stack, template } = synth({ context: { wafWebAclArn: arn } });
    expect(webAclOf(template)).toHaveLength(0);
    expect(distributionOf(stack, template).config.WebACLId).toBe(arn);
    expect(() => buildApp({ context: { waf: 'true' } })).toThrow(/needs the stack's region/);
    expect(() => buildApp({ context: { wafWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y' } })).toThrow(/CloudFront-scoped/);
    expect(() => buildApp({ context: { waf: 'true', region: 'us-east-1', wafRateLimit: '5' } })).toThrow(/wafRateLimit/);
  });

  it('passes cdk-nag with the web ACL, in us-east-1 and elsewhere', () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const { app } = buildApp({ stage: 'prod', nag: true, context: { waf: 'true', region } });
      let report = '';
      try {
        app.synth();
      } catch (error) {
        report = (error as Error).message;
      }
      expect(report, region).toBe('');
    }
  });
});
