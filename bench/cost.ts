import { manifest, type QueueTrigger, type StreamTrigger } from '#infra/manifest.ts';
import { round } from './stats.ts';

/** us-east-1 list prices, as assumed (check the AWS pricing pages before quoting them). */
export const prices = {
  // https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs, first 300 million requests a month)
  httpApiPerMillionRequests: 1.0,
  // https://aws.amazon.com/cloudfront/pricing/ (pay as you go, HTTPS requests from the United States and Europe:
  // $0.0100 per 10,000; every request passes the distribution, cached or not; the first 10 million a month are free)
  cloudFrontPerMillionHttpsRequests: 1.0,
  // https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5 billion GB-s a month; requests)
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  // https://aws.amazon.com/dynamodb/pricing/on-demand/ (standard table class; a failed conditional write is
  // still billed as a write, a read of ALL_OLD on that failure is free)
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  // https://aws.amazon.com/ses/pricing/ (outbound email)
  sesPerThousandEmails: 0.1,
};

export interface CostInputs {
  /** Measured: writes to the counter item per signature that changed the count (aggregation transactions). */
  countingWritesPerSignature: number;
  /** Measured: other writes to the counter item per signature (milestone claims). */
  milestoneWritesPerSignature: number;
}

/** A stream consumer's batch size as wired in the manifest, so the model follows the wiring. */
function queueBatchSize(name: string): number {
  const trigger = manifest.find((spec) => spec.name === name)?.triggers.find((t): t is QueueTrigger => t.type === 'queue');
  if (!trigger) throw new Error(`${name} has no queue trigger in the manifest`);
  return trigger.batchSize;
}

function streamBatchSize(name: string): number {
  const trigger = manifest.find((spec) => spec.name === name)?.triggers.find((t): t is StreamTrigger => t.type === 'stream');
  if (!trigger) throw new Error(`${name} has no stream trigger in the manifest`);
  return trigger.batchSize;
}

/** What one signature costs on its way through, in requests and capacity units; every figure is stated. */
export const assumptions = {
  countReadsPerSignature: 2,
  // CloudFront answers count reads from its cache (5 s): the API sees about one per campaign per regional edge
  // cache every 5 s, however many viewers poll, so per signature they cost the edge request and nothing behind it.
  countReadsReachingTheApi: 0,
  confirmPageViewsPerSignature: 1,
  confirmationRate: 1,
  publicShare: 0.5,
  sendConfirmationsBatch: queueBatchSize('SendConfirmations'),
  routeChangesBatch: streamBatchSize('RouteChanges'),
  campaignItemRru: 1,
  // A container's claims grow 1, 2, 4 … 64 while it keeps using them: in a surge most admissions come from
  // claims of 64; 16 on average allows for containers that come and go.
  campaignAdmissionsPerClaim: 16,
  subscribeShare: 0,
  durationsMs: { sign: 70, confirmPage: 20, confirm: 50, counts: 25, sendConfirmationsBatch: 400, countConfirmationsInvocation: 150, routeChangesInvocation: 50 },
};

const memoryGb = (name: string) => (manifest.find((spec) => spec.name === name)?.memoryMb ?? 512) / 1024;

export interface CostModel {
  perMillionSignatures: {
    edgeRequests: number;
    apiRequests: number;
    lambdaInvocations: number;
    lambdaGbSeconds: number;
    dynamoWru: number;
    dynamoRru: number;
    emails: number;
  };
  costPerMillionUsd: {
    cloudFront: number;
    apiGateway: number;
    lambdaRequests: number;
    lambdaDuration: number;
    dynamoWrites: number;
    dynamoReads: number;
    ses: number;
    total: number;
    excludingEmail: number;
  };
  perSignature: {
    wru: Record<string, number>;
    rru: Record<string, number>;
    invocations: Record<string, number>;
  };
  prices: typeof prices;
  assumptions: typeof assumptions & { memoryMb: Record<string, number> };
  notIncluded: string[];
}

