import { now } from '#shared/clock.ts';
import { gone, notFound } from '#shared/http/problem.ts';
import { confirmEndorsement } from '#shared/store/endorsement-store.ts';
import { confirmErasure } from '#shared/store/erasure-store.ts';
import { confirmPendingSignature, emailKey, type ConfirmOutcome } from '#shared/store/signature-store.ts';
import { confirmSubscription } from '#shared/store/subscription-store.ts';
import { keys } from '#shared/store/table.ts';
import { findToken, type ConfirmationAction } from '#shared/store/token-store.ts';

type Confirmer = (subject: { pk: string; sk: string }) => Promise<ConfirmOutcome>;

/** What each kind of link confirms. New double-opt-in actions register here. */
const confirmers: Partial<Record<ConfirmationAction, Confirmer>> = {
  signature: confirmSignatureAndUpdates,
  endorsement: confirmEndorsement,
  subscription: confirmSubscription,
  erasure: confirmErasure,
};

/** A signer who ticked "keep me updated" confirms their subscription with the same click. */
async function confirmSignatureAndUpdates(subject: { pk: string; sk: string }): Promise<ConfirmOutcome> {
  // The signature as the click left it (or found it) says whether they asked: no second read.
  const { outcome, item } = await confirmPendingSignature(subject);
  if (item?.subscribe === true && item.email) await confirmSubscription(keys.subscriber(emailKey(String(item.email))));
  return outcome;
}

export async function lookUpToken(token: string) {
  const record = await findToken(token);
  if (!record) throw notFound('This confirmation link is not known. Check that it was copied whole.');
  if (new Date(record.expiresAt) <= now()) throw gone('This confirmation link has expired. Sign again to receive a new one.');
  return record;
}

/** Confirms what the link stands for. Repeats succeed and change nothing, so a double click is harmless. */
export async function confirm(token: string): Promise<{ status: 'confirmed'; kind: ConfirmationAction }> {
  const record = await lookUpToken(token);
  const confirmer = confirmers[record.action];
  if (!confirmer) throw notFound('This confirmation link is not known.');
  const outcome = await confirmer(record.subject);
  if (outcome === 'missing') throw gone('What this link confirms no longer exists. Sign again to receive a new link.');
  return { status: 'confirmed', kind: record.action };
}
