import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import type { renderDeliveryDocument as Render } from '#shared/delivery/delivery-document.ts';
import { bundledFonts } from '#shared/delivery/fonts.ts';
import { manifest } from '#infra/manifest.ts';
import { functionBuildOptions } from '#infra/stack/bundling.ts';
import { pdfText, plain } from '#test/support/pdf-text.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'tadamon-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The delivery document built with the functions' own bundling options, with its fonts copied beside it as the deployment does. */
async function bundledRenderer(): Promise<{ render: typeof Render; inputs: string[] }> {
  const outfile = path.join(dir, 'index.mjs');
  const { metafile } = await build({ ...functionBuildOptions(path.join(root, 'shared/delivery/delivery-document.ts'), outfile), absWorkingDir: root, metafile: true, logLevel: 'silent' });
  for (const [to, from] of Object.entries(bundledFonts)) {
    mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    copyFileSync(path.join(root, from), path.join(dir, to));
  }
  const bundle = (await import(pathToFileURL(outfile).href)) as { renderDeliveryDocument: typeof Render };
  const output = Object.values(metafile.outputs).flatMap((file) => Object.entries(file.inputs));
  return { render: bundle.renderDeliveryDocument, inputs: output.filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([input]) => input) };
}

/** The files a function's bundle holds, built as the stack builds it from its manifest entry. */
async function bundledFiles(name: string): Promise<string[]> {
  const spec = manifest.find((entry) => entry.name === name);
  if (!spec) throw new Error(`${name} is not in the manifest`);
  const { metafile } = await build({
    ...functionBuildOptions(path.join(root, spec.entry), path.join(dir, name, 'index.mjs'), spec.secrets),
    absWorkingDir: root,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  // The output's inputs, with the bytes each left in it: a module read but shaken out has none.
  const inputs = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  return inputs.filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([input]) => input);
}

/** The packages a function's bundle holds. */
async function bundledPackages(name: string): Promise<Set<string>> {
  return new Set((await bundledFiles(name)).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []));
}

describe('what a function given no secret carries', () => {
  it('the Secrets Manager client only where the manifest names a secret', async () => {
    const [notFound, counts, signing] = await Promise.all(['NotFound', 'GetCampaignCounts', 'CreateSignature'].map(bundledPackages));
    expect(notFound!.has('@aws-sdk/client-secrets-manager')).toBe(false);
    expect(counts!.has('@aws-sdk/client-secrets-manager')).toBe(false);
    // Built the same way, a function given the link secret still reads it.
    expect(signing!.has('@aws-sdk/client-secrets-manager')).toBe(true);
    expect(counts!.has('@aws-sdk/client-dynamodb')).toBe(true);
  });
});

describe('what a function carries of the pages', () => {
  it("the Markdown renderer only where a campaign's text is shown", async () => {
    const [form, page] = await Promise.all(['SignByForm', 'GetCampaignPage'].map(bundledPackages));
    // The form's answer names the campaign and shows none of its text.
    expect([...form!].filter((name) => ['markdown-it', 'linkify-it', 'entities', 'mdurl'].includes(name))).toEqual([]);
    expect(page!.has('markdown-it')).toBe(true);
  });
});

describe('what a function carries of the AWS SDK', () => {
  it("no event-stream codecs, not even with Lambda's client, which names them", async () => {
    const files = await Promise.all(['GetCampaignCounts', 'AdminReplayDeadLetters', 'SendConfirmations'].map(bundledFiles));
    for (const inputs of files) {
      expect(inputs.filter((input) => input.includes('@smithy/core/dist-es/submodules/event-streams/'))).toEqual([]);
      expect(inputs).toContain('infra/stack/no-event-streams.ts');
    }
    expect(files[1]!.some((input) => input.includes('node_modules/@aws-sdk/client-lambda/'))).toBe(true);
  });
});

describe('the delivery document as bundled for Lambda', () => {
  it('embeds its TrueType fonts without the WOFF2 decoder the bundle leaves out', async () => {
    const { render, inputs } = await bundledRenderer();
    expect(inputs.filter((input) => input.includes('node_modules/brotli/'))).toEqual([]);
    expect(inputs.some((input) => input.includes('node_modules/fontkit/'))).toBe(true);
    const rendered = await render(
      {
        locale: 'ar',
        title: 'الحرية لمعتقلي الريف',
        target: 'وزير العدل',
        issuedBy: 'لجنة التضامن',
        letter: 'نحن الموقعين أدناه نطالب بالإفراج الفوري عن المعتقلين.',
        demands: ['الإفراج الفوري عن جميع المعتقلين'],
        counts: { total: 3, signatures: 3, offset: 0, byCountry: { MA: 3 } },
        at: new Date('2036-03-01T10:00:00Z'),
        organisations: [],
        names: 'public',
      },
      async () => ({ signatories: [{ name: 'سلمى بنعلي', country: 'MA' }], more: false }),
      { maxBytes: Number.POSITIVE_INFINITY, maxMs: Number.POSITIVE_INFINITY, firstName: 1 },
    );
    expect(rendered.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = plain(pdfText(rendered.pdf));
    for (const words of ['الحرية لمعتقلي الريف', 'سلمى بنعلي']) expect(text).toContain(plain(words));
  });
});
