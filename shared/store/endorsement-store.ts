import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '#shared/clock.ts';
import { newId } from '#shared/ids.ts';
import { db, keys, tableName } from './table.ts';

export interface PublicEndorsement {
  organisation: string;
  country: string | null;
  website?: string;
}

/**
 * An endorsement already approved, with no contact to confirm: organisations that signed a published
 * statement (the demo data). The stream counts it like any approval.
 */
export async function recordApprovedEndorsement(campaign: string, endorsement: PublicEndorsement): Promise<void> {
  const id = newId();
  const at = nowIso();
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.endorsement(campaign, id),
        type: 'endorsement',
        id,
        campaign,
        ...endorsement,
        status: 'approved',
        createdAt: at,
        approvedAt: at,
        gsi1pk: `ENDORSEMENTS#${campaign}#approved`,
        gsi1sk: `${at}#${id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}
