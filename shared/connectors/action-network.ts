import * as z from 'zod';
import type { SignatureItem } from '#shared/store/items.ts';

/**
 * The Action Network connector's pure parts: what an operator configures, the request Action Network's record
 * signature helper takes (docs: actionnetwork.org/docs/v2/record_signature_helper), and which answers are worth
 * another try. The invariants:
 *
 * - A person goes to a partner's Action Network only with that partner's consent on the signature
 *   (`partnerConsents[partner]`), and only once the signature is confirmed: the caller checks both, this module
 *   maps what it is given.
 * - The request carries the name, the address, the country and the language, nothing else the signer wrote
 *   (no comment, postcode or source): what the opt-in text promised the partner ("keep me informed").
 * - No `status` is sent: Action Network subscribes a new person to the key's list (what the person opted in
 *   to) and leaves an existing person's subscription as it is, so an earlier unsubscribe stands.
 */

/** The petition's id: the UUID in its API address (`…/api/v2/petitions/<uuid>`), also shown in its admin page. */
export const petitionIdSchema = z.uuid('The petition id is the UUID in the petition\'s API address, such as 9f837109-710d-4d66-a6c8-d8a5a9e5b7e0.');

/**
 * An Action Network API key is a long hexadecimal token; anything with a space, a quote or a line break in it is a
 * paste gone wrong, and would be sent as a header.
 */
export const apiKeySchema = z
  .string()
  .min(16, 'The API key is at least 16 characters.')
  .max(256, 'The API key is at most 256 characters.')
  .regex(/^[A-Za-z0-9_-]+$/, 'The API key holds letters, digits, "-" and "_" only.');

/** Tags Action Network adds to the person when they exist on the partner's list (unknown ones it ignores). */
export const tagsSchema = z.array(z.string().trim().min(1).max(100)).max(10, 'At most 10 tags.');

export const connectorInputSchema = z.strictObject({
  petitionId: petitionIdSchema,
  apiKey: apiKeySchema,
  tags: tagsSchema.optional(),
});
export type ConnectorInput = z.infer<typeof connectorInputSchema>;

/** A connector as listed: never its key. */
export interface ActionNetworkConnector {
  type: 'action-network';
  partner: string;
  petitionId: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface RecordSignatureRequest {
  identifiers: string[];
  person: {
    given_name?: string;
    family_name?: string;
    email_addresses: { address: string }[];
    postal_addresses?: { country: string }[];
    languages_spoken?: string[];
  };
  add_tags?: string[];
  'action_network:referrer_data': { source: string };
}

/**
 * One name field split the way most names written in one line read: the first word is the given name, the
 * rest the family name ("Fatima Zahra El Idrissi" → "Fatima" / "Zahra El Idrissi", "Jean de La Fontaine" →
 * "Jean" / "de La Fontaine"). A single word is a given name alone. Wrong for some names ("Mary Ann Smith"); the
 * whole name is never lost, since given and family together are exactly the words as written.
 */
export function splitName(name: string): { given_name?: string; family_name?: string } {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return {};
  const [given, ...family] = words;
  return family.length ? { given_name: given!, family_name: family.join(' ') } : { given_name: given! };
}

/**
 * Action Network requires identifiers to be globally unique: one signature sent to two partners' petitions (which
 * may share a network) gets one identifier per partner.
 */
export function signatureIdentifier(signatureId: string, partner: string): string {
  return `tadamon:${signatureId}.${partner}`;
}

export function recordSignatureRequest(
  signature: Pick<SignatureItem, 'name' | 'email' | 'country' | 'locale'>,
  ids: { signatureId: string; slug: string; partner: string },
  tags: readonly string[] = [],
): RecordSignatureRequest {
  // `locale` is a BCP 47 tag (`pt-BR`); Action Network takes a language code.
  const language = signature.locale.split('-')[0]?.toLowerCase();
  return {
    identifiers: [signatureIdentifier(ids.signatureId, ids.partner)],
    person: {
      ...splitName(signature.name),
      email_addresses: [{ address: signature.email }],
      ...(signature.country ? { postal_addresses: [{ country: signature.country.toUpperCase() }] } : {}),
      ...(language ? { languages_spoken: [language] } : {}),
    },
    ...(tags.length ? { add_tags: [...tags] } : {}),
    // The partner sees where the supporter came from: this campaign, on Tadamon.
    'action_network:referrer_data': { source: `tadamon-${ids.slug}`.slice(0, 100) },
  };
}

/** What an answer (or its absence) means for the delivery. */
export type Outcome = { kind: 'delivered'; status: number } | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number } | { kind: 'permanent'; status: number; error: string };

/**
 * 2xx delivered. 429 (Action Network's rate limit), 408 and 5xx are worth another try, as is no answer at all;
 * every other 4xx is the request or the key (a revoked key, a deleted petition, an address Action Network
 * refuses) and will fail the same way again.
 */
export function classify(status: number, retryAfter?: string | null): Outcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 429 || status === 408 || status >= 500) {
    const seconds = retryAfter && /^\d{1,4}$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
    return { kind: 'retry', status, error: `HTTP ${status}`, ...(seconds === undefined ? {} : { retryAfterMs: seconds * 1000 }) };
  }
  return { kind: 'permanent', status, error: `HTTP ${status}` };
}

/** A network error or a timeout: no answer, so another try. The message names the failure, never the request. */
export function classifyError(error: unknown): Outcome {
  const name = error instanceof Error ? error.name : 'Error';
  const cause = error instanceof Error && error.cause instanceof Error && 'code' in error.cause ? String((error.cause as { code: unknown }).code) : undefined;
  return { kind: 'retry', error: name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : `network error${cause ? ` (${cause})` : ''}` };
}

/**
 * What may be kept of an error answer's body: Action Network answers `{"error": "…"}`. Addresses are cut out,
 * since an error may quote the one it refused; the log keeps no personal data.
 */
export function errorText(status: number, body: string): string {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') message = parsed.error;
  } catch {
    // Not JSON: the text itself, cut short below.
  }
  const clean = message.replace(/[^\s@]+@[^\s@]+/g, '[address]').replace(/\s+/g, ' ').trim().slice(0, 200);
  return clean ? `HTTP ${status}: ${clean}` : `HTTP ${status}`;
}
