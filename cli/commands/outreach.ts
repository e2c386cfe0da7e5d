import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import type { OutreachStatus } from '#shared/store/outreach-store.ts';
import { isoWeek, seconds } from '../arguments.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { Context } from '../output.ts';
import { progress } from '../progress.ts';
import { slugPath } from './campaign.ts';

interface WatchOptions {
  interval: number;
  timeout?: number;
}

const outreachPath = (id: string) => `/admin/outreach/${encodeURIComponent(id)}`;

const describe = (s: OutreachStatus) =>
  s.status === 'queued' ? 'queued: choosing recipients…' : `${s.status}: sent ${s.sent} · failed ${s.failed} · skipped ${s.skipped} of ${s.recipients}`;

/** Polls GET /admin/outreach/{id} until it is done; shows sent + failed + skipped of recipients meanwhile. */
export async function watchOutreach(ctx: Context, id: string, options: WatchOptions): Promise<OutreachStatus> {
  const bar = progress(ctx, `outreach ${id}`);
  const deadline = options.timeout ? Date.now() + options.timeout * 1000 : Infinity;
  try {
    for (;;) {
      const status = await ctx.client.get<OutreachStatus>(outreachPath(id));
      // Until it is planned the number of recipients is not known yet.
      bar.update(status.sent + status.failed + status.skipped, status.status === 'queued' ? undefined : status.recipients, describe(status));
      if (status.status === 'done') return status;
      if (Date.now() > deadline) throw new CommandFailed(`Outreach ${id} was not done within ${options.timeout} s (${describe(status)}).`, [`Go on watching with \`tadamon outreach watch ${id}\`.`]);
      await sleep(options.interval * 1000);
    }
  } finally {
    bar.stop();
  }
}

function summary(ctx: Context, s: OutreachStatus): void {
  ctx.say(`Outreach ${s.id} (${s.kind}) is ${s.status}: ${s.recipients} recipients, ${s.sent} sent, ${s.failed} failed, ${s.skipped} skipped.`);
}

const watchOptions = (command: Command) =>
  command
    .option('--interval <seconds>', 'seconds between polls', seconds, 1)
    .option('--timeout <seconds>', 'give up (exit 1) after this many seconds', seconds);

/** Starts an outreach (urgent call, digest): prints its id, or with --watch follows it to the end. */
async function started(ctx: Context, outreachId: string, options: WatchOptions & { watch?: boolean }, what: string): Promise<void> {
  if (!options.watch) {
    ctx.result({ outreachId }, () => {
      ctx.say(`${what}: outreach ${outreachId}`);
      ctx.say(`Follow it with \`tadamon outreach watch ${outreachId}\`.`);
    });
    return;
  }
  ctx.say(`${what}: outreach ${outreachId}`);
  const status = await watchOutreach(ctx, outreachId, options);
  ctx.result({ outreachId, ...status }, () => summary(ctx, status));
}

export function outreachCommands(): Command[] {
  const urgentCall = watchOptions(
    new Command('urgent-call')
      .summary('email an urgent call about an open campaign to matching subscribers')
      .description("email an urgent call about an open campaign to every confirmed subscriber with urgent alerts on whose countries/topics match")
      .argument('<slug>')
      .requiredOption('--subject <text>', 'the subject line')
      .requiredOption('--message-file <file>', "the message text ('-' reads standard input)")
      .option('--watch', 'follow the sending with a progress bar until it is done'),
  ).action(async (slug: string, options: WatchOptions & { subject: string; messageFile: string; watch?: boolean }, command: Command) => {
    const ctx = Context.of(command);
    const message = readMessage(options.messageFile);
    const { outreachId } = await ctx.client.json<{ outreachId: string }>('POST', `${slugPath(slug)}/urgent-calls`, {
      body: { subject: options.subject, message },
    });
    await started(ctx, outreachId, options, `Urgent call for ${slug} queued`);
  });

  const outreach = new Command('outreach').description('follow urgent calls and digests as they are sent');
  watchOptions(
    outreach
      .command('watch')
      .description('a live progress bar (sent + failed + skipped of recipients) until the outreach is done; plain lines when not on a terminal')
      .argument('<id>', 'the outreach id that urgent-call or digest run printed'),
  ).action(async (id: string, options: WatchOptions, command: Command) => {
    const ctx = Context.of(command);
    const status = await watchOutreach(ctx, id, options);
    ctx.result(status, () => summary(ctx, status));
  });
  outreach
    .command('show')
    .description("an outreach's status, once")
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const status = await ctx.client.get<OutreachStatus>(outreachPath(id));
      ctx.result(status, () => summary(ctx, status));
    });

  const digest = new Command('digest').description('the weekly digest');
  watchOptions(
    digest
      .command('run')
      .description('send the weekly digest for a period now (the same code the Monday schedule runs; a period goes to each subscriber at most once)')
      .option('--period <week>', 'the ISO week, e.g. 2026-W47 (default: the current week)', isoWeek)
      .option('--watch', 'follow the sending until it is done'),
  ).action(async (options: WatchOptions & { period?: string; watch?: boolean }, command: Command) => {
    const ctx = Context.of(command);
    const { outreachId } = await ctx.client.json<{ outreachId: string }>('POST', '/admin/digests', {
      body: options.period ? { period: options.period } : {},
    });
    await started(ctx, outreachId, options, `Digest${options.period ? ` for ${options.period}` : ''} requested`);
  });

  return [urgentCall, outreach, digest];
}

function readMessage(file: string): string {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read the message file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  if (!text.trim()) throw new UsageError(`The message file ${file} is empty.`);
  return text;
}
