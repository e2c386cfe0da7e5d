import { Command, Option } from 'commander';
import type { Campaign, Counts } from '#shared/domain/campaign.ts';
import type { CampaignSummary } from '#shared/domain/campaign-views.ts';
import { campaignStatuses } from '#shared/domain/statuses.ts';
import { ApiError, UsageError } from '../errors.ts';
import { campaignStatsCommand } from './campaign-stats.ts';
import { Context, plural, table } from '../output.ts';

export type CampaignWithCounts = Campaign & { counts: Counts };

export const slugPath = (slug: string) => `/admin/campaigns/${encodeURIComponent(slug)}`;

export function campaignCommand(): Command {
  const campaign = new Command('campaign').description('create, update, publish, close, reopen, show and list campaigns');

  campaign
    .command('create')
    .description('create a draft campaign from a Markdown document with YAML front matter (and its <name>.<locale>.md translations)')
    .argument('<file>', 'the campaign document, e.g. infra/local/demo-campaigns/free-nasser-zefzafi.md')
    .option('--publish', 'publish it once everything is in place')
    .addHelpText(
      'after',
      `
Steps: POST the campaign fields; PATCH each translation on its own (one locale per request keeps every
request under the API's 16 KiB body limit); PUT the document's offset with its offsetReason; publish
with --publish. Endorsements listed in a document are not created: the API only records endorsements
that an organisation's contact confirms by email and an operator approves.`,
    )
    .action(async (file: string, options: { publish?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      // Loaded here only: the document parsers bring in the domain schemas, which other commands do not need.
      const { loadCampaignDocument } = await import('../documents.ts');
      const { document, translations } = loadCampaignDocument(file);
      const client = ctx.client;
      const notes: string[] = [];
      const { translations: _inline, ...fields } = document.campaign;

      let created: CampaignWithCounts;
      try {
        created = await client.json<CampaignWithCounts>('POST', '/admin/campaigns', { body: fields });
      } catch (error) {
        if (error instanceof ApiError && error.status === 413) {
          throw error.withContext('creating the campaign', ['The campaign fields (body, letter, summary, demands) go in one request; shorten them.']);
        }
        if (error instanceof ApiError && error.status === 409) {
          const { slugFromTitle } = await import('#shared/domain/campaign.ts');
          const taken = fields.slug ?? slugFromTitle(fields.title);
          throw new ApiError(error.status, error.problem, {
            hints: [
              ...error.hints,
              `To change the existing campaign to match ${file}, run: tadamon campaign update ${taken} ${file}`,
              'To start a separate campaign, give the document another slug (front matter `slug:`).',
            ],
          });
        }
        throw error;
      }
      const slug = created.slug;
      ctx.say(`Created draft ${slug}: ${created.title}`);
      const done = [`campaign ${slug} was created as a draft`];
      const step = async <T>(during: string, fn: () => Promise<T>): Promise<T> => {
        try {
          return await fn();
        } catch (error) {
          if (error instanceof ApiError) throw error.withContext(during, [`Done before the error: ${done.join('; ')}.`]);
          throw error;
        }
      };

      for (const { locale, translation } of translations) {
        created = await step(`adding the "${locale}" translation`, () =>
          client.json<CampaignWithCounts>('PATCH', slugPath(slug), { body: { translations: { [locale]: translation } } }),
        );
        done.push(`translation ${locale} added`);
        ctx.say(`  translation ${locale} added`);
      }

      let counts = created.counts;
      if (document.offset) {
        const offset = document.offset;
        counts = await step('setting the offset', () => client.json<Counts>('PUT', `${slugPath(slug)}/offset`, { body: offset }));
        done.push(`offset set to ${offset.offset}`);
        ctx.say(`  offset set to ${offset.offset} (${offset.reason})`);
      }

      if (document.endorsements.length > 0) {
        notes.push(
          `${plural(document.endorsements.length, 'endorsement')} in the document skipped: the API records an endorsement only when the organisation's contact confirms it by email (POST /campaigns/${slug}/endorsements) and an operator approves it (tadamon endorsements approve).`,
        );
      }

      let status = created.status;
      if (options.publish) {
        const published = await step('publishing', () => client.json<CampaignWithCounts>('POST', `${slugPath(slug)}/publish`));
        status = published.status;
        ctx.say(`  published: ${slug} is ${status}`);
      } else if (document.status !== 'draft') {
        notes.push(`The document says status: ${document.status}; the campaign stays a draft until \`tadamon campaign publish ${slug}\`${document.status === 'closed' ? ' (and then `tadamon campaign close`)' : ''}, or create it with --publish.`);
      }
      for (const note of notes) ctx.note(`Note: ${note}`);

      ctx.result({
        slug,
        status,
        translations: translations.map((t) => t.locale),
        offset: document.offset ?? null,
        counts,
        skippedEndorsements: document.endorsements.length,
        notes,
      });
    });

  campaign
    .command('update')
    .description("change a campaign to match its document (and its <name>.<locale>.md translations): shows what changes and asks first")
    .argument('<slug>')
    .argument('<file>', 'the campaign document')
    .option('-y, --yes', 'apply without asking (for scripts)')
    .option('--dry-run', 'show what would change, and change nothing')
    .addHelpText(
      'after',
      `
Fields the document sets are compared with the stored campaign; only those that differ are sent (one
PATCH), then each added or changed translation on its own. A translation the document does not have is
kept (remove one with \`tadamon translation remove\`); so is an optional field the document leaves out
(target, letter, goal, dates…). Status is not a field: use publish, close and reopen.`,
    )
    .action(async (slug: string, file: string, options: { yes?: boolean; dryRun?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      const { loadCampaignDocument } = await import('../documents.ts');
      const { describeChange, fieldChanges, keptFields, translationChanges } = await import('#shared/domain/campaign-changes.ts');
      const { confirmOrStop } = await import('../confirm.ts');
      const { document, translations } = loadCampaignDocument(file);
      const { translations: _inline, slug: documentSlug, ...fields } = document.campaign;
      if (documentSlug !== undefined && documentSlug !== slug) {
        throw new UsageError(`${file} is the document of "${documentSlug}", not "${slug}".`, { hints: ['Check the slug, or the file.'] });
      }
      const stored = await ctx.client.get<CampaignWithCounts>(slugPath(slug));
      const changes = fieldChanges(stored as unknown as Record<string, unknown>, fields as Record<string, unknown>);
      const translationPlan = translations
        .map(({ locale, translation }) => ({ locale, translation, existed: stored.translations[locale] !== undefined, changes: translationChanges(stored.translations[locale], translation) }))
        .filter((t) => t.changes.length > 0);
      // Every optional field the stored campaign has and the document leaves out (signers, pageUrl… as they come);
      // what the server keeps of its own is not the document's to change.
      const serverOwned = new Set(['slug', 'status', 'translations', 'counts', 'createdAt', 'updatedAt', 'publishedAt', 'closedAt', 'anonymisedAt']);
      const kept = keptFields(stored, fields as Record<string, unknown>, Object.keys(stored).filter((key) => !serverOwned.has(key)));
      const untouched = Object.keys(stored.translations).filter((l) => !translations.some((t) => t.locale === l));
      const summary = {
        slug,
        changes: changes.map((c) => c.field),
        translations: translationPlan.map((t) => ({ locale: t.locale, action: t.existed ? 'update' : 'add', fields: t.changes.map((c) => c.field) })),
        kept,
        untouchedTranslations: untouched,
      };

      if (changes.length === 0 && translationPlan.length === 0) {
        ctx.result({ ...summary, applied: false }, () => ctx.say(`${slug} already matches ${file}: nothing to change.`));
        return;
      }
      if (!ctx.json) {
        ctx.say(`Changes to ${slug} (${stored.status}):`);
        for (const change of changes) ctx.say(`  ${describeChange(change)}`);
        for (const t of translationPlan) {
          ctx.say(`  translation ${t.locale} (${t.existed ? 'changed' : 'new'}):`);
          for (const change of t.changes) ctx.say(`    ${describeChange(change)}`);
        }
        if (kept.length) ctx.say(`  kept as stored (not in the document): ${kept.join(', ')}`);
        if (untouched.length) ctx.say(`  translations kept as stored (not in the document): ${untouched.join(', ')}`);
      }
      if (options.dryRun) {
        ctx.result({ ...summary, applied: false }, () => ctx.say('Dry run: nothing was changed.'));
        return;
      }
      await confirmOrStop(ctx, `Apply ${plural(changes.length + translationPlan.length, 'change')} to ${slug}${stored.status === 'open' ? ' (open: readers see them at once)' : ''}?`, options);

      const done: string[] = [];
      const step = async <T>(during: string, fn: () => Promise<T>): Promise<T> => {
        try {
          return await fn();
        } catch (error) {
          if (error instanceof ApiError) throw error.withContext(during, done.length ? [`Done before the error: ${done.join('; ')}.`] : []);
          throw error;
        }
      };
      let updated = stored;
      if (changes.length) {
        const patch = Object.fromEntries(changes.map((c) => [c.field, c.to]));
        updated = await step('changing the campaign fields', () => ctx.client.json<CampaignWithCounts>('PATCH', slugPath(slug), { body: patch }));
        done.push(`fields changed: ${changes.map((c) => c.field).join(', ')}`);
      }
      // One locale per request keeps each under the API's 16 KiB body limit.
      for (const t of translationPlan) {
        updated = await step(`${t.existed ? 'changing' : 'adding'} the "${t.locale}" translation`, () =>
          ctx.client.json<CampaignWithCounts>('PATCH', slugPath(slug), { body: { translations: { [t.locale]: t.translation } } }),
        );
        done.push(`translation ${t.locale} ${t.existed ? 'changed' : 'added'}`);
      }
      ctx.result({ ...summary, applied: true, campaign: updated }, () => ctx.say(`Updated ${slug}: ${done.join('; ')}.`));
    });

  campaign
    .command('reopen')
    .description('open a closed campaign for signing again (a campaign whose closesAt has passed needs a later closesAt first)')
    .argument('<slug>')
    .action(async (slug: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const result = await ctx.client.json<CampaignWithCounts>('POST', `${slugPath(slug)}/reopen`);
      ctx.result(result, () => ctx.say(`${result.slug} is ${result.status}.`));
    });

  campaign
    .command('publish')
    .description('open a draft campaign for signing (publishing an open campaign changes nothing; a closed one is reopened with `campaign reopen`)')
    .argument('<slug>')
    .action(async (slug: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const result = await ctx.client.json<CampaignWithCounts>('POST', `${slugPath(slug)}/publish`);
      ctx.result(result, () => ctx.say(`${result.slug} is ${result.status}.`));
    });

  campaign
    .command('close')
    .description('close a campaign: signing it then answers 409 (a draft cannot be closed)')
    .argument('<slug>')
    .action(async (slug: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const result = await ctx.client.json<CampaignWithCounts>('POST', `${slugPath(slug)}/close`);
      ctx.result(result, () => ctx.say(`${result.slug} is ${result.status}.`));
    });

  campaign
    .command('show')
    .description('a campaign with its counts, drafts included')
    .argument('<slug>')
    .action(async (slug: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const result = await ctx.client.get<CampaignWithCounts>(slugPath(slug));
      ctx.result(result, () => showCampaign(ctx, result));
    });

  campaign
    .command('list')
    .description('every campaign, newest first (follows the cursors to the end)')
    .addOption(new Option('--status <status>', 'only campaigns in this status').choices(campaignStatuses))
    .action(async (options: { status?: string }, command: Command) => {
      const ctx = Context.of(command);
      const items = await ctx.client.all<CampaignSummary>('/admin/campaigns', { status: options.status });
      ctx.result({ items }, () => {
        if (items.length === 0) return ctx.say(options.status ? `No ${options.status} campaigns.` : 'No campaigns.');
        for (const line of table(
          items.map((c) => [c.slug, c.status, c.kind, c.createdAt.slice(0, 10), c.title]),
          ['SLUG', 'STATUS', 'KIND', 'CREATED', 'TITLE'],
        )) {
          ctx.say(line);
        }
        ctx.say(plural(items.length, 'campaign'));
      });
    });

  campaign.addCommand(campaignStatsCommand());

  return campaign;
}

function showCampaign(ctx: Context, c: CampaignWithCounts): void {
  const { counts } = c;
  const translations = Object.keys(c.translations ?? {});
  const rows: [string, string | undefined][] = [
    ['slug', c.slug],
    ['kind', c.kind],
    ['status', c.status],
    ['locale', `${c.locale}${translations.length ? ` (translations: ${translations.join(', ')})` : ''}`],
    ['target', c.target],
    ['issued by', c.issuedBy],
    ['countries', c.countries.join(', ') || '(all)'],
    ['topics', c.topics.join(', ') || '(none)'],
    ['urgent', c.urgent ? 'yes' : 'no'],
    ['opens at', c.opensAt],
    ['closes at', c.closesAt],
    ['created', c.createdAt],
    ['updated', c.updatedAt],
    ['demands', c.demands.length ? String(c.demands.length) : undefined],
    ['letter', c.letter ? `${c.letter.length} characters` : undefined],
    [
      'count',
      `${counts.total} = ${plural(counts.signatures, 'signature')} + ${counts.offset} offset` +
        (counts.goal ? `; goal ${counts.goal} (${Math.floor((counts.total / counts.goal) * 100)} %)` : ''),
    ],
    ['endorsements', String(counts.endorsements)],
    [
      'by country',
      Object.entries(counts.byCountry)
        .sort((a, b) => b[1] - a[1])
        .map(([country, n]) => `${country} ${n}`)
        .join(', ') || undefined,
    ],
  ];
  ctx.say(c.title);
  for (const [label, value] of rows) if (value !== undefined && value !== '') ctx.say(`  ${label.padEnd(13)}${value}`);
  if (c.summary) {
    ctx.say();
    ctx.say(c.summary);
  }
}
