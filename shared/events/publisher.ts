import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { config } from '#shared/config.ts';
import { eventSource } from '#events/campaign-published.ts';

let client: EventBridgeClient | undefined;

function eventBridge(): EventBridgeClient {
  // AWS_ENDPOINT_URL_EVENTBRIDGE points this at the local bus when running on one machine.
  client ??= new EventBridgeClient({});
  return client;
}

export interface DomainEvent {
  detailType: string;
  detail: unknown;
}

/** Puts events on the bus; throws if any entry was refused so the caller's delivery is retried. */
export async function publish(events: DomainEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 10) {
    const chunk = events.slice(i, i + 10);
    const result = await eventBridge().send(
      new PutEventsCommand({
        Entries: chunk.map((event) => ({
          EventBusName: config().EVENT_BUS_NAME,
          Source: eventSource,
          DetailType: event.detailType,
          Detail: JSON.stringify(event.detail),
        })),
      }),
    );
    if ((result.FailedEntryCount ?? 0) > 0) {
      throw new Error(`EventBridge refused ${result.FailedEntryCount} of ${chunk.length} events`);
    }
  }
}
