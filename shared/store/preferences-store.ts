import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import type { Preferences } from '#shared/domain/preferences.ts';
import { subscriberStatus } from '#shared/domain/statuses.ts';
import { findSubscriber } from './subscription-store.ts';
import { db, isConditionFailure, keys, tableName } from './table.ts';

export type PreferencesOutcome = 'saved' | 'unsubscribed' | 'missing';

/**
 * A subscriber's own change of what they receive, from the preferences page (its link is the unsubscribe
 * token, so only someone holding mail we sent can make it). It changes the fields given and nothing else:
 * not the status, not the request id (an unconfirmed subscription's link still confirms it, and no new
 * confirmation mail goes out), not the planners' index. An unsubscribed address stays unsubscribed: coming
 * back takes a fresh confirmation, as subscribing does. Repeats write the same values: harmless.
 */
export async function savePreferences(emailKey: string, preferences: Preferences): Promise<PreferencesOutcome> {
  const entries = Object.entries(preferences).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':unsubscribed': subscriberStatus.unsubscribed, ':at': nowIso() };
  const sets = ['preferencesChangedAt = :at'];
  entries.forEach(([field, value], index) => {
    names[`#f${index}`] = field;
    values[`:v${index}`] = value;
    sets.push(`#f${index} = :v${index}`);
  });
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.subscriber(emailKey),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND #status <> :unsubscribed',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return 'saved';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return (await findSubscriber(emailKey)) ? 'unsubscribed' : 'missing';
  }
}