export function costModel(inputs: CostInputs): CostModel {
  const a = assumptions;
  const million = 1_000_000;
  const confirmed = a.confirmationRate;
  const counterWrites = inputs.countingWritesPerSignature;

  const invocations = {
    CreateSignature: 1,
    GetConfirmPage: a.confirmPageViewsPerSignature * confirmed,
    Confirm: confirmed,
    GetCampaignCounts: a.countReadsReachingTheApi,
    SendConfirmations: 1 / a.sendConfirmationsBatch,
    // One aggregation transaction per campaign per batch: invocations ≈ measured counting writes.
    CountConfirmations: counterWrites * confirmed,
    // The pending record, in full batches; each counter write is one more record (milestones), at most one invocation each.
    RouteChanges: 1 / a.routeChangesBatch + (counterWrites + inputs.milestoneWritesPerSignature) * confirmed,
  };
  const http = invocations.CreateSignature + invocations.GetConfirmPage + invocations.Confirm + invocations.GetCampaignCounts;
  const edge = invocations.CreateSignature + invocations.GetConfirmPage + invocations.Confirm + a.countReadsPerSignature;

  // Every GSI here projects ALL attributes, so any write to an indexed item also rewrites its index entries.
  const wru = {
    // One conditional UpdateItem per subject holds both its windows (shared/store/rate-limit-store.ts); the
    // campaign's are claimed in leases of up to 64 per container.
    "rate limits on sign: the IP's item (1 UpdateItem, burst and sustained)": 1,
    "rate limits on sign: the campaign's lease claims (one write per claim)": 1 / a.campaignAdmissionsPerClaim,
    'signature PutItem (pending, <1 KB)': 1,
    'gsi3 (person index) entry of the new signature': 1,
    // The token is filed under the person (gsi3) so erasure finds it: each write to it rewrites that entry too.
    'token PutItem with the sender\'s mail lease (SendConfirmations)': 1,
    'gsi3 entry of the token': 1,
    'token UpdateItem mailedAt': 1,
    'gsi3 entry rewritten by mailedAt': 1,
    'mailbox allowance UpdateItem (limits table)': 1,
    'send pace claim, a conditional UpdateItem (limits table)': 1,
    'signature UpdateItem confirmed': confirmed,
    'gsi3 entry rewritten by the confirm update': confirmed,
    'countedAt marker in the counting transaction (2×)': 2 * confirmed,
    'gsi3 entry rewritten by the marker': confirmed,
    'gsi2 entry (export index) set with the marker': confirmed,
    'gsi1 entry (public list, public signers only)': a.publicShare * confirmed,
    'counter update in the counting transaction (2×, measured rate)': 2 * counterWrites * confirmed,
    'milestone claims (measured rate)': inputs.milestoneWritesPerSignature * confirmed,
  };
  const rru = {
    'campaign GetItem on sign': a.campaignItemRru,
    'blocklist BatchGetItem on sign (IP + email domain, 0.5 each)': 1,
    'campaign GetItem in SendConfirmations': a.campaignItemRru,
    'signature GetItem in SendConfirmations (consistent: the request as it stands)': 1,
    'suppression GetItem in SendConfirmations': 0.5,
    'token GetItem on confirm page': 0.5 * a.confirmPageViewsPerSignature * confirmed,
    'token GetItem on confirm': 0.5 * confirmed,
    'signature GetItem on confirm (wants updates?)': 0.5 * confirmed,
    'count reads that reach the API (campaign + counter GetItem)': a.countReadsReachingTheApi * (a.campaignItemRru + 0.5),
    'campaign GetItem in RouteChanges (per counter write)': a.campaignItemRru * counterWrites * confirmed,
  };
  const sum = (o: Record<string, number>) => Object.values(o).reduce((s, v) => s + v, 0);
  const d = a.durationsMs;
  const gbSecondsPerSignature =
    (invocations.CreateSignature * d.sign * memoryGb('CreateSignature') +
      invocations.GetConfirmPage * d.confirmPage * memoryGb('GetConfirmPage') +
      invocations.Confirm * d.confirm * memoryGb('Confirm') +
      invocations.GetCampaignCounts * d.counts * memoryGb('GetCampaignCounts') +
      invocations.SendConfirmations * d.sendConfirmationsBatch * memoryGb('SendConfirmations') +
      invocations.CountConfirmations * d.countConfirmationsInvocation * memoryGb('CountConfirmations') +
      invocations.RouteChanges * d.routeChangesInvocation * memoryGb('RouteChanges')) /
    1000;

  const per = {
    edgeRequests: edge * million,
    apiRequests: http * million,
    lambdaInvocations: sum(invocations) * million,
    lambdaGbSeconds: gbSecondsPerSignature * million,
    dynamoWru: sum(wru) * million,
    dynamoRru: sum(rru) * million,
    emails: 1 * million,
  };
  const cost = {
    cloudFront: (per.edgeRequests / million) * prices.cloudFrontPerMillionHttpsRequests,
    apiGateway: (per.apiRequests / million) * prices.httpApiPerMillionRequests,
    lambdaRequests: (per.lambdaInvocations / million) * prices.lambdaPerMillionRequests,
    lambdaDuration: per.lambdaGbSeconds * prices.lambdaPerGbSecondArm,
    dynamoWrites: (per.dynamoWru / million) * prices.dynamoPerMillionWru,
    dynamoReads: (per.dynamoRru / million) * prices.dynamoPerMillionRru,
    ses: (per.emails / 1000) * prices.sesPerThousandEmails,
  };
  const excludingEmail = cost.cloudFront + cost.apiGateway + cost.lambdaRequests + cost.lambdaDuration + cost.dynamoWrites + cost.dynamoReads;
  const memoryMb = Object.fromEntries(Object.keys(invocations).map((name) => [name, memoryGb(name) * 1024]));
  const r = (v: number) => round(v, 4);
  return {
    perMillionSignatures: {
      edgeRequests: Math.round(per.edgeRequests),
      apiRequests: Math.round(per.apiRequests),
      lambdaInvocations: Math.round(per.lambdaInvocations),
      lambdaGbSeconds: Math.round(per.lambdaGbSeconds),
      dynamoWru: Math.round(per.dynamoWru),
      dynamoRru: Math.round(per.dynamoRru),
      emails: per.emails,
    },
    costPerMillionUsd: {
      cloudFront: round(cost.cloudFront, 2),
      apiGateway: round(cost.apiGateway, 2),
      lambdaRequests: round(cost.lambdaRequests, 2),
      lambdaDuration: round(cost.lambdaDuration, 2),
      dynamoWrites: round(cost.dynamoWrites, 2),
      dynamoReads: round(cost.dynamoReads, 2),
      ses: round(cost.ses, 2),
      total: round(excludingEmail + cost.ses, 2),
      excludingEmail: round(excludingEmail, 2),
    },
    perSignature: {
      wru: Object.fromEntries(Object.entries(wru).map(([k, v]) => [k, r(v)])),
      rru: Object.fromEntries(Object.entries(rru).map(([k, v]) => [k, r(v)])),
      invocations: Object.fromEntries(Object.entries(invocations).map(([k, v]) => [k, r(v)])),
    },
    prices,
    assumptions: { ...assumptions, memoryMb },
    notIncluded: [
      'DynamoDB storage ($0.25 per GB-month), backups/PITR, and stream reads (free for Lambda triggers)',
      'CloudWatch Logs ingestion and metrics, X-Ray',
      'data transfer out, SES dedicated IPs, Cognito (operators only)',
      'EventBridge: no event per signature unless a webhook or connector listens; then SignatureConfirmed is $1.00 a million signatures, each webhook delivery one more event ($1.00 a million) and one API destination invocation ($0.20 a million). Milestone events are a handful per campaign',
      'SQS: about 0.5 requests per signature (its link message sent in batches of 10, received and deleted in batches of 5), ~$0.20 per million signatures',
      "the free tiers (CloudFront's 10 million requests a month among them)",
    ],
  };
}
