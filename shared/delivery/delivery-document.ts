import PDFDocument from 'pdfkit';
import { formatNumber, intlLocale, mailLocale, textDirection, type MailLocale } from '#shared/i18n/locales.ts';
import { deliveryStrings, type DeliveryStrings } from '#shared/i18n/strings/delivery.ts';
import { directionOf, layoutParagraph, type Direction, type Line } from './bidi-lines.ts';
import { fontPath } from './fonts.ts';

/** What the target receives, in the campaign's own language. */
export interface DeliveryContent {
  locale: string;
  title: string;
  target?: string | undefined;
  issuedBy?: string | undefined;
  letter?: string | undefined;
  demands: string[];
  counts: { total: number; signatures: number; offset: number; byCountry: Record<string, number> };
  /** The day the total is given for. */
  at: Date;
  organisations: Array<{ organisation: string; country: string | null }>;
  names: 'public' | 'all';
}

export interface Signatory {
  name: string;
  country: string;
}

/** The next page of names, and whether more follow it. */
export type NextNames = () => Promise<{ signatories: Signatory[]; more: boolean }>;

/** When to stop listing names and leave the rest to a further part (checked between pages of names). */
export interface PartBudget {
  maxBytes: number;
  maxMs: number;
  /** This part starts at this signatory (1 for the first part, which also carries the letter and the counts). */
  firstName: number;
}

export interface RenderedDelivery {
  pdf: Buffer;
  /** Names listed in this part. */
  names: number;
  /** False when the budget ran out with names left: the caller offers the next part. */
  complete: boolean;
}

const page = { size: 'A4', margin: 56 } as const;
const sizes = { title: 20, heading: 14, body: 11, small: 9 } as const;
const nameRow = 13;

/**
 * The delivery document as a PDF (pdfkit; shaping by fontkit, which pdfkit lays text out with; order by the
 * Unicode Bidirectional Algorithm in bidi-lines.ts). Each line is laid out here and drawn run by run at its
 * place, so Arabic reads right to left, aligned right, with Latin names and numbers inside it the right way
 * round. The names are read a page at a time and written out page by page (pdfkit flushes each finished page),
 * so memory holds the compressed document and one page of names, and the part stops within its budget.
 */
export async function renderDeliveryDocument(content: DeliveryContent, nextNames: NextNames, budget: PartBudget): Promise<RenderedDelivery> {
  const started = Date.now();
  // Fonts are named by their paths: pdfkit opens a font named any other way again on every switch to it.
  const doc = new PDFDocument({
    size: page.size,
    margin: page.margin,
    font: fontPath('regular'),
    lang: content.locale,
    displayTitle: true,
    info: { Title: content.title, Creator: 'Tadamon' },
  });
  const chunks: Buffer[] = [];
  let bytes = 0;
  doc.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    bytes += chunk.length;
  });
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const writer = new Writer(doc, mailLocale(content.locale));
  if (budget.firstName === 1) writer.front(content);
  else writer.heading(writer.strings.continued(writer.number(budget.firstName)));

  let names = 0;
  let complete = true;
  writer.namesHeading(content, budget.firstName === 1);
  for (;;) {
    const { signatories, more } = await nextNames();
    for (const signatory of signatories) writer.nameRow(signatory);
    names += signatories.length;
    if (!more) break;
    // pdfkit hands finished pages to its stream; let them flow out before counting the bytes.
    await new Promise((resolve) => setImmediate(resolve));
    if (bytes > budget.maxBytes || Date.now() - started > budget.maxMs) {
      complete = false;
      break;
    }
  }
  writer.endNames();
  if (names === 0 && budget.firstName === 1) writer.paragraph(writer.strings.noNames, { size: sizes.body });
  if (!complete) writer.paragraph(writer.strings.continuesInNextPart, { size: sizes.small, gapBefore: 12 });
  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), names, complete };
}

