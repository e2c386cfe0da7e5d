import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { RedactingLogFormatter } from './log-redaction.ts';

const serviceName = 'tadamon';

/**
 * One logger and one metrics instance for every handler, as Powertools recommends.
 * Log lines must never carry personal data: pass ids and campaign slugs, never emails or names; the
 * redacting formatter is the safety net for what slips through (an error message quoting an address).
 */
export const logger = new Logger({ serviceName, logFormatter: new RedactingLogFormatter() });
export const metrics = new Metrics({ serviceName, namespace: 'Tadamon' });

/**
 * Counted by the HTTP wrapper when it answers 500 for an error nobody handled: the function still returns, so
 * Lambda's own Errors metric never sees it (infra/stack/monitoring.ts alarms on this one).
 */
export const unhandledErrorMetric = 'UnhandledError';
