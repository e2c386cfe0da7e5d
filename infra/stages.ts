/**
 * What each deployment stage is, as typed data: `npx cdk deploy -c stage=prod` starts from `stages.prod`,
 * then every context value given (`-c key=value` or cdk.json `context`) overrides its field; see
 * infra/stack/settings.ts for the context keys. A stage not listed here (`-c stage=pr-42`) starts from
 * `dev`: disposable. Edit this file for what a stage always is; use context for one deployment's values.
 *
 * The defaults let `cdk synth` run offline with no context at all; a real deployment overrides at least
 * the sender (and, for prod, the alarm email). Secrets never go here: only the ARN of a Secrets Manager secret.
 */

export type CaptchaProvider = 'none' | 'turnstile' | 'hcaptcha';

export interface StageConfig {
  /** AWS region to deploy to. Unset: the CLI's region (profile or AWS_REGION, through CDK_DEFAULT_REGION). */
  region?: string;
  /** AWS account to deploy to. Unset: the CLI credentials' account. */
  account?: string;
  /**
   * Keep signers' data when the stack or a resource goes: the table (RETAIN, deletion protection), its KMS key,
   * the token secret, the operator pool and the log groups; plus stack termination protection.
   */
  retainData: boolean;
  /** Base of links in emails. Unset: the HTTP API's own URL (known only at deploy time). */
  publicUrl?: string;
  /**
   * Where mails, the feed and the front page send readers of a campaign without a `pageUrl` of its own: an https
   * template with `{slug}` (and optionally `{locale}`), CAMPAIGN_PAGE_URL. Unset: this deployment's `/act/{slug}`.
   */
  campaignPageUrl?: string;
  /** The address mail comes from; must be (or belong to) a verified SES identity. */
  senderEmail: string;
  /** The display name in From and in bulk-mail footers (SENDER_IDENTITY). */
  senderName: string;
  /** When given, the stack creates this SES domain identity with Easy DKIM; otherwise the identity already exists. */
  senderDomain?: string;
  /** Custom MAIL FROM: `bounce` makes `bounce.<senderDomain>` the envelope sender (SPF alignment for DMARC). Needs senderDomain. */
  mailFromSubdomain?: string;
  /** CORS origins for browsers (web forms, the widget). `*` is acceptable: the API uses bearer tokens, never cookies. */
  allowedOrigins: string[];
  /** Emails per second the sender paces itself to (SES_RATE_PER_SECOND); the SES sandbox allows 1. */
  sesRatePerSecond: number;
  /** Where operator notices (milestones) go; none are sent without it. */
  operatorEmail?: string;
  /** Who is emailed when an alarm fires (and when it recovers); the topic exists either way. */
  alarmEmail?: string;
  /**
   * The HTTP API's default throttle, per route (requests per second, steady and burst): every route without a
   * budget of its own, that is reads (which CloudFront mostly answers) and operator routes.
   */
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * The throttle of each public write route (sign, endorse, subscribe, erasure, confirm, unsubscribe), set
   * per route on the stage: reads can never use up what signing needs. Both budgets stay within API
   * Gateway's account quota per region (10,000 requests/s, burst 5,000, shared by every API of the account).
   */
  signingThrottle: { rateLimit: number; burstLimit: number };
  /**
   * An AWS WAF web ACL on the CloudFront distribution: AWS's IP reputation list and a per-address rate rule.
   * About $7 a month plus $0.60 per million requests (docs/operating.md), hence off unless a stage turns it on.
   */
  waf: boolean;
  /** The rate rule: requests per address per 5 minutes above which WAF answers 429 (WAF's minimum is 10). */
  wafRateLimit: number;
  /** Attach this existing web ACL (scope CLOUDFRONT, us-east-1) instead of creating one; implies `waf`. */
  wafWebAclArn?: string;
  /**
   * Schedules that differ from the manifest's, by function name, as five-field cron in UTC:
   * `{ WeeklyDigest: '0 7 * * TUE' }`. Context `digestSchedule` sets the WeeklyDigest one.
   */
  schedules: Record<string, string>;
  /** How long a confirmation link works; unconfirmed signatures expire then (CONFIRMATION_TTL_DAYS). */
  confirmationTtlDays: number;
  /** Signers' personal fields are anonymised this many days after their campaign closed (RETENTION_DAYS_AFTER_CLOSE). */
  retentionDaysAfterClose: number;
  /**
   * Abuse limits as COUNT/SECONDS, `0` turns a rule off (RATE_LIMIT_*; see shared/abuse/guard.ts). `source*`: per AWS
   * account putting `SignatureSubmitted` events on the bus (a partner, or this account's imports).
   */
  rateLimits: { ipBurst: string; ipSustained: string; campaignBurst: string; campaignSustained: string; sourceBurst: string; sourceSustained: string };
  /**
   * AWS accounts of partner organisations (twelve digits each) allowed to put `SignatureSubmitted` events, and no
   * other detail type, on this stage's bus; each is the source of the signatures it sends (docs/operating.md).
   */
  partnerAccounts: string[];
  /**
   * Server-side captcha on public submissions; the secret is read from Secrets Manager at deploy time. The site
   * key is public: with it the demo page (/demo/{slug}) shows the challenge in its widget.
   */
  captcha: { provider: CaptchaProvider; secretArn?: string; siteKey?: string };
  /** Days CloudWatch keeps function and access logs (a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, ...). */
  logRetentionDays: number;
  /**
   * Days of point-in-time recovery (1-35): how far back the table can be restored, and so how long an erased
   * signer's data can still be brought back from AWS's continuous backups.
   */
  pointInTimeRecoveryDays: number;
  /**
   * The table's warm throughput in write units a second (DynamoDB pre-warming): what it takes at once, before
   * on-demand scaling catches up. A new on-demand table takes 4,000; a signature costs about 6. Raising it is a
   * one-time charge (DynamoDB pricing), never lowered. Unset: the table's own.
   */
  warmWriteUnitsPerSecond?: number;
  /**
   * Deploy the development routes too (GET /demo/{slug}, GET /widget.js served by a function): a page on the
   * API's own origin that embeds the widget. Off everywhere unless a stage needs a demo; the local runtime
   * always serves them.
   */
  developmentRoutes: boolean;
}

