import { Command } from 'commander';
import { Context, plural, table } from '../output.ts';

interface InvokeReplay {
  queue: string;
  replayed: number;
  skipped: number;
  failed: number;
  left: number;
  notes: string[];
}

interface DeadLetterQueue {
  queue: string;
  holds: string;
  replay: 'move' | 'invoke' | 'by-hand';
  messages: number;
  inFlight: number;
}

export function dlqCommand(): Command {
  const dlq = new Command('dlq').description('dead-letter queues: what failed every retry, and replaying it once the cause is fixed');

  dlq
    .command('list')
    .description('every dead-letter queue of the deployment and how many messages it holds')
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const { items } = await ctx.client.get<{ items: DeadLetterQueue[] }>('/admin/dead-letters');
      ctx.result({ items }, () => {
        for (const line of table(
          items.map((q) => [q.queue, String(q.messages), String(q.inFlight), { move: 'tadamon dlq replay', invoke: `tadamon dlq replay ${q.queue}`, 'by-hand': 'by hand (docs/operating.md)' }[q.replay], q.holds]),
          ['QUEUE', 'MESSAGES', 'IN FLIGHT', 'REPLAY', 'HOLDS'],
          90,
        )) {
          ctx.say(line);
        }
        const waiting = items.reduce((n, q) => n + q.messages, 0);
        ctx.say(waiting ? `${plural(waiting, 'message')} waiting. Fix the cause first, then replay.` : 'Nothing waiting.');
      });
    });

  dlq
    .command('replay')
    .description(
      'mail: send every dead letter back to the queue it came from (10 a second); events, address-events: invoke each failed function again with its event; stream: read each failed batch again from the stream (24 h) and invoke its consumer with it. Consumers skip what is already done',
    )
    .argument('[queue]', 'mail, events, address-events or stream', 'mail')
    .action(async (queue: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      if (queue === 'events' || queue === 'address-events' || queue === 'stream') {
        await replayByInvoking(ctx, queue);
        return;
      }
      const result = await ctx.client.json<{ queue: string; messages: number; perSecond: number; status: 'moving' | 'empty' }>(
        'POST',
        `/admin/dead-letters/${encodeURIComponent(queue)}/replay`,
      );
      ctx.result(result, () =>
        ctx.say(
          result.status === 'empty'
            ? `The ${result.queue} dead-letter queue is empty: nothing to replay.`
            : `Replaying ${plural(result.messages, 'message')} of the ${result.queue} dead-letter queue, ${result.perSecond} a second. \`tadamon dlq list\` shows what is left.`,
        ),
      );
    });

  return dlq;
}

/** Calls the replay until the queue is empty or a call replays nothing more (what is left was skipped or refused). */
async function replayByInvoking(ctx: Context, queue: string): Promise<void> {
  const total = { queue, replayed: 0, skipped: 0, failed: 0, left: 0, notes: [] as string[] };
  for (;;) {
    const run = await ctx.client.json<InvokeReplay>('POST', `/admin/dead-letters/${encodeURIComponent(queue)}/replay`);
    total.replayed += run.replayed;
    total.skipped += run.skipped;
    total.failed += run.failed;
    total.left = run.left;
    for (const note of run.notes) if (!total.notes.includes(note)) total.notes.push(note);
    if (run.left === 0 || run.replayed === 0 || run.failed > 0) break;
    ctx.note(`${queue === 'stream' ? plural(total.replayed, 'batch', 'batches') : plural(total.replayed, 'event')} replayed, about ${run.left} left…`);
  }
  const [one, many] = queue === 'stream' ? ['batch', 'batches'] : ['event', 'events'];
  ctx.result(total, () => {
    ctx.say(
      queue === 'stream'
        ? `Replayed ${plural(total.replayed, one, many)} of the stream dead-letter queue: each batch read again from the stream and its consumer invoked with it.`
        : `Replayed ${plural(total.replayed, one, many)} of the ${queue} dead-letter queue: each failed function invoked again with its event.`,
    );
    if (total.skipped + total.failed > 0) ctx.say(`Left in the queue: ${total.skipped} skipped, ${total.failed} ${queue === 'stream' ? 'failed again' : 'refused by Lambda'}.`);
    for (const note of total.notes) ctx.say(`  ${note}`);
    if (total.left > 0) ctx.say(`About ${total.left} still waiting: run it again.`);
  });
}
