import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import type { OutreachStatus } from '#shared/store/outreach-store.ts';
import { isoWeek, seconds } from '../arguments.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { messagesOf, readMessageFile, renderPreviews, writePreviews } from '../call-messages.ts';
import { confirmOrStop } from '../confirm.ts';
import { Context, plural, table } from '../output.ts';
import { progress } from '../progress.ts';
import { slugPath } from './campaign.ts';

interface WatchOptions {
  interval: number;
  timeout?: number;
}

const outreachPath = (id: string) => `/admin/outreach/${encodeURIComponent(id)}`;

const describe = (s: OutreachStatus) =>
  s.status === 'queued'
    ? 'queued: choosing recipients…'
    : s.status === 'scheduled'
      ? `scheduled for ${s.sendAt ?? '?'}`
      : `${s.status}: sent ${s.sent} · failed ${s.failed} · skipped ${s.skipped} of ${s.recipients}`;

/** A watch ends when nothing more will be sent. */
const finished = (s: OutreachStatus) => s.status === 'done' || s.status === 'cancelled';

/** Polls GET /admin/outreach/{id} until it is done; shows sent + failed + skipped of recipients meanwhile. */
export async function watchOutreach(ctx: Context, id: string, options: WatchOptions): Promise<OutreachStatus> {
  const bar = progress(ctx, `outreach ${id}`);
  const deadline = options.timeout ? Date.now() + options.timeout * 1000 : Infinity;
  try {
    for (;;) {
      const status = await ctx.client.get<OutreachStatus>(outreachPath(id));
      // Until it is planned the number of recipients is not known yet.
      bar.update(status.sent + status.failed + status.skipped, status.status === 'queued' ? undefined : status.recipients, describe(status));
      if (finished(status)) return status;
      if (status.status === 'scheduled') {
        throw new CommandFailed(`Outreach ${id} is scheduled for ${status.sendAt ?? 'later'}; nothing to watch yet.`, [`Watch it then with \`tadamon outreach watch ${id}\`.`]);
      }
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

  const outreach = new Command('outreach').description('urgent calls in every language (checked before they go), and following urgent calls and digests as they are sent');
  sendCommand(outreach);
  outreach
    .command('list')
    .description('urgent calls and digests, newest first: past, under way and scheduled (test sends marked)')
    .option('--limit <n>', 'how many (1-100)', (v) => Number.parseInt(v, 10), 20)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async (options: { limit: number; cursor?: string }, command: Command) => {
      const ctx = Context.of(command);
      const page = await ctx.client.get<{ items: OutreachStatus[]; nextCursor: string | null }>('/admin/outreach', {
        query: { limit: options.limit, cursor: options.cursor },
      });
      ctx.result(page, () => {
        if (page.items.length === 0) return ctx.say('No urgent call or digest yet.');
        const rows = page.items.map((o) => [
          o.id,
          o.test ? `${o.kind} (test)` : o.kind,
          o.status,
          o.status === 'scheduled' ? `at ${o.sendAt ?? ''}` : o.createdAt,
          `${o.sent}/${o.recipients}${o.skipped ? ` (${o.skipped} skipped)` : ''}`,
          [o.campaign, o.subject ?? (o.kind === 'digest' ? o.id.replace(/^digest-/, '') : '')].filter(Boolean).join(': '),
        ]);
        for (const line of table(rows, ['ID', 'KIND', 'STATUS', 'WHEN', 'SENT', 'WHAT'], 60)) ctx.say(line);
        if (page.nextCursor) ctx.say(`More: tadamon outreach list --cursor ${page.nextCursor}`);
      });
    });
  outreach
    .command('cancel')
    .description('stop a scheduled or running outreach: what was sent stays sent, the rest is skipped and counted')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const status = await ctx.client.json<OutreachStatus>('POST', `${outreachPath(id)}/cancel`);
      ctx.result(status, () => summary(ctx, status));
    });
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

