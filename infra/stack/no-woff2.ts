/**
 * What a function's bundle uses in place of `brotli/decompress.js` (the alias in bundling.ts). fontkit reaches
 * for it only to open WOFF2 fonts; the delivery document embeds TrueType files (shared/delivery/fonts.ts), so the
 * decoder, about 470 KB of dictionary and code, would be carried by the function and never run. A WOFF2 font
 * given to a bundled function fails here by name rather than with a decoder's error.
 */
export default function decompress(): never {
  throw new Error('WOFF2 fonts cannot be opened in a bundled function: embed TrueType (.ttf) files');
}
