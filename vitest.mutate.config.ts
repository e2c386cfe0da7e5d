import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The tests that exercise each module `npm run mutate` mutates (stryker.config.mjs), by name rather than by
 * import graph: half the integration suite imports the signature store, but running it for every mutant
 * would take hours and kill nothing more. Unit and integration tests only: the end-to-end, CLI and browser
 * suites run the code in other processes, where Stryker cannot see which mutant they hit.
 */
export const testsByModule: Record<string, string[]> = {
  'shared/store/counting.ts': ['test/unit/store/counting.test.ts', 'test/integration/counting.test.ts', 'test/integration/counting-stats.test.ts', 'test/integration/uncounted-sweep.test.ts', 'test/integration/reconciliation.test.ts'],
  'shared/domain/stats.ts': ['test/unit/domain/stats.test.ts', 'test/integration/counting-stats.test.ts'],
  'shared/domain/signature-source.ts': ['test/unit/domain/signature-source.test.ts'],
  'shared/domain/email-address.ts': ['test/unit/domain/email-address.test.ts', 'test/integration/signatures.test.ts'],
  'shared/abuse/guard.ts': ['test/unit/abuse/guard.test.ts', 'test/integration/guard.test.ts', 'test/integration/abuse.test.ts', 'test/integration/ipv6-rate-limit.test.ts'],
  'shared/store/awaiting-confirmation.ts': ['test/unit/store/awaiting-confirmation.test.ts', 'test/integration/signatures.test.ts', 'test/integration/subscriptions.test.ts', 'test/integration/confirmation.test.ts', 'test/integration/confirmation-mail-caps.test.ts'],
  'shared/store/token-store.ts': [
    'test/unit/store/token-store.test.ts',
    'test/integration/confirmation.test.ts',
    'test/integration/confirmation-queue.test.ts',
    'test/integration/confirm-round-trips.test.ts',
    'test/integration/link-after-expiry.test.ts',
  ],
  'shared/store/pagination.ts': ['test/unit/store/pagination.test.ts', 'test/integration/campaign-listing.test.ts'],
  'shared/store/query-pages.ts': ['test/integration/sharded-listings.test.ts', 'test/integration/campaign-listing.test.ts', 'test/integration/erasure.test.ts'],
  'shared/store/rate-limit-store.ts': ['test/unit/store/rate-limit-store.test.ts', 'test/integration/guard.test.ts', 'test/integration/ipv6-rate-limit.test.ts', 'test/integration/abuse.test.ts'],
  'shared/mail/send-pace.ts': ['test/integration/send-pace.test.ts', 'test/integration/send-pace-batches.test.ts'],
  'shared/store/send-pace-store.ts': ['test/integration/send-pace.test.ts', 'test/integration/send-pace-batches.test.ts'],
  'shared/mail/shared-slot-claims.ts': ['test/unit/mail/shared-slot-claims.test.ts', 'test/integration/send-pace-batches.test.ts'],
  'shared/store/fresh-reads.ts': ['test/unit/store/fresh-reads.test.ts'],
  'shared/store/reading-ahead.ts': ['test/unit/store/reading-ahead.test.ts'],
  'shared/mail/send-errors.ts': ['test/unit/mail/send-errors.test.ts'],
  'shared/ids.ts': ['test/unit/keys.test.ts', 'test/unit/store/pagination.test.ts'],
  'shared/store/mailbox-cap-store.ts': ['test/unit/store/mailbox-cap-store.test.ts', 'test/integration/confirmation-mail-caps.test.ts'],
  'shared/domain/ip-address.ts': ['test/unit/domain/ip-address.test.ts', 'test/unit/abuse/guard.test.ts', 'test/integration/ipv6-rate-limit.test.ts'],
  'shared/domain/errors.ts': ['test/unit/domain/errors.test.ts'],
  'shared/domain/outreach-planning.ts': ['test/unit/domain/outreach-planning.test.ts', 'test/unit/domain/urgent-call-versions.test.ts', 'test/integration/outreach.test.ts', 'test/integration/urgent-call-options.test.ts'],
  'shared/store/outreach-store.ts': [
    'test/integration/delivery-planning.test.ts',
    'test/integration/outreach.test.ts',
    'test/integration/urgent-call-options.test.ts',
    'test/integration/digest-sending.test.ts',
    'test/integration/erasure.test.ts',
    'test/integration/event-samples.test.ts',
    'test/integration/delivery-shards.test.ts',
    'test/integration/planning-lease.test.ts',
    'test/unit/store/planning-lease.test.ts',
  ],
  'shared/store/items.ts': ['test/integration/planning-lease.test.ts', 'test/integration/outreach.test.ts'],
  'shared/store/connector-store.ts': ['test/integration/action-network.test.ts'],
  'shared/store/planning-lease.ts': ['test/unit/store/planning-lease.test.ts', 'test/integration/planning-lease.test.ts'],
  'shared/store/layout.ts': ['test/unit/table-layout.test.ts', 'test/integration/delivery-shards.test.ts'],
  'shared/store/connector-pace-store.ts': ['test/integration/action-network.test.ts'],
  'shared/domain/blocklist.ts': ['test/unit/domain/blocklist.test.ts', 'test/integration/blocklist.test.ts'],
  'shared/domain/partners.ts': ['test/unit/domain/partners.test.ts', 'test/unit/pages/partner-choices.test.ts', 'test/integration/partner-consents.test.ts'],
  'shared/domain/campaign.ts': [
    'test/unit/domain/campaign.test.ts',
    'test/unit/domain/campaign-signers.test.ts',
    'test/unit/domain/campaign-document.test.ts',
    'test/unit/domain/translated-target.test.ts',
    'test/unit/domain/translation-rules.test.ts',
  ],
  'shared/domain/signature.ts': ['test/unit/domain/signature.test.ts', 'test/unit/domain/partners.test.ts', 'test/integration/partner-consents.test.ts'],
  'shared/webhooks/signing.ts': ['test/unit/webhooks/signing.test.ts', 'test/integration/webhooks.test.ts'],
  'shared/connectors/action-network.ts': ['test/unit/connectors/action-network.test.ts', 'test/integration/action-network.test.ts'],
  'shared/streams/confirmation-listeners.ts': ['test/integration/confirmation-events.test.ts'],
  'shared/store/event-receipt-store.ts': ['test/integration/submitted-signatures.test.ts'],
};

/**
 * Unit test files first: Stryker stops a mutant's run at its first failing test, so a mutant a unit test
 * kills in milliseconds never waits for DynamoDB Local, nor hangs there when it breaks a retry loop.
 */
class CheapestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isUnit = (file: TestSpecification) => file.moduleId.includes('/test/unit/');
    return [...sorted.filter(isUnit), ...sorted.filter((file) => !isUnit(file))];
  }
}

export default defineConfig({
  test: {
    env: { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    include: [...new Set(Object.values(testsByModule).flat())],
    globalSetup: ['test/mutation/dynamodb-setup.ts'],
    sequence: { sequencer: CheapestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
