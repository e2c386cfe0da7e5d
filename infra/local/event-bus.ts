import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventPattern } from '#infra/manifest.ts';
import { redact } from '#shared/log-redaction.ts';
import { LocalApiError, type LocalApiDestinations } from './api-destinations.ts';
import { matches } from './event-pattern.ts';
import type { Invoke } from './functions.ts';
import type { JsonLines } from './state-file.ts';

export interface EventTarget {
  name: string;
  pattern: EventPattern;
  invoke: Invoke;
}

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** A delivery given up on: which event and target, never the event (SES events carry addresses). */
export interface FailedDelivery {
  target: string;
  eventId: string;
  detailType: string;
  error: string;
  at: string;
}

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  EventBusName?: string;
}

const maxAttempts = 5;

/** PutEvents' own limits (EventBridge quotas): entries per call, and their size together. */
export const putEventsLimits = { entries: 10, bytes: 256 * 1024 } as const;

/** The size EventBridge counts for an entry: its source, detail type, detail and resources, in UTF-8. */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text));
  return bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0);
}

/** Why EventBridge would refuse the whole call, if it would: too many entries, or too large together. */
function requestRefusal(entries: PutEventsEntry[]): string | undefined {
  if (entries.length < 1 || entries.length > putEventsLimits.entries) return `Entries must hold 1 to ${putEventsLimits.entries} entries, not ${entries.length}.`;
  const size = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (size > putEventsLimits.bytes) return `Total size of the entries in the request is over the limit (${size} bytes).`;
  return undefined;
}

/** Why EventBridge would fail this entry alone, as its answer names it. */
function entryFailure(entry: PutEventsEntry): { ErrorCode: string; ErrorMessage: string } | undefined {
  if (!entry.Source || !entry.DetailType) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source and DetailType are required.' };
  try {
    const detail = JSON.parse(entry.Detail ?? '{}') as unknown;
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) throw new Error('not an object');
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  return undefined;
}

/**
 * An EventBridge-compatible bus for one machine: it answers the SDK's PutEvents (JSON 1.1 protocol) and
 * delivers each event asynchronously to every manifest target whose pattern matches, retrying failed
 * deliveries with backoff, then recording them as failed (like a rule's dead-letter queue).
 */
export class EventBus {
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly deliveries = new Set<Promise<void>>();

  constructor(
    private readonly targets: EventTarget[],
    private readonly failures: JsonLines<FailedDelivery>,
    /** Rules with API destination targets made at run time (webhooks), and their control-plane calls. */
    private readonly apiDestinations?: LocalApiDestinations,
  ) {}

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Waits for deliveries under way, then closes. */
  async close(): Promise<void> {
    await this.drain();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async drain(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all(this.deliveries);
  }

  /** Puts an event as the SDK would; also used by the local scheduler. */
  put(entry: PutEventsEntry): string {
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account: '000000000000',
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'local',
      resources: entry.Resources ?? [],
      detail: JSON.parse(entry.Detail ?? '{}') as unknown,
    };
    for (const target of this.targets) {
      if (!matches(target.pattern, event)) continue;
      const delivery = this.deliver(target, event).finally(() => this.deliveries.delete(delivery));
      this.deliveries.add(delivery);
    }
    for (const sending of this.apiDestinations?.deliveriesFor(event) ?? []) {
      const delivery = sending.finally(() => this.deliveries.delete(delivery));
      this.deliveries.add(delivery);
    }
    return event.id;
  }

  private async deliver(target: EventTarget, event: BusEvent): Promise<void> {
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        await target.invoke(event);
        return;
      } catch (error) {
        lastError = String(redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
    this.failures.append({ target: target.name, eventId: event.id, detailType: event['detail-type'], error: lastError, at: new Date().toISOString() });
    console.error(`event bus: ${target.name} failed ${event['detail-type']} ${maxAttempts} times; recorded as failed`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = req.headers['x-amz-target'];
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (typeof target === 'string' && this.apiDestinations?.handles(target)) {
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        const answer = JSON.stringify(this.apiDestinations.call(target, input));
        res.writeHead(200).end(answer);
      } catch (error) {
        const type = error instanceof LocalApiError ? error.type : 'ValidationException';
        res.writeHead(400).end(JSON.stringify({ __type: type, message: (error as Error).message }));
      }
      return;
    }
    if (target !== 'AWSEvents.PutEvents') {
      res.writeHead(400).end(JSON.stringify({ __type: 'UnknownOperationException', message: `Unsupported operation ${String(target)}` }));
      return;
    }
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] };
      const refusal = requestRefusal(body.Entries ?? []);
      if (refusal) {
        res.writeHead(400).end(JSON.stringify({ __type: 'ValidationException', message: refusal }));
        return;
      }
      // As EventBridge: each entry succeeds or fails on its own, and the answer lists them in the request's order.
      const entries = (body.Entries ?? []).map((entry) => {
        const failure = entryFailure(entry);
        return failure ?? { EventId: this.put(entry) };
      });
      res.writeHead(200).end(JSON.stringify({ Entries: entries, FailedEntryCount: entries.filter((entry) => 'ErrorCode' in entry).length }));
    } catch (error) {
      res.writeHead(400).end(JSON.stringify({ __type: 'ValidationException', message: (error as Error).message }));
    }
  }
}
