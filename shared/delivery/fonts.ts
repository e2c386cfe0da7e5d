import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Vazirmatn (SIL Open Font License, the `vazirmatn` package): one family with Arabic and Latin (its Latin is
 * Roboto's), so a letter mixing both scripts, and names in either, share one look.
 */
const fontFiles = { regular: 'Vazirmatn-Regular.ttf', bold: 'Vazirmatn-Bold.ttf' } as const;

export type FontWeight = keyof typeof fontFiles;

/**
 * A Lambda bundle is one file: the deployment copies the fonts into `fonts/` beside it (the manifest's
 * `bundleFiles`). Elsewhere they are read from the installed package.
 */
export function fontPath(weight: FontWeight): string {
  return (resolved[weight] ??= locate(weight));
}

const resolved: Partial<Record<FontWeight, string>> = {};

function locate(weight: FontWeight): string {
  const bundled = fileURLToPath(new URL(`./fonts/${fontFiles[weight]}`, import.meta.url));
  if (existsSync(bundled)) return bundled;
  return createRequire(import.meta.url).resolve(`vazirmatn/fonts/ttf/${fontFiles[weight]}`);
}

/** Where the deployment finds each font to copy: bundle path → path in the repository. */
export const bundledFonts: Record<string, string> = Object.fromEntries(
  Object.values(fontFiles).map((file) => [`fonts/${file}`, `node_modules/vazirmatn/fonts/ttf/${file}`]),
);
