import { z } from 'zod';

/**
 * Settings come from the environment so the same bundle runs on Lambda and locally.
 * Read lazily: tests and the local runtime set variables before the first call.
 */
const schema = z.object({
  TABLE_NAME: z.string().min(1).default('tadamon'),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  MAIL_FROM: z.string().min(3).default('Tadamon <no-reply@tadamon.local>'),
  SES_CONFIGURATION_SET: z.string().optional(),
  ADMIN_TOKEN: z.string().optional(),
  // Keys dedupe emails and derive confirmation tokens. Generated per deployment; never the default on AWS.
  TOKEN_SECRET: z.string().min(16).default('local-development-secret-change-me'),
  EVENT_BUS_NAME: z.string().min(1).default('default'),
  CONFIRMATION_TTL_DAYS: z.coerce.number().int().positive().default(7),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024),
  MAX_CONFIRMATION_MAILS: z.coerce.number().int().positive().default(5),
  // The sender never exceeds this many emails a second (SES accounts have a sending rate).
  SES_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(10),
  // Who bulk mail says it is from, in its footer.
  SENDER_IDENTITY: z.string().default('Tadamon'),
  // Where milestone notices go; unset means none are sent.
  OPERATOR_EMAIL: z.string().optional(),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= schema.parse(process.env);
  return cached;
}

/** For tests and the local runtime, which change the environment between runs. */
export function resetConfig(): void {
  cached = undefined;
}
