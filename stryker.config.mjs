// @ts-check
/**
 * Mutation testing of the core modules (`npm run mutate`, see README "Tests"). Not part of `npm test`:
 * it runs the tests once per mutant. `npm run mutate -- --mutate shared/store/counting.ts` runs one file.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  // Per-test coverage: each mutant runs only the tests that executed it.
  coverageAnalysis: 'perTest',
  mutate: [
    'shared/store/counting.ts',
    'shared/domain/email-address.ts',
    'shared/abuse/guard.ts',
    'shared/store/awaiting-confirmation.ts',
    'shared/store/token-store.ts',
    // Cursors, and lists merged across a campaign's index shards.
    'shared/store/pagination.ts',
    'shared/store/query-pages.ts',
    // The rate limiter's fixed windows.
    'shared/store/rate-limit-store.ts',
    // The account-wide sending pace, and what an SES error means.
    'shared/mail/send-pace.ts',
    'shared/store/send-pace-store.ts',
    'shared/mail/shared-slot-claims.ts',
    'shared/store/fresh-reads.ts',
    'shared/store/reading-ahead.ts',
    // Who plans an outreach, and when its deliveries may be put without a condition.
    'shared/store/planning-lease.ts',
    'shared/mail/send-errors.ts',
    'shared/ids.ts',
    // Confirmation mail caps per mailbox, addresses and blocks.
    'shared/store/mailbox-cap-store.ts',
    'shared/domain/ip-address.ts',
    'shared/domain/blocklist.ts',
    // Domain errors and who an outreach is for.
    'shared/domain/errors.ts',
    'shared/domain/outreach-planning.ts',
  ],
  // Two cores: one vitest per core; the shared DynamoDB Local mostly waits.
  concurrency: 2,
  timeoutMS: 10_000,
  thresholds: { high: 95, low: 90, break: null },
  reporters: ['progress', 'clear-text', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Equivalent mutants that no test can kill, reported as ignored with the reason (test/mutation/EQUIVALENT.md).
  plugins: ['@stryker-mutator/*', './test/mutation/equivalent-mutants.mjs'],
  ignorers: ['equivalent-mutants'],
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.data', 'cdk.out', 'bench-results', 'test-results', 'coverage', 'reports'],
  cleanTempDir: 'always',
};
