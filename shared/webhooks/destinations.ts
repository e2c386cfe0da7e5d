import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { eventSource } from '#events/campaign-published.ts';
import { webhookDelivery } from '#events/webhook-delivery.ts';
import { config } from '#shared/config.ts';
import { headerNames } from './signing.ts';

/**
 * A webhook on the bus: an EventBridge connection, an API destination (its URL, POST, a rate) and a rule that
 * hands the webhook's `WebhookDelivery` events to it. EventBridge does the HTTP: the 5 s timeout, retries with
 * backoff for 24 hours (MaximumEventAgeInSeconds 86,400; MaximumRetryAttempts 185, both the maxima), then the
 * dead-letter queue. The body is the event's `detail.body` (InputPath) and the three headers come from
 * `detail.headers` (HttpParameters.HeaderParameters as JSON paths, which must name the original event), so the
 * signature made once per delivery by Tadamon is what arrives.
 *
 * Every resource is named `<WEBHOOK_RESOURCE_PREFIX>-<webhook id>`: the functions that make and remove them are
 * granted exactly those names. Locally the bus (infra/local/api-destinations.ts) takes the same calls.
 */

/** The stage's webhook settings (shared/config.ts; infra/stack/webhooks.ts sets them on AWS). */
export const webhookSettings = () => config();

/** Retries, then the dead-letter queue: EventBridge's maxima (24 h, 185 attempts). */
export const retryPolicy = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } as const;

/** The JSON paths of the headers, into the original event (dynamic parameters cannot see a transformed one). */
export const headerParameters = {
  'Content-Type': 'application/json',
  [headerNames.eventId]: '$.detail.headers.eventId',
  [headerNames.timestamp]: '$.detail.headers.timestamp',
  [headerNames.signature]: '$.detail.headers.signature',
};

/** The connection's "API key" is only the webhook's id: EventBridge requires an authorization, the HMAC is the proof. */
export const connectionHeader = 'Tadamon-Webhook-Id';

let client: EventBridgeClient | undefined;
const eventBridge = () => (client ??= new EventBridgeClient({}));

export const resourceName = (webhookId: string) => `${webhookSettings().WEBHOOK_RESOURCE_PREFIX}-${webhookId}`;

export function deliveryPattern(webhookId: string) {
  return { source: [eventSource], 'detail-type': [webhookDelivery], detail: { webhookId: [webhookId] } };
}

/** Creates the webhook's connection, API destination and rule; on a failure, removes what it made and throws. */
export async function createDestination(webhook: { id: string; url: string }): Promise<void> {
  const name = resourceName(webhook.id);
  const settings = webhookSettings();
  const bus = config().EVENT_BUS_NAME;
  try {
    const { ConnectionArn } = await eventBridge().send(
      new CreateConnectionCommand({
        Name: name,
        Description: 'Tadamon webhook',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: connectionHeader, ApiKeyValue: webhook.id } },
      }),
    );
    const { ApiDestinationArn } = await eventBridge().send(
      new CreateApiDestinationCommand({
        Name: name,
        ConnectionArn,
        InvocationEndpoint: webhook.url,
        HttpMethod: 'POST',
        InvocationRateLimitPerSecond: settings.WEBHOOK_RATE_PER_SECOND,
      }),
    );
    await eventBridge().send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify(deliveryPattern(webhook.id)), State: 'ENABLED' }));
    const targets = await eventBridge().send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: bus,
        Targets: [
          {
            Id: 'webhook',
            Arn: ApiDestinationArn,
            RoleArn: settings.WEBHOOK_TARGET_ROLE_ARN,
            InputPath: '$.detail.body',
            HttpParameters: { HeaderParameters: headerParameters },
            RetryPolicy: retryPolicy,
            DeadLetterConfig: { Arn: settings.WEBHOOK_DEAD_LETTERS_ARN },
          },
        ],
      }),
    );
    if ((targets.FailedEntryCount ?? 0) > 0) throw new Error(`EventBridge refused the webhook's target: ${targets.FailedEntries?.[0]?.ErrorCode ?? 'unknown'}`);
  } catch (error) {
    await deleteDestination(webhook.id).catch(() => undefined);
    throw error;
  }
}

/** Removes the rule, the API destination and the connection; what is already gone is no error. */
export async function deleteDestination(webhookId: string): Promise<void> {
  const name = resourceName(webhookId);
  const bus = config().EVENT_BUS_NAME;
  await gone(eventBridge().send(new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: ['webhook'] })));
  await gone(eventBridge().send(new DeleteRuleCommand({ Name: name, EventBusName: bus })));
  await gone(eventBridge().send(new DeleteApiDestinationCommand({ Name: name })));
  await gone(eventBridge().send(new DeleteConnectionCommand({ Name: name })));
}

async function gone(call: Promise<unknown>): Promise<void> {
  await call.catch((error: unknown) => {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  });
}
