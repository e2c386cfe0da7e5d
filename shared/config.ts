import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

// On AWS the HMAC key lives in Secrets Manager; it is read once per container, at cold start, before any
// handler runs (top-level await), so config() itself stays synchronous.
if (process.env.TOKEN_SECRET_ARN && !process.env.TOKEN_SECRET) {
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.TOKEN_SECRET_ARN }));
  if (!secret.SecretString) throw new Error('The token secret is empty');
  process.env.TOKEN_SECRET = secret.SecretString;
}

// Public, so only for a laptop: on Lambda it would let anyone forge links and cursors.
const developmentSecret = 'local-development-secret-change-me';

/**
 * Settings come from the environment so the same bundle runs on Lambda and locally.
 * Read lazily: tests and the local runtime set variables before the first call.
 */
const schema = z.object({
  TABLE_NAME: z.string().min(1).default('tadamon'),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  // Origins whose pages may call the public API from a browser (the widget, web forms): comma-separated, `*` for any.
  ALLOWED_ORIGINS: z.string().default('*'),
  MAIL_FROM: z.string().min(3).default('Tadamon <no-reply@tadamon.local>'),
  SES_CONFIGURATION_SET: z.string().optional(),
  ADMIN_TOKEN: z.string().optional(),
  // Keys dedupe emails and derive confirmation tokens. Generated per deployment; never the default on AWS.
  TOKEN_SECRET: z.string().min(16).default(developmentSecret),
  EVENT_BUS_NAME: z.string().min(1).default('default'),
  CONFIRMATION_TTL_DAYS: z.coerce.number().int().positive().default(7),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024),
  MAX_CONFIRMATION_MAILS: z.coerce.number().int().positive().default(5),
  // The sender never exceeds this many emails a second (SES accounts have a sending rate).
  SES_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(10),
  // Who bulk mail says it is from, in its footer.
  SENDER_IDENTITY: z.string().default('Tadamon'),
  // Abuse limits as COUNT/SECONDS ("0" turns a rule off). Per IP and per campaign, burst and sustained.
  RATE_LIMIT_IP_BURST: z.string().default('20/10'),
  RATE_LIMIT_IP_SUSTAINED: z.string().default('500/3600'),
  RATE_LIMIT_CAMPAIGN_BURST: z.string().default('5000/10'),
  RATE_LIMIT_CAMPAIGN_SUSTAINED: z.string().default('5000000/3600'),
  CAPTCHA_PROVIDER: z.enum(['none', 'turnstile', 'hcaptcha']).default('none'),
  CAPTCHA_SECRET: z.string().optional(),
  CAPTCHA_VERIFY_URL: z.url().optional(),
  // The provider's site key: public (every page with the challenge carries it), for the demo page's widget.
  CAPTCHA_SITE_KEY: z.string().optional(),
  // Signers' personal fields are anonymised this many days after their campaign closed.
  RETENTION_DAYS_AFTER_CLOSE: z.coerce.number().int().positive().default(183),
  // Where milestone notices go; unset means none are sent.
  OPERATOR_EMAIL: z.string().optional(),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  if (!cached) {
    const parsed = schema.parse(process.env);
    if (process.env.AWS_LAMBDA_FUNCTION_NAME && parsed.TOKEN_SECRET === developmentSecret) {
      throw new Error('TOKEN_SECRET (or TOKEN_SECRET_ARN) must be set on AWS');
    }
    cached = parsed;
  }
  return cached;
}

/** For tests and the local runtime, which change the environment between runs. */
export function resetConfig(): void {
  cached = undefined;
}
