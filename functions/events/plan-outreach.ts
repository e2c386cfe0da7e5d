import { outreachRequestedSchema } from '#events/outreach.ts';
import { eventHandler } from '#shared/triggers/event-handler.ts';
import { planOutreach } from '#shared/use-cases/plan-outreach.ts';

/** The fan-out planner (shared/use-cases/plan-outreach.ts): once per outreach, however often its event comes. */
export const handler = eventHandler(outreachRequestedSchema, (requested): Promise<{ recipients: number }> => planOutreach(requested.outreachId));
