import { CommandFailed, UsageError } from './errors.ts';
import type { Context } from './output.ts';
import { Prompter } from './prompt.ts';

/**
 * Asks before a change that cannot be taken back (`--yes` answers for scripts). Anything but "y" or "yes"
 * stops the command with nothing done.
 */
export async function confirmOrStop(ctx: Context, question: string, options: { yes?: boolean }): Promise<void> {
  if (options.yes) return;
  const prompter = new Prompter();
  let answer: string;
  try {
    answer = await prompter.ask(`${question} [y/N]`);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, { hints: ['Answer on standard input, or pass --yes to go ahead without asking.'] });
    throw error;
  } finally {
    prompter.close();
  }
  if (!/^y(es)?$/i.test(answer)) {
    ctx.note('Stopped.');
    throw new CommandFailed('Nothing was changed: not confirmed.', ['Pass --yes to go ahead without asking.']);
  }
}