interface SendOptions extends WatchOptions {
  previewHtml?: string;
  testTo: string[];
  at?: string;
  yes?: boolean;
  dryRun?: boolean;
  watch?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function sendAtOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(at.getTime())) {
    throw new UsageError(`--at ${value} is not a time.`, { hints: ['Give an ISO 8601 time with its offset, e.g. 2026-12-05T08:00:00Z.'] });
  }
  return at.toISOString();
}

/**
 * `outreach send SLUG FILE…`: previews each language version as subscribers will get it, counts who would get it
 * (a dry run on the server, by the planner's rules), asks, then sends or schedules it. `--test-to` sends every
 * version to those addresses only, marked as a test, and touches no subscriber.
 */
function sendCommand(outreach: Command): void {
  watchOptions(
    outreach
      .command('send')
      .description("an urgent call about an open campaign, one message file per language (call.en.md call.fr.md; a file naming no language is the campaign's): shows each version and the audience, asks, sends")
      .argument('<slug>')
      .argument('<files...>', "message files: front matter with subject (and locale, unless the name says it), or a first line 'Subject: …', then the message")
      .option('--preview-html <dir>', 'also write each version as HTML, as mail clients will show it, into this folder')
      .option('--test-to <address>', 'send every version to this address only, marked as a test (repeatable, at most 5)', collect, [])
      .option('--at <time>', 'schedule it (ISO 8601, within 30 days) instead of sending now')
      .option('--dry-run', 'show the versions and the audience, send nothing')
      .option('-y, --yes', 'send without asking (for scripts)')
      .option('--watch', 'follow the sending until it is done'),
  ).action(async (slug: string, files: string[], options: SendOptions, command: Command) => {
    const ctx = Context.of(command);
    const read = files.map(readMessageFile);
    const campaign = await ctx.client.get<Campaign>(slugPath(slug));
    const messages = messagesOf(read, campaign.locale);
    const previews = renderPreviews(campaign, messages, ctx.client.connection.url);
    for (const preview of previews) {
      ctx.say(`──── ${preview.locale}: ${preview.subject} ────`);
      ctx.say(preview.text.trimEnd());
      ctx.say();
    }
    if (options.previewHtml) for (const file of writePreviews(options.previewHtml, campaign.slug, previews)) ctx.note(`Wrote ${file}`);
    const sendAt = sendAtOf(options.at);
    const callPath = `${slugPath(slug)}/urgent-calls`;

    if (options.testTo.length) {
      if (sendAt) throw new UsageError('A test send goes now: leave out --at.');
      const { outreachId } = await ctx.client.json<{ outreachId: string }>('POST', callPath, { body: { messages, testTo: options.testTo } });
      await started(ctx, outreachId, options, `Test of ${plural(previews.length, 'version')} to ${options.testTo.join(', ')} queued`);
      return;
    }

    const audience = await ctx.client.json<{ audience: number; byLocale: Record<string, number> }>('POST', callPath, { body: { messages, dryRun: true } });
    // Largest first, then by name: the same call reads the same way whatever order the subscribers came in.
    const byLocale = Object.entries(audience.byLocale)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([locale, n]) => `${locale} ${n}`)
      .join(' · ');
    ctx.say(`Audience: ${plural(audience.audience, 'subscriber')}${byLocale ? ` (${byLocale})` : ''}.`);
    if (options.dryRun) {
      ctx.result({ dryRun: true, ...audience, locales: Object.keys(messages) }, () => ctx.say('Dry run: nothing was sent.'));
      return;
    }
    await confirmOrStop(ctx, sendAt ? `Schedule this urgent call for ${sendAt}?` : `Send this urgent call to ${plural(audience.audience, 'subscriber')} now?`, options);
    const { outreachId } = await ctx.client.json<{ outreachId: string }>('POST', callPath, { body: { messages, ...(sendAt ? { sendAt } : {}) } });
    if (sendAt) {
      ctx.result({ outreachId, status: 'scheduled', sendAt }, () => {
        ctx.say(`Urgent call for ${slug} scheduled for ${sendAt}: outreach ${outreachId}`);
        ctx.say(`Cancel it with \`tadamon outreach cancel ${outreachId}\`.`);
      });
      return;
    }
    await started(ctx, outreachId, options, `Urgent call for ${slug} queued`);
  });
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
