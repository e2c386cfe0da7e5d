import { Stack, type StackProps, Token } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { Problem } from '#shared/http/problem.ts';
import type { DeploymentSettings } from './settings.ts';

/** CloudFront takes web ACLs of scope CLOUDFRONT only, and those exist only in us-east-1. */
export const webAclRegion = 'us-east-1';

/** The rate rule's window: requests per address are counted over the last 5 minutes. */
export const rateWindowSeconds = 300;

export interface EdgeFirewallProps {
  stage: string;
  /** Requests per address per 5 minutes above which the address is answered 429 until it slows down. */
  rateLimit: number;
}

/**
 * The optional WAF web ACL of the distribution: AWS's IP reputation list (addresses AWS threat intelligence
 * has seen in botnets and attacks) and a per-address rate rule that answers 429 with Retry-After and
 * problem details, as the API itself does, so the widget backs off the same way. Sampled requests are off:
 * they would keep viewers' addresses, and supporters may be at risk.
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `tadamon-${props.stage}-${metricName}`,
      sampledRequestsEnabled: false,
    });
    const tooMany = new Problem(429, 'rate-limited', 'Too many requests from your address. Please wait a minute and try again.');
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `tadamon-${props.stage}-edge`,
      description: `Tadamon ${props.stage}: the CloudFront distribution's firewall`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('edge'),
      customResponseBodies: {
        rateLimited: { contentType: 'APPLICATION_JSON', content: JSON.stringify(tooMany.body) },
      },
      rules: [
        {
          name: 'AwsIpReputation',
          priority: 0,
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          overrideAction: { none: {} },
          visibilityConfig: visibility('ip-reputation'),
        },
        {
          name: 'RatePerAddress',
          priority: 1,
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: rateWindowSeconds } },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rateLimited',
                // CloudFront adds no CORS headers to WAF's own answers: without these, a widget on another
                // site could not read Retry-After (nor the answer at all) and would back off blindly.
                responseHeaders: [
                  { name: 'Retry-After', value: '60' },
                  { name: 'Access-Control-Allow-Origin', value: '*' },
                  { name: 'Access-Control-Expose-Headers', value: 'Retry-After' },
                ],
              },
            },
          },
          visibilityConfig: visibility('rate-per-address'),
        },
      ],
    });
  }
}

/** A stack of its own in us-east-1 for a main stack in another region (CloudFront requires it there). */
export class EdgeFirewallStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: StackProps & EdgeFirewallProps) {
    super(scope, id, props);
    this.firewall = new EdgeFirewall(this, 'EdgeFirewall', props);
  }
}

/** Whether the main stack reads the web ACL's ARN from a companion stack in us-east-1 (crossRegionReferences). */
export function needsFirewallStack(settings: DeploymentSettings, region: string | undefined): boolean {
  return settings.waf && settings.wafWebAclArn === undefined && region !== undefined && !Token.isUnresolved(region) && region !== webAclRegion;
}

/**
 * The web ACL the distribution of `stack` is to use: none, the stage's existing one (`wafWebAclArn`), one in
 * the stack itself when it is in us-east-1, or else one in a companion stack `<stack>-edge-firewall` in
 * us-east-1 (deployed first by `cdk deploy`, as a dependency). An environment-agnostic stack cannot know
 * which: it must name its region, or an existing web ACL.
 */
export function edgeWebAclArn(stack: Stack, settings: DeploymentSettings): string | undefined {
  if (settings.wafWebAclArn) return settings.wafWebAclArn;
  if (!settings.waf) return undefined;
  const props = { stage: settings.stage, rateLimit: settings.wafRateLimit };
  if (Token.isUnresolved(stack.region)) {
    throw new Error('"waf" needs the stack\'s region (a CloudFront web ACL lives in us-east-1): deploy with a region (`-c region=…` or the CLI\'s), or give "wafWebAclArn"');
  }
  if (stack.region === webAclRegion) return new EdgeFirewall(stack, 'EdgeFirewall', props).webAcl.attrArn;

  const scope = stack.node.scope;
  if (!scope) throw new Error('The main stack has no scope to put its firewall stack in');
  const companion = new EdgeFirewallStack(scope, `${stack.stackName}-edge-firewall`, {
    ...props,
    env: { ...(Token.isUnresolved(stack.account) ? {} : { account: stack.account }), region: webAclRegion },
    crossRegionReferences: true,
    description: `Tadamon ${settings.stage}: the web ACL of the CloudFront distribution (us-east-1)`,
    terminationProtection: stack.terminationProtection,
  });
  stack.addDependency(companion);
  return companion.firewall.webAcl.attrArn;
}
