import { DefaultStackSynthesizer, Duration, Fn, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  CachedMethods,
  Distribution,
  HttpVersion,
  type ICachePolicy,
  type IOriginRequestPolicy,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { RouteDefinition } from '#shared/http/route-definition.ts';
import { edgeSecretHeader } from '#shared/http/viewer-address.ts';

export interface EdgeProps {
  stage: string;
  /** The built widget script (widget/build.ts `buildWidget()`), served as `/widget.js`. */
  script: string;
  removalPolicy: RemovalPolicy;
  /** Empty the bucket on stack deletion (stages that keep no data). */
  autoDeleteObjects: boolean;
  /** The HTTP API every path but `/widget.js` goes to. */
  api: IHttpApi;
  /** The deployed routes' definitions: each cacheable GET gets a behaviour keyed on what changes its answer. */
  routes: readonly RouteDefinition[];
  /** The API's CORS origins: unless `*`, answers vary by `Origin`, which then joins the cache key. */
  allowedOrigins: readonly string[];
  /** A WAF web ACL (scope CLOUDFRONT, us-east-1) to attach, by ARN. */
  webAclArn?: string;
  /**
   * Sent to the API with every request (shared/http/viewer-address.ts `edgeSecretHeader`): the proof that a
   * request came through the distribution, so its CloudFront-Viewer-Address can be believed.
   */
  edgeSecret: string;
}

/** The file's name in the bucket and its path on the distribution. */
export const widgetObjectKey = 'widget.js';

/**
 * Headers a public request needs at the API: content negotiation (JSON or a page), the JSON body's type, CORS
 * (Origin and the preflight's questions), and the viewer's address as CloudFront saw it (behind the edge, the
 * API's own source address is CloudFront's). Never Host (API Gateway answers only to its own name), never
 * cookies (the API uses none), and no Authorization: public routes take none, and CloudFront forwards it only
 * where caching is off (`/admin/*`).
 */
export const publicRequestHeaders = [
  'Accept',
  'Accept-Language',
  'Content-Type',
  'Origin',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'CloudFront-Viewer-Address',
] as const;

/**
 * Status codes CloudFront would otherwise keep for 10 s whatever the origin says (only 404, 410, 414 and 501
 * honour `no-store`). A 400 keyed on a list's cache key would then answer the valid requests that share it.
 * 5xx keep the default: a failing API is not asked again by every viewer at once, and stale-if-error serves
 * the last good answer meanwhile.
 */
const uncachedErrors = [400, 403, 405, 416] as const;

/** The longest the edge keeps any answer fresh. */
const maxTtl = Duration.days(1);

/** `/campaigns/{slug}/counts` → `/campaigns/*\/counts`: CloudFront path patterns know `*`, not parameters. */
export function pathPattern(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

/** More specific patterns first: CloudFront takes the first behaviour whose pattern matches. */
function bySpecificity(a: string, b: string): number {
  const segments = (p: string) => p.split('/').length;
  const wildcards = (p: string) => (p.match(/\*/g) ?? []).length;
  return segments(b) - segments(a) || wildcards(a) - wildcards(b) || a.localeCompare(b);
}

/**
 * The edge in front of everything public: one CloudFront distribution with two origins. `/widget.js` comes
 * from a private bucket (origin access control); every other path goes to the HTTP API. Reads are answered
 * from CloudFront's caches for as long as each route's `Cache-Control` allows (declared on the route, sent
 * by shared/http/caching.ts), with a cache key of exactly what changes the answer: the query parameters
 * its schema reads, and Origin where CORS answers depend on it. Writes and `/admin/*` are never cached and
 * reach the API with everything they need. With 100,000 viewers polling counts every 5 s, the API sees about
 * one request per campaign per regional edge cache every 5 s instead of 20,000 a second.
 */
export class Edge extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;
  /** `https://<distribution domain>`, without a trailing slash. */
  readonly url: string;
  readonly widgetUrl: string;
  /** The cache policies this stage creates (CloudFront allows 20 per account; see docs/operating.md). */
  readonly cachePolicies: CachePolicy[] = [];

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Holds only the public widget script, written by the deployment; every read goes through CloudFront.',
    });

    const widgetHeaders = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `Tadamon ${props.stage}: widget script, embeddable from any origin`,
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    // The HTTP API's endpoint is https://<id>.execute-api.<region>.amazonaws.com: the origin is its host.
    const api = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // API Gateway's own integration limit is 30 s; CloudFront would give up at the same moment.
      readTimeout: Duration.seconds(30),
      customHeaders: { [edgeSecretHeader]: props.edgeSecret },
    });
    const publicRequests = new OriginRequestPolicy(this, 'PublicRequests', {
      comment: `Tadamon ${props.stage}: public API requests (no Host, no cookies, the viewer's address)`,
      headerBehavior: OriginRequestHeaderBehavior.allowList(...publicRequestHeaders),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    const uncached = (originRequestPolicy: IOriginRequestPolicy = publicRequests): BehaviorOptions => ({
      origin: api,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy,
      compress: true,
    });

    // A cached behaviour per cacheable route; one cache policy per distinct cache key (policies are an account quota).
    const varyByOrigin = !props.allowedOrigins.includes('*');
    const policies = new Map<string, CachePolicy>();
    const cachePolicyFor = (route: RouteDefinition & { cache: NonNullable<RouteDefinition['cache']> }): ICachePolicy => {
      const parameters = Object.keys(route.query?.shape ?? {}).sort();
      // Pages are in the reader's language: Accept-Language joins their key, as is (a normalised header would
      // need an edge function and could not know each campaign's languages; `?locale=` links share one entry).
      const byLanguage = route.cache.varyByLanguage === true;
      const headers = [...(varyByOrigin ? ['Origin'] : []), ...(byLanguage ? ['Accept-Language'] : [])];
      const key = `${parameters.join('&')}${byLanguage ? '|language' : ''}`;
      let policy = policies.get(key);
      if (!policy) {
        // Named by its key, not by its order: adding a route never replaces another route's policy.
        const name = (parameters.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('') || 'Path') + (byLanguage ? 'AndLanguage' : '');
        policy = new CachePolicy(this, `CacheBy${name}`, {
          comment: `Tadamon ${props.stage}: API answers keyed on ${parameters.length ? parameters.join(', ') : 'the path alone'}${headers.length ? ` and ${headers.join(', ')}` : ''}`,
          // Lifetimes come from the answer's Cache-Control (the route's definition); none means not kept.
          minTtl: Duration.seconds(0),
          defaultTtl: Duration.seconds(0),
          maxTtl,
          queryStringBehavior: parameters.length ? CacheQueryStringBehavior.allowList(...parameters) : CacheQueryStringBehavior.none(),
          headerBehavior: headers.length ? CacheHeaderBehavior.allowList(...headers) : CacheHeaderBehavior.none(),
          cookieBehavior: CacheCookieBehavior.none(),
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        });
        policies.set(key, policy);
        this.cachePolicies.push(policy);
      }
      // CloudFront caps max-age at the policy's maximum TTL: a longer declaration would be silently shortened.
      if (route.cache.maxAgeSeconds > maxTtl.toSeconds()) throw new Error(`${route.path}: max-age is above the edge's maximum TTL (1 day)`);
      return policy;
    };
    const cachedRoutes = props.routes
      .filter((route): route is typeof route & { cache: NonNullable<RouteDefinition['cache']> } => route.method === 'GET' && !route.operator && route.cache !== undefined)
      .filter((route) => pathPattern(route.path) !== `/${widgetObjectKey}`)
      // A path pattern cannot name the root alone (`/` would be every path): the front page takes the default
      // behaviour, uncached at the edge; browsers still keep it as its Cache-Control says.
      .filter((route) => route.path !== '/');
    const additionalBehaviors: Record<string, BehaviorOptions> = {};
    for (const route of [...cachedRoutes].sort((a, b) => bySpecificity(pathPattern(a.path), pathPattern(b.path)))) {
      additionalBehaviors[pathPattern(route.path)] = {
        ...uncached(),
        // Writes to the same path (POST /campaigns/{slug}/signatures) pass through uncached: only GET and HEAD are kept.
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy: cachePolicyFor(route),
      };
    }

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Tadamon ${props.stage}: public API and embeddable widget`,
      // Whatever no cached route claims: writes, confirmation and unsubscribe pages, readiness. Never cached.
      defaultBehavior: uncached(),
      additionalBehaviors: {
        [`/${widgetObjectKey}`]: {
          origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: widgetHeaders,
          compress: true,
        },
        // Operators' bearer tokens reach the API only where nothing is cached, and CloudFront forwards
        // Authorization only with caching disabled (AllViewerExceptHostHeader: everything but Host).
        '/admin/*': uncached(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER),
        ...additionalBehaviors,
      },
      errorResponses: uncachedErrors.map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    const distribution = this.distribution;
    Validations.of(distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Campaigns are signed and embedded worldwide; no country is to be cut off.' },
      { id: 'AwsSolutions-CFR3', reason: 'No access logs: they would hold every viewer address of people at risk; CloudFront metrics suffice.' },
      { id: 'AwsSolutions-CFR4', reason: 'No custom domain yet: the default *.cloudfront.net certificate fixes the viewer TLS policy.' },
    );
    if (!props.webAclArn) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: 'The stage runs without the optional web ACL (setting `waf`): reads are cached and the API throttles each route.',
      });
    }

    // widget.js keeps its name (embedders link it), so browsers re-check within minutes; CloudFront keeps it
    // a day (s-maxage) and each deployment invalidates it.
    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources: [Source.data(widgetObjectKey, props.script)],
      destinationBucket: this.bucket,
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5)), CacheControl.sMaxAge(Duration.days(1))],
      distribution,
      distributionPaths: [`/${widgetObjectKey}`],
      prune: true,
      memoryLimit: 256,
    });

    this.url = `https://${distribution.distributionDomainName}`;
    this.widgetUrl = `${this.url}/${widgetObjectKey}`;
    this.acknowledgeDeploymentHandler();
  }

  /** Findings on CDK's singleton BucketDeployment handler (a stack-level child), acknowledged on it alone. */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler where expected');
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${part(stack.account, 'AccountId')}-${part(stack.region, 'Region')}/*`;
    const grant = (id: string, reason: string) => ({ id: `AwsSolutions-IAM5[${id}]`, reason });
    Validations.of(handler).acknowledge(
      { id: 'AwsSolutions-L1', reason: "CDK's BucketDeployment handler pins its own Python runtime; it runs only at deploy time." },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's BucketDeployment handler logs with the standard basic-execution policy.",
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) =>
        grant(`Action::${action}`, "CDK's read/write grants to its BucketDeployment handler, on the asset bucket and the widget bucket only."),
      ),
      grant(`Resource::<${bucketId}.Arn>/*`, 'The handler writes and prunes the objects of the widget bucket, nothing else.'),
      grant(`Resource::${assets}`, "The handler reads the deployment's asset from the CDK bootstrap bucket."),
      grant('Resource::*', 'cloudfront:CreateInvalidation/GetInvalidation as CDK grants them, to invalidate /widget.js after a deployment.'),
    );
  }
}
