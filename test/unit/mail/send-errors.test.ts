import { describe, expect, it } from 'vitest';
import { classifySendError, describeSendError } from '#shared/mail/send-errors.ts';

const sesError = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

describe('what an SES error means for the mail it refused', () => {
  it('records rejections, unparsable addresses and an unverified MAIL FROM domain as permanent', () => {
    expect(classifySendError(sesError('MessageRejected', 'Email address is not verified.'))).toBe('permanent');
    expect(classifySendError(sesError('InvalidParameterValue', 'Missing final \'@domain\''))).toBe('permanent');
    expect(classifySendError(sesError('MailFromDomainNotVerifiedException', 'MAIL FROM domain not verified'))).toBe('permanent');
    expect(classifySendError(sesError('SomethingNew', 'Bad request', { $fault: 'client', $metadata: { httpStatusCode: 400 } }))).toBe('permanent');
  });

  it('sends again later what was throttled, by the rate or the daily quota', () => {
    expect(classifySendError(sesError('Throttling', 'Maximum sending rate exceeded.'))).toBe('throttled');
    expect(classifySendError(sesError('ThrottlingException', 'Daily message quota exceeded.'))).toBe('throttled');
    // However the error is named, SES's own words say it.
    expect(classifySendError(sesError('Error', 'Throttling – Maximum sending rate exceeded'))).toBe('throttled');
  });

  it('sends again later when sending is paused or SES or the network failed', () => {
    expect(classifySendError(sesError('AccountSendingPausedException', 'paused'))).toBe('transient');
    expect(classifySendError(sesError('ConfigurationSetSendingPausedException', 'paused'))).toBe('transient');
    expect(classifySendError(sesError('InternalFailure', 'oops', { $fault: 'server', $metadata: { httpStatusCode: 500 } }))).toBe('transient');
    expect(classifySendError(sesError('TimeoutError', 'socket hang up'))).toBe('transient');
  });

  it('describes an error by its name and message, bounded', () => {
    expect(describeSendError(sesError('MessageRejected', 'x'.repeat(400)))).toHaveLength(300);
    expect(describeSendError(sesError('MessageRejected', 'Rejected'))).toBe('MessageRejected: Rejected');
  });

  it('knows every error SES names, by its name alone', () => {
    const quiet = 'no words that say what it is';
    for (const name of ['Throttling', 'ThrottlingException', 'TooManyRequestsException']) expect(classifySendError(sesError(name, quiet)), name).toBe('throttled');
    for (const name of ['AccountSendingPausedException', 'ConfigurationSetSendingPausedException', 'ConfigurationSetDoesNotExistException']) {
      // Paused or misconfigured is the operator's to fix, whatever status SES answered with.
      expect(classifySendError(sesError(name, quiet, { $metadata: { httpStatusCode: 400 } })), name).toBe('transient');
    }
    for (const name of ['MessageRejected', 'MailFromDomainNotVerifiedException', 'InvalidParameterValue', 'ValidationError']) {
      expect(classifySendError(sesError(name, quiet, { $metadata: { httpStatusCode: 500 } })), name).toBe('permanent');
    }
  });

  it('reads an unknown error by what the SDK says of it: retryable or a server fault is transient, a client error SES answered is permanent', () => {
    const unknown = (extra: Record<string, unknown>) => classifySendError(sesError('SomethingNew', 'unexpected', extra));
    expect(unknown({ $retryable: {}, $metadata: { httpStatusCode: 400 } })).toBe('transient');
    expect(unknown({ $fault: 'server', $metadata: { httpStatusCode: 400 } })).toBe('transient');
    expect(unknown({ $fault: 'client', $metadata: { httpStatusCode: 400 } })).toBe('permanent');
    expect(unknown({ $fault: 'client', $metadata: { httpStatusCode: 499 } })).toBe('permanent');
    expect(unknown({ $fault: 'client', $metadata: { httpStatusCode: 399 } })).toBe('transient');
    expect(unknown({ $fault: 'client', $metadata: { httpStatusCode: 500 } })).toBe('transient');
    expect(unknown({ $fault: 'client', $metadata: { httpStatusCode: 503 } })).toBe('transient');
    expect(unknown({ $fault: 'client', $metadata: {} })).toBe('transient');
    // Not even an Error: the network or a bug, worth another try.
    expect(classifySendError('socket closed')).toBe('transient');
    expect(classifySendError('Maximum sending rate exceeded')).toBe('throttled');
  });

  it('describes what is not an Error as an Error with its text', () => {
    expect(describeSendError('socket closed')).toBe('Error: socket closed');
  });
});
