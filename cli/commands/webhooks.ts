import { Command } from 'commander';
import { wholeNumber } from '../arguments.ts';
import { Context, plural, table } from '../output.ts';

const events = ['SignatureConfirmed', 'EndorsementApproved', 'MilestoneReached', 'CampaignPublished', 'CampaignClosed'];

interface Webhook {
  id: string;
  url: string;
  events: string[];
  partner?: string;
  createdAt: string;
  createdBy: string;
}

interface Delivery {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  statusCode?: number;
  lastError?: string;
  replays: number;
  createdAt: string;
  updatedAt: string;
}

const webhookPath = (id: string) => `/admin/webhooks/${encodeURIComponent(id)}`;

export function webhooksCommand(): Command {
  const webhooks = new Command('webhooks').description("signed POSTs of Tadamon's events to partners' systems (and your own)");

  webhooks
    .command('add')
    .description('send the events named to a URL; prints the signing secret, once')
    .argument('<url>', 'https (locally also http://localhost…), no credentials in it')
    .requiredOption('--events <names>', `comma-separated: ${events.join(', ')}`)
    .option('--partner <id>', "a campaign partner's id: signers' names and addresses only where they opted in to it")
    .action(async (url: string, options: { events: string; partner?: string }, command: Command) => {
      const ctx = Context.of(command);
      const body = { url, events: options.events.split(',').map((e) => e.trim()).filter(Boolean), ...(options.partner ? { partner: options.partner } : {}) };
      const created = await ctx.client.json<Webhook & { secret: string }>('POST', '/admin/webhooks', { body });
      ctx.result(created, () => {
        ctx.say(`Added webhook ${created.id}${created.partner ? ` for ${created.partner}` : ''}: ${created.events.join(', ')} → ${created.url}`);
        ctx.say(`Secret (shown this once; give it to the receiver, which checks Tadamon-Signature with it):`);
        ctx.say(`  ${created.secret}`);
      });
    });

  webhooks
    .command('list')
    .description('every webhook (never their secrets)')
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const { items } = await ctx.client.get<{ items: Webhook[] }>('/admin/webhooks');
      ctx.result({ items }, () => {
        if (items.length === 0) return ctx.say('No webhooks.');
        for (const line of table(items.map((w) => [w.id, w.partner ?? '(own)', w.events.join(','), w.url, w.createdAt]), ['ID', 'PARTNER', 'EVENTS', 'URL', 'SINCE'], 70)) ctx.say(line);
        ctx.say(plural(items.length, 'webhook'));
      });
    });

  webhooks
    .command('remove')
    .description('send nothing more to it (its deliveries stay listed 30 days)')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const removed = await ctx.client.json<{ id: string; deleted: true }>('DELETE', webhookPath(id));
      ctx.result(removed, () => ctx.say(`Removed webhook ${removed.id}.`));
    });

  webhooks
    .command('deliveries')
    .description("a webhook's deliveries, newest first: attempts, the receiver's answer, dead letters")
    .argument('<id>')
    .option('--limit <n>', 'at most this many (1-100)', wholeNumber(1, 100), 20)
    .option('--cursor <c>', 'the next page, as the previous one printed it')
    .action(async (id: string, options: { limit: number; cursor?: string }, command: Command) => {
      const ctx = Context.of(command);
      const page = await ctx.client.get<{ items: Delivery[]; nextCursor: string | null }>(`${webhookPath(id)}/deliveries`, { query: { limit: options.limit, cursor: options.cursor } });
      const { items, nextCursor } = page;
      ctx.result(page, () => {
        if (items.length === 0) return ctx.say('No deliveries.');
        for (const line of table(
          items.map((d) => [d.id, d.type, d.status, String(d.attempts), d.statusCode === undefined ? '' : String(d.statusCode), d.lastError ?? '', d.updatedAt]),
          ['DELIVERY', 'EVENT', 'STATUS', 'TRIES', 'CODE', 'LAST ERROR', 'UPDATED'],
          50,
        )) {
          ctx.say(line);
        }
        if (nextCursor) ctx.say(`More: --cursor ${nextCursor}`);
      });
    });

  webhooks
    .command('replay')
    .description('send a delivery again: the same Tadamon-Event-Id, newly signed')
    .argument('<id>', 'the webhook')
    .argument('<delivery>', 'the delivery, from `tadamon webhooks deliveries`')
    .action(async (id: string, delivery: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const replayed = await ctx.client.json<Delivery>('POST', `${webhookPath(id)}/deliveries/${encodeURIComponent(delivery)}/replay`);
      ctx.result(replayed, () => ctx.say(`Sent ${replayed.type} ${replayed.eventId} again (replay ${replayed.replays}).`));
    });

  return webhooks;
}
