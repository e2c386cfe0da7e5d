import { Command } from 'commander';
import { wholeNumber } from '../arguments.ts';
import { UsageError } from '../errors.ts';
import { Context, plural, table } from '../output.ts';
import { Prompter } from '../prompt.ts';
import { slugPath } from './campaign.ts';

interface Connector {
  type: string;
  partner: string;
  petitionId: string;
  tags: string[];
  updatedAt: string;
  updatedBy: string;
}

interface Delivery {
  signatureId: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  updatedAt: string;
}

const connectorPath = (slug: string, partner: string) => `${slugPath(slug)}/partners/${encodeURIComponent(partner)}/action-network`;

/** The key is asked for, never taken as an argument: an argument stays in the shell's history and in `ps`. */
async function askKey(partner: string): Promise<string> {
  const prompter = new Prompter();
  try {
    const key = await prompter.ask(`Action Network API key of ${partner} (API & Sync page of its list):`, { secret: true });
    if (!key) throw new UsageError('No API key given.');
    return key;
  } finally {
    prompter.close();
  }
}

export function connectorsCommand(): Command {
  const connectors = new Command('connectors').description("partners' own tools that confirmed signatures are pushed to (Action Network petitions)");

  const actionNetwork = connectors.command('action-network').description("a partner's Action Network petition");
  actionNetwork
    .command('set')
    .description(
      "push every confirmed signature whose signer opted in to PARTNER to its Action Network petition; the API key is read from the terminal (hidden) or the first line of stdin, and kept in Secrets Manager",
    )
    .argument('<slug>')
    .argument('<partner>', "one of the campaign's partners, e.g. amnesty-ma")
    .requiredOption('--petition <id>', "the petition's id: the UUID in its API address (…/api/v2/petitions/<id>)")
    .option('--tag <name>', "a tag of the partner's list to add to each person (repeat it)", (tag: string, tags: string[]) => [...tags, tag], [] as string[])
    .action(async (slug: string, partner: string, options: { petition: string; tag: string[] }, command: Command) => {
      const ctx = Context.of(command);
      const apiKey = await askKey(partner);
      const connector = await ctx.client.json<Connector>('PUT', connectorPath(slug, partner), {
        body: { petitionId: options.petition, apiKey, ...(options.tag.length ? { tags: options.tag } : {}) },
      });
      ctx.result(connector, () => ctx.say(`${partner}'s consented signatures of ${slug} now go to Action Network petition ${connector.petitionId}.`));
    });

  connectors
    .command('list')
    .description("the campaign's connectors (never their keys)")
    .argument('<slug>')
    .action(async (slug: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const { items } = await ctx.client.get<{ items: Connector[] }>(`${slugPath(slug)}/connectors`);
      ctx.result({ items }, () => {
        if (items.length === 0) return ctx.say(`${slug} has no connectors.`);
        for (const line of table(items.map((c) => [c.partner, c.type, c.petitionId, c.tags.join(','), c.updatedAt, c.updatedBy]), ['PARTNER', 'TYPE', 'PETITION', 'TAGS', 'SINCE', 'BY'])) {
          ctx.say(line);
        }
      });
    });

  connectors
    .command('remove')
    .description("stop pushing to the partner's Action Network; its key is scheduled for deletion (restorable for 7 days)")
    .argument('<slug>')
    .argument('<partner>')
    .action(async (slug: string, partner: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const removed = await ctx.client.json<{ partner: string; removed: true }>('DELETE', connectorPath(slug, partner));
      ctx.result(removed, () => ctx.say(`Nothing more goes from ${slug} to ${partner}'s Action Network.`));
    });

  connectors
    .command('deliveries')
    .description('the delivery log, newest signature first: delivered, failed (not retried), retrying, sending; never the person')
    .argument('<slug>')
    .argument('<partner>')
    .option('--limit <n>', 'at most this many (1-100)', wholeNumber(1, 100), 20)
    .option('--cursor <cursor>', 'the next page, as the previous one named it')
    .action(async (slug: string, partner: string, options: { limit: number; cursor?: string }, command: Command) => {
      const ctx = Context.of(command);
      const page = await ctx.client.get<{ items: Delivery[]; nextCursor: string | null }>(`${connectorPath(slug, partner)}/deliveries`, { query: { limit: options.limit, cursor: options.cursor } });
      ctx.result(page, () => {
        if (page.items.length === 0) return ctx.say(`Nothing was sent from ${slug} to ${partner} (or it expired: the log keeps 90 days).`);
        for (const line of table(
          page.items.map((d) => [d.updatedAt, d.signatureId, d.status, String(d.attempts), d.lastStatus === null ? '-' : String(d.lastStatus), d.lastError ?? '']),
          ['AT', 'SIGNATURE', 'STATUS', 'TRIES', 'HTTP', 'ERROR'],
          80,
        )) {
          ctx.say(line);
        }
        ctx.say(plural(page.items.length, 'delivery', 'deliveries'));
        if (page.nextCursor) ctx.say(`More: --cursor ${page.nextCursor}`);
      });
    });

  return connectors;
}
