import { now } from '#shared/clock.ts';
import { conflict, gone, notFound } from '#shared/domain/errors.ts';
import { findRequest, type ClickScope, type ConfirmOutcome } from '#shared/store/awaiting-confirmation.ts';
import { confirmEndorsement } from '#shared/store/endorsement-store.ts';
import { confirmErasure } from '#shared/store/erasure-store.ts';
import { confirmPendingSignature, emailKey } from '#shared/store/signature-store.ts';
import { confirmSubscription } from '#shared/store/subscription-store.ts';
import { keys } from '#shared/store/table.ts';
import { findToken, type ConfirmationAction, type ConfirmationToken } from '#shared/store/token-store.ts';
import { awaitingLink } from '#shared/domain/statuses.ts';

type Confirmer = (subject: { pk: string; sk: string }, scope: ClickScope) => Promise<ConfirmOutcome>;

/** What each kind of link confirms. New double-opt-in actions register here. */
const confirmers: Partial<Record<ConfirmationAction, Confirmer>> = {
  signature: confirmSignatureAndUpdates,
  endorsement: confirmEndorsement,
  subscription: confirmSubscription,
  erasure: confirmErasure,
};

/** The status in which each action's item waits for its click. */
const waitingStatus: Record<ConfirmationAction, string> = {
  signature: awaitingLink.signature,
  endorsement: awaitingLink.endorsement,
  subscription: awaitingLink.subscriber,
  erasure: awaitingLink.erasure,
};

/** A signer who ticked "keep me updated" confirms their subscription with the same click. */
async function confirmSignatureAndUpdates(subject: { pk: string; sk: string }, scope: ClickScope): Promise<ConfirmOutcome> {
  // The signature as the click left it (or found it) says whether they asked: no second read.
  const { outcome, item } = await confirmPendingSignature(subject, scope);
  if (outcome !== 'changed' && item?.subscribe === true && typeof item.email === 'string' && item.email) await confirmSubscription(keys.subscriber(emailKey(item.email)));
  return outcome;
}

export async function lookUpToken(token: string): Promise<ConfirmationToken> {
  const record = await findToken(token);
  if (!record) throw notFound('This confirmation link is not known. Check that it was copied whole.');
  if (new Date(record.expiresAt) <= now()) throw gone('This confirmation link has expired. Sign again to receive a new one.');
  return record;
}

/** What a link would confirm, as it stands now: the newest request of the person it was mailed to. */
export interface PendingRequest {
  action: ConfirmationAction;
  /** Already confirmed: the click would change nothing. */
  confirmed: boolean;
  /** Names the request shown, so the click confirms exactly that one. */
  requestId: string | undefined;
  item: Record<string, unknown>;
}

/** For the confirm page: the request behind a link, or a problem (unknown, expired, gone). */
export async function describeRequest(token: string): Promise<PendingRequest> {
  const record = await lookUpToken(token);
  const item = await findRequest(record.subject, record.issuedFor);
  if (!item) throw gone('What this link confirms no longer exists. Sign again to receive a new link.');
  const confirmed = item.status !== waitingStatus[record.action];
  return { action: record.action, confirmed, requestId: typeof item.requestId === 'string' ? item.requestId : undefined, item };
}

/**
 * Confirms what the link stands for. Repeats succeed and change nothing, so a double click is harmless. With
 * `requestId` (the confirm page's form), only the request the page showed is confirmed: if a newer one replaced
 * it meanwhile, nothing is confirmed and the person is asked to look again.
 */
export async function confirm(token: string, requestId?: string): Promise<{ status: 'confirmed'; kind: ConfirmationAction }> {
  const record = await lookUpToken(token);
  const confirmer = confirmers[record.action];
  if (!confirmer) throw notFound('This confirmation link is not known.');
  const outcome = await confirmer(record.subject, { requestId, issuedFor: record.issuedFor });
  if (outcome === 'missing') throw gone('What this link confirms no longer exists. Sign again to receive a new link.');
  if (outcome === 'changed') {
    throw conflict('request-changed', 'A newer request from this address arrived after this page was opened. Open the link again to see what you would confirm.');
  }
  return { status: 'confirmed', kind: record.action };
}
