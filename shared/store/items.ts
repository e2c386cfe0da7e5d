import { blockKinds, type BlockKind } from '#shared/domain/blocklist.ts';
import { campaignKinds, type Campaign } from '#shared/domain/campaign.ts';
import type { Endorsement, PublicEndorsement } from '#shared/domain/endorsement.ts';
import type { Outreach, OutreachKind } from '#shared/domain/outreach.ts';
import { campaignStatuses, endorsementStatuses, subscriberStatus } from '#shared/domain/statuses.ts';
import type { Subscriber } from '#shared/domain/subscription.ts';
import type { StoredSignatureSource } from '#shared/domain/signature.ts';
import type { PartnerConsent, PartnerConsents } from '#shared/domain/partners.ts';
import { sourceOf } from '#shared/domain/signature-source.ts';

/**
 * Typed items: a codec per item type turns what DynamoDB (or a stream image) hands back into the type the code
 * works with, checking each field it relies on instead of casting. A required field that is missing or of
 * the wrong type is a broken item, not an empty value: decoding it throws `MalformedItemError`, naming the
 * item type and the field (never the value, which may be personal data).
 */
export type StoredItem = Record<string, unknown>;

export class MalformedItemError extends Error {
  constructor(type: string, field: string) {
    super(`A stored ${type} item has no valid "${field}".`);
    this.name = 'MalformedItemError';
  }
}

/** Reads one item's fields for a codec; `type` names the item in errors. */
function fields(item: StoredItem, type: string) {
  const fail = (name: string): never => {
    throw new MalformedItemError(type, name);
  };
  return {
    text: (name: string): string => (typeof item[name] === 'string' ? (item[name] as string) : fail(name)),
    /** A present, non-empty string, or undefined. */
    optionalText: (name: string): string | undefined => (typeof item[name] === 'string' && item[name] !== '' ? (item[name] as string) : undefined),
    textOr: (name: string, fallback: string): string => (typeof item[name] === 'string' ? (item[name] as string) : fallback),
    flag: (name: string): boolean => (typeof item[name] === 'boolean' ? (item[name] as boolean) : fail(name)),
    number: (name: string): number => (typeof item[name] === 'number' ? (item[name] as number) : fail(name)),
    numberOr: (name: string, fallback: number): number => (typeof item[name] === 'number' ? (item[name] as number) : fallback),
    texts: (name: string): string[] => (Array.isArray(item[name]) ? (item[name] as unknown[]).filter((v): v is string => typeof v === 'string') : []),
    oneOf: <T extends string>(name: string, values: readonly T[]): T => (values.includes(item[name] as T) ? (item[name] as T) : fail(name)),
    key: (): { pk: string; sk: string } => ({ pk: typeof item.pk === 'string' ? item.pk : fail('pk'), sk: typeof item.sk === 'string' ? item.sk : fail('sk') }),
  };
}

/** Storage attributes (keys, index entries, the type tag) are not part of any domain object. */
function withoutStorage(item: StoredItem): StoredItem {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, gsi3pk: _g3, gsi3sk: _g3s, gsi4pk: _g4, gsi4sk: _g4s, ...rest } = item;
  return rest;
}

export const campaignCodec = {
  decode(item: StoredItem): Campaign {
    const f = fields(item, 'campaign');
    // The remaining fields were validated by the campaign schemas on the way in and are stored as given.
    const stored = withoutStorage(item) as Omit<Campaign, 'slug' | 'status' | 'kind' | 'title' | 'createdAt' | 'updatedAt'>;
    return {
      ...stored,
      slug: f.text('slug'),
      status: f.oneOf('status', campaignStatuses),
      kind: f.oneOf('kind', campaignKinds),
      title: f.text('title'),
      createdAt: f.text('createdAt'),
      updatedAt: f.text('updatedAt'),
    };
  },
};

export interface CounterItem {
  signatures: number;
  endorsements: number;
  /** The sum of the partners' counts (counter-store.ts `setPartnerCount`). */
  offset: number;
  /** Confirmed signatures per country: counting's alone (reconciliation compares it with a recount). */
  byCountry: Record<string, number>;
  /** Each partner's count, by partner id (absent before partners: the whole offset is then the default partner's). */
  partners: Record<string, number>;
  /** The sum of the partners' breakdowns per country. */
  partnerByCountry: Record<string, number>;
  /** Bumped by every offset change: the condition that keeps two operators' changes from losing each other. */
  offsetVersion: number;
}

