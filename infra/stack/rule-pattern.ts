import type { EventPattern as CdkEventPattern } from 'aws-cdk-lib/aws-events';
import type { EventPattern } from '#infra/manifest.ts';

/** EventBridge's own top-level pattern keys, as CDK spells them. */
const topLevelKeys: Record<string, keyof CdkEventPattern> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

/**
 * The manifest writes patterns as EventBridge JSON (`detail-type`), CDK wants camelCase top-level keys and
 * renders them back to the same JSON. Anything else at the top level would never match, so it is refused.
 */
export function toRulePattern(pattern: EventPattern): CdkEventPattern {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    const cdkKey = topLevelKeys[key];
    if (!cdkKey) throw new Error(`Unknown top-level event pattern key "${key}"`);
    out[cdkKey] = value;
  }
  return out as CdkEventPattern;
}

/**
 * AWS services (SES bounces and complaints among them) deliver only to the default bus; our own events
 * go to the stack's bus. A pattern whose sources are all `aws.*` therefore belongs on the default bus.
 */
export function isAwsServicePattern(pattern: EventPattern): boolean {
  const sources = pattern.source;
  return Array.isArray(sources) && sources.length > 0 && sources.every((s) => typeof s === 'string' && s.startsWith('aws.'));
}