/** Draws laid-out lines onto the document, keeping track of where the next one goes. */
class Writer {
  readonly strings: DeliveryStrings;
  private readonly direction: Direction;
  private readonly countryNames: Intl.DisplayNames;
  private readonly left = page.margin;
  private readonly width: number;
  private readonly bottom: number;
  private column = 0;
  private readonly columns = 2;
  private columnTop = 0;
  /** How far down the page the columns of names reach: what follows them starts below. */
  private columnsBottom = 0;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly locale: MailLocale,
  ) {
    this.strings = deliveryStrings[locale];
    this.direction = textDirection(locale);
    this.countryNames = new Intl.DisplayNames([intlLocale(locale)], { type: 'region', fallback: 'code' });
    this.width = doc.page.width - 2 * page.margin;
    this.bottom = doc.page.height - page.margin;
  }

  number(value: number): string {
    return formatNumber(this.locale, value);
  }

  country(code: string | null): string {
    if (!code || !/^[A-Z]{2}$/.test(code)) return this.strings.otherCountries;
    return this.countryNames.of(code) ?? code;
  }

  front(content: DeliveryContent): void {
    const { strings } = this;
    this.paragraph(content.title, { size: sizes.title, bold: true });
    if (content.target) this.labelled(strings.to, content.target);
    if (content.issuedBy) this.labelled(strings.from, content.issuedBy);
    const date = new Intl.DateTimeFormat(intlLocale(this.locale), { dateStyle: 'long', timeZone: 'UTC' }).format(content.at);
    this.paragraph(strings.total(this.number(content.counts.total), date), { size: sizes.heading, bold: true, gapBefore: 10 });
    if (content.counts.offset > 0) {
      this.paragraph(strings.totalParts(this.number(content.counts.signatures), this.number(content.counts.offset)), { size: sizes.body });
    }
    if (content.demands.length > 0) {
      this.heading(strings.demands);
      content.demands.forEach((demand, index) => this.paragraph(`${this.number(index + 1)}. ${demand}`, { size: sizes.body, gapBefore: 2 }));
    }
    if (content.letter) {
      this.heading(strings.letter);
      for (const paragraph of content.letter.split(/\n\s*\n/)) this.paragraph(paragraph, { size: sizes.body, gapBefore: 6 });
    }
    this.countryTable(content.counts.byCountry);
    if (content.organisations.length > 0) {
      this.heading(strings.organisations);
      for (const organisation of content.organisations) {
        const where = organisation.country ? ` (${this.country(organisation.country)})` : '';
        this.paragraph(`${organisation.organisation}${where}`, { size: sizes.body, gapBefore: 1 });
      }
    }
  }

  namesHeading(content: DeliveryContent, first: boolean): void {
    if (first) {
      this.heading(content.names === 'all' ? this.strings.allSignatories : this.strings.publicSignatories);
      if (content.names === 'public') this.paragraph(this.strings.publicNote, { size: sizes.small });
    }
    this.doc.y += 4;
    this.columnTop = this.doc.y;
    this.columnsBottom = this.doc.y;
    this.column = 0;
  }

  /** Names in two columns, filled down then across (right to left in a right-to-left document). */
  nameRow(signatory: Signatory): void {
    const doc = this.doc;
    if (doc.y + nameRow > this.bottom) {
      this.column++;
      if (this.column >= this.columns) {
        doc.addPage();
        this.column = 0;
        this.columnTop = doc.y;
        this.columnsBottom = doc.y;
      }
      doc.y = this.columnTop;
    }
    const gutter = 16;
    const columnWidth = (this.width - gutter * (this.columns - 1)) / this.columns;
    const visualColumn = this.direction === 'rtl' ? this.columns - 1 - this.column : this.column;
    const columnLeft = this.left + visualColumn * (columnWidth + gutter);
    const nameWidth = columnWidth * 0.62;
    const countryWidth = columnWidth - nameWidth - 6;
    const y = doc.y;
    doc.font(fontPath('regular')).fontSize(sizes.small);
    const [nameLeft, countryLeft] = this.direction === 'rtl' ? [columnLeft + countryWidth + 6, columnLeft] : [columnLeft, columnLeft + nameWidth + 6];
    this.cell(signatory.name, nameLeft, nameWidth, y);
    this.cell(this.country(signatory.country), countryLeft, countryWidth, y);
    doc.y = y + nameRow;
    this.columnsBottom = Math.max(this.columnsBottom, doc.y);
  }

  /** Below the names, whichever column is longest. */
  endNames(): void {
    this.doc.y = Math.max(this.doc.y, this.columnsBottom);
  }

  heading(text: string): void {
    this.paragraph(text, { size: sizes.heading, bold: true, gapBefore: 14 });
  }

  labelled(label: string, value: string): void {
    this.paragraph(`${label}: ${value}`, { size: sizes.body, gapBefore: 2 });
  }

  /** A paragraph in the document's direction, wrapped to the text width; a new page where it must. */
  paragraph(text: string, options: { size: number; bold?: boolean; gapBefore?: number }): void {
    const doc = this.doc;
    doc.font(fontPath(options.bold ? 'bold' : 'regular')).fontSize(options.size);
    const lineHeight = options.size * 1.6;
    doc.y += options.gapBefore ?? 0;
    const lines = layoutParagraph(text, { direction: this.direction, maxWidth: this.width, measure: (piece) => doc.widthOfString(piece) });
    for (const line of lines) {
      if (doc.y + lineHeight > this.bottom) doc.addPage();
      this.drawLine(line, this.direction === 'rtl' ? this.left + this.width - line.width : this.left, doc.y);
      doc.y += lineHeight;
    }
  }

  /** One table cell on one line: text that does not fit is cut and ends in an ellipsis. */
  private cell(text: string, left: number, width: number, y: number): void {
    const direction = directionOf(text, this.direction);
    const measure = (piece: string) => this.doc.widthOfString(piece);
    const line = layoutParagraph(fitted(text, width, measure), { direction, maxWidth: Number.POSITIVE_INFINITY, measure })[0];
    if (!line) return;
    this.drawLine(line, this.direction === 'rtl' ? left + width - Math.min(line.width, width) : left, y);
  }

  private drawLine(line: Line, x: number, y: number): void {
    let at = x;
    for (const piece of line.pieces) {
      // Spaces only move the pen: text extraction sees the gap as a space.
      if (piece.trim()) this.doc.text(piece, at, y, { lineBreak: false });
      at += this.doc.widthOfString(piece);
    }
  }

  private countryTable(byCountry: Record<string, number>): void {
    const rows = Object.entries(byCountry)
      .filter(([, count]) => count > 0)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    if (rows.length === 0) return;
    this.heading(this.strings.byCountry);
    const doc = this.doc;
    const numberWidth = 90;
    const rtl = this.direction === 'rtl';
    const header = (): void => {
      doc.font(fontPath('bold')).fontSize(sizes.body);
      this.tableRow(this.strings.country, this.strings.signatures, rtl, numberWidth);
    };
    header();
    doc.font(fontPath('regular')).fontSize(sizes.body);
    for (const [code, count] of rows) {
      if (doc.y + 16 > this.bottom) {
        doc.addPage();
        header();
        doc.font(fontPath('regular')).fontSize(sizes.body);
      }
      this.tableRow(this.country(code), this.number(count), rtl, numberWidth);
    }
  }

  private tableRow(label: string, value: string, rtl: boolean, numberWidth: number): void {
    const doc = this.doc;
    const y = doc.y;
    const labelWidth = this.width - numberWidth;
    const measure = (piece: string) => doc.widthOfString(piece);
    const labelLine = layoutParagraph(label, { direction: this.direction, maxWidth: labelWidth, measure })[0];
    const valueLine = layoutParagraph(value, { direction: this.direction, maxWidth: numberWidth, measure })[0];
    // Numbers line up on the side the text ends: right in a left-to-right table, left in a right-to-left one.
    if (labelLine) this.drawLine(labelLine, rtl ? this.left + this.width - labelLine.width : this.left, y);
    if (valueLine) this.drawLine(valueLine, rtl ? this.left : this.left + this.width - valueLine.width, y);
    doc.y = y + 16;
  }
}

/** The text, or as much of its beginning as fits with an ellipsis after it. */
function fitted(text: string, width: number, measure: (piece: string) => number): string {
  if (measure(text) <= width) return text;
  const chars = [...text];
  let [low, high] = [0, chars.length];
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(`${chars.slice(0, middle).join('').trimEnd()}…`) <= width) low = middle;
    else high = middle - 1;
  }
  return `${chars.slice(0, low).join('').trimEnd()}…`;
}
