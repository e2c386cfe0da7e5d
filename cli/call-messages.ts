import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { splitFrontMatter } from '#shared/domain/campaign-document.ts';
import { localise, type Campaign } from '#shared/domain/campaign.ts';
import { pageUrlFor } from '#shared/domain/campaign-page-url.ts';
import type { CallMessage } from '#shared/domain/outreach.ts';
import { mailLocale, mailLocales } from '#shared/i18n/locales.ts';
import { urgentCallMail } from '#shared/mail/templates/urgent-call.ts';
import { UsageError } from './errors.ts';

/**
 * An urgent call's message files: one per language, each a subject and a message. Written as Markdown with front
 * matter (`subject:`, and `locale:` unless the file name says it, `call.fr.md`), or as a first line
 * `Subject: …` followed by the message. A file that names no language is the campaign's language version.
 */
export interface MessageFile {
  file: string;
  locale: string | undefined;
  version: CallMessage;
}

const localeInName = /\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.(?:md|txt)$/i;

export function readMessageFile(file: string): MessageFile {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read the message file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  let subject: unknown;
  let locale: unknown;
  let message: string;
  if (text.startsWith('---')) {
    let front: { data: unknown; body: string };
    try {
      front = splitFrontMatter(text);
    } catch (error) {
      throw new UsageError(`${file}: ${(error as Error).message.replace('A campaign document', 'A message file')}`);
    }
    const data = (front.data ?? {}) as Record<string, unknown>;
    ({ subject, locale } = data);
    message = front.body;
  } else {
    const match = /^Subject:[ \t]*(.*)\r?\n([\s\S]*)$/i.exec(text);
    subject = match?.[1];
    message = (match?.[2] ?? '').trim();
  }
  const hints = ['Start the file with front matter (---, subject: …, ---) or with a line "Subject: …", then the message.'];
  if (typeof subject !== 'string' || !subject.trim()) throw new UsageError(`${file} has no subject.`, { hints });
  if (!message.trim()) throw new UsageError(`${file} has no message after its subject.`, { hints });
  if (locale !== undefined && typeof locale !== 'string') throw new UsageError(`${file}: locale must be a language such as fr.`);
  const named = locale ?? localeInName.exec(path.basename(file))?.[1];
  return { file, locale: named, version: { subject: subject.trim(), message } };
}

/** The call's versions by language; a file naming none is the campaign's. Two files of one language are refused. */
export function messagesOf(files: MessageFile[], campaignLocale: string): Record<string, CallMessage> {
  const messages: Record<string, CallMessage> = {};
  const from: Record<string, string> = {};
  for (const { file, locale, version } of files) {
    const language = (locale ?? campaignLocale).toLowerCase().split(/[-_]/)[0] ?? '';
    if (!(mailLocales as readonly string[]).includes(language)) {
      throw new UsageError(`${file} is in "${locale}"; mail is written in ${mailLocales.join(', ')}.`);
    }
    if (from[language]) throw new UsageError(`${file} and ${from[language]} are both the "${language}" version.`);
    from[language] = file;
    messages[language] = version;
  }
  if (!messages[mailLocale(campaignLocale)]) {
    throw new UsageError(`There is no version in the campaign's language (${mailLocale(campaignLocale)}).`, {
      hints: [`Subscribers whose language has no version read that one: add a file such as call.${mailLocale(campaignLocale)}.md.`],
    });
  }
  return messages;
}

/** Each version as subscribers will get it, rendered by the very templates the sender uses. */
export function renderPreviews(campaign: Campaign, messages: Record<string, CallMessage>, baseUrl: string): { locale: string; subject: string; text: string; html: string }[] {
  return Object.entries(messages).map(([locale, version]) => {
    const localised = localise(campaign, locale);
    const mail = urgentCallMail({
      to: 'preview@example.org',
      locale,
      subject: version.subject,
      message: version.message,
      campaign: { title: localised.title, summary: localised.summary ?? '', url: pageUrlFor(campaign, locale, { baseUrl }) },
      unsubscribeUrl: `${baseUrl.replace(/\/+$/, '')}/unsubscribe/preview`,
      sender: 'Tadamon',
    });
    return { locale, subject: mail.subject, text: mail.text, html: mail.html };
  });
}

/** Writes `<slug>.<locale>.html` per version into `dir`; returns the files. */
export function writePreviews(dir: string, slug: string, previews: { locale: string; html: string }[]): string[] {
  mkdirSync(dir, { recursive: true });
  return previews.map(({ locale, html }) => {
    const file = path.join(dir, `${slug}.${locale}.html`);
    writeFileSync(file, html);
    return file;
  });
}
