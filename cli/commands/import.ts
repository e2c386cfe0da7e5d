import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import type { SignatureImportEntry } from '#shared/http/import-schemas.ts';
import { maxImportBatch } from '#shared/http/import-schemas.ts';
import { confirmOrStop } from '../confirm.ts';
import { read } from '../documents.ts';
import { ApiError, CommandFailed, ConnectionError, UsageError } from '../errors.ts';
import { Context, plural } from '../output.ts';
import { progress } from '../progress.ts';
import { readSignatureCsv, type ImportRow, type RejectedRow } from '../signature-csv.ts';
import { slugPath } from './campaign.ts';

interface CampaignSummary {
  slug: string;
  title: string;
  status: string;
}

/**
 * A request body stays well under the API's 16 KiB (MAX_BODY_BYTES): ten rows of the usual size, fewer when their
 * comments are long. A single row is at most ~5 KB, so every row fits in a batch of its own.
 */
const maxBatchBytes = 12_000;
/** Tries per row: a row EventBridge did not take, or a batch the API could not answer, is sent again. */
const attempts = 4;

interface Failure {
  line: number;
  error: string;
}

export function importCommand(): Command {
  return new Command('import')
    .description(
      'import signatures from paper or offline forms (a CSV file): each row is recorded as a signature sent from the form would be, and counts once the person clicks the link mailed to them',
    )
    .argument('<slug>', 'the campaign')
    .argument('<file>', 'a CSV file with a header row: name,email,country (required), subscribe,public (yes/no), locale, postcode, comment')
    .option('--ref <text>', 'counted as these signatures\' source (`ref`), e.g. paper-vigil-rabat')
    .option('--dry-run', 'only show what would be imported and which lines are refused, and why')
    .option('-y, --yes', 'import without asking')
    .addHelpText(
      'after',
      `
Every row is checked as the API checks a signature; a refused row is reported with its line and the reason,
and the others are imported. Rows go to the API ten at a time (or fewer, to keep each request small), which
puts them on the event bus; rows it could not put are tried again, and any that still fail are reported by line.
Running the same file again imports nobody twice: each row carries a key made of the campaign and the address.

Examples:
  tadamon import free-nasser-zefzafi vigil.csv --dry-run
  tadamon import free-nasser-zefzafi vigil.csv --ref paper-vigil-rabat --yes`,
    )
    .action(async (slug: string, file: string, options: { ref?: string; dryRun?: boolean; yes?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      if (options.ref !== undefined && !/^[\p{L}\p{N}_.-]{1,100}$/u.test(options.ref)) throw new UsageError('--ref is 1 to 100 letters, digits, ".", "_" or "-".');
      const parsed = readSignatureCsv(read(file), { slug, ref: options.ref, file });
      const campaign = await ctx.client.get<CampaignSummary>(slugPath(slug));
      const plan = { campaign: campaign.slug, title: campaign.title, status: campaign.status, valid: parsed.rows.length, rejected: parsed.rejected };
      showPlan(ctx, file, plan);
      if (options.dryRun) return ctx.result({ ...plan, dryRun: true });
      if (parsed.rows.length === 0) throw new CommandFailed(`Nothing to import: no row of ${file} can be imported.`);
      if (campaign.status !== 'open') ctx.note(`Note: "${campaign.title}" is ${campaign.status}; the API will refuse signatures it does not take.`);
      await confirmOrStop(ctx, `Import ${plural(parsed.rows.length, 'signature')} into "${campaign.title}"?`, options);

      const failed = await send(ctx, campaign.slug, parsed.rows);
      const imported = parsed.rows.length - failed.length;
      ctx.result({ ...plan, imported, failed }, () => {
        ctx.say(`${plural(imported, 'signature')} on their way to "${campaign.title}": each person gets a confirmation link and counts once they click it.`);
      });
      if (failed.length > 0) {
        for (const failure of failed) ctx.note(`  line ${failure.line}: ${failure.error}`);
        throw new CommandFailed(`${plural(failed.length, 'row')} could not be imported (listed above); the others were.`, [
          'Run the same command again: rows already imported are recognised and not recorded twice.',
        ]);
      }
    });
}


function showPlan(ctx: Context, file: string, plan: { title: string; slug?: string; campaign: string; valid: number; rejected: RejectedRow[] }): void {
  const rows = plan.valid + plan.rejected.length;
  ctx.note(`Campaign: ${plan.title} (${plan.campaign})`);
  ctx.note(`${file}: ${plural(rows, 'row')}: ${plan.valid} to import, ${plan.rejected.length} refused`);
  for (const { line, reason } of plan.rejected) ctx.note(`  line ${line}: ${reason}`);
}

/** The rows in batches of at most ten, and of at most `maxBatchBytes` as JSON. */
export function batches(rows: ImportRow[]): ImportRow[][] {
  const out: ImportRow[][] = [];
  let batch: ImportRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row.request)) + 1;
    if (batch.length > 0 && (batch.length === maxImportBatch || bytes + size > maxBatchBytes)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(row);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/**
 * Sends every row, a batch at a time, with a progress bar. A batch the API did not answer (a timeout, a 5xx) is
 * sent again whole, and a row EventBridge did not take is sent again in a later batch: either way the row's
 * idempotency key makes a second copy record nothing. Answers the rows that still failed after `attempts` tries.
 */
async function send(ctx: Context, slug: string, rows: ImportRow[]): Promise<Failure[]> {
  const bar = progress(ctx, 'Importing', { plainEveryMs: 2000 });
  const failed: Failure[] = [];
  let pending = rows;
  let done = 0;
  try {
    for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
      if (attempt > 1) await sleep(1000 * 2 ** (attempt - 2));
      const retry: ImportRow[] = [];
      for (const batch of batches(pending)) {
        const last = attempt === attempts;
        const entries = await putBatch(ctx, slug, batch, last);
        batch.forEach((row, i) => {
          const entry = entries?.[i];
          if (entry && 'eventId' in entry) done++;
          else if (last) failed.push({ line: row.line, error: entry ? `${entry.errorCode}: ${entry.errorMessage}` : 'the API did not answer' });
          else retry.push(row);
        });
        bar.update(done, rows.length, failed.length > 0 ? `${failed.length} failed` : '');
      }
      pending = retry;
    }
  } finally {
    bar.stop();
  }
  return failed;
}

/** One batch; undefined when the API could not be reached or failed (5xx), for the caller to try again. */
async function putBatch(ctx: Context, slug: string, batch: ImportRow[], last: boolean): Promise<SignatureImportEntry[] | undefined> {
  try {
    const answer = await ctx.client.json<{ entries: SignatureImportEntry[] }>('POST', `${slugPath(slug)}/signatures/import`, {
      body: { signatures: batch.map((row) => row.request) },
    });
    return answer.entries;
  } catch (error) {
    const transient = error instanceof ConnectionError || (error instanceof ApiError && error.status >= 500);
    if (!transient) {
      // The API refused the batch itself (the campaign closed meanwhile, a sign-in that ran out): no retry mends it.
      throw error instanceof ApiError ? error.withContext(`importing the rows from line ${batch[0]!.line}`, ['Rows before it were imported; running the command again imports nobody twice.']) : error;
    }
    if (last) ctx.note(`A batch from line ${batch[0]!.line} failed: ${error.message}`);
    return undefined;
  }
}
