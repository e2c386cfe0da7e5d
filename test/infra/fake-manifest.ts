import type { FunctionSpec } from '#infra/manifest.ts';

/**
 * The real manifest has no event or schedule triggers yet; these entries exercise that generation.
 * Entries point at existing handler files only because NodejsFunction insists the entry exists.
 */
export const fakeManifest: FunctionSpec[] = [
  {
    name: 'PlanUrgentCall',
    entry: 'functions/http/get-health.ts',
    table: 'write',
    triggers: [{ type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['CampaignPublished'], detail: { urgent: [true] } } }],
  },
  {
    name: 'SuppressBounces',
    entry: 'functions/http/get-health.ts',
    table: 'write',
    triggers: [{ type: 'event', pattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] } }],
  },
  {
    name: 'PlanDigest',
    entry: 'functions/http/get-health.ts',
    table: 'read',
    sendsEmail: true,
    memoryMb: 1024,
    timeoutSeconds: 120,
    triggers: [{ type: 'schedule', cron: '0 8 * * MON' }],
  },
  {
    name: 'Housekeeping',
    entry: 'functions/http/get-health.ts',
    table: 'read',
    triggers: [
      { type: 'http', method: 'GET', path: '/admin/housekeeping', operator: true },
      { type: 'schedule', cron: '*/30 * * * *' },
      { type: 'event', pattern: { source: ['tadamon'], 'detail-type': ['CampaignClosed'] } },
    ],
  },
];
