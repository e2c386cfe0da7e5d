import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '#shared/mail/mailer.ts';
import { confirmationMail } from '#shared/mail/templates/confirmation.ts';
import { actions, confirmation, digest, evil, injection, line, locales, milestone, sender, unsubscribeUrl, urgentCall } from './fixtures.ts';

const escapedEvil = '&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;';

/** Every kind of message in a locale, named for failure messages. */
function everyKind(locale?: string): [string, OutgoingMail][] {
  return [
    ...actions.map((action): [string, OutgoingMail] => [`confirmation/${action}`, confirmation(locale, action)]),
    ['urgent call', urgentCall(locale)],
    ['digest', digest(locale)],
  ];
}

function expectNonEmpty(mail: OutgoingMail): void {
  expect(mail.subject.trim()).not.toBe('');
  expect(mail.text.trim()).not.toBe('');
  expect(mail.html.trim()).not.toBe('');
}

function expectNoRawEvil(mail: OutgoingMail): void {
  expect(mail.html).not.toContain('<script');
  expect(mail.html).not.toContain('"quoted"');
  expect(mail.html).toContain(escapedEvil);
}

describe.each(locales)('every message in %s', (locale) => {
  it.each(everyKind(locale))('%s has a subject, a text part and an HTML part', (_kind, mail) => {
    expectNonEmpty(mail);
    expect(mail.to).toBe('amina@example.org');
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(mail.html).toContain('<meta name="viewport"');
    // Mail clients drop <style> and linked sheets: styles are inline only.
    expect(mail.html).not.toMatch(/<style|<link/);
    expect(mail.text).not.toMatch(/<[a-z]/i);
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('says the sender in the footer of both parts', () => {
    for (const mail of [urgentCall(locale), digest(locale)]) {
      expect(mail.text).toContain(`\n-- \n${sender}\n`);
      expect(mail.html).toContain('Tadamon · International Peoples&#39; Assembly');
    }
  });
});

describe('locales', () => {
  it('writes Arabic right to left, down to the wrapper that survives clients which strip <html>', () => {
    for (const [kind, mail] of everyKind('ar')) {
      expect(mail.html, kind).toContain('dir="rtl"');
      expect(mail.html, kind).toContain('lang="ar"');
      expect(mail.html, kind).toContain('<div lang="ar" dir="rtl"');
      expect(mail.html, kind).not.toContain('dir="ltr"');
      // The operator's subject is theirs, in whatever language they wrote it; every other subject is translated.
      if (kind !== 'urgent call') expect(mail.subject, kind).toMatch(/[\u0600-\u06ff]/);
    }
  });

  it('translates every message: no two locales share a subject or a text part', () => {
    for (const build of [(l: string) => confirmation(l), (l: string) => confirmation(l, 'erasure'), (l: string) => urgentCall(l), (l: string) => digest(l)]) {
      const mails = locales.map(build);
      expect(new Set(mails.map((m) => m.text)).size).toBe(locales.length);
    }
    for (const action of actions) expect(new Set(locales.map((l) => confirmation(l, action).subject)).size).toBe(locales.length);
    expect(new Set(locales.map((l) => digest(l).subject)).size).toBe(locales.length);
  });

  it('falls back to English for a locale without templates, and to French for fr-CA', () => {
    for (const [kind, mail] of everyKind('xx')) expect(mail, kind).toEqual(everyKind('en').find(([k]) => k === kind)![1]);
    for (const [kind, mail] of everyKind(undefined)) expect(mail, kind).toEqual(everyKind('en').find(([k]) => k === kind)![1]);
    for (const [kind, mail] of everyKind('fr-CA')) expect(mail, kind).toEqual(everyKind('fr').find(([k]) => k === kind)![1]);
    expect(confirmation('xx').subject).toBe('Please confirm your signature: Free Nasser Zefzafi');
    expect(confirmation('fr-CA').subject).toBe('Merci de confirmer votre signature\u00a0: Free Nasser Zefzafi');
    expect(confirmation('fr-CA').html).toContain('<html lang="fr" dir="ltr">');
  });
});

describe('confirmationMail', () => {
  it('keeps the existing call working: English, a signature or an endorsement of a campaign', () => {
    const mail = confirmationMail({ to: 'a@example.org', action: 'endorsement', name: 'Collectif', campaignTitle: 'Free them', link: 'https://x.example/confirm/t', validDays: 7 });
    expect(mail.subject).toBe('Please confirm your organisation’s endorsement: Free them');
    expect(mail.text).toContain('Hello Collectif,');
    expect(mail.text).toContain('“Free them”');
    expect(mail.html).toContain('<strong dir="auto">Free them</strong>');
    expect(mail.text).toContain('reviews the endorsement before it is listed');
  });

  it('words each action for what confirming does', () => {
    expect(confirmation('en', 'signature').text).toContain('Your signature counts once you confirm it.');
    expect(confirmation('en', 'endorsement').text).toContain('on behalf of your organisation');
    expect(confirmation('en', 'subscription').text).toContain('urgent calls');
    const erasure = confirmation('en', 'erasure');
    expect(erasure.text).toContain('This cannot be undone.');
    expect(erasure.text).toContain('anonymously');
    expect(confirmation('fr', 'erasure').text).toContain('irréversible');
    expect(confirmation('es', 'erasure').text).toContain('no se puede deshacer');
    expect(confirmation('ar', 'erasure').text).toContain('لا يمكن التراجع');
  });

  it('puts the link in both parts, with how long it works', () => {
    for (const locale of locales) {
      const mail = confirmation(locale);
      expect(mail.text).toContain('\nhttps://tadamon.example/confirm/abc123\n');
      expect(mail.html).toContain('href="https://tadamon.example/confirm/abc123"');
      expect(mail.text).toMatch(/7/);
    }
    expect(confirmation('en', 'signature', { validDays: 1 }).text).toContain('works for 1 day.');
    expect(confirmation('ar', 'signature', { validDays: 2 }).text).toContain('صالح ليومين');
    expect(confirmation('ar', 'signature', { validDays: 14 }).text).toContain('14 يومًا');
  });

  it('needs no campaign and no name for subscriptions and erasure', () => {
    for (const locale of locales) {
      for (const action of ['subscription', 'erasure'] as const) {
        const mail = confirmationMail({ to: 'a@example.org', action, link: 'https://x.example/confirm/t', validDays: 7, locale });
        expectNonEmpty(mail);
        expect(mail.subject).not.toMatch(/undefined|:\s*$/);
        expect(mail.text).not.toContain('undefined');
      }
    }
    expect(confirmationMail({ to: 'a@example.org', action: 'erasure', link: 'https://x.example/confirm/t', validDays: 7 }).text).toContain('Hello,\n');
  });

  it('is not bulk mail: no List-Unsubscribe', () => {
    for (const action of actions) expect(confirmation('en', action).headers ?? {}).not.toHaveProperty('List-Unsubscribe');
  });
});

describe('escaping', () => {
  it('escapes a name and a campaign title in the confirmation', () => {
    for (const locale of locales) {
      expectNoRawEvil(confirmation(locale, 'signature', { name: evil }));
      expectNoRawEvil(confirmation(locale, 'endorsement', { campaignTitle: evil }));
    }
  });

  it('escapes the operator’s subject and message and the campaign in an urgent call', () => {
    for (const locale of locales) {
      for (const overrides of [
        { subject: evil },
        { message: `Before\n\n${evil}\n\nAfter` },
        { campaign: { title: evil, summary: 'S', url: 'https://tadamon.example/campaigns/x' } },
        { campaign: { title: 'T', summary: evil, url: 'https://tadamon.example/campaigns/x' } },
        { sender: evil },
      ]) {
        expectNoRawEvil(urgentCall(locale, overrides));
      }
    }
  });

  it('escapes campaign titles and summaries in the digest, and in the milestone mail', () => {
    for (const locale of locales) {
      expectNoRawEvil(digest(locale, { opened: [line(evil, 1, null)] }));
      expectNoRawEvil(digest(locale, { progress: [{ ...line('x', 1, 10), summary: evil }] }));
    }
    expectNoRawEvil(milestone({ campaignTitle: evil }));
  });

  it('escapes attribute-breaking quotes in links and refuses links that are not http(s)', () => {
    const mail = urgentCall('en', { campaign: { title: 'T', summary: 'S', url: 'https://tadamon.example/c?a=1&b=2' } });
    expect(mail.html).toContain('href="https://tadamon.example/c?a=1&amp;b=2"');
    expect(() => urgentCall('en', { campaign: { title: 'T', summary: 'S', url: 'javascript:alert(1)' } })).toThrow(TypeError);
    expect(() => confirmation('en', 'signature', { link: 'https://x.example/"onmouseover="alert(1)' })).toThrow(TypeError);
    expect(() => urgentCall('en', { unsubscribeUrl: 'https://x.example/u>\r\nBcc: evil@example.org' })).toThrow(TypeError);
  });

  it('turns the operator’s paragraphs into HTML paragraphs and keeps them in the text part', () => {
    const mail = urgentCall('en', { message: 'One\r\nline two\r\n\r\nThree' });
    expect(mail.html).toContain('<p dir="auto" style="margin:0 0 16px;">One<br>line two</p>');
    expect(mail.html).toContain('<p dir="auto" style="margin:0 0 16px;">Three</p>');
    expect(mail.text).toContain('\n\nOne\nline two\n\nThree\n\n');
    expect(mail.text).not.toContain('\r');
  });
});

describe('header and line injection', () => {
  it('keeps a subject on one line', () => {
    for (const locale of locales) {
      const urgent = urgentCall(locale, { subject: injection });
      expect(urgent.subject).toBe('Act now Bcc: evil@example.org');
      for (const mail of [urgent, confirmation(locale, 'signature', { campaignTitle: injection }), milestone({ campaignTitle: injection })]) {
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text).not.toMatch(/^Bcc:/m);
      }
    }
  });

  it('keeps a name and a title on their line in the text part', () => {
    const mail = confirmation('en', 'signature', { name: injection, campaignTitle: `T\n\nhttps://phish.example` });
    expect(mail.text).toContain('Hello Act now Bcc: evil@example.org,\n');
    expect(mail.text).toContain('“T https://phish.example”');
    expect(mail.text).not.toMatch(/^Bcc:/m);
    expect(mail.text).not.toMatch(/^https:\/\/phish/m);
  });

  it('keeps the recipient and the sender on one line', () => {
    expect(urgentCall('en', { to: 'a@example.org\r\nBcc: evil@example.org' }).to).not.toMatch(/[\r\n]/);
    expect(urgentCall('en', { sender: 'Tadamon\r\nUnsubscribe: https://phish.example' }).text).toContain('\nTadamon Unsubscribe: https://phish.example\n');
  });
});

describe('bulk mail', () => {
  it.each(locales)('carries one-click unsubscribe headers and the same link in the footer (%s)', (locale) => {
    for (const mail of [urgentCall(locale), digest(locale), digest(locale, { opened: [], progress: [] })]) {
      expect(mail.headers).toEqual({ 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
      expect(mail.html).toContain(`href="${unsubscribeUrl}"`);
      const footer = mail.text.slice(mail.text.lastIndexOf('\n-- \n'));
      expect(footer).toContain(`\n${unsubscribeUrl}\n`);
      expect(mail.html.slice(mail.html.lastIndexOf('border-top'))).toContain(unsubscribeUrl);
    }
  });

  it('says why the person gets it', () => {
    expect(urgentCall('en').text).toContain('you subscribed to our urgent calls');
    expect(digest('en').text).toContain('you subscribed to our weekly digest');
    expect(urgentCall('fr').text).toContain('appels urgents');
  });
});

describe('urgentCallMail', () => {
  it('uses the operator’s subject and links to the campaign', () => {
    const mail = urgentCall('es');
    expect(mail.subject).toBe('Hunger strike: day 30');
    expect(mail.html).toContain('href="https://tadamon.example/campaigns/free-ahmed"');
    expect(mail.text).toContain('Lee el llamamiento y actúa: https://tadamon.example/campaigns/free-ahmed');
    expect(mail.text).toContain('Llamamiento urgente\nHunger strike: day 30\n');
  });
});

describe('digestMail', () => {
  it('lists new campaigns and progress, numbers in the locale, with a bar where there is a goal', () => {
    const en = digest('en');
    expect(en.subject).toMatch(/^Your weekly digest: 16\s?–\s?22 November 2026$/u);
    expect(en.text).toContain('New this week\n');
    expect(en.text).toContain('Progress\n');
    expect(en.text).toContain('1,234 of 5,000 signatures');
    expect(en.text).toContain('250 signatures');
    expect(en.html).toContain('width="25%"');
    expect(en.html.match(/role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse/g)).toHaveLength(1);
    expect(digest('fr').text).toMatch(/1\s234\ssignatures sur 5\s000/u);
    expect(digest('es').text).toContain('1234 de 5000 firmas');
    expect(digest('es', { progress: [line('x', 12345, 50000)] }).text).toContain('12.345 de 50.000 firmas');
    expect(digest('ar').text).toMatch(/عدد التواقيع: 1,?234 من أصل 5,?000/);
  });

  it('caps the bar at its end when a campaign passes its goal, and ignores a goal of zero', () => {
    expect(digest('en', { progress: [line('x', 7000, 5000)] }).html).toContain('width="100%" style="width:100%;height:8px');
    const zero = digest('en', { opened: [], progress: [line('x', 3, 0)] });
    expect(zero.text).toContain('3 signatures');
    expect(zero.html).not.toContain('height:8px');
  });

  it('renders with nothing to report', () => {
    for (const locale of locales) {
      const mail = digest(locale, { opened: [], progress: [] });
      expectNonEmpty(mail);
      expect(mail.html).not.toContain('<h2');
    }
    expect(digest('en', { opened: [], progress: [] }).text).toContain('No new campaigns and no progress to report this week.');
  });

  it('leaves out an empty section', () => {
    const mail = digest('en', { opened: [] });
    expect(mail.text).not.toContain('New this week');
    expect(mail.text).toContain('Progress');
  });
});

describe('milestoneMail', () => {
  it('tells operators in English, without unsubscribe headers', () => {
    const mail = milestone();
    expectNonEmpty(mail);
    expect(mail.subject).toBe('Milestone reached: Free Ahmed passed 1,000 signatures');
    expect(mail.text).toContain('now has 1,012 signatures');
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.html).toContain('href="https://tadamon.example/campaigns/free-ahmed"');
    expect(mail.headers).toBeUndefined();
  });
});
