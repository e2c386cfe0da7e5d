import { Command } from 'commander';
import { Context, plural, table } from '../output.ts';

export function privacyCommand(): Command {
  const privacy = new Command('privacy').description("people's rights over their data");

  privacy
    .command('erase')
    .description("erase a person's data at once, for a request made by post or phone (the same erasure as their confirmed click)")
    .argument('<email>', 'the address whose data goes')
    .requiredOption('--reason <text>', 'kept in the audit trail with who and when (never the address): e.g. "letter of 2026-12-01, ticket 42"')
    .option('-y, --yes', 'erase without asking (for scripts)')
    .addHelpText(
      'after',
      `
Every signature, subscription, endorsement contact and link of that address is erased; counted signatures
stay counted, anonymous. It cannot be undone. Check the person's identity before you run it.`,
    )
    .action(async (email: string, options: { reason: string; yes?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      const { confirmOrStop } = await import('../confirm.ts');
      await confirmOrStop(ctx, `Erase every personal data of ${email}? This cannot be undone.`, options);
      const result = await ctx.client.json<{ status: 'erased' | 'erasing'; items: number }>('POST', '/admin/privacy/erasure', {
        body: { email, reason: options.reason },
      });
      ctx.result(result, () =>
        ctx.say(
          result.status === 'erased'
            ? `Erased: ${plural(result.items, 'item')}. The audit trail records you, the time and the reason.`
            : `Erasing: ${plural(result.items, 'item')} so far; the daily job finishes the rest within a day.`,
        ),
      );
    });

  privacy
    .command('erasures')
    .description('the erasure audit trail, newest first: the day and how many items; for an operator\'s erasure also who, when and why (never whose)')
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const items = await ctx.client.all<{ erasedOn: string; items: number; by?: string; at?: string; reason?: string }>('/admin/privacy/erasures');
      ctx.result({ items }, () => {
        if (items.length === 0) return ctx.say('No erasures yet.');
        for (const line of table(
          items.map((e) => [e.erasedOn, String(e.items), e.by ? `operator ${e.by}` : 'the person (by link)', e.reason ?? '']),
          ['DAY', 'ITEMS', 'ASKED THROUGH', 'REASON'],
          100,
        )) {
          ctx.say(line);
        }
        ctx.say(plural(items.length, 'erasure'));
      });
    });

  return privacy;
}
