import { hkdfSync } from 'node:crypto';
import * as z from 'zod';

// On AWS the secrets live in Secrets Manager; each function is given the ARNs of only the ones it needs. They are
// read once per container, as its first invocation begins (every trigger's wrapper awaits `secretsRead()`), not at
// module scope: a cold start's init does not wait on Secrets Manager, and config() stays synchronous.
let secretsReading: Promise<void> | undefined;

/** Reads the secrets this function was given into the environment, once; a failed read is tried again next time. */
export function secretsRead(): Promise<void> {
  secretsReading ??= readSecrets().catch((error: unknown) => {
    secretsReading = undefined;
    throw error;
  });
  return secretsReading;
}

async function readSecrets(): Promise<void> {
  // Set only in a Lambda bundle (infra/stack/bundling.ts): built for a function given no secret, the condition is
  // false as written, and esbuild leaves readGivenSecrets, with the Secrets Manager client, out of that bundle.
  if (process.env.TADAMON_BUNDLED_SECRETS !== '') await readGivenSecrets();
}

async function readGivenSecrets(): Promise<void> {
  const arns = Object.entries({ TOKEN_SECRET: process.env.TOKEN_SECRET_ARN, CURSOR_SECRET: process.env.CURSOR_SECRET_ARN }).filter(
    (entry): entry is [string, string] => Boolean(entry[1]) && !process.env[entry[0]],
  );
  if (arns.length === 0) return;
  // Only a function given a secret loads the client, and only then.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  await Promise.all(
    arns.map(async ([name, arn]) => {
      const secret = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      if (!secret.SecretString) throw new Error(`The secret behind ${name}_ARN is empty`);
      process.env[name] = secret.SecretString;
    }),
  );
  // Settings parsed before the secrets arrived would not hold them.
  cached = undefined;
}

// Public, so only for a laptop: on Lambda it would let anyone forge links and cursors.
const developmentSecret = 'local-development-secret-change-me';

/**
 * Settings come from the environment so the same bundle runs on Lambda and locally.
 * Read lazily: tests and the local runtime set variables before the first call.
 */
const schema = z.object({
  TABLE_NAME: z.string().min(1).default('tadamon'),
  // The limits table (table-definition.ts `limitsTableDefinition`): counters that expire, on no stream.
  LIMITS_TABLE_NAME: z.string().min(1).default('tadamon-limits'),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  // Where campaigns are read when they set no `pageUrl` of their own: an https template with `{slug}` (and
  // optionally `{locale}`), e.g. `https://example.org/{locale}/act/{slug}`. Unset: this deployment's `/act/{slug}`.
  CAMPAIGN_PAGE_URL: z
    .url({ protocol: /^https$/, error: 'CAMPAIGN_PAGE_URL must be an https URL.' })
    .refine((url) => url.includes('{slug}'), 'CAMPAIGN_PAGE_URL must contain {slug}.')
    .optional(),
  // Origins whose pages may call the public API from a browser (the widget, web forms): comma-separated, `*` for any.
  ALLOWED_ORIGINS: z.string().default('*'),
  MAIL_FROM: z.string().min(3).default('Tadamon <no-reply@tadamon.local>'),
  SES_CONFIGURATION_SET: z.string().optional(),
  ADMIN_TOKEN: z.string().optional(),
  // The master secret of links and identities (email keys, person index, confirmation and unsubscribe links,
  // IP and mailbox hashes), and the one of list cursors. Generated per deployment; read only through the keys below.
  TOKEN_SECRET: z.string().min(16).optional(),
  CURSOR_SECRET: z.string().min(16).optional(),
  EVENT_BUS_NAME: z.string().min(1).default('default'),
  CONFIRMATION_TTL_DAYS: z.coerce.number().int().positive().default(7),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024),
  // Confirmation mails one mailbox may receive (plus-tags folded), across every action and campaign.
  MAILBOX_MAILS_PER_HOUR: z.coerce.number().int().positive().default(5),
  MAILBOX_MAILS_PER_DAY: z.coerce.number().int().positive().default(10),
  // The sender never exceeds this many emails a second (SES accounts have a sending rate).
  SES_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(10),
  // Who bulk mail says it is from, in its footer.
  SENDER_IDENTITY: z.string().default('Tadamon'),
  // Abuse limits as COUNT/SECONDS ("0" turns a rule off). Per IP and per campaign, burst and sustained.
  RATE_LIMIT_IP_BURST: z.string().default('20/10'),
  RATE_LIMIT_IP_SUSTAINED: z.string().default('500/3600'),
  RATE_LIMIT_CAMPAIGN_BURST: z.string().default('25000/10'),
  RATE_LIMIT_CAMPAIGN_SUSTAINED: z.string().default('9000000/3600'),
  // Per AWS account that puts SignatureSubmitted events on the bus (a partner, or imports): a system, not a person.
  RATE_LIMIT_SOURCE_BURST: z.string().default('2000/10'),
  RATE_LIMIT_SOURCE_SUSTAINED: z.string().default('200000/3600'),
  CAPTCHA_PROVIDER: z.enum(['none', 'turnstile', 'hcaptcha']).default('none'),
  CAPTCHA_SECRET: z.string().optional(),
  CAPTCHA_VERIFY_URL: z.url().optional(),
  // The provider's site key: public (every page with the challenge carries it), for the demo page's widget.
  CAPTCHA_SITE_KEY: z.string().optional(),
  // Signers' personal fields are anonymised this many days after their campaign closed.
  RETENTION_DAYS_AFTER_CLOSE: z.coerce.number().int().positive().default(183),
  // Sent by this deployment's CloudFront distribution with every request (shared/http/viewer-address.ts): the
  // proof that lets the abuse guard believe the viewer address CloudFront forwards. Unset locally.
  EDGE_ORIGIN_SECRET: z.string().min(16).optional(),
  // Where milestone notices go; unset means none are sent.
  OPERATOR_EMAIL: z.string().optional(),
  // Action Network connectors (shared/connectors/): the API's base, https on AWS (checked where it is used).
  ACTION_NETWORK_API_URL: z.url().default('https://actionnetwork.org/api/v2'),
  // Requests a second per connector (per partner's key): Action Network's documented API rate limit.
  ACTION_NETWORK_RATE_PER_SECOND: z.coerce.number().int().positive().max(100).default(4),
  // Partners' API keys live in Secrets Manager under this name prefix (the stack sets `tadamon/<stage>/`), which is
  // all the connector functions are granted; encrypted with this key when set (the stack's data key).
  CONNECTOR_SECRET_PREFIX: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,200}\/$/).default('tadamon/local/'),
  CONNECTOR_SECRET_KMS_KEY: z.string().min(1).optional(),
  // Webhooks (shared/webhooks/destinations.ts): the prefix of their EventBridge connections, API destinations and
  // rules (at most 40 characters, so a name with a webhook id stays within EventBridge's 64), the role EventBridge
  // invokes them with, the queue of what it gave up on, and each API destination's calls a second.
  WEBHOOK_RESOURCE_PREFIX: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/).default('tadamon-webhook'),
  WEBHOOK_TARGET_ROLE_ARN: z.string().min(1).default('arn:aws:iam::000000000000:role/tadamon-local-webhooks'),
  WEBHOOK_DEAD_LETTERS_ARN: z.string().min(1).default('arn:aws:sqs:local:000000000000:webhook-dead-letters'),
  WEBHOOK_RATE_PER_SECOND: z.coerce.number().int().min(1).max(300).default(20),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= schema.parse(process.env);
  return cached;
}

