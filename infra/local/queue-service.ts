import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { queueRetentionSeconds } from '#infra/queue-wiring.ts';
import { Journal, type JournalEntry, type StoredMessage } from './queue-journal.ts';
import { nonExistentQueue, QueueError, SqsProtocol } from './sqs-protocol.ts';

export interface LocalQueueDefinition {
  name: string;
  visibilityTimeoutSeconds: number;
  /** Where a message goes once it has been received `maxReceiveCount` times without being deleted. */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

/** A message moved to a dead-letter queue, as the local stack lists it: ids only (the body stays in the queue). */
export interface QueueDeadLetter {
  queue: string;
  deadLetterQueue: string;
  messageId: string;
  receiveCount: number;
  sentAt: string;
  at: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  receiveCount: number;
  sentAt: number;
  firstReceivedAt: number;
}


interface Queue {
  definition: LocalQueueDefinition;
  messages: Map<string, StoredMessage>;
  waiters: Set<() => void>;
}


/** The account and region the local queues' ARNs name. */
const account = '000000000000';
const region = 'local';

/**
 * SQS for one machine: the queues the manifest names, answering the AWS SDK's JSON 1.0 protocol
 * (sqs-protocol.ts), at-least-once with SQS's visibility timeout, receive counts and redrive to a dead-letter
 * queue. Every change is appended to a journal (queue-journal.ts) before it is answered, so a restart loses no
 * message that was acknowledged to its sender, and forgets only which messages were in flight: they come again.
 */
export class LocalQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly protocol = new SqsProtocol(this);
  private readonly server = http.createServer((req, res) => void this.protocol.handle(req, res));
  private readonly journal: Journal;
  private compaction = false;
  private port = 0;

  constructor(
    definitions: readonly LocalQueueDefinition[],
    options: { file?: string; onDeadLetter?: (letter: QueueDeadLetter) => void; now?: () => number } = {},
  ) {
    for (const definition of definitions) this.queues.set(definition.name, { definition, messages: new Map(), waiters: new Set() });
    for (const { redrive, name } of definitions) {
      if (redrive && !this.queues.has(redrive.deadLetterQueue)) throw new Error(`Queue ${name}: its dead-letter queue ${redrive.deadLetterQueue} is not defined`);
    }
    this.onDeadLetter = options.onDeadLetter ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.journal = new Journal(options.file);
    for (const entry of this.journal.load()) this.replay(entry);
    this.journal.compact(this.liveEntries());
  }

  private readonly onDeadLetter: (letter: QueueDeadLetter) => void;
  private readonly now: () => number;

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.endpoint;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(name: string): string {
    return `${this.endpoint}/${account}/${name}`;
  }

  arn(name: string): string {
    return `arn:aws:sqs:${region}:${account}:${name}`;
  }

  /** Ends every long poll now (a poller stopping should not wait out its poll). */
  interrupt(): void {
    for (const queue of this.queues.values()) this.wake(queue);
  }

  async close(): Promise<void> {
    this.interrupt();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Puts messages on a queue; each is on disk when this returns. */
  send(name: string, entries: readonly { body: string; delaySeconds?: number }[]): { messageId: string; md5OfBody: string }[] {
    const queue = this.queue(name);
    const now = this.now();
    return entries.map(({ body, delaySeconds = 0 }) => {
      const message: StoredMessage = { id: randomUUID(), body, sentAt: now, visibleAt: now + delaySeconds * 1000, receiveCount: 0 };
      this.record({ op: 'send', queue: name, message });
      queue.messages.set(message.id, message);
      this.wake(queue);
      return { messageId: message.id, md5OfBody: md5(body) };
    });
  }

  /**
   * Up to `max` visible messages, hidden for the visibility timeout from now on. A message already received
   * `maxReceiveCount` times goes to the dead-letter queue instead, as SQS's redrive policy moves it.
   */
  receive(name: string, max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    const queue = this.queue(name);
    const now = this.now();
    const hideFor = (visibilityTimeoutSeconds ?? queue.definition.visibilityTimeoutSeconds) * 1000;
    const taken: StoredMessage[] = [];
    const expired: string[] = [];
    const deadLettered: StoredMessage[] = [];
    for (const message of queue.messages.values()) {
      if (taken.length >= max) break;
      if (message.sentAt + queueRetentionSeconds * 1000 <= now) {
        expired.push(message.id);
        continue;
      }
      if (message.visibleAt > now) continue;
      const redrive = queue.definition.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        deadLettered.push(message);
        continue;
      }
      taken.push(message);
    }
    if (expired.length > 0) this.remove(queue, name, expired);
    if (deadLettered.length > 0) this.deadLetter(queue, deadLettered, now);
    if (taken.length === 0) return [];
    this.record({ op: 'receive', queue: name, ids: taken.map((m) => m.id), at: now });
    return taken.map((message) => {
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + hideFor;
      return {
        messageId: message.id,
        receiptHandle: receiptHandle(name, message.id, message.receiveCount),
        body: message.body,
        md5OfBody: md5(message.body),
        receiveCount: message.receiveCount,
        sentAt: message.sentAt,
        firstReceivedAt: message.firstReceivedAt,
      };
    });
  }

