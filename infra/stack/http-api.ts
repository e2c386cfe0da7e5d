import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  type IHttpRouteAuthorizer,
  HttpMethod as ApiHttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpTrigger } from '#infra/manifest.ts';

export interface PublicApiProps {
  stage: string;
  allowedOrigins: string[];
  /** Per route, for every route without a budget of its own: reads and operator routes. */
  throttle: { rateLimit: number; burstLimit: number };
  /** Per route, for each public write route (signing, confirming…): a budget reads cannot touch. */
  signingThrottle: { rateLimit: number; burstLimit: number };
  operatorAuthorizer: IHttpRouteAuthorizer;
  removalPolicy: RemovalPolicy;
  /** How long CloudWatch keeps the access logs (the stage's logRetentionDays). */
  logRetention: RetentionDays;
}

/** The manifest's catch-all; API Gateway's own spelling is the `$default` route key. */
export const defaultRoutePath = '/$default';

export function routeKeyOf(trigger: HttpTrigger): HttpRouteKey {
  return trigger.path === defaultRoutePath ? HttpRouteKey.DEFAULT : HttpRouteKey.with(trigger.path, ApiHttpMethod[trigger.method]);
}

/**
 * Public writes: what a person does by signing, endorsing, subscribing, confirming, unsubscribing or asking for
 * erasure. Each gets the signing throttle on its route, so no flood of reads can take its place.
 */
export function isPublicWrite(trigger: HttpTrigger): boolean {
  return !trigger.operator && trigger.method !== 'GET' && trigger.path !== defaultRoutePath;
}

/**
 * The routes on the signing throttle: the public writes, and the pages a mailed link opens (`/confirm/{token}`,
 * `/unsubscribe/{token}`), which are personal, never cached, and opened once for every signature.
 */
export function hasSigningThrottle(trigger: HttpTrigger): boolean {
  return isPublicWrite(trigger) || (!trigger.operator && trigger.method === 'GET' && trigger.path.includes('{token}'));
}

/**
 * The HTTP API (payload 2.0) with its `$default` stage. Access logs carry route keys, never raw paths:
 * paths hold confirmation tokens, and no IP addresses are logged (supporters may be at risk).
 */
export class PublicApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly operatorAuthorizer: IHttpRouteAuthorizer;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();
  private readonly signingThrottle: { rateLimit: number; burstLimit: number };
  /** Route keys with a throttle of their own (the stage's RouteSettings). */
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    this.operatorAuthorizer = props.operatorAuthorizer;
    this.signingThrottle = props.signingThrottle;

    this.api = new HttpApi(this, 'Api', {
      apiName: `tadamon-${props.stage}`,
      description: 'Tadamon public and operator HTTP API (see docs/http-api.md)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
        allowHeaders: ['Content-Type', 'Authorization'],
        exposeHeaders: ['Retry-After', 'Location'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
  }

  /** The base URL, without a trailing slash (links are built as `${url}/confirm/...`). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /**
   * A route, its integration and its invoke permission, made in `scope`: the template its function lives in
   * (infra/stack/function-stacks.ts), so that each route's three resources count against that template's
   * budget rather than all landing in the main one. The API, its stage and its authorizer stay here.
   */
  addRoute(id: string, trigger: HttpTrigger, handler: IFunction, scope: Construct = this): HttpRoute {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${id}Integration`, handler, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      });
      this.integrations.set(handler, integration);
    }
    const route = new HttpRoute(scope, id, {
      httpApi: this.api,
      routeKey: routeKeyOf(trigger),
      integration,
      ...(trigger.operator ? { authorizer: this.operatorAuthorizer } : {}),
    });
    if (hasSigningThrottle(trigger)) {
      // Route settings name existing routes: CloudFormation must create the route before the stage refers to it.
      this.routeSettings[`${trigger.method} ${trigger.path}`] = {
        ThrottlingRateLimit: this.signingThrottle.rateLimit,
        ThrottlingBurstLimit: this.signingThrottle.burstLimit,
      };
      const stage = this.stage.node.defaultChild as CfnStage;
      stage.routeSettings = this.routeSettings;
      stage.node.addDependency(route);
    }
    if (!trigger.operator) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Public contract route (docs/http-api.md): anonymous signers and readers; abuse is bounded by throttling.',
      });
    }
    return route;
  }
}
