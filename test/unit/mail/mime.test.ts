import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { composeMail, type OutgoingMail } from '#shared/mail/mailer.ts';
import { confirmation, digest, injection, locales, milestone, unsubscribeUrl, urgentCall } from './fixtures.ts';

/**
 * The templates' promises checked on the wire: nodemailer builds the MIME message the way `sendMail` does,
 * mailparser reads it back the way a mail client would.
 */

const from = 'Tadamon <no-reply@tadamon.example>';
const saved = process.env.MAIL_FROM;

beforeAll(() => {
  process.env.MAIL_FROM = from;
  resetConfig();
});

afterAll(() => {
  if (saved === undefined) delete process.env.MAIL_FROM;
  else process.env.MAIL_FROM = saved;
  resetConfig();
});

async function roundTrip(mail: OutgoingMail): Promise<{ raw: string; parsed: ParsedMail }> {
  const raw = await composeMail(mail);
  return { raw: raw.toString('utf8'), parsed: await simpleParser(raw) };
}

/** A header as received: unfolded (RFC 5322 §2.2.3), name dropped. */
function headerValues(parsed: ParsedMail, name: string): string[] {
  return parsed.headerLines
    .filter((header) => header.key === name.toLowerCase())
    .map((header) => header.line.replace(/\r?\n(?=[ \t])/g, '').replace(/^[^:]*:\s*/, ''));
}

/** The content types of the leaf parts of a raw message. */
function partTypes(raw: string): string[] {
  return [...raw.matchAll(/^Content-Type:\s*([a-z]+\/[a-z0-9.+-]+)/gim)].map((match) => match[1]!.toLowerCase());
}

const arabicSubject = 'أوقفوا ترحيل اللاجئين الآن: نداء عاجل';
const frenchSubject = 'Libérez-les : appel urgent à la mobilisation — « maintenant »';

describe('raw MIME, as sent and as read back', () => {
  it.each(locales)('an urgent call in %s keeps its unsubscribe headers, its subject and both parts', async (locale) => {
    const subject = locale === 'ar' ? arabicSubject : locale === 'fr' ? frenchSubject : 'Hunger strike: day 30';
    const mail = urgentCall(locale, { subject });
    const { raw, parsed } = await roundTrip(mail);
    expect(headerValues(parsed, 'List-Unsubscribe')).toEqual([`<${unsubscribeUrl}>`]);
    expect(headerValues(parsed, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe=One-Click']);
    expect(parsed.subject).toBe(subject);
    expect(parsed.text).toContain(unsubscribeUrl);
    expect(parsed.html).toContain(`href="${unsubscribeUrl}"`);
    expect(parsed.html).toContain(`lang="${locale}"`);
    expect(partTypes(raw)).toEqual(expect.arrayContaining(['multipart/alternative', 'text/plain', 'text/html']));
    expect(parsed.from?.value[0]?.address).toBe('no-reply@tadamon.example');
  });

  it.each(locales)('a digest in %s keeps its unsubscribe headers and decodes its translated subject', async (locale) => {
    const mail = digest(locale);
    const { raw, parsed } = await roundTrip(mail);
    expect(headerValues(parsed, 'List-Unsubscribe')).toEqual([`<${unsubscribeUrl}>`]);
    expect(headerValues(parsed, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe=One-Click']);
    expect(parsed.subject).toBe(mail.subject);
    if (locale === 'ar') expect(parsed.subject).toMatch(/^نشرتك الأسبوعية: /);
    if (locale === 'fr') expect(parsed.subject).toMatch(/^Votre lettre hebdomadaire\u00a0: /);
    expect(parsed.text?.trim()).toBe(mail.text.trim());
    expect(parsed.html).toContain(locale === 'ar' ? 'dir="rtl"' : 'dir="ltr"');
    expect(partTypes(raw)).toEqual(expect.arrayContaining(['text/plain', 'text/html']));
  });

  it('reads the unsubscribe link the way mail clients do', async () => {
    const { parsed } = await roundTrip(urgentCall('en'));
    const list = parsed.headers.get('list') as { unsubscribe?: { url?: string } } | undefined;
    expect(list?.unsubscribe?.url).toBe(unsubscribeUrl);
  });

  it.each(locales)('a confirmation in %s decodes its subject and has no unsubscribe headers', async (locale) => {
    const mail = confirmation(locale, 'signature', { campaignTitle: locale === 'ar' ? 'الحرية لناصر الزفزافي' : 'Liberté pour Nasser Zefzafi' });
    const { raw, parsed } = await roundTrip(mail);
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.headerLines.map((header) => header.key)).not.toContain('list-unsubscribe');
    expect(parsed.text).toContain('https://tadamon.example/confirm/abc123');
    expect(parsed.html).toContain('href="https://tadamon.example/confirm/abc123"');
    expect(partTypes(raw)).toEqual(expect.arrayContaining(['text/plain', 'text/html']));
  });

  it('lets no injected line become a header', async () => {
    for (const mail of [urgentCall('fr', { subject: injection }), confirmation('ar', 'signature', { name: injection, campaignTitle: injection }), milestone({ campaignTitle: injection })]) {
      const { raw, parsed } = await roundTrip(mail);
      expect(parsed.bcc).toBeUndefined();
      expect(parsed.headerLines.map((header) => header.key)).not.toContain('bcc');
      expect(raw).not.toMatch(/^Bcc:/im);
      expect(parsed.subject).not.toMatch(/[\r\n]/);
      expect(parsed.subject).toContain('Bcc: evil@example.org');
    }
  });
});
