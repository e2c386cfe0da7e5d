import type { Node } from 'constructs';

export type Stage = 'dev' | 'prod';

/**
 * Everything that differs between deployments, read from CDK context (`-c key=value` or cdk.json) so that
 * `cdk synth` works offline with no context at all. Values from `-c` arrive as strings; cdk.json may hold
 * real numbers and arrays; both are accepted.
 */
export interface DeploymentSettings {
  stage: Stage;
  /** Base of links in emails. Default: the HTTP API's own URL (known only at deploy time). */
  publicUrl?: string;
  /** The address mail comes from; must be (or belong to) a verified SES identity. */
  senderEmail: string;
  /** The display name in From and in bulk-mail footers (SENDER_IDENTITY). */
  senderName: string;
  /** When given, the stack creates this SES domain identity with Easy DKIM; otherwise the identity already exists. */
  senderDomain?: string;
  /** CORS origins for browsers (web forms, the widget). `*` is acceptable: the API uses bearer tokens, never cookies. */
  allowedOrigins: string[];
  /** Default-stage throttling for the whole HTTP API. */
  throttle: { rateLimit: number; burstLimit: number };
  /** Emails per second the sender paces itself to (SES_RATE_PER_SECOND); the SES sandbox allows 1. */
  sesRatePerSecond: number;
  /** Where operator notices (milestones) go; none are sent without it. */
  operatorEmail?: string;
}

const stageDefaults: Record<Stage, { rateLimit: number; burstLimit: number }> = {
  dev: { rateLimit: 25, burstLimit: 50 },
  prod: { rateLimit: 200, burstLimit: 400 },
};

export function settingsFromContext(node: Node): DeploymentSettings {
  const stage = string(node, 'stage') ?? 'dev';
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`Context "stage" must be "dev" or "prod", got "${stage}"`);
  const senderEmail = string(node, 'senderEmail') ?? 'no-reply@example.org';
  const senderDomain = string(node, 'senderDomain');
  if (senderDomain && !senderEmail.toLowerCase().endsWith(`@${senderDomain.toLowerCase()}`)) {
    throw new Error(`Context "senderEmail" (${senderEmail}) must be an address at "senderDomain" (${senderDomain})`);
  }
  const operatorEmail = string(node, 'operatorEmail');
  const publicUrl = string(node, 'publicUrl');
  if (publicUrl !== undefined) new URL(publicUrl); // fail at synth, not at the first confirmation mail
  return {
    stage,
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
    senderEmail,
    senderName: string(node, 'senderName') ?? 'Tadamon',
    ...(senderDomain ? { senderDomain } : {}),
    allowedOrigins: list(node, 'allowedOrigins') ?? ['*'],
    throttle: {
      rateLimit: number(node, 'throttleRateLimit') ?? stageDefaults[stage].rateLimit,
      burstLimit: number(node, 'throttleBurstLimit') ?? stageDefaults[stage].burstLimit,
    },
    sesRatePerSecond: number(node, 'sesRatePerSecond') ?? 1,
    ...(operatorEmail ? { operatorEmail } : {}),
  };
}

function string(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
  return value.trim();
}

function number(node: Node, key: string): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Context "${key}" must be a positive number, got "${String(value)}"`);
  return n;
}

/** An array in cdk.json, or a comma-separated string from `-c`. */
function list(node: Node, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const trimmed = items.map((item) => item.trim()).filter(Boolean);
  return trimmed.length ? trimmed : undefined;
}
