import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ApiError, CommandFailed, UsageError } from '../errors.ts';
import { Context } from '../output.ts';
import { slugPath, type CampaignWithCounts } from './campaign.ts';

/**
 * A translation is a field of its campaign (`translations.<locale>`): these commands read the campaign, check
 * the locale is (or is not) there, and PATCH that one locale, so the other languages are never touched.
 */
export function translationCommand(): Command {
  const translation = new Command('translation').description("add, update or remove one language of a campaign's texts");

  const write = (action: 'add' | 'update') =>
    async (slug: string, locale: string, file: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const text = await loadTranslation(file);
      const stored = await ctx.client.get<CampaignWithCounts>(slugPath(slug));
      const wanted = canonicalLocale(locale);
      if (wanted === stored.locale.toLowerCase()) {
        throw new UsageError(`${slug} is written in ${stored.locale}: that is its own text, not a translation.`, {
          hints: [`Change the campaign's own text with \`tadamon campaign update ${slug} FILE.md\`.`],
        });
      }
      const existing = Object.keys(stored.translations).find((l) => l.toLowerCase() === wanted);
      if (action === 'add' && existing) {
        throw new CommandFailed(`${slug} already has a "${existing}" translation; nothing was changed.`, [`To replace it: tadamon translation update ${slug} ${existing} ${file}`]);
      }
      if (action === 'update' && !existing) {
        const have = Object.keys(stored.translations);
        throw new CommandFailed(`${slug} has no "${locale}" translation; nothing was changed.`, [
          `To add it: tadamon translation add ${slug} ${locale} ${file}`,
          ...(have.length ? [`Its translations: ${have.join(', ')}.`] : []),
        ]);
      }
      const key = existing ?? locale;
      let updated: CampaignWithCounts;
      try {
        updated = await ctx.client.json<CampaignWithCounts>('PATCH', slugPath(slug), { body: { translations: { [key]: text } } });
      } catch (error) {
        if (error instanceof ApiError) throw error.withContext(`${action === 'add' ? 'adding' : 'updating'} the "${key}" translation`);
        throw error;
      }
      ctx.result({ slug, locale: key, action, translations: Object.keys(updated.translations) }, () =>
        ctx.say(`${action === 'add' ? 'Added' : 'Updated'} the ${key} translation of ${slug} (translations: ${Object.keys(updated.translations).join(', ')}).`),
      );
    };

  translation
    .command('add')
    .description('add a translation from a Markdown document (front matter: title, summary?, demands?, letter?; the text after it is the body); refuses a locale the campaign already has')
    .argument('<slug>')
    .argument('<locale>', 'BCP 47, e.g. fr, ar, pt-BR')
    .argument('<file>', 'the translation document, e.g. free-nasser-zefzafi.fr.md')
    .action(write('add'));

  translation
    .command('update')
    .description('replace a translation with the document (fields it leaves out are read from the campaign); refuses a locale the campaign does not have')
    .argument('<slug>')
    .argument('<locale>')
    .argument('<file>')
    .action(write('update'));

  translation
    .command('remove')
    .description('remove a translation: readers asking for that language get the campaign in its own')
    .argument('<slug>')
    .argument('<locale>')
    .option('-y, --yes', 'remove without asking (for scripts)')
    .action(async (slug: string, locale: string, options: { yes?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      const stored = await ctx.client.get<CampaignWithCounts>(slugPath(slug));
      const existing = Object.keys(stored.translations).find((l) => l.toLowerCase() === canonicalLocale(locale));
      if (!existing) throw new CommandFailed(`${slug} has no "${locale}" translation; nothing was changed.`);
      const { confirmOrStop } = await import('../confirm.ts');
      await confirmOrStop(ctx, `Remove the ${existing} translation of ${slug} ("${stored.translations[existing]?.title}")?`, options);
      const updated = await ctx.client.json<CampaignWithCounts>('PATCH', slugPath(slug), { body: { translations: { [existing]: null } } });
      ctx.result({ slug, locale: existing, action: 'remove', translations: Object.keys(updated.translations) }, () =>
        ctx.say(`Removed the ${existing} translation of ${slug}.`),
      );
    });

  return translation;
}

function canonicalLocale(locale: string): string {
  return locale.toLowerCase();
}

/** The document, checked with the parser the server's demo loader uses, errors as `field: message`. */
async function loadTranslation(file: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  const { parseTranslationDocument } = await import('#shared/domain/campaign-document.ts');
  try {
    return parseTranslationDocument(text);
  } catch (error) {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (issues) {
      throw new UsageError(`${file} is not a valid translation document.`, {
        errors: issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(document)', message: issue.message })),
      });
    }
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
}
