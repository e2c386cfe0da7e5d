import { z } from 'zod';
import { endorsementStatuses } from '#shared/domain/endorsement.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { json } from '#shared/http/responses.ts';
import { listEndorsementsByStatus } from '#shared/store/endorsement-store.ts';
import { listQueryShape } from '#shared/store/pagination.ts';

// `pending`: confirmed by the organisation's contact, waiting for an operator's decision.
const query = z.object({ status: z.enum(endorsementStatuses).default('pending'), ...listQueryShape });

export const handler = httpHandler({ admin: true, query }, async ({ query }) =>
  json(200, await listEndorsementsByStatus(query.status, query)),
);
