import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '#shared/observability.ts';
import { redact } from '#shared/log-redaction.ts';

describe('log lines never carry personal data', () => {
  afterEach(() => vi.restoreAllMocks());

  it('masks addresses anywhere and replaces personal fields', () => {
    expect(redact('mail to amina.x+tag@gmail.com failed')).toBe('mail to [email] failed');
    expect(redact({ email: 'a@b.org', name: 'Amina', campaign: 'free-them', nested: { to: ['x@y.org'], note: 'from z@w.org' } })).toEqual({
      email: '[redacted]',
      name: '[redacted]',
      campaign: 'free-them',
      nested: { to: '[redacted]', note: 'from [email]' },
    });
  });

  it('keeps an error’s shape but masks what it quotes', () => {
    expect(redact({ name: 'MessageRejected', message: 'Address blocked: x@y.org', stack: 'MessageRejected: Address blocked: x@y.org\n at send' })).toEqual({
      name: 'MessageRejected',
      message: 'Address blocked: [email]',
      stack: 'MessageRejected: Address blocked: [email]\n at send',
    });
  });

  it('applies to what the shared logger writes', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const console = (logger as unknown as { console: { error: (s: string) => void; info: (s: string) => void; warn: (s: string) => void } }).console;
    for (const level of ['error', 'info', 'warn'] as const) vi.spyOn(console, level).mockImplementation((s: string) => void lines.push(s));
    logger.error('could not mail salma@example.org', { email: 'salma@example.org', error: new Error('rejected salma@example.org') });
    const output = lines.join('\n');
    expect(output).toContain('could not mail [email]');
    expect(output).not.toContain('salma@example.org');
  });
});