function numberMap(value: unknown): Record<string, number> {
  const map = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(map).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

export const counterCodec = {
  decode(item: StoredItem): CounterItem {
    const f = fields(item, 'counter');
    const byCountry = item.byCountry !== null && typeof item.byCountry === 'object' ? (item.byCountry as Record<string, unknown>) : {};
    return {
      signatures: f.numberOr('signatures', 0),
      endorsements: f.numberOr('endorsements', 0),
      offset: f.numberOr('offset', 0),
      byCountry: Object.fromEntries(Object.entries(byCountry).filter((entry): entry is [string, number] => typeof entry[1] === 'number')),
      partners: numberMap(item.partners),
      partnerByCountry: numberMap(item.partnerByCountry),
      offsetVersion: f.numberOr('offsetVersion', 0),
    };
  },
};

export interface OffsetChangeItem {
  at: string;
  by: string;
  partner?: string;
  previous: number;
  offset: number;
  reason: string;
}

export const offsetChangeCodec = {
  decode(item: StoredItem): OffsetChangeItem {
    const f = fields(item, 'offset change');
    const partner = f.optionalText('partner');
    return { at: f.text('at'), by: f.text('by'), ...(partner ? { partner } : {}), previous: f.number('previous'), offset: f.number('offset'), reason: f.textOr('reason', '') };
  },
};

/** A signature as stored; an erased person's counted signature keeps only campaign, country and the day. */
export interface SignatureItem {
  campaign: string;
  country: string;
  name: string;
  email: string;
  postcode: string;
  comment: string;
  confirmedAt: string;
  /** When the request that was confirmed was made (the newest request before the click). */
  requestedAt: string;
  locale: string;
  public: boolean;
  subscribe: boolean;
  source?: StoredSignatureSource;
  /** The partners the signer opted in to, by partner id (partners.ts); absent when none. */
  partnerConsents?: PartnerConsents;
}

/** Consents as stored: a map of well-formed entries; anything else in it is no consent. */
function consentsOf(value: unknown): PartnerConsents | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const isConsent = (c: unknown): c is PartnerConsent =>
    c !== null && typeof c === 'object' && ['at', 'text', 'locale'].every((name) => typeof (c as Record<string, unknown>)[name] === 'string');
  const entries = Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, PartnerConsent] => isConsent(entry[1]));
  return entries.length ? Object.fromEntries(entries.map(([id, c]) => [id, { at: c.at, text: c.text, locale: c.locale }])) : undefined;
}

export const signatureCodec = {
  decode(item: StoredItem): SignatureItem {
    const f = fields(item, 'signature');
    return {
      campaign: f.text('campaign'),
      country: f.textOr('country', ''),
      name: f.textOr('name', ''),
      email: f.textOr('email', ''),
      postcode: f.textOr('postcode', ''),
      comment: f.textOr('comment', ''),
      confirmedAt: f.textOr('confirmedAt', ''),
      requestedAt: f.textOr('requestedAt', ''),
      locale: f.textOr('locale', ''),
      public: item.public === true,
      subscribe: item.subscribe === true,
      ...(sourceOf(item.source) ? { source: sourceOf(item.source)! } : {}),
      ...(consentsOf(item.partnerConsents) ? { partnerConsents: consentsOf(item.partnerConsents)! } : {}),
    };
  },
};

export const endorsementCodec = {
  decode(item: StoredItem): Endorsement {
    const f = fields(item, 'endorsement');
    const email = f.optionalText('email');
    const contactName = f.optionalText('contactName');
    const confirmedAt = f.optionalText('confirmedAt');
    const decidedAt = f.optionalText('decidedAt');
    return {
      id: f.text('id'),
      campaign: f.text('campaign'),
      ...endorsementCodec.decodePublic(item),
      ...(email ? { email } : {}),
      ...(contactName ? { contactName } : {}),
      status: f.oneOf('status', endorsementStatuses),
      createdAt: f.text('createdAt'),
      ...(confirmedAt ? { confirmedAt } : {}),
      ...(decidedAt ? { decidedAt } : {}),
    };
  },
  /** What the public list shows: no contact, no id. */
  decodePublic(item: StoredItem): PublicEndorsement {
    const f = fields(item, 'endorsement');
    const website = f.optionalText('website');
    return { organisation: f.text('organisation'), country: f.optionalText('country') ?? null, ...(website ? { website } : {}) };
  },
};

export const subscriberCodec = {
  decode(item: StoredItem): Subscriber & { email: string } {
    const f = fields(item, 'subscriber');
    const name = f.optionalText('name');
    const locale = f.optionalText('locale');
    return {
      key: f.text('key'),
      email: f.textOr('email', ''),
      ...(name ? { name } : {}),
      ...(locale ? { locale } : {}),
      urgent: item.urgent !== false,
      digest: item.digest === 'none' ? 'none' : 'weekly',
      countries: f.texts('countries'),
      topics: f.texts('topics'),
      status: f.oneOf('status', Object.values(subscriberStatus)),
    };
  },
};