  /**
   * Deletes a received message. As on SQS, a receipt handle from an earlier receive of a message that has been
   * received again since deletes nothing (and is no error): the later receiver owns it now.
   */
  delete(name: string, receipt: string): void {
    const queue = this.queue(name);
    const message = this.received(queue, name, receipt);
    if (message) this.remove(queue, name, [message.id]);
  }

  changeVisibility(name: string, receipt: string, visibilityTimeoutSeconds: number): void {
    const queue = this.queue(name);
    const message = this.received(queue, name, receipt);
    if (!message || message.visibleAt <= this.now()) {
      throw new QueueError('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'The message referred to is not in flight.');
    }
    message.visibleAt = this.now() + visibilityTimeoutSeconds * 1000;
    if (visibilityTimeoutSeconds === 0) this.wake(queue);
  }

  purge(name: string): void {
    const queue = this.queue(name);
    this.record({ op: 'purge', queue: name });
    queue.messages.clear();
  }

  /**
   * Moves every message of a dead-letter queue back to the queue it came from, or to `destination`, with its
   * receive count reset: what `start-message-move-task` does on AWS (here at once, not at a pace).
   */
  redrive(deadLetterQueue: string, destination?: string): number {
    const source = this.queue(deadLetterQueue);
    if (destination) this.queue(destination);
    const byTarget = new Map<string, StoredMessage[]>();
    for (const message of source.messages.values()) {
      const target = destination ?? message.source;
      if (!target) continue;
      byTarget.set(target, [...(byTarget.get(target) ?? []), message]);
    }
    let moved = 0;
    for (const [target, messages] of byTarget) {
      this.move(deadLetterQueue, target, messages, true);
      moved += messages.length;
    }
    return moved;
  }

  /** Counts as GetQueueAttributes reports them. */
  counts(name: string): { visible: number; inFlight: number; delayed: number } {
    const now = this.now();
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.queue(name).messages.values()) {
      if (message.visibleAt <= now) counts.visible++;
      else if (message.receiveCount > 0) counts.inFlight++;
      else counts.delayed++;
    }
    return counts;
  }

  /** Bodies of every message a queue holds, in or out of flight (tests and the dead-letter listing read them). */
  peek(name: string): { messageId: string; body: string; receiveCount: number }[] {
    return [...this.queue(name).messages.values()].map((m) => ({ messageId: m.id, body: m.body, receiveCount: m.receiveCount }));
  }

