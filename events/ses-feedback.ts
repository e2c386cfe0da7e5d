import * as z from 'zod';

const recipients = z.array(z.looseObject({ emailAddress: z.string().optional() }));

/**
 * Detail of SES's `Email Bounced` and `Email Complaint Received` (a configuration set's EventBridge
 * destination): only what SuppressAddresses reads is checked, the rest of SES's event passes through
 * unchecked. SES owns this contract; a recipient without an address is skipped, not a reason to drop the others.
 */
export const sesFeedbackSchema = z.looseObject({
  eventType: z.string(),
  bounce: z.looseObject({ bounceType: z.string().optional(), bouncedRecipients: recipients.optional() }).optional(),
  complaint: z.looseObject({ complainedRecipients: recipients.optional() }).optional(),
});
export type SesFeedback = z.infer<typeof sesFeedbackSchema>;
