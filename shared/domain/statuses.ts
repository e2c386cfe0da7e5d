// No imports here: the CLI loads this for its option choices without paying for zod and Intl.DisplayNames.

export const campaignStatuses = ['draft', 'open', 'closed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/**
 * unconfirmed: waiting for the contact to confirm by email · pending: confirmed, waiting for an operator ·
 * approved: listed and counted · rejected: never shown.
 */
export const endorsementStatuses = ['unconfirmed', 'pending', 'approved', 'rejected'] as const;
export type EndorsementStatus = (typeof endorsementStatuses)[number];
