import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { YAMLError } from 'yaml';
import { z } from 'zod';
import { parseCampaignDocument, parseTranslationDocument, type CampaignDocument } from '#shared/domain/campaign-document.ts';
import type { Translation } from '#shared/domain/campaign.ts';
import { UsageError } from './errors.ts';

export interface LoadedCampaign {
  file: string;
  document: CampaignDocument;
  /** Every translation, from the front matter's `translations` and from sibling `<name>.<locale>.md` files. */
  translations: { locale: string; translation: Translation; file: string }[];
}

const translationFile = /^(.+)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.md$/;

/**
 * Reads a campaign document and its sibling translations (`<name>.<locale>.md` beside `<name>.md`) and
 * checks them with the same parsers the server's demo loader uses, so nothing reaches the API unchecked.
 */
export function loadCampaignDocument(file: string): LoadedCampaign {
  const resolved = path.resolve(file);
  const document = parse(file, () => parseCampaignDocument(read(file)), () => {
    const base = translationFile.exec(path.basename(resolved));
    const main = base ? path.join(path.dirname(resolved), `${base[1]}.md`) : undefined;
    return main && existsSync(main) ? [`${file} looks like a translation; create the campaign from ${path.relative(process.cwd(), main)}.`] : [];
  });
  const translations = new Map<string, { locale: string; translation: Translation; file: string }>();
  for (const [locale, translation] of Object.entries(document.campaign.translations)) translations.set(locale, { locale, translation, file });
  const name = path.basename(resolved).replace(/\.md$/i, '');
  const folder = path.dirname(resolved);
  const siblings = readdirSync(folder)
    .filter((f) => translationFile.exec(f)?.[1] === name)
    .sort();
  for (const sibling of siblings) {
    const locale = translationFile.exec(sibling)![2]!;
    const siblingPath = path.join(path.dirname(file), sibling);
    const translation = parse(siblingPath, () => parseTranslationDocument(read(siblingPath)));
    if (locale === document.campaign.locale) {
      throw new UsageError(`${siblingPath} translates into ${locale}, the campaign's own locale.`, { hints: ['Rename it for the language it is in.'] });
    }
    translations.set(locale, { locale, translation, file: siblingPath });
  }
  return { file, document, translations: [...translations.values()] };
}

/** A text file the operator named, or a usage error that says why it cannot be read. */
export function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`Cannot read ${file}: ${why}.`);
  }
}

/** Parse errors as a person can act on them: the file, then each invalid field as `path: message`. */
function parse<T>(file: string, fn: () => T, hints: () => string[] = () => []): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof z.ZodError) {
      throw new UsageError(`${file} is not a valid campaign document.`, {
        errors: error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(document)', message: issue.message })),
        hints: hints(),
      });
    }
    if (error instanceof YAMLError) {
      // The parser counts lines from the start of the front matter, one below the file's first `---`.
      const line = error.linePos?.[0]?.line;
      const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      throw new UsageError(`${file}${line !== undefined ? `:${line + 1}` : ''}: the front matter is not valid YAML: ${what}`, { hints: hints() });
    }
    throw new UsageError(`${file}: ${(error as Error).message}`, { hints: hints() });
  }
}