  /** When the earliest hidden message of a queue becomes visible again, if any is hidden. */
  nextVisibleAt(name: string): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const message of this.queue(name).messages.values()) if (message.visibleAt > now && (next === undefined || message.visibleAt < next)) next = message.visibleAt;
    return next;
  }

  /** Resolves when a message is put on the queue (or made visible), or after `ms`: long polling. */
  waitForMessages(name: string, ms: number): Promise<void> {
    const queue = this.queue(name);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        queue.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      queue.waiters.add(done);
    });
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  definition(name: string): LocalQueueDefinition {
    return this.queue(name).definition;
  }

  isDeadLetterQueue(name: string): boolean {
    return [...this.queues.values()].some((queue) => queue.definition.redrive?.deadLetterQueue === name);
  }

  /** True once the service is closing: long polls end. */
  get closed(): boolean {
    return !this.server.listening;
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw nonExistentQueue(name);
    return queue;
  }

  private received(queue: Queue, name: string, receipt: string): StoredMessage | undefined {
    const parsed = parseReceipt(receipt);
    if (!parsed || parsed.queue !== name) throw new QueueError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The receipt handle is not valid for this queue.');
    const message = queue.messages.get(parsed.messageId);
    return message && message.receiveCount === parsed.receiveCount ? message : undefined;
  }

  private remove(queue: Queue, name: string, ids: string[]): void {
    this.record({ op: 'delete', queue: name, ids });
    for (const id of ids) queue.messages.delete(id);
  }

  private deadLetter(queue: Queue, messages: StoredMessage[], now: number): void {
    const { name, redrive } = queue.definition;
    this.move(name, redrive!.deadLetterQueue, messages, false);
    for (const message of messages) {
      const letter: QueueDeadLetter = {
        queue: name,
        deadLetterQueue: redrive!.deadLetterQueue,
        messageId: message.id,
        receiveCount: message.receiveCount,
        sentAt: new Date(message.sentAt).toISOString(),
        at: new Date(now).toISOString(),
      };
      this.onDeadLetter(letter);
    }
    console.error(`queues: ${messages.length} message(s) of ${name} were received ${redrive!.maxReceiveCount} times without success; moved to ${redrive!.deadLetterQueue}`);
  }

  private move(from: string, to: string, messages: StoredMessage[], reset: boolean): void {
    const ids = messages.map((m) => m.id);
    this.record({ op: 'move', from, to, ids, reset });
    this.applyMove(from, to, ids, reset);
    this.wake(this.queue(to));
  }

  private applyMove(from: string, to: string, ids: string[], reset: boolean): void {
    const source = this.queues.get(from);
    const target = this.queues.get(to);
    for (const id of ids) {
      const message = source?.messages.get(id);
      if (!message) continue;
      source!.messages.delete(id);
      if (!target) continue;
      // On a standard queue a message keeps its enqueue time (and so its retention) in the dead-letter queue.
      const moved: StoredMessage = reset
        ? { id: message.id, body: message.body, sentAt: message.sentAt, visibleAt: 0, receiveCount: 0 }
        : { ...message, visibleAt: 0, source: from };
      target.messages.set(id, moved);
    }
  }

  private wake(queue: Queue): void {
    for (const wake of [...queue.waiters]) wake();
  }

  private replay(entry: JournalEntry): void {
    switch (entry.op) {
      case 'send': {
        this.queues.get(entry.queue)?.messages.set(entry.message.id, { ...entry.message });
        break;
      }
      case 'receive': {
        const queue = this.queues.get(entry.queue);
        for (const id of entry.ids) {
          const message = queue?.messages.get(id);
          if (!message) continue;
          message.receiveCount++;
          message.firstReceivedAt ??= entry.at;
        }
        break;
      }
      case 'delete': {
        const queue = this.queues.get(entry.queue);
        for (const id of entry.ids) queue?.messages.delete(id);
        break;
      }
      case 'move':
        this.applyMove(entry.from, entry.to, entry.ids, entry.reset);
        break;
      case 'purge':
        this.queues.get(entry.queue)?.messages.clear();
        break;
    }
  }

  private liveEntries(): JournalEntry[] {
    // Whatever is in flight comes again at once after a restart (its receiver is gone); a delay still holds.
    return [...this.queues.entries()].flatMap(([name, queue]) =>
      [...queue.messages.values()].map((message) => ({ op: 'send' as const, queue: name, message: { ...message, visibleAt: message.receiveCount > 0 ? 0 : message.visibleAt } })),
    );
  }

  /** Appends a change; once the journal is mostly spent, rewrites it after the change has been applied. */
  private record(entry: JournalEntry): void {
    this.journal.append(entry);
    if (this.compaction || this.journal.lines < 10_000) return;
    const held = [...this.queues.values()].reduce((sum, queue) => sum + queue.messages.size, 0);
    if (this.journal.lines < 4 * held) return;
    this.compaction = true;
    // Every change is made synchronously after it is recorded, so by the next microtask it is in memory too.
    queueMicrotask(() => {
      this.compaction = false;
      this.journal.compact(this.liveEntries());
    });
  }

}

function md5(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** Opaque to callers; names the receive it came from, so a handle from an earlier receive is recognised as stale. */
function receiptHandle(queue: string, messageId: string, receiveCount: number): string {
  return Buffer.from(JSON.stringify([queue, messageId, receiveCount])).toString('base64url');
}

function parseReceipt(receipt: string): { queue: string; messageId: string; receiveCount: number } | undefined {
  try {
    const [queue, messageId, receiveCount] = JSON.parse(Buffer.from(receipt, 'base64url').toString('utf8')) as unknown[];
    if (typeof queue !== 'string' || typeof messageId !== 'string' || typeof receiveCount !== 'number') return undefined;
    return { queue, messageId, receiveCount };
  } catch {
    return undefined;
  }
}
