import type { OutgoingMail } from '#shared/mail/mailer.ts';
import { confirmationMail, digestMail, milestoneMail, urgentCallMail, type CampaignLine } from '#shared/mail/templates/index.ts';

export const locales = ['en', 'fr', 'es', 'ar'] as const;
export const actions = ['signature', 'endorsement', 'subscription', 'erasure'] as const;
export const sender = "Tadamon · International Peoples' Assembly";
export const unsubscribeUrl = 'https://tadamon.example/unsubscribe/01JD5W3N8Q4ZB7T2KX9C6M1RVA.f3a9c1d2e4b5a6978877665544332211';
export const evil = '<script>alert(1)</script> "quoted"';
export const injection = 'Act now\r\nBcc: evil@example.org';

export function line(title: string, total: number, goal: number | null): CampaignLine {
  return { title, summary: 'Held since 2023 for a post.', url: `https://tadamon.example/campaigns/${encodeURIComponent(title.toLowerCase())}`, total, goal };
}

export function confirmation(locale?: string, action: (typeof actions)[number] = 'signature', overrides: Partial<Parameters<typeof confirmationMail>[0]> = {}): OutgoingMail {
  return confirmationMail({
    to: 'amina@example.org',
    action,
    name: 'Amina',
    campaignTitle: 'Free Nasser Zefzafi',
    link: 'https://tadamon.example/confirm/abc123',
    validDays: 7,
    ...(locale === undefined ? {} : { locale }),
    ...overrides,
  });
}

export function urgentCall(locale?: string, overrides: Partial<Parameters<typeof urgentCallMail>[0]> = {}): OutgoingMail {
  return urgentCallMail({
    to: 'amina@example.org',
    ...(locale === undefined ? {} : { locale }),
    subject: 'Hunger strike: day 30',
    message: 'Ahmed has refused food for thirty days.\nHis family fears for his life.\n\nWrite to the minister today.',
    campaign: { title: 'Free Ahmed', summary: 'Held since 2023 for a post.', url: 'https://tadamon.example/campaigns/free-ahmed' },
    unsubscribeUrl,
    sender,
    ...overrides,
  });
}

export function digest(locale?: string, overrides: Partial<Parameters<typeof digestMail>[0]> = {}): OutgoingMail {
  return digestMail({
    to: 'amina@example.org',
    ...(locale === undefined ? {} : { locale }),
    period: '2026-W47',
    opened: [line('Free Ahmed', 12, null)],
    progress: [line('Free Nasser', 1234, 5000), line('Stop the deportations', 250, null)],
    unsubscribeUrl,
    sender,
    ...overrides,
  });
}

export function milestone(overrides: Partial<Parameters<typeof milestoneMail>[0]> = {}): OutgoingMail {
  return milestoneMail({ to: 'ops@example.org', campaignTitle: 'Free Ahmed', threshold: 1000, total: 1012, url: 'https://tadamon.example/campaigns/free-ahmed', ...overrides });
}