const common: StageConfig = {
  retainData: false,
  senderEmail: 'no-reply@example.org',
  senderName: 'Tadamon',
  allowedOrigins: ['*'],
  sesRatePerSecond: 1,
  throttle: { rateLimit: 25, burstLimit: 50 },
  signingThrottle: { rateLimit: 25, burstLimit: 50 },
  waf: false,
  // 2,000 per 5 minutes is ~6.7 requests/s from one address, sustained: far above a person (a widget polls
  // every 5 s or slower), still well above many people behind one carrier-grade NAT reading cached counts.
  wafRateLimit: 2000,
  schedules: {},
  confirmationTtlDays: 7,
  retentionDaysAfterClose: 183,
  rateLimits: {
    ipBurst: '20/10',
    ipSustained: '500/3600',
    campaignBurst: '25000/10',
    campaignSustained: '9000000/3600',
    // A partner's system or an import: 200 a second, about what one lane of confirmation mail is paced to at most.
    sourceBurst: '2000/10',
    sourceSustained: '200000/3600',
  },
  partnerAccounts: [],
  captcha: { provider: 'none' },
  logRetentionDays: 30,
  pointInTimeRecoveryDays: 35,
  developmentRoutes: false,
};

export const stages = {
  /** Anyone's playground: deleted with the stack, short logs, test data anonymised soon after close. */
  dev: {
    ...common,
    logRetentionDays: 7,
    retentionDaysAfterClose: 30,
  },
  /** Signers' data survives everything but a deliberate deletion. */
  prod: {
    ...common,
    retainData: true,
    // Reads are answered by CloudFront; what reaches the API per route is revalidations and cache misses.
    throttle: { rateLimit: 200, burstLimit: 400 },
    // A viral campaign: ≥ 1,000 signatures/s, and as many confirmations, each on its own route.
    signingThrottle: { rateLimit: 1000, burstLimit: 2000 },
    // Off by default (cost): turn it on for a launch or under attack with `-c waf=true` (docs/operating.md).
    waf: false,
    // 1,000 signatures/s at about 6 write units each, with headroom, from the first second of a surge.
    warmWriteUnitsPerSecond: 10_000,
    // Long enough to investigate an incident, short enough for logs about people at risk.
    logRetentionDays: 30,
  },
} satisfies Record<string, StageConfig>;

/** The stage's own config, or dev's for a stage this file does not list. */
export function stageConfig(stage: string): StageConfig {
  const known: Record<string, StageConfig> = stages;
  const config = known[stage] ?? stages.dev;
  return structuredClone(config);
}
