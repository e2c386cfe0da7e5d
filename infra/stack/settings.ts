import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { type CaptchaProvider, type StageConfig, stageConfig } from '#infra/stages.ts';
import { toAwsCron } from './cron.ts';

/** Any name: `dev` and `prod` are configured in infra/stages.ts, others start from `dev`. */
export type Stage = string;

/** One deployment: its stage's config from infra/stages.ts with every context override applied. */
export interface DeploymentSettings extends StageConfig {
  stage: Stage;
}

/**
 * Context keys (`-c key=value`, or cdk.json `context`). Values from `-c` arrive as strings; cdk.json may
 * hold real numbers, booleans and arrays; both are accepted. Each overrides the field of the same meaning
 * in infra/stages.ts.
 */
export const contextKeys = [
  'stage',
  'region',
  'account',
  'retainData',
  'publicUrl',
  'campaignPageUrl',
  'senderEmail',
  'senderName',
  'senderDomain',
  'mailFromSubdomain',
  'allowedOrigins',
  'sesRatePerSecond',
  'operatorEmail',
  'alarmEmail',
  'throttleRateLimit',
  'throttleBurstLimit',
  'signingThrottleRateLimit',
  'signingThrottleBurstLimit',
  'waf',
  'wafRateLimit',
  'wafWebAclArn',
  'digestSchedule',
  'confirmationTtlDays',
  'retentionDaysAfterClose',
  'rateLimitIpBurst',
  'rateLimitIpSustained',
  'rateLimitCampaignBurst',
  'rateLimitCampaignSustained',
  'rateLimitSourceBurst',
  'rateLimitSourceSustained',
  'partnerAccounts',
  'captchaProvider',
  'captchaSecretArn',
  'captchaSiteKey',
  'logRetentionDays',
  'pointInTimeRecoveryDays',
  'warmWriteUnitsPerSecond',
  'developmentRoutes',
] as const;

/** The manifest function whose schedule `digestSchedule` overrides. */
export const digestFunction = 'WeeklyDigest';

const stageName = /^[a-z][a-z0-9-]{1,19}$/;
const rateLimit = /^(\d+\/\d+|0|off)$/;
const logRetentionValues = new Set(Object.values(RetentionDays).filter((value): value is number => typeof value === 'number'));
const captchaProviders: readonly CaptchaProvider[] = ['none', 'turnstile', 'hcaptcha'];
/** API Gateway's default account quota per region, shared by every API of the account (docs/operating.md). */
export const apiAccountQuota = { rateLimit: 10_000, burstLimit: 5_000 } as const;
/** Partner accounts one bus policy statement can name within EventBridge's 10,240-character policy quota. */
export const maxPartnerAccounts = 100;
const webAclArn = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/;

