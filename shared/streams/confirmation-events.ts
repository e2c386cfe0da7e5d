import { endorsementApproved, type EndorsementApproved } from '#events/endorsement-approved.ts';
import { signatureConfirmed, type SignatureConfirmed } from '#events/signature-confirmed.ts';
import { endorsementStatus, signatureStatus } from '#shared/domain/statuses.ts';
import type { DomainEvent } from '#shared/events/publisher.ts';
import { parse } from '#shared/store/layout.ts';
import type { Image } from './images.ts';

/**
 * The outbox for what CountConfirmations counts: a signature confirmed by its link is `SignatureConfirmed`, an
 * endorsement approved is `EndorsementApproved`. They come from the counter's own records (its filter delivers
 * exactly these changes; the router's filters are at Lambda's quota), after they are counted: a webhook hears of a
 * signature once it is in the count. Ids only: a consumer that may see more reads the item.
 */
export function confirmationEvent(newImage: Image): DomainEvent | undefined {
  const text = (name: string) => (typeof newImage[name] === 'string' ? (newImage[name] as string) : '');
  if (newImage.type === 'signature' && newImage.status === signatureStatus.confirmed) {
    const pk = text('pk');
    const detail: SignatureConfirmed = {
      signatureId: text('id'),
      slug: parse.signatureCampaign(pk),
      emailKey: parse.signatureEmailKey(pk),
      country: text('country'),
      confirmedAt: text('confirmedAt'),
    };
    return { detailType: signatureConfirmed, detail };
  }
  if (newImage.type === 'endorsement' && newImage.status === endorsementStatus.approved) {
    const detail: EndorsementApproved = {
      endorsementId: text('id') || parse.endorsementId(text('pk')),
      slug: text('campaign'),
      organisation: text('organisation'),
      country: text('country'),
      approvedAt: text('decidedAt') || text('updatedAt') || text('createdAt'),
    };
    return { detailType: endorsementApproved, detail };
  }
  return undefined;
}
