import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCampaignDocument, parseTranslationDocument } from '#shared/domain/campaign-document.ts';

const folder = path.resolve(import.meta.dirname, '../../../infra/local/demo-campaigns');
const documents = readdirSync(folder).filter((f) => f.endsWith('.md') && f !== 'README.md');
const mainFiles = documents.filter((f) => /^[a-z0-9-]+\.md$/.test(f));
const translationFiles = documents.filter((f) => !mainFiles.includes(f));
const read = (file: string) => readFileSync(path.join(folder, file), 'utf8');

describe('the demo campaign documents', () => {
  it('are there: main documents and translations', () => {
    expect(mainFiles.length).toBeGreaterThanOrEqual(10);
    expect(translationFiles.length).toBeGreaterThanOrEqual(5);
  });

  it.each(mainFiles)('%s parses, its slug is its file name, and it has a body', (file) => {
    const document = parseCampaignDocument(read(file));
    expect(document.campaign.slug).toBe(file.replace(/\.md$/, ''));
    expect(document.campaign.body.length).toBeGreaterThan(0);
    expect(['open', 'closed']).toContain(document.status);
  });

  it.each(translationFiles)('%s parses as a translation of an existing document', (file) => {
    const [slug, locale] = file.replace(/\.md$/, '').split('.');
    expect(mainFiles).toContain(`${slug}.md`);
    expect(locale).toMatch(/^[a-z]{2}$/);
    const translation = parseTranslationDocument(read(file));
    expect(translation.title.length).toBeGreaterThan(0);
    expect(translation.body?.length).toBeGreaterThan(0);
    // A translation carries demands and a letter exactly where its main document does.
    const main = parseCampaignDocument(read(`${slug}.md`)).campaign;
    expect(translation.demands?.length ?? 0).toBe(main.demands.length);
    expect(translation.letter === undefined).toBe(main.letter === undefined);
  });

  it("the Amnesty petition for Nasser Zefzafi counts the 785 actions taken on Amnesty's own form, and has its letter", () => {
    const document = parseCampaignDocument(read('free-nasser-zefzafi.md'));
    expect(document.campaign.kind).toBe('petition');
    expect(document.campaign.issuedBy).toBe('Amnesty International Canada');
    expect(document.offset).toEqual({ offset: 785, reason: expect.stringContaining('785') as unknown });
    expect(document.campaign.letter).toMatch(/^Your Excellency:/);
    expect(document.campaign.letter).toMatch(/release Nasser Zefzafi/);
    expect(document.endorsements).toEqual([]);
  });

  it("the International Peoples' Assembly urgent call lists its signing organisations as endorsements", () => {
    const text = read('release-all-moroccan-political-prisoners.md');
    const document = parseCampaignDocument(text);
    expect(document.campaign.urgent).toBe(true);
    expect(document.campaign.issuedBy).toBe("International Peoples' Assembly");
    expect(document.endorsements).toHaveLength(text.match(/^ {2}- organisation: /gm)?.length ?? -1);
    expect(document.endorsements.length).toBeGreaterThan(50);
    expect(document.endorsements).toContainEqual({ organisation: 'Association marocaine des droits humains-AMDH', country: 'MA' });
    expect(document.endorsements).toContainEqual({ organisation: 'CODEPINK – Women for Peace', country: 'US' });
    for (const endorsement of document.endorsements) expect(endorsement.country === null || /^[A-Z]{2}$/.test(endorsement.country)).toBe(true);
  });

  it('keeps endorsements whose country the document does not give, as null', () => {
    const document = parseCampaignDocument(read('casablanca-declaration-genocide-in-palestine.md'));
    expect(document.endorsements).toContainEqual({ organisation: 'Forum Des Alternatives Maroc', country: 'MA' });
    expect(document.endorsements.some((e) => e.country === null)).toBe(true);
  });
});

describe('parseCampaignDocument', () => {
  const document = ['---', 'kind: statement', 'title: "A statement"', 'status: open', '---', '', 'The body.', ''].join('\n');

  it('takes the Markdown after the front matter as the body', () => {
    const parsed = parseCampaignDocument(document);
    expect(parsed.campaign).toMatchObject({ kind: 'statement', title: 'A statement', body: 'The body.' });
    expect(parsed.status).toBe('open');
    expect(parsed.offset).toBeUndefined();
  });

  it('accepts Windows line endings and a byte order mark', () => {
    expect(parseCampaignDocument(`\uFEFF${document.replaceAll('\n', '\r\n')}`).campaign.title).toBe('A statement');
  });

  it('is an error without front matter', () => {
    expect(() => parseCampaignDocument('# Just Markdown\n\nNo front matter here.')).toThrow(/front matter/);
    expect(() => parseTranslationDocument('title: no fences\n')).toThrow(/front matter/);
  });

  it('is an error with an offset but no reason for it', () => {
    expect(() => parseCampaignDocument(document.replace('status: open', 'status: open\noffset: 10'))).toThrow(/offsetReason/);
  });

  it('rejects fields a campaign does not have', () => {
    expect(() => parseCampaignDocument(document.replace('status: open', 'status: open\nsignatures: 1000000'))).toThrow();
  });
});
