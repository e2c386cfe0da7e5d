/**
 * What an SES SendRawEmail error means for the mail it refused (SES API v1: MessageRejected,
 * MailFromDomainNotVerifiedException, AccountSendingPausedException, ConfigurationSetSendingPausedException,
 * ConfigurationSetDoesNotExistException; quotas answer `Throttling` with "Maximum sending rate exceeded" or
 * "Daily message quota exceeded"):
 *
 * - `permanent`: this message will never be accepted as it is (rejected content or recipient, an address SES
 *   cannot parse, an unverified MAIL FROM domain). It is recorded as failed and never sent again.
 * - `throttled`: over the account's rate or daily quota. Sent again later, after a backoff; SES advises waiting
 *   up to ten minutes for the daily quota.
 * - `transient`: SES or the network failed, or sending is paused (account, configuration set) until an operator
 *   resumes it. Sent again later; what never recovers ends in the queue's dead-letter queue, to be redriven.
 *
 * An address on the account-level suppression list is no error here: SES accepts the message and reports a
 * bounce, which SuppressAddresses records.
 */
export type SendErrorKind = 'permanent' | 'throttled' | 'transient';

const throttling = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const paused = new Set(['AccountSendingPausedException', 'ConfigurationSetSendingPausedException', 'ConfigurationSetDoesNotExistException']);
const permanent = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'InvalidParameterValue', 'ValidationError']);

export function classifySendError(error: unknown): SendErrorKind {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (throttling.has(name) || /maximum sending rate exceeded|daily message quota exceeded|throttl/i.test(message)) return 'throttled';
  if (paused.has(name)) return 'transient';
  if (permanent.has(name)) return 'permanent';
  const meta = error as { $fault?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (meta.$retryable !== undefined || meta.$fault === 'server') return 'transient';
  const status = meta.$metadata?.httpStatusCode;
  // A client error SES answered (4xx) will be answered the same again; anything else (no answer, 5xx) may pass.
  return status !== undefined && status >= 400 && status < 500 ? 'permanent' : 'transient';
}

/** The error as stored on a failed delivery or token: its name and message, never the mail. */
export function describeSendError(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return `${name}: ${message}`.slice(0, 300);
}
