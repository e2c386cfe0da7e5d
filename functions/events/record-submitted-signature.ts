import { signatureSubmittedSchema } from '#events/signature-submitted.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';
import { recordSubmittedSignature, type SubmissionOutcome } from '#shared/use-cases/submitted-signature.ts';

/**
 * A `SignatureSubmitted` event from a partner's AWS account or from `tadamon import`: recorded as
 * `POST /campaigns/{slug}/signatures` records a request, its source being the account that put it on the bus.
 * A detail that breaks the contract is dropped by the wrapper (`MalformedEvents`); one the signing rules refuse
 * for good is dropped as rejected; anything that may pass later throws, for EventBridge and Lambda to retry.
 */
export const handler = eventHandler(signatureSubmittedSchema, (detail, event): Promise<SubmissionOutcome> =>
  recordSubmittedSignature(detail, { eventId: event.id, account: event.account }),
);
