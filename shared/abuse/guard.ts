import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '#shared/config.ts';
import { rateLimitSubject } from '#shared/domain/ip-address.ts';
import { Problem } from '#shared/http/problem.ts';
import { viewerAddress } from '#shared/http/viewer-address.ts';
import { hmac } from '#shared/ids.ts';
import { logger, metrics } from '#shared/observability.ts';
import { isBlocked } from '#shared/store/blocklist-store.ts';
import { admit, type RateWindow } from '#shared/store/rate-limit-store.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captchaPasses } from './captcha.ts';

export interface Submission {
  /** Which action: each has its own limits (signing is not subscribing). */
  action: 'sign' | 'endorse' | 'subscribe' | 'erase';
  campaign?: string;
  email?: string;
  captchaToken?: string | undefined;
  /** The widget's hidden field: people leave it empty, form-filling bots do not. */
  honeypot?: string | undefined;
}

/** `count` requests per `seconds`, e.g. "20/10"; "0" or "off" disables the rule. */
function parseLimit(spec: string): { limit: number; seconds: number } | undefined {
  if (spec === '0' || spec === 'off') return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!match) throw new Error(`Invalid rate limit "${spec}": use COUNT/SECONDS`);
  return { limit: Number(match[1]), seconds: Number(match[2]) };
}

/**
 * How many items one campaign's windows are spread over. Every admission adds one write (1 WCU: the item, both
 * windows, is well under 1 KB) to one shard, and DynamoDB serves one partition key at most 1,000 WCU/s. At
 * 2,000 submissions/s on one campaign, 10 shards take ~200 writes/s each: a fifth of a partition, so the limiter
 * holds 5,000 submissions/s before any shard nears the limit, with room for an uneven random draw.
 */
const campaignShards = 10;

/**
 * Everything a public submission passes before it is written: the honeypot, the blocklists, the optional
 * captcha and the rate limits (per IP and per campaign, burst and sustained). A refused submission is never
 * written, so it can never reach a count. Returns 'drop' for a bot caught by the honeypot: the caller
 * answers as if all went well, and stores nothing.
 */
export async function guardSubmission(event: APIGatewayProxyEventV2, submission: Submission): Promise<'accept' | 'drop'> {
  if (submission.honeypot) {
    metrics.addMetric('HoneypotCaught', MetricUnit.Count, 1);
    return 'drop';
  }
  // Behind CloudFront, sourceIp is the edge's address: the viewer's comes from the edge, proven by its secret.
  const ip = viewerAddress(event, config().EDGE_ORIGIN_SECRET);
  // The exact address (IPv4-mapped IPv6 read as IPv4) is matched against blocked addresses and ranges.
  if (await isBlocked({ ip, emailDomain: submission.email?.split('@').pop() })) {
    throw new Problem(403, 'blocked', 'Submissions from here are not accepted. If you think this is a mistake, contact the campaign.');
  }
  if (!(await captchaPasses(submission.captchaToken, ip))) {
    throw new Problem(400, 'captcha', 'The anti-robot check did not pass. Please try again.', { errors: [{ path: 'captchaToken', message: 'Captcha verification failed.' }] });
  }
  const c = config();
  // IPs are personal data: the limiter's keys hold an HMAC of them, never the address. IPv6 counts per /64.
  const ipKey = hmac('ip', rateLimitSubject(ip)).slice(0, 22);
  await admitOrRefuse(submission, { scope: `${submission.action}:ip`, subject: ipKey, windows: windows(c.RATE_LIMIT_IP_BURST, c.RATE_LIMIT_IP_SUSTAINED), shards: 1 });
  return 'accept';
}

/** A submission that came in as an event (`SignatureSubmitted`) rather than over HTTP. */
export interface SourceSubmission extends Pick<Submission, 'action' | 'campaign' | 'email'> {
  /** The AWS account that put it on the bus: a partner's, or this deployment's own for imports. */
  account: string;
}

/**
 * The guard of a submission put on the bus by a named AWS account: the same blocklist of email domains and the
 * same per-campaign windows as the HTTP route, with the account in the place of the IP address (windows of its
 * own, RATE_LIMIT_SOURCE_*: one partner's system speaks for many people, so its limits are a system's, not a
 * person's). No honeypot, captcha or viewer address: there is no form and no browser, and only the accounts the
 * stage names can put events on the bus at all. Refusals are the HTTP route's problems (403, 429), for the
 * caller to tell a refusal for good from one that passes with time.
 */
export async function guardSourceSubmission(submission: SourceSubmission): Promise<void> {
  if (await isBlocked({ emailDomain: submission.email?.split('@').pop() })) {
    throw new Problem(403, 'blocked', 'Submissions from here are not accepted.');
  }
  const c = config();
  await admitOrRefuse(submission, {
    scope: `${submission.action}:account`,
    subject: submission.account,
    windows: windows(c.RATE_LIMIT_SOURCE_BURST, c.RATE_LIMIT_SOURCE_SUSTAINED),
    shards: 1,
  });
}

interface Subject {
  scope: string;
  subject: string;
  windows: RateWindow[];
  shards: number;
}

/** A rule's burst and sustained windows; a rule turned off ("0") has none. */
function windows(burst: string, sustained: string): RateWindow[] {
  return [
    { name: 'burst', spec: burst },
    { name: 'sustained', spec: sustained },
  ].flatMap(({ name, spec }) => {
    const limit = parseLimit(spec);
    return limit ? [{ name, ...limit }] : [];
  });
}

/**
 * Admits the submission in its own subject's windows (an IP, an account) and its campaign's, or refuses it with
 * a 429 and counts it in none of them.
 */
async function admitOrRefuse(submission: Pick<Submission, 'action' | 'campaign'>, own: Subject): Promise<void> {
  const c = config();
  // Each subject holds its burst and sustained windows in one item, counted by one conditional write.
  const subjects = [
    own,
    ...(submission.campaign
      ? [{ scope: `${submission.action}:campaign`, subject: submission.campaign, windows: windows(c.RATE_LIMIT_CAMPAIGN_BURST, c.RATE_LIMIT_CAMPAIGN_SUSTAINED), shards: campaignShards }]
      : []),
  ].filter((s) => s.windows.length > 0);
  // The subjects are independent items: admit them all at once rather than one round trip after another.
  const admissions = await Promise.all(subjects.map(({ scope, subject, windows, shards }) => admit(scope, subject, windows, shards)));
  const refused = admissions.flatMap((a) => (a.allowed ? [] : [a.retryAfterSeconds]));
  if (refused.length > 0) {
    const rules = subjects.filter((_, i) => !admissions[i]!.allowed).map((s) => s.scope);
    // Nothing refused is counted: a subject that admitted the request gives its place back. A give-back that
    // fails leaves one admission too many in a window that ends soon: the answer is still the 429.
    await Promise.all(admissions.map((a) => (a.allowed ? a.release().catch((error: unknown) => logger.warn('rate limit not given back', { error })) : undefined)));
    metrics.addMetric('RateLimited', MetricUnit.Count, 1);
    logger.warn('rate limited', { rules, campaign: submission.campaign });
    throw new Problem(429, 'rate-limited', 'Too many requests. Please wait a moment and try again.', {
      headers: { 'Retry-After': String(Math.max(1, ...refused)) },
    });
  }
}
