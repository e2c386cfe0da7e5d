import { signatureConfirmedSchema } from '#events/signature-confirmed.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';
import { pushToActionNetwork } from '#shared/use-cases/push-to-action-network.ts';

/**
 * A confirmed, counted signature, to the Action Network petitions of the partners its signer opted in to
 * (shared/use-cases/push-to-action-network.ts). A delivery left to retry throws: Lambda tries the event again,
 * then it goes to the events dead letters, from which `tadamon dlq replay` sends it again.
 */
export const handler = eventHandler(signatureConfirmedSchema, (detail) => pushToActionNetwork(detail));