const purposeKeys = new Map<string, Buffer>();
let cursorMasterKey: Buffer | undefined;

/** For tests and the local runtime, which change the environment between runs. */
export function resetConfig(): void {
  cached = undefined;
  purposeKeys.clear();
  cursorMasterKey = undefined;
}

const onLambda = () => Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
/** Whether this runs on Lambda, not on a laptop: for the few rules that differ (webhook URLs may be http://localhost locally). */
export const runsOnLambda = (): boolean => onLambda();
const derive = (master: string | Buffer, info: string) => Buffer.from(hkdfSync('sha256', master, 'tadamon', info, 32));

/**
 * The secret a function was given, or (only on a laptop) the development one. A function on Lambda that was not
 * given it fails here, on first use, rather than at start: functions get only the secrets they need, and one
 * without the link secret must still be able to read its settings.
 */
function linkSecret(): string {
  const secret = config().TOKEN_SECRET;
  if (onLambda() && (!secret || secret === developmentSecret)) {
    throw new Error('TOKEN_SECRET (or TOKEN_SECRET_ARN) must be set on AWS for links, email keys and hashes');
  }
  return secret ?? developmentSecret;
}

/**
 * One key per purpose (email key, person index, confirmation links, unsubscribe links, IP hashes, mailbox caps…),
 * derived from the link secret with HKDF: a value shown to one audience can never be matched with another's.
 */
export function purposeKey(purpose: string): Buffer {
  let key = purposeKeys.get(purpose);
  if (!key) {
    key = derive(linkSecret(), `link:${purpose}`);
    purposeKeys.set(purpose, key);
  }
  return key;
}

/**
 * The key of list cursors: from CURSOR_SECRET only, so public list functions need no other secret. On a laptop
 * without one it is derived from the link secret (tests and older DATA_DIRs keep working); never on Lambda.
 */
export function cursorKey(): Buffer {
  if (!cursorMasterKey) {
    const secret = config().CURSOR_SECRET;
    if (onLambda() && (!secret || secret === developmentSecret)) throw new Error('CURSOR_SECRET (or CURSOR_SECRET_ARN) must be set on AWS for list cursors');
    cursorMasterKey = derive(secret ?? derive(config().TOKEN_SECRET ?? developmentSecret, 'cursor-secret'), 'cursor');
  }
  return cursorMasterKey;
}
