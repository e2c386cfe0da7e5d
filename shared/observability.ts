import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

const serviceName = 'tadamon';

/**
 * One logger and one metrics instance for every handler, as Powertools recommends.
 * Log lines must never carry personal data: pass ids and campaign slugs, never emails or names.
 */
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: 'Tadamon' });