/** A delivery as its stream image shows it: which outreach, to which email key, in which state. */
export const deliveryCodec = {
  decode(item: StoredItem): { outreachId: string; emailKey: string; status: string } {
    const f = fields(item, 'delivery');
    // Stored as `subscriberKey`, the attribute's old name; it holds the email key.
    return { outreachId: f.text('outreachId'), emailKey: f.text('subscriberKey'), status: f.text('status') };
  },
};

/** An erasure request: the address it erases and how far it got. */
export const erasureCodec = {
  decode(item: StoredItem): { key: { pk: string; sk: string }; email: string; erasedItems: number } {
    const f = fields(item, 'erasure');
    return { key: f.key(), email: f.text('email'), erasedItems: f.numberOr('erasedItems', 0) };
  },
};

/** Any item waiting for its confirmation link, as the mailer needs it. */
export interface LinkRequest {
  key: { pk: string; sk: string };
  email: string;
  requestId: string | undefined;
  campaign: string | undefined;
  /** The organisation (endorsements) or the person's name, for the greeting. */
  greetingName: string;
  locale: string | undefined;
}

export const linkRequestCodec = {
  decode(item: StoredItem): LinkRequest {
    const f = fields(item, String(item.type ?? 'request'));
    return {
      key: f.key(),
      email: f.text('email'),
      requestId: f.optionalText('requestId'),
      campaign: f.optionalText('campaign'),
      greetingName: f.optionalText('organisation') ?? f.textOr('name', ''),
      locale: f.optionalText('locale'),
    };
  },
};

export const confirmationActions = ['signature', 'subscription', 'endorsement', 'erasure'] as const;
export type ConfirmationAction = (typeof confirmationActions)[number];

export interface ConfirmationToken {
  action: ConfirmationAction;
  subject: { pk: string; sk: string };
  expiresAt: string;
  /** The `generation` of the item it was mailed for. */
  issuedFor?: string;
  mailedAt?: string;
}

/** What became of a token's mail: sent, held back (suppressed address, mailbox cap), or not yet decided. */
export type TokenMail = 'sent' | 'withheld' | undefined;

export const tokenCodec = {
  decode(item: StoredItem): ConfirmationToken {
    const f = fields(item, 'token');
    const subject = item.subject !== null && typeof item.subject === 'object' ? (item.subject as StoredItem) : {};
    if (typeof subject.pk !== 'string' || typeof subject.sk !== 'string') throw new MalformedItemError('token', 'subject');
    const issuedFor = f.optionalText('issuedFor');
    const mailedAt = f.optionalText('mailedAt');
    return {
      action: f.oneOf('action', confirmationActions),
      subject: { pk: subject.pk, sk: subject.sk },
      expiresAt: f.text('expiresAtIso'),
      ...(issuedFor ? { issuedFor } : {}),
      ...(mailedAt ? { mailedAt } : {}),
    };
  },
  /** Only the mail's fate: a redelivered record reads nothing else, so nothing else is required. */
  decodeMail(item: StoredItem): TokenMail {
    const f = fields(item, 'token');
    return f.optionalText('mailedAt') ? 'sent' : f.optionalText('withheldAt') ? 'withheld' : undefined;
  },
};

const outreachKinds: readonly OutreachKind[] = ['urgent-call', 'digest'];

export const outreachCodec = {
  decode(item: StoredItem): Outreach {
    const f = fields(item, 'outreach');
    // The optional texts (campaign, subject, message, period) were validated on the way in and are stored as given.
    // The planning lease is the planner's business (planning-lease.ts), not part of the outreach.
    const { planningRun: _run, planningUntil: _until, planningClaims: _claims, ...rest } = withoutStorage(item);
    const stored = rest as Omit<Outreach, 'id' | 'kind' | 'planned' | 'recipients' | 'sent' | 'failed' | 'skipped' | 'createdAt' | 'requestedBy'>;
    return {
      ...stored,
      id: f.text('id'),
      kind: f.oneOf('kind', outreachKinds),
      planned: f.flag('planned'),
      recipients: f.number('recipients'),
      sent: f.number('sent'),
      failed: f.number('failed'),
      skipped: f.number('skipped'),
      createdAt: f.text('createdAt'),
      requestedBy: f.text('requestedBy'),
    };
  },
  /** The id alone, as the outreach listing projects it. */
  decodeId(item: StoredItem): string {
    return fields(item, 'outreach').text('id');
  },
};

export interface Block {
  kind: BlockKind;
  value: string;
  reason: string;
  at: string;
  by: string;
}

export const blockCodec = {
  decode(item: StoredItem): Block {
    const f = fields(item, 'block');
    return { kind: f.oneOf('kind', blockKinds), value: f.text('value'), reason: f.text('reason'), at: f.text('at'), by: f.text('by') };
  },
};
