import { Command } from 'commander';
import { Context, plural } from '../output.ts';
import { slugPath } from './campaign.ts';

interface Reconciliation {
  campaign: string;
  counter: { signatures: number; byCountry: Record<string, number> };
  recount: { signatures: number; byCountry: Record<string, number> };
  drift: number;
  corrected: boolean;
  note?: string;
}

export function reconcileCommand(): Command {
  return new Command('reconcile')
    .description("recount a campaign from its confirmed signatures and correct the counter's drift (the nightly job does this for every open campaign)")
    .argument('<slug>')
    .option('--dry-run', 'count and compare, change nothing')
    .action(async (slug: string, options: { dryRun?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      const result = await ctx.client.json<Reconciliation>('POST', `${slugPath(slug)}/reconcile`, { query: { apply: options.dryRun ? 'false' : 'true' }, timeoutMs: 60_000 });
      ctx.result(result, () => {
        ctx.say(`${slug}: the counter says ${plural(result.counter.signatures, 'signature')}; counting them finds ${result.recount.signatures}.`);
        if (result.drift === 0) ctx.say('No drift.');
        else if (result.corrected) ctx.say(`Drift of ${result.drift > 0 ? '+' : ''}${result.drift} corrected.`);
        else ctx.say(`Drift of ${result.drift > 0 ? '+' : ''}${result.drift}${options.dryRun ? ' (dry run: not corrected)' : ' not corrected'}${result.note ? `: ${result.note}` : ''}.`);
      });
    });
}
