import * as z from 'zod';

/** Answers of the connector routes (shared/http/routes.ts): a connector never shows its key, nor where it is kept. */

export const connectorSchema = z.object({
  type: z.literal('action-network'),
  partner: z.string(),
  petitionId: z.string(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const connectorListSchema = z.object({ items: z.array(connectorSchema) });

export const connectorRemovedSchema = z.object({ partner: z.string(), removed: z.literal(true) });

/** One signature's delivery: ids, counts and statuses, never the person. */
export const connectorDeliverySchema = z.object({
  signatureId: z.string(),
  status: z.enum(['sending', 'retrying', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deliveredAt: z.string().nullable(),
});
