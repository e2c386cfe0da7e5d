import { Command, Option } from 'commander';
import type { Endorsement } from '#shared/domain/endorsement.ts';
import { endorsementStatuses } from '#shared/domain/statuses.ts';
import { Context, plural, table } from '../output.ts';

const idPath = (id: string) => `/admin/endorsements/${encodeURIComponent(id)}`;

export function endorsementsCommand(): Command {
  const endorsements = new Command('endorsements').description("organisations' endorsements: review the ones their contacts confirmed");

  const list = async (status: string, command: Command) => {
    const ctx = Context.of(command);
    const items = await ctx.client.all<Endorsement>('/admin/endorsements', { status });
    ctx.result({ items }, () => {
      if (items.length === 0) return ctx.say(status === 'pending' ? 'No endorsements are waiting for a decision.' : `No ${status} endorsements.`);
      for (const line of table(
        // The contact as a mail client writes them: the name, when they gave one, then the address.
        items.map((e) => [e.id, e.campaign, e.organisation, e.country ?? '', e.contactName ? `${e.contactName} <${e.email ?? ''}>` : (e.email ?? ''), e.website ?? '']),
        ['ID', 'CAMPAIGN', 'ORGANISATION', 'COUNTRY', 'CONTACT', 'WEBSITE'],
        50,
      )) {
        ctx.say(line);
      }
      ctx.say(plural(items.length, `${status} endorsement`));
    });
  };

  endorsements
    .command('pending')
    .description('endorsements confirmed by their contact and waiting for an operator to approve or reject')
    .action((_options: unknown, command: Command) => list('pending', command));

  endorsements
    .command('list')
    .description('endorsements in any status')
    .addOption(new Option('--status <status>', 'which ones').choices(endorsementStatuses).default('pending'))
    .action((options: { status: string }, command: Command) => list(options.status, command));

  for (const [verb, past] of [
    ['approve', 'Approved'],
    ['reject', 'Rejected'],
  ] as const) {
    endorsements
      .command(verb)
      .description(verb === 'approve' ? 'list and count the endorsement on its campaign' : 'never show the endorsement')
      .argument('<id>', 'the id from `tadamon endorsements pending`')
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = Context.of(command);
        const result = await ctx.client.json<Endorsement>('POST', `${idPath(id)}/${verb}`);
        ctx.result(result, () => ctx.say(`${past} "${result.organisation}" (${result.id}) on ${result.campaign}: ${result.status}.`));
      });
  }

  return endorsements;
}
