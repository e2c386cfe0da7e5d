import { Command, Option } from 'commander';
import type { Campaign, Counts } from '#shared/domain/campaign.ts';
import type { CampaignSummary } from '#shared/domain/campaign-views.ts';
import { campaignStatuses } from '#shared/domain/statuses.ts';
import { ApiError } from '../errors.ts';
import { Context, plural, table } from '../output.ts';

export type CampaignWithCounts = Campaign & { counts: Counts };

export const slugPath = (slug: string) => `/admin/campaigns/${encodeURIComponent(slug)}`;

export function campaignCommand(): Command {
  const campaign = new Command('campaign').description('create, publish, close, show and list campaigns');

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
    .command('publish')
    .description('open a campaign for signing (publishing an open campaign changes nothing)')
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