export function settingsFromContext(node: Node): DeploymentSettings {
  const stage = string(node, 'stage') ?? 'dev';
  if (!stageName.test(stage)) {
    throw new Error(`Context "stage" must be 2-20 lower-case letters, digits or dashes, starting with a letter; got "${stage}"`);
  }
  const base = stageConfig(stage);

  const region = string(node, 'region') ?? base.region;
  const account = string(node, 'account') ?? base.account;
  const publicUrl = string(node, 'publicUrl') ?? base.publicUrl;
  if (publicUrl !== undefined) new URL(publicUrl); // fail at synth, not at the first confirmation mail
  const campaignPageUrl = string(node, 'campaignPageUrl') ?? base.campaignPageUrl;
  if (campaignPageUrl !== undefined && (URL.parse(campaignPageUrl)?.protocol !== 'https:' || !campaignPageUrl.includes('{slug}'))) {
    throw new Error(`Context "campaignPageUrl" must be an https URL template containing {slug}; got "${campaignPageUrl}"`);
  }
  const senderEmail = string(node, 'senderEmail') ?? base.senderEmail;
  const senderDomain = string(node, 'senderDomain') ?? base.senderDomain;
  if (senderDomain && !senderEmail.toLowerCase().endsWith(`@${senderDomain.toLowerCase()}`)) {
    throw new Error(`Context "senderEmail" (${senderEmail}) must be an address at "senderDomain" (${senderDomain})`);
  }
  const mailFromSubdomain = string(node, 'mailFromSubdomain') ?? base.mailFromSubdomain;
  if (mailFromSubdomain !== undefined) {
    if (!senderDomain) throw new Error('Context "mailFromSubdomain" needs "senderDomain": a custom MAIL FROM belongs to a domain identity');
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(mailFromSubdomain)) {
      throw new Error(`Context "mailFromSubdomain" must be one DNS label such as "bounce", got "${mailFromSubdomain}"`);
    }
  }
  const operatorEmail = string(node, 'operatorEmail') ?? base.operatorEmail;
  const alarmEmail = string(node, 'alarmEmail') ?? base.alarmEmail;
  for (const [key, value] of [['operatorEmail', operatorEmail], ['alarmEmail', alarmEmail]] as const) {
    if (value !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new Error(`Context "${key}" must be an email address, got "${value}"`);
  }

  const schedules = { ...base.schedules };
  const digestSchedule = string(node, 'digestSchedule');
  if (digestSchedule) schedules[digestFunction] = digestSchedule;
  for (const cron of Object.values(schedules)) toAwsCron(cron); // throws on what EventBridge Scheduler cannot run

  const rateLimits = {
    ipBurst: string(node, 'rateLimitIpBurst') ?? base.rateLimits.ipBurst,
    ipSustained: string(node, 'rateLimitIpSustained') ?? base.rateLimits.ipSustained,
    campaignBurst: string(node, 'rateLimitCampaignBurst') ?? base.rateLimits.campaignBurst,
    campaignSustained: string(node, 'rateLimitCampaignSustained') ?? base.rateLimits.campaignSustained,
    sourceBurst: string(node, 'rateLimitSourceBurst') ?? base.rateLimits.sourceBurst,
    sourceSustained: string(node, 'rateLimitSourceSustained') ?? base.rateLimits.sourceSustained,
  };
  for (const [key, spec] of Object.entries(rateLimits)) {
    if (!rateLimit.test(spec)) throw new Error(`Rate limit ${key} must be COUNT/SECONDS (or 0 to turn it off), got "${spec}"`);
  }

  const partnerAccounts = [...new Set(list(node, 'partnerAccounts') ?? base.partnerAccounts)];
  for (const account of partnerAccounts) {
    if (!/^\d{12}$/.test(account)) throw new Error(`Context "partnerAccounts" must list AWS account ids (12 digits), got "${account}"`);
  }
  // One statement names them all; the bus policy holds 10,240 characters (an EventBridge quota), ~40 per account.
  if (partnerAccounts.length > maxPartnerAccounts) throw new Error(`Context "partnerAccounts" lists ${partnerAccounts.length} accounts; at most ${maxPartnerAccounts} fit the bus policy`);

  const provider = string(node, 'captchaProvider') ?? base.captcha.provider;
  if (!captchaProviders.includes(provider as CaptchaProvider)) {
    throw new Error(`Context "captchaProvider" must be one of ${captchaProviders.join(', ')}, got "${provider}"`);
  }
  const secretArn = string(node, 'captchaSecretArn') ?? base.captcha.secretArn;
  if (provider !== 'none' && !secretArn) throw new Error(`Captcha provider "${provider}" needs "captchaSecretArn" (a Secrets Manager secret holding the site secret)`);
  if (secretArn && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(secretArn)) {
    throw new Error(`Context "captchaSecretArn" must be a Secrets Manager secret ARN, got "${secretArn}"`);
  }
  const siteKey = string(node, 'captchaSiteKey') ?? base.captcha.siteKey;
  if (siteKey && provider === 'none') throw new Error('Context "captchaSiteKey" needs "captchaProvider": a site key belongs to a provider');
  // Both providers' keys are letters, digits and dashes (Turnstile `0x4AAA…`, hCaptcha a UUID); it goes in an HTML attribute.
  if (siteKey && !/^[A-Za-z0-9_-]{1,100}$/.test(siteKey)) throw new Error(`Context "captchaSiteKey" must be the provider's site key, got "${siteKey}"`);

  const logRetentionDays = number(node, 'logRetentionDays') ?? base.logRetentionDays;
  if (!logRetentionValues.has(logRetentionDays)) {
    throw new Error(`Context "logRetentionDays" must be a CloudWatch Logs retention (${[...logRetentionValues].sort((a, b) => a - b).join(', ')}), got ${logRetentionDays}`);
  }

  const pointInTimeRecoveryDays = integer(node, 'pointInTimeRecoveryDays') ?? base.pointInTimeRecoveryDays;
  if (pointInTimeRecoveryDays < 1 || pointInTimeRecoveryDays > 35) {
    throw new Error(`Context "pointInTimeRecoveryDays" must be 1 to 35 (DynamoDB's range), got ${pointInTimeRecoveryDays}`);
  }

  const throttle = {
    rateLimit: number(node, 'throttleRateLimit') ?? base.throttle.rateLimit,
    burstLimit: number(node, 'throttleBurstLimit') ?? base.throttle.burstLimit,
  };
  const signingThrottle = {
    rateLimit: number(node, 'signingThrottleRateLimit') ?? base.signingThrottle.rateLimit,
    burstLimit: integer(node, 'signingThrottleBurstLimit') ?? base.signingThrottle.burstLimit,
  };
  for (const [key, budget] of [['throttle', throttle], ['signingThrottle', signingThrottle]] as const) {
    if (budget.rateLimit > apiAccountQuota.rateLimit || budget.burstLimit > apiAccountQuota.burstLimit) {
      throw new Error(
        `${key} (${budget.rateLimit}/s, burst ${budget.burstLimit}) is above API Gateway's account quota (${apiAccountQuota.rateLimit}/s, burst ${apiAccountQuota.burstLimit}); no route can get more`,
      );
    }
    if (!Number.isInteger(budget.burstLimit)) throw new Error(`${key}: the burst limit must be a whole number, got ${budget.burstLimit}`);
  }

  const wafWebAclArn = string(node, 'wafWebAclArn') ?? base.wafWebAclArn;
  if (wafWebAclArn !== undefined && !webAclArn.test(wafWebAclArn)) {
    throw new Error(`Context "wafWebAclArn" must be the ARN of a CloudFront-scoped web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), got "${wafWebAclArn}"`);
  }
  const waf = wafWebAclArn !== undefined || (boolean(node, 'waf') ?? base.waf);
  const wafRateLimit = integer(node, 'wafRateLimit') ?? base.wafRateLimit;
  // WAF's rate-based rules take 10 to 2,000,000,000 requests per evaluation window.
  if (wafRateLimit < 10 || wafRateLimit > 2_000_000_000) throw new Error(`Context "wafRateLimit" must be 10 to 2000000000 requests per 5 minutes, got ${wafRateLimit}`);

  const warmWriteUnitsPerSecond = integer(node, 'warmWriteUnitsPerSecond') ?? base.warmWriteUnitsPerSecond;
  if (warmWriteUnitsPerSecond !== undefined && (warmWriteUnitsPerSecond < 4000 || warmWriteUnitsPerSecond > 40_000)) {
    throw new Error(`Context "warmWriteUnitsPerSecond" must be 4000 (a new table's own) to 40000 (the per-table quota), got ${warmWriteUnitsPerSecond}`);
  }

  return {
    stage,
    ...(region ? { region } : {}),
    ...(account ? { account } : {}),
    retainData: boolean(node, 'retainData') ?? base.retainData,
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
    ...(campaignPageUrl ? { campaignPageUrl } : {}),
    senderEmail,
    senderName: string(node, 'senderName') ?? base.senderName,
    ...(senderDomain ? { senderDomain } : {}),
    ...(mailFromSubdomain ? { mailFromSubdomain } : {}),
    allowedOrigins: list(node, 'allowedOrigins') ?? base.allowedOrigins,
    sesRatePerSecond: number(node, 'sesRatePerSecond') ?? base.sesRatePerSecond,
    ...(operatorEmail ? { operatorEmail } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    throttle,
    signingThrottle,
    waf,
    wafRateLimit,
    ...(wafWebAclArn ? { wafWebAclArn } : {}),
    schedules,
    confirmationTtlDays: integer(node, 'confirmationTtlDays') ?? base.confirmationTtlDays,
    retentionDaysAfterClose: integer(node, 'retentionDaysAfterClose') ?? base.retentionDaysAfterClose,
    rateLimits,
    partnerAccounts,
    captcha: { provider: provider as CaptchaProvider, ...(secretArn ? { secretArn } : {}), ...(siteKey ? { siteKey } : {}) },
    logRetentionDays,
    pointInTimeRecoveryDays,
    ...(warmWriteUnitsPerSecond ? { warmWriteUnitsPerSecond } : {}),
    developmentRoutes: boolean(node, 'developmentRoutes') ?? base.developmentRoutes,
  };
}

/** The stack's environment: the stage's pinned account and region, else the CLI's (none offline). */
export function stackEnvironment(settings: DeploymentSettings): { account: string | undefined; region: string | undefined } {
  return {
    account: settings.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: settings.region ?? process.env.CDK_DEFAULT_REGION,
  };
}

function string(node: Node, key: (typeof contextKeys)[number]): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
  return value.trim();
}

function number(node: Node, key: (typeof contextKeys)[number]): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Context "${key}" must be a positive number, got "${String(value)}"`);
  return n;
}

function integer(node: Node, key: (typeof contextKeys)[number]): number | undefined {
  const n = number(node, key);
  if (n !== undefined && !Number.isInteger(n)) throw new Error(`Context "${key}" must be a whole number, got ${n}`);
  return n;
}

function boolean(node: Node, key: (typeof contextKeys)[number]): boolean | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context "${key}" must be true or false, got "${String(value)}"`);
}

/** An array in cdk.json, or a comma-separated string from `-c`. */
function list(node: Node, key: (typeof contextKeys)[number]): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const trimmed = items.map((item) => item.trim()).filter(Boolean);
  return trimmed.length ? trimmed : undefined;
}
