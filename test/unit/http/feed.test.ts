import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { handler as getFeed } from '#functions/http/get-feed.ts';
import { lambdaContext } from '#infra/local/lambda-context.ts';
import type { Campaign } from '#shared/domain/campaign.ts';
import { campaignFeed } from '#shared/domain/campaign-feed.ts';

const base: Campaign = {
  slug: 'placeholder',
  kind: 'petition',
  title: 'Placeholder',
  summary: '',
  body: 'A long **Markdown** body that the feed leaves out.',
  letter: 'Dear minister, …',
  demands: ['Free them'],
  issuedBy: 'A committee',
  locale: 'en',
  translations: {},
  countries: ['MA'],
  topics: ['political-prisoners'],
  urgent: false,
  status: 'open',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const hostile: Campaign = {
  ...base,
  slug: 'script-test',
  title: 'Stop <script>alert("x")</script> & \'quotes\' ]]> now',
  summary: 'Summary with <b>markup</b> & "double" and \'single\' quotes,\nover two lines.',
  translations: { fr: { title: 'Arrêtez <script> & « ça »', summary: 'Résumé <i>français</i> & co', body: '' } },
  updatedAt: '2026-03-04T05:06:07.000Z',
};

const arabic: Campaign = {
  ...base,
  slug: 'release-all-moroccan-political-prisoners',
  title: 'الحرية لجميع المعتقلين السياسيين',
  summary: 'نطالب بالإفراج الفوري عن جميع المعتقلين السياسيين في المغرب.',
  locale: 'ar',
  translations: { fr: { title: 'Libérez tous les prisonniers politiques', summary: 'Nous exigeons leur libération.', body: '' } },
  updatedAt: '2026-05-01T10:00:00.000Z',
};

const untranslated: Campaign = { ...base, slug: 'kazakhstan-oil-workers-strike', title: 'Solidarity with the oil workers', summary: 'Support the strike.' };

const campaigns = [arabic, hostile, untranslated];

interface AtomText {
  '#text': string;
  '@type': string;
  '@xml:lang'?: string;
}
interface AtomEntry {
  '@xml:lang': string;
  id: string;
  title: AtomText;
  link: { '@href': string; '@rel': string };
  updated: string;
  summary?: AtomText;
}
interface AtomFeed {
  '@xmlns': string;
  '@xml:lang': string;
  id: string;
  title: AtomText;
  updated: string;
  link: { '@href': string; '@rel': string };
  author: { name: string };
  entry?: AtomEntry[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  alwaysCreateTextNode: false,
  isArray: (name) => name === 'entry',
});

function parse(xml: string): AtomFeed {
  // Well-formedness first: a strict check of the whole document, then the parse.
  expect(XMLValidator.validate(xml)).toBe(true);
  return (parser.parse(xml) as { feed: AtomFeed }).feed;
}

const text = (node: AtomText | string | undefined) => (typeof node === 'string' ? node : node?.['#text']);

describe('campaignFeed', () => {
  const xml = campaignFeed(campaigns, { baseUrl: 'https://tadamon.example.org/' });
  const feed = parse(xml);

  it('is an Atom 1.0 feed: the namespace, an XML declaration, the required feed elements', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toMatch(/^tag:tadamon\.org,2026:tadamon\.example\.org:feed$/);
    expect(text(feed.title)).toBe('Tadamon: open campaigns');
    expect(feed.author.name).toBe('Tadamon');
    expect(feed.link).toMatchObject({ '@rel': 'self', '@href': 'https://tadamon.example.org/feed.atom' });
    // The newest change of any entry.
    expect(feed.updated).toBe('2026-05-01T10:00:00.000Z');
  });

  it('keeps the given order', () => {
    expect(feed.entry?.map((e) => e.link['@href'])).toEqual(campaigns.map((c) => `https://tadamon.example.org/act/${c.slug}`));
  });

  it('escapes markup and quotes, so the text comes back exactly as written', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<b>');
    expect(xml).not.toContain('CDATA');
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; ]]&gt; now');
    const entry = feed.entry![1]!;
    expect(entry.title).toEqual({ '@type': 'text', '#text': hostile.title });
    expect(entry.summary).toEqual({ '@type': 'text', '#text': hostile.summary });
  });

  it('carries Arabic text unchanged, with its language', () => {
    const entry = feed.entry![0]!;
    expect(text(entry.title)).toBe(arabic.title);
    expect(text(entry.summary)).toBe(arabic.summary);
    expect(entry['@xml:lang']).toBe('ar');
    expect(feed['@xml:lang']).toBe('en');
  });

  it('gives each entry a stable tag id from its slug, a link, its update time and its summary: nothing else', () => {
    const entry = feed.entry![1]!;
    expect(entry.id).toBe('tag:tadamon.org,2026:tadamon.example.org:campaign:script-test');
    expect(entry.updated).toBe(hostile.updatedAt);
    expect(entry.link).toMatchObject({ '@rel': 'alternate', '@href': 'https://tadamon.example.org/act/script-test' });
    for (const e of feed.entry!) {
      // (Values are not trimmed, so the indentation between elements shows up as '#text'.)
      const { '#text': between, ...elements } = e as AtomEntry & { '#text'?: string };
      expect(between ?? '').toMatch(/^\s*$/);
      expect(Object.keys(elements).sort()).toEqual(['@xml:lang', 'id', 'link', 'summary', 'title', 'updated']);
    }
    // Only title and summary of a campaign's texts; no body, letter or issuer.
    expect(xml).not.toContain('Markdown');
    expect(xml).not.toContain('minister');
    expect(xml).not.toContain('committee');
    // The same campaign renamed and read in another language keeps its id.
    const renamed = parse(campaignFeed([{ ...hostile, title: 'Renamed' }], { baseUrl: 'https://tadamon.example.org', locale: 'fr' }));
    expect(renamed.entry![0]!.id).toBe(entry.id);
  });

  it('serves translations where they exist, each entry marked with the language it is in', () => {
    const fr = parse(campaignFeed(campaigns, { baseUrl: 'https://tadamon.example.org', locale: 'fr' }));
    expect(fr['@xml:lang']).toBe('fr');
    expect(text(fr.title)).toBe('Tadamon : campagnes en cours');
    expect(fr.link['@href']).toBe('https://tadamon.example.org/feed.atom?locale=fr');
    expect(fr.id).not.toBe(feed.id);
    expect(fr.entry!.map((e) => [e['@xml:lang'], text(e.title)])).toEqual([
      ['fr', 'Libérez tous les prisonniers politiques'],
      ['fr', 'Arrêtez <script> & « ça »'],
      ['en', 'Solidarity with the oil workers'],
    ]);
  });

  it('says so when its own title is not translated', () => {
    const de = parse(campaignFeed([untranslated], { baseUrl: 'https://tadamon.example.org', locale: 'de' }));
    expect(de['@xml:lang']).toBe('de');
    expect(de.title).toMatchObject({ '@xml:lang': 'en', '#text': 'Tadamon: open campaigns' });
  });

  it('stays well-formed with characters XML cannot carry', () => {
    const broken = parse(campaignFeed([{ ...hostile, title: 'Bell\u0007 and \uFFFF and \uD800 end', summary: 'Tab\tand\r\nnewline' }], { baseUrl: 'http://localhost:3210' }));
    expect(text(broken.entry![0]!.title)).toBe('Bell and  and  end');
    expect(broken.id).toBe('tag:tadamon.org,2026:localhost:3210:feed');
  });

  it('is a valid feed with no entries', () => {
    const empty = parse(campaignFeed([], { baseUrl: 'http://localhost:3000' }));
    expect(empty.entry).toBeUndefined();
    expect(empty.updated).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('GET /feed.atom', () => {
  it('answers 400 with problem details to a locale that is not a language tag, before reading anything', async () => {
    const event = {
      version: '2.0',
      routeKey: 'GET /feed.atom',
      rawPath: '/feed.atom',
      rawQueryString: 'locale=%3Cscript%3E',
      headers: { host: 'localhost' },
      queryStringParameters: { locale: '<script>' },
      requestContext: { http: { method: 'GET', path: '/feed.atom' }, requestId: 'r1' },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const result = await getFeed(event, lambdaContext('GetFeed', 10));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body ?? '')).toMatchObject({ status: 400, errors: [{ path: 'locale' }] });
  });
});
