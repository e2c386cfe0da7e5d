import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventSource } from '#events/campaign-published.ts';
import { signatureSubmitted, type SignatureSubmitted } from '#events/signature-submitted.ts';
import { config } from '#shared/config.ts';

let client: EventBridgeClient | undefined;

function eventBridge(): EventBridgeClient {
  // AWS_ENDPOINT_URL_EVENTBRIDGE points this at the local bus when running on one machine.
  client ??= new EventBridgeClient({});
  return client;
}

/** What became of one request: the event it is now, or why EventBridge did not take it. */
export type SubmissionEntry = { eventId: string } | { errorCode: string; errorMessage: string };

/**
 * Puts signature requests on this stage's bus as `SignatureSubmitted` events from Tadamon itself (source
 * `tadamon`), ten to a PutEvents call (its limit), and answers each one's fate in their order. Unlike `publish`,
 * a refused entry is not an error here: the caller is a person's import, which sends the refused rows again
 * (their idempotency keys keep a row from counting twice) and reports those that still fail by line.
 */
export async function putSubmissions(requests: SignatureSubmitted[]): Promise<SubmissionEntry[]> {
  const entries: SubmissionEntry[] = [];
  for (let i = 0; i < requests.length; i += 10) {
    const chunk = requests.slice(i, i + 10);
    const result = await eventBridge().send(
      new PutEventsCommand({
        Entries: chunk.map((request) => ({ EventBusName: config().EVENT_BUS_NAME, Source: eventSource, DetailType: signatureSubmitted, Detail: JSON.stringify(request) })),
      }),
    );
    chunk.forEach((_, j) => {
      const entry = result.Entries?.[j];
      entries.push(
        entry?.EventId ? { eventId: entry.EventId } : { errorCode: entry?.ErrorCode ?? 'Unknown', errorMessage: entry?.ErrorMessage ?? 'EventBridge gave no answer for this entry.' },
      );
    });
  }
  return entries;
}
