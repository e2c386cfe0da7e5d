import { urgentCallIssued, type OutreachRequested } from '#events/outreach.ts';
import { nowIso } from '#shared/clock.ts';
import { publish } from '#shared/events/publisher.ts';
import { logger } from '#shared/observability.ts';
import { dueOutreach, startScheduled } from '#shared/store/outreach-store.ts';
import { scheduleHandler } from '#shared/triggers/schedule-handler.ts';

/**
 * Every minute: scheduled urgent calls whose time has come start. The planning event is put first and the call
 * then leaves the waiting listing (a conditional write), so a run that dies between the two puts the event again
 * a minute later, never not at all; the planner makes each recipient's delivery once however often it is asked.
 * A call cancelled meanwhile is no longer waiting (and the planner plans nothing for it).
 */
export const handler = scheduleHandler(async (): Promise<{ started: string[] }> => {
  const due = await dueOutreach(nowIso());
  const started: string[] = [];
  // PutEvents takes at most 10 entries a call.
  for (let i = 0; i < due.length; i += 10) {
    const batch = due.slice(i, i + 10);
    const detail = (outreachId: string): OutreachRequested => ({ outreachId, kind: 'urgent-call' });
    await publish(batch.map((outreachId) => ({ detailType: urgentCallIssued, detail: detail(outreachId) })));
    for (const id of batch) if (await startScheduled(id)) started.push(id);
  }
  if (started.length) logger.info('scheduled outreach started', { started });
  return { started };
});
