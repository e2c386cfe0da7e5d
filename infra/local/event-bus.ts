import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventPattern } from '#infra/manifest.ts';
import { redact } from '#shared/log-redaction.ts';
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

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  EventBusName?: string;
}

const maxAttempts = 5;

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
    if (target !== 'AWSEvents.PutEvents') {
      res.writeHead(400).end(JSON.stringify({ __type: 'UnknownOperationException', message: `Unsupported operation ${String(target)}` }));
      return;
    }
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] };
      const entries = (body.Entries ?? []).map((entry) => ({ EventId: this.put(entry) }));
      res.writeHead(200).end(JSON.stringify({ Entries: entries, FailedEntryCount: 0 }));
    } catch (error) {
      res.writeHead(400).end(JSON.stringify({ __type: 'ValidationException', message: (error as Error).message }));
    }
  }
}
