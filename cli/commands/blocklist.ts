import { Argument, Command } from 'commander';
import { Context, plural, table } from '../output.ts';

const kinds = ['ip', 'email-domain'] as const;

interface Block {
  kind: string;
  value: string;
  reason: string;
  at: string;
  by: string;
}

/**
 * The path of one entry. A range's `/` is encoded twice: API Gateway decodes the path once before routing,
 * and a `/` decoded there would be a separator (the API decodes what is left; the local runtime accepts it too).
 */
const blockPath = (kind: string, value: string) => `/admin/blocklist/${kind}/${encodeURIComponent(encodeURIComponent(value))}`;

export function blocklistCommand(): Command {
  const blocklist = new Command('blocklist').description('IP addresses, CIDR ranges and email domains whose submissions are refused (403)');

  blocklist
    .command('list')
    .description('every entry, canonical (lower-case domains, RFC 5952 IPv6, ranges as their network)')
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const { items } = await ctx.client.get<{ items: Block[] }>('/admin/blocklist');
      ctx.result({ items }, () => {
        if (items.length === 0) return ctx.say('The blocklists are empty.');
        for (const line of table(items.map((b) => [b.kind, b.value, b.at, b.by, b.reason]), ['KIND', 'VALUE', 'SINCE', 'BY', 'REASON'], 80)) ctx.say(line);
        ctx.say(plural(items.length, 'entry', 'entries'));
      });
    });

  blocklist
    .command('add')
    .description('block an IP address or CIDR range (within a minute) or an email domain and its subdomains (at once)')
    .addArgument(new Argument('<kind>', 'ip or email-domain').choices(kinds))
    .argument('<value>', 'e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/32, spam.example')
    .requiredOption('--reason <text>', 'why (kept with the entry)')
    .action(async (kind: string, value: string, options: { reason: string }, command: Command) => {
      const ctx = Context.of(command);
      const entry = await ctx.client.json<Block>('PUT', blockPath(kind, value), { body: { reason: options.reason } });
      ctx.result(entry, () => ctx.say(`Blocked ${entry.kind} ${entry.value}${entry.value !== value.trim().toLowerCase() ? ` (its canonical form)` : ''}.`));
    });

  blocklist
    .command('remove')
    .description('unblock (written as for adding; removing what is not there changes nothing)')
    .addArgument(new Argument('<kind>', 'ip or email-domain').choices(kinds))
    .argument('<value>')
    .action(async (kind: string, value: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const removed = await ctx.client.json<{ kind: string; value: string; removed: true }>('DELETE', blockPath(kind, value));
      ctx.result(removed, () => ctx.say(`${removed.kind} ${removed.value} is not blocked.`));
    });

  return blocklist;
}
