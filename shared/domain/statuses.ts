// No imports here: the CLI loads this for its option choices without paying for zod and Intl.DisplayNames.

/**
 * One vocabulary for every item's status, named by what it means; the strings are what the table stores.
 * The stored strings stay as they are (a signature waiting for its link is `pending`, an endorsement waiting
 * for its link is `unconfirmed`, and an endorsement's `pending` means "confirmed, waiting for an operator"):
 * operators filter the endorsement queue by `pending` over the HTTP API and the CLI, and renaming stored
 * strings would need a migration of every item and index key that embeds them, for no change in behaviour.
 * Code says `signatureStatus.awaitingLink`, never the string.
 */
export const campaignStatus = { draft: 'draft', open: 'open', closed: 'closed' } as const;
export const campaignStatuses = [campaignStatus.draft, campaignStatus.open, campaignStatus.closed] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** A signature waits for its email link, then counts; an erased person's counted signature stays, anonymous. */
export const signatureStatus = { awaitingLink: 'pending', confirmed: 'confirmed', erased: 'erased' } as const;
export type SignatureStatus = (typeof signatureStatus)[keyof typeof signatureStatus];

/**
 * awaitingLink: waiting for the contact to confirm by email · awaitingOperator: confirmed, waiting for an
 * operator · approved: listed and counted · rejected: never shown.
 */
export const endorsementStatus = { awaitingLink: 'unconfirmed', awaitingOperator: 'pending', approved: 'approved', rejected: 'rejected' } as const;
export const endorsementStatuses = [endorsementStatus.awaitingLink, endorsementStatus.awaitingOperator, endorsementStatus.approved, endorsementStatus.rejected] as const;
export type EndorsementStatus = (typeof endorsementStatuses)[number];

export const subscriberStatus = { awaitingLink: 'unconfirmed', confirmed: 'confirmed', unsubscribed: 'unsubscribed' } as const;
export type SubscriberStatus = (typeof subscriberStatus)[keyof typeof subscriberStatus];

/** An erasure request waits for its link, erases (possibly over several runs), then is done. */
export const erasureStatus = { awaitingLink: 'unconfirmed', erasing: 'erasing', done: 'done' } as const;
export type ErasureStatus = (typeof erasureStatus)[keyof typeof erasureStatus];

/** The status in which each kind of double-opt-in item waits for its email link. */
export const awaitingLink = {
  signature: signatureStatus.awaitingLink,
  endorsement: endorsementStatus.awaitingLink,
  subscriber: subscriberStatus.awaitingLink,
  erasure: erasureStatus.awaitingLink,
} as const;
export type AwaitingLinkType = keyof typeof awaitingLink;
