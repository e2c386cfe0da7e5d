import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

// Personal fields never belong in a log line, whatever a caller passes.
const personalKeys = new Set(['email', 'name', 'comment', 'postcode', 'organisation', 'emailaddress', 'to', 'destination', 'website']);
const emailPattern = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(emailPattern, '[email]');
  if (value instanceof Error) return { name: value.name, message: redact(value.message), stack: redact(value.stack ?? '') };
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  // Powertools has already turned errors into { name, location, message, stack }: keep their shape.
  if ('stack' in value && 'message' in value) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redact(v, depth + 1)]));
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, personalKeys.has(k.toLowerCase()) ? '[redacted]' : redact(v, depth + 1)]),
  );
}

/**
 * Powertools' standard JSON log line, with personal data taken out: known personal keys are replaced and
 * anything shaped like an email address is masked, in messages, attributes and errors alike.
 */
export class RedactingLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: redact(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base as LogAttributes }).addAttributes(redact(additional) as LogAttributes);
  }
}
