import bidiModule, { type Bidi } from 'bidi-js';

// The package's types describe its ES module build (which bundles use); Node loads its CommonJS build, whose
// export is the factory itself.
const bidiExport = bidiModule as unknown as (() => Bidi) | { default: () => Bidi };
const bidi = (typeof bidiExport === 'function' ? bidiExport : bidiExport.default)();

/**
 * One laid-out line: its pieces from left to right (words and the spaces between them), and how wide it is.
 * A piece is given to the shaper as it stands: an Arabic word in logical order (fontkit joins its letters and
 * draws it right to left), anything else already in the order it is drawn.
 */
export interface Line {
  pieces: string[];
  width: number;
}

export type Direction = 'ltr' | 'rtl';

/** How wide a piece of text in logical order is, in the unit `maxWidth` is given in. */
export type Measure = (text: string) => number;

/**
 * A paragraph broken into lines of at most `maxWidth` and each line ordered for display by the Unicode
 * Bidirectional Algorithm (bidi-js): levels are resolved over the whole paragraph, then each line's runs are
 * put in visual order (rule L2). A run stays in logical order because the font's shaper (fontkit) needs the
 * letters as written to join Arabic and reverses right-to-left scripts itself; brackets in a right-to-left run
 * are mirrored here (rule L4), and a right-to-left run without right-to-left letters is also reversed here,
 * as no shaper would.
 */
export function layoutParagraph(text: string, options: { direction: Direction; maxWidth: number; measure: Measure }): Line[] {
  const paragraph = text.replace(/\s+/g, ' ').trim();
  if (!paragraph) return [];
  // Left-to-right text with no right-to-left letter is all level 0: no need to run the algorithm (most names).
  const levels = options.direction === 'ltr' && !rightToLeftScripts.test(paragraph) ? new Uint8Array(paragraph.length) : bidi.getEmbeddingLevels(paragraph, options.direction).levels;
  return breakLines(paragraph, options.maxWidth, options.measure).map(([start, end]) => orderLine(paragraph, levels, start, end, options.measure));
}

/** The direction a piece of text reads in, by its first strong letter (or `fallback` when it has none). */
export function directionOf(text: string, fallback: Direction): Direction {
  if (!rightToLeftScripts.test(text)) return /\p{L}/u.test(text) ? 'ltr' : fallback;
  const { paragraphs } = bidi.getEmbeddingLevels(text, 'auto');
  const first = paragraphs[0];
  if (!first || !/[\p{L}]/u.test(text)) return fallback;
  return first.level % 2 === 1 ? 'rtl' : 'ltr';
}

// Hebrew, Arabic, Syriac, Thaana, N'Ko and the rest of the right-to-left blocks, with their presentation forms.
const rightToLeftScripts = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]|\ud802[\udc00-\udfff]|\ud803[\udc00-\udfff]|\ud83a[\udc00-\udfff]|\ud83b[\udc00-\udfff]/;

/** [start, end) of each line: greedy, at spaces; a word wider than the line is cut where it must be. */
function breakLines(text: string, maxWidth: number, measure: Measure): Array<[number, number]> {
  const lines: Array<[number, number]> = [];
  const words = [...text.matchAll(/\S+/g)].map((match) => [match.index, match.index + match[0].length] as [number, number]);
  let start = -1;
  let end = -1;
  for (const [wordStart, wordEnd] of words) {
    if (start >= 0 && measure(text.slice(start, wordEnd)) <= maxWidth) {
      end = wordEnd;
      continue;
    }
    if (start >= 0) lines.push([start, end]);
    [start, end] = [wordStart, wordEnd];
    // One word wider than the line (a long address, a name without spaces): cut it by characters.
    while (measure(text.slice(start, end)) > maxWidth && end - start > 1) {
      let cut = end - 1;
      while (cut - start > 1 && measure(text.slice(start, cut)) > maxWidth) cut--;
      lines.push([start, cut]);
      start = cut;
    }
  }
  if (start >= 0) lines.push([start, end]);
  return lines;
}

function orderLine(text: string, levels: Uint8Array, start: number, end: number, measure: Measure): Line {
  // Maximal pieces of one level, in logical order.
  const pieces: Array<{ start: number; end: number; level: number }> = [];
  for (let index = start; index < end; index++) {
    const level = levels[index] ?? 0;
    const last = pieces.at(-1);
    if (last && last.level === level) last.end = index + 1;
    else pieces.push({ start: index, end: index + 1, level });
  }
  // L2: from the highest level down to the lowest odd one, reverse every sequence at that level or above.
  const highest = Math.max(...pieces.map((piece) => piece.level));
  const lowestOdd = Math.min(...pieces.map((piece) => (piece.level % 2 === 1 ? piece.level : piece.level + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let index = 0; index < pieces.length; ) {
      if (pieces[index]!.level < level) {
        index++;
        continue;
      }
      let after = index;
      while (after < pieces.length && pieces[after]!.level >= level) after++;
      pieces.splice(index, after - index, ...pieces.slice(index, after).reverse());
      index = after;
    }
  }
  const words = pieces.flatMap((piece) => {
    const tokens = text.slice(piece.start, piece.end).match(/\s+|\S+/g) ?? [];
    if (piece.level % 2 === 0) return tokens;
    // Right to left: words from right to left; within a word, what the shaper will not turn is turned here.
    return tokens.reverse().map((token) => {
      const mirroredToken = mirrorCharacters(token);
      return hasRightToLeftLetter(token) ? mirroredToken : [...mirroredToken].reverse().join('');
    });
  });
  return { pieces: words, width: words.reduce((sum, word) => sum + measure(word), 0) };
}

function hasRightToLeftLetter(text: string): boolean {
  for (const char of text) {
    const type = bidi.getBidiCharTypeName(char);
    if (type === 'R' || type === 'AL') return true;
  }
  return false;
}

/** Rule L4: brackets and the like in right-to-left text take their mirrored form (fontkit does not). */
function mirrorCharacters(text: string): string {
  return [...text].map((char) => bidi.getMirroredCharacter(char) ?? char).join('');
}
