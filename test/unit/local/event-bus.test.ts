import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusEvent, EventBus, type FailedDelivery } from '#infra/local/event-bus.ts';
import { JsonLines } from '#infra/local/state-file.ts';
import { manifest, type EventTrigger } from '#infra/manifest.ts';

/**
 * The local bus takes PutEvents as EventBridge does, within its limits, and delivers each event to the manifest
 * targets whose patterns match: a partner's SignatureSubmitted (any source) reaches RecordSubmittedSignature.
 */
const delivered: { target: string; event: BusEvent }[] = [];
const targets = manifest.flatMap((spec) =>
  spec.triggers
    .filter((trigger): trigger is EventTrigger => trigger.type === 'event')
    .map((trigger) => ({ name: spec.name, pattern: trigger.pattern, invoke: (event: unknown) => Promise.resolve(void delivered.push({ target: spec.name, event: event as BusEvent })) })),
);
const bus = new EventBus(targets, new JsonLines<FailedDelivery>(undefined));
let client: EventBridgeClient;

const entry = (detail: unknown, more: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'org.example.partner',
  DetailType: 'SignatureSubmitted',
  Detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
  ...more,
});

describe('the local event bus', () => {
  beforeAll(async () => {
    const port = await bus.listen();
    client = new EventBridgeClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await bus.close();
  });

  it("delivers a partner's SignatureSubmitted, whatever its source, to RecordSubmittedSignature only", async () => {
    delivered.length = 0;
    const answer = await client.send(new PutEventsCommand({ Entries: [entry({ slug: 's', name: 'A', email: 'a@example.org', country: 'MA' })] }));
    expect(answer.FailedEntryCount).toBe(0);
    await bus.drain();
    expect(delivered.map((d) => d.target)).toEqual(['RecordSubmittedSignature']);
    expect(delivered[0]!.event).toMatchObject({ id: answer.Entries![0]!.EventId, source: 'org.example.partner', 'detail-type': 'SignatureSubmitted', account: '000000000000', detail: { slug: 's' } });
  });

  it('fails an entry on its own, as EventBridge does, and delivers the others', async () => {
    delivered.length = 0;
    const answer = await client.send(new PutEventsCommand({ Entries: [entry({ n: 1 }), entry('not json'), entry('[1]'), entry({ n: 2 }, { Source: '' })] }));
    expect(answer.FailedEntryCount).toBe(3);
    expect(answer.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['ok', 'MalformedDetail', 'MalformedDetail', 'InvalidArgument']);
    await bus.drain();
    expect(delivered.map((d) => d.event.detail)).toEqual([{ n: 1 }]);
  });

  it('refuses a call of more than 10 entries, or of more than 256 KB, and delivers nothing of it', async () => {
    delivered.length = 0;
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, n) => entry({ n })) }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 2 }, () => entry({ comment: 'x'.repeat(130 * 1024) })) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const ten = await client.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, n) => entry({ n })) }));
    expect(ten.FailedEntryCount).toBe(0);
    await bus.drain();
    expect(delivered).toHaveLength(10);
  });
});
