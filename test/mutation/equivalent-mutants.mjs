// @ts-check
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

/**
 * Equivalent mutants (test/mutation/EQUIVALENT.md) that sit alone on a piece of code of their own: Stryker
 * reports every mutant of that code as ignored, with the reason, instead of as a survivor, so that a small
 * module's score says how well its tests work rather than how many of its lines no test can tell apart.
 * Each entry names the file, the exact source text of the code and the reason; code that has changed no
 * longer matches and is mutated again. Only code with no other mutant belongs here: anything else is killed.
 */
const equivalents = [
  ['shared/ids.ts', "'utf8'", 'Buffer.from(context, ', 'Node reads an empty encoding name as UTF-8.'],
  ['shared/ids.ts', "'utf8'", 'cipher.update(plaintext, ', 'Node reads an empty encoding name as UTF-8.'],
  ['shared/ids.ts', '{ authTagLength: tagBytes }', 'bytes.subarray(0, ivBytes), ', "The tag is always sliced to 16 bytes, GCM's default, and shorter texts were refused before."],
  ['shared/ids.ts', 'ivBytes + tagBytes', 'bytes.length < ', 'A shorter text has no room for a 16-byte tag: setAuthTag throws or the tag check fails, and unseal answers undefined all the same.'],
  ['shared/ids.ts', '{\n    return undefined;\n  }', 'catch ', 'Without the return the function ends all the same, with undefined.'],
];

/** @type {import('@stryker-mutator/api/ignore').Ignorer} */
const ignorer = {
  shouldIgnore(path) {
    const nodePath = /** @type {any} */ (path);
    const file = String(nodePath.hub?.file?.opts?.filename ?? '').replaceAll('\\', '/');
    const source = nodePath.getSource();
    const parent = nodePath.parentPath?.getSource() ?? '';
    const match = equivalents.find(([name, code, context]) => file.endsWith(name) && source === code && parent.includes(`${context}${code}`));
    return match?.[3];
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'equivalent-mutants', ignorer)];
