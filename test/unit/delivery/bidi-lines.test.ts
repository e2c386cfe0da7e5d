import { describe, expect, it } from 'vitest';
import { directionOf, layoutParagraph } from '#shared/delivery/bidi-lines.ts';

// One unit per character: lines break by count, so the tests read like the text.
const measure = (text: string) => [...text].length;
const lay = (text: string, direction: 'ltr' | 'rtl', maxWidth = 1000) => layoutParagraph(text, { direction, maxWidth, measure });

describe('ordering a line for display', () => {
  it('keeps left-to-right text as it is, split into words', () => {
    expect(lay('Free them all', 'ltr')).toEqual([{ pieces: ['Free', ' ', 'them', ' ', 'all'], width: 13 }]);
  });

  it('sets Arabic words from right to left, each word in logical order for the shaper to join', () => {
    const [line] = lay('الحرية لعلاء عبد الفتاح', 'rtl');
    expect(line!.pieces.filter((piece) => piece.trim())).toEqual(['الفتاح', 'عبد', 'لعلاء', 'الحرية']);
  });

  it('keeps numbers and Latin names inside Arabic the right way round', () => {
    const [line] = lay('وقّع 1234 شخصًا مع Jean Dupont', 'rtl');
    const words = line!.pieces.filter((piece) => piece.trim());
    // Left to right on the page: the Latin name (in its own order), then the Arabic from its end to its start.
    expect(words).toEqual(['Jean', 'Dupont', 'مع', 'شخصًا', '1234', 'وقّع']);
  });

  it('mirrors brackets in right-to-left text (the shaper then turns the whole word)', () => {
    const [line] = lay('(وفق القانون).', 'rtl');
    expect(line!.pieces.filter((piece) => piece.trim())).toEqual(['القانون(.', ')وفق']);
  });

  it('turns right-to-left punctuation standing on its own, which no shaper would', () => {
    const [line] = lay('نعم ...) لا', 'rtl');
    expect(line!.pieces.filter((piece) => piece.trim())).toEqual(['لا', '(...', 'نعم']);
  });

  it('breaks lines at spaces, the first words on the first line, in either direction', () => {
    expect(lay('one two three four', 'ltr', 9).map((line) => line.pieces.join(''))).toEqual(['one two', 'three', 'four']);
    expect(lay('واحد اثنان ثلاثة', 'rtl', 11).map((line) => line.pieces.join(''))).toEqual(['اثنان واحد', 'ثلاثة']);
  });

  it('cuts a word longer than a line rather than overflow', () => {
    expect(lay('abcdefghij', 'ltr', 4).map((line) => line.pieces.join(''))).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('has no lines for blank text', () => {
    expect(lay('  \n ', 'ltr')).toEqual([]);
  });
});

describe('the direction of a piece of text', () => {
  it('is that of its first letter, or the fallback when it has none', () => {
    expect(directionOf('سلمى Smith', 'ltr')).toBe('rtl');
    expect(directionOf('Smith سلمى', 'rtl')).toBe('ltr');
    expect(directionOf('1234', 'rtl')).toBe('rtl');
  });
});
