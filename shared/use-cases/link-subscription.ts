import { conflict, gone, notFound } from '#shared/domain/errors.ts';
import { signatureStatus } from '#shared/domain/statuses.ts';
import { mailLocale, type MailLocale } from '#shared/i18n/locales.ts';
import { findRequest } from '#shared/store/awaiting-confirmation.ts';
import { emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription, findSubscriber, subscribe, unsubscribeToken } from '#shared/store/subscription-store.ts';
import { keys } from '#shared/store/table.ts';
import { subscriberStatus } from '#shared/domain/statuses.ts';
import { lookUpToken } from './confirmation.ts';

/**
 * The thanks page's offer to subscribe, and the links to a subscriber's preferences. The confirmation link
 * is the proof: it was mailed to the address, so whoever holds it reads that mailbox. Knowing an address
 * gives nothing here: the form carries no address, only the link, and the address is read from the
 * signature the link confirmed.
 */

export interface SignerSubscription {
  /** The signature's locale: the page and the mail speak it. */
  locale: MailLocale;
  /** The subscriber's preferences token (the unsubscribe token, shared/store/subscription-store.ts). */
  preferencesToken: string;
}

/** The confirmed signature a link stands for, with its address; a problem for any other link. */
async function confirmedSignature(token: string): Promise<{ subject: { pk: string; sk: string }; item: Record<string, unknown>; email: string }> {
  const record = await lookUpToken(token);
  if (record.action !== 'signature') throw notFound('This link does not confirm a signature.');
  const item = await findRequest(record.subject, record.issuedFor);
  if (!item || typeof item.email !== 'string' || !item.email) throw gone('What this link confirmed no longer exists.');
  if (item.status !== signatureStatus.confirmed) throw conflict('not-confirmed', 'Confirm the signature first.');
  return { subject: record.subject, item, email: item.email };
}

/** Whether the signer behind a confirmed signature's link is a confirmed subscriber already (the offer is then left out). */
export async function signerIsSubscribed(token: string): Promise<boolean> {
  const { email } = await confirmedSignature(token);
  return (await findSubscriber(emailKey(email)))?.status === subscriberStatus.confirmed;
}

/**
 * Subscribes the signer of a confirmed signature: urgent calls and the weekly digest, every country and
 * topic, in the signature's locale, as ticking the form's box would have. Confirmed at once (the link is the
 * confirmation, `confirmedBy` keeps the router from mailing another); a confirmed subscriber keeps their own
 * choices. Repeats change nothing.
 */
export async function subscribeSigner(token: string): Promise<SignerSubscription> {
  const { subject, item, email } = await confirmedSignature(token);
  const locale = typeof item.locale === 'string' && item.locale ? item.locale : undefined;
  await subscribe(
    { email, ...(locale ? { locale } : {}), urgent: true, digest: 'weekly', countries: [], topics: [] },
    { confirmedBy: subject },
  );
  const key = emailKey(email);
  await confirmSubscription(keys.subscriber(key));
  return { locale: mailLocale(locale), preferencesToken: unsubscribeToken(key) };
}

/** The preferences token of the address behind a request's item (a subscription's, a signature's). */
export function preferencesTokenFor(item: Record<string, unknown>): string | undefined {
  return typeof item.email === 'string' && item.email ? unsubscribeToken(emailKey(item.email)) : undefined;
}
