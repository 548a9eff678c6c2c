import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { baseDirection, drawBidiLine, hasArabicScript, wrapLines } from './bidi-lines';

/** The clinic's look on paper (from the admin console's branding). */
export interface PdfBrand {
  readonly clinicName: string;
  readonly address: string;
  /** #rrggbb: headings, rules and the table header. */
  readonly primary: string;
  readonly text: string;
  /** PNG bytes (the console stores logos as PNG), or null. */
  readonly logo: Buffer | null;
}

/** A column of a table: its heading, width in points, and alignment (`end`: right, or left in Arabic). */
export interface Column {
  readonly heading: string;
  readonly width: number;
  readonly align?: 'start' | 'end';
}

type Align = 'start' | 'end' | 'center';

// Debian's DejaVu covers far more scripts than the PDF standard fonts: Latin accents (a client named
// Zoë or Łukasz, "réglée", "São Paulo") and Arabic with its joining forms, which fontkit shapes. Where
// it is missing, pdfkit's built-in Helvetica still works for Latin text (not for Arabic).
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const REGULAR = `${FONT_DIR}/DejaVuSans.ttf`;
const BOLD = `${FONT_DIR}/DejaVuSans-Bold.ttf`;
const HAVE_DEJAVU = existsSync(REGULAR) && existsSync(BOLD);

const MARGIN = 50;

/**
 * A one-column business document (invoice, statement, superbill) written with pdfkit: the clinic's
 * logo, name and colours at the top, labelled fields, tables that carry over to new pages with
 * their heading repeated, and a footer line. `finish()` returns the bytes.
 */
export class PdfPage {
  readonly #doc: PDFKit.PDFDocument;
  readonly #brand: PdfBrand;
  readonly #rtl: boolean;
  readonly #nothing: string;
  readonly #chunks: Buffer[] = [];
  readonly #done: Promise<Buffer>;

  /**
   * `dir` is the reader's writing direction: right to left mirrors the page (logo and first column on
   * the right, totals on the left) and lays each line out by the bidirectional algorithm.
   * `nothing` is what an empty table says, in the reader's language.
   */
  constructor(
    brand: PdfBrand,
    title: string,
    options: { readonly dir: 'ltr' | 'rtl'; readonly lang: string; readonly nothing: string },
  ) {
    this.#brand = brand;
    this.#rtl = options.dir === 'rtl';
    this.#nothing = options.nothing;
    this.#doc = new PDFDocument({
      size: 'LETTER',
      margin: MARGIN,
      lang: options.lang,
      info: { Title: title, Author: brand.clinicName, Creator: 'Haven' },
    });
    if (HAVE_DEJAVU) {
      this.#doc.registerFont('body', REGULAR);
      this.#doc.registerFont('bold', BOLD);
    } else {
      this.#doc.registerFont('body', 'Helvetica');
      this.#doc.registerFont('bold', 'Helvetica-Bold');
    }
    this.#done = new Promise((resolve, reject) => {
      this.#doc.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
      this.#doc.on('end', () => resolve(Buffer.concat(this.#chunks)));
      this.#doc.on('error', reject);
    });
    this.#header(title);
  }

  get #width(): number {
    return this.#doc.page.width - 2 * MARGIN;
  }

  /**
   * Writes `text` in the box [x, x + width] as the reader reads it: `x` is measured from the start
   * side (the left, or the right in Arabic), `start`/`end` alignment likewise. Leaves `doc.y` under it.
   */
  #write(text: string, x: number, y: number, width: number, align: Align = 'start', oneLine = false): void {
    const doc = this.#doc;
    const side = align === 'center' ? 'center' : (align === 'start') !== this.#rtl ? 'left' : 'right';
    const left = this.#left(x, width);
    // pdfkit's own layout for text without Arabic script; the bidirectional writer for text with
    // it (an Arabic document's words, amounts and dates, or an Arabic name on an English one).
    if (!hasArabicScript(text)) {
      doc.text(text, left, y, { width, align: side, ...(oneLine ? { lineBreak: false } : {}) });
      return;
    }
    const lineHeight = doc.currentLineHeight(true);
    const lines = oneLine ? [text] : wrapLines(doc, text, width);
    let at = y;
    for (const line of lines) {
      drawBidiLine(doc, line, left, at, width, side, baseDirection(text, this.#rtl ? 'rtl' : 'ltr'));
      at += lineHeight;
    }
    doc.x = MARGIN;
    doc.y = at;
  }

  /** The height `text` takes in a box `width` wide, in the current font. */
  #heightOf(text: string, width: number): number {
    const doc = this.#doc;
    if (!hasArabicScript(text)) return doc.heightOfString(text, { width });
    return wrapLines(doc, text, width).length * doc.currentLineHeight(true);
  }

  /** A box measured from the start side, as a left edge on paper. */
  #left(x: number, width: number): number {
    return this.#rtl ? 2 * MARGIN + this.#width - x - width : x;
  }

  #header(title: string): void {
    const doc = this.#doc;
    const top = MARGIN;
    let textStart = MARGIN;
    if (this.#brand.logo) {
      try {
        doc.image(this.#brand.logo, this.#left(MARGIN, 140), top, { fit: [140, 48] });
        textStart = MARGIN + 150;
      } catch {
        // An unreadable logo never stops a document: the name alone identifies the clinic.
      }
    }
    const width = this.#width - (textStart - MARGIN);
    doc.font('bold').fontSize(16).fillColor(this.#brand.primary);
    this.#write(this.#brand.clinicName, textStart, top, width);
    if (this.#brand.address) {
      doc.font('body').fontSize(9).fillColor(this.#brand.text);
      this.#write(this.#brand.address, textStart, doc.y, width);
    }
    const below = Math.max(doc.y, top + 52) + 10;
    doc
      .moveTo(MARGIN, below)
      .lineTo(MARGIN + this.#width, below)
      .lineWidth(2)
      .strokeColor(this.#brand.primary)
      .stroke();
    doc.font('bold').fontSize(20).fillColor(this.#brand.text);
    this.#write(title, MARGIN, below + 12, this.#width);
    doc.moveDown(0.5);
  }

  /** "Label: value" lines in two columns. */
  fields(pairs: ReadonlyArray<readonly [string, string]>): void {
    const doc = this.#doc;
    const half = this.#width / 2;
    const startY = doc.y;
    let left = startY;
    let right = startY;
    pairs.forEach(([label, value], i) => {
      const x = MARGIN + (i % 2 === 0 ? 0 : half);
      const y = i % 2 === 0 ? left : right;
      doc.font('bold').fontSize(8).fillColor(this.#brand.primary);
      // Capitals where the script has them (Arabic has none; toLocaleUpperCase keeps it as it is).
      this.#write(label.toLocaleUpperCase(), x, y, half - 10);
      doc.font('body').fontSize(10).fillColor(this.#brand.text);
      this.#write(value || '—', x, doc.y, half - 10);
      if (i % 2 === 0) left = doc.y + 6;
      else right = doc.y + 6;
    });
    doc.x = MARGIN;
    doc.y = Math.max(left, right) + 4;
  }

  heading(text: string): void {
    this.#ensureRoom(40);
    this.#doc.moveDown(0.5);
    this.#doc.font('bold').fontSize(12).fillColor(this.#brand.primary);
    this.#write(text, MARGIN, this.#doc.y, this.#width);
    this.#doc.moveDown(0.3);
  }

  paragraph(text: string): void {
    this.#doc.font('body').fontSize(9).fillColor(this.#brand.text);
    this.#write(text, MARGIN, this.#doc.y, this.#width);
    this.#doc.moveDown(0.3);
  }

  /** A table; rows that do not fit go to a new page under a repeated header row. */
  table(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): void {
    const doc = this.#doc;
    const total = columns.reduce((n, c) => n + c.width, 0);
    const scale = this.#width / total;
    const widths = columns.map((c) => c.width * scale);
    const headerRow = (): void => {
      const y = doc.y;
      doc.rect(MARGIN, y, this.#width, 16).fill(this.#brand.primary);
      let x = MARGIN;
      columns.forEach((c, i) => {
        doc.font('bold').fontSize(8).fillColor('#ffffff');
        this.#write(c.heading, x + 3, y + 4, widths[i]! - 6, c.align ?? 'start', true);
        x += widths[i]!;
      });
      doc.y = y + 20;
    };
    headerRow();
    for (const row of rows) {
      doc.font('body').fontSize(9);
      const height = Math.max(...row.map((cell, i) => this.#heightOf(cell, widths[i]! - 6))) + 6;
      if (doc.y + height > doc.page.height - MARGIN - 30) {
        doc.addPage();
        headerRow();
      }
      const y = doc.y;
      let x = MARGIN;
      row.forEach((cell, i) => {
        doc.fillColor(this.#brand.text);
        this.#write(cell, x + 3, y + 2, widths[i]! - 6, columns[i]?.align ?? 'start');
        x += widths[i]!;
      });
      doc.y = y + height;
      doc
        .moveTo(MARGIN, doc.y)
        .lineTo(MARGIN + this.#width, doc.y)
        .lineWidth(0.5)
        .strokeColor('#cccccc')
        .stroke();
    }
    if (rows.length === 0) this.paragraph(this.#nothing);
    doc.x = MARGIN;
    doc.moveDown(0.5);
  }

  /** "label   amount" lines at the end side; the last one bold (the total). */
  totals(lines: ReadonlyArray<readonly [string, string]>): void {
    const doc = this.#doc;
    this.#ensureRoom(lines.length * 16 + 10);
    lines.forEach(([label, value], i) => {
      const bold = i === lines.length - 1;
      const y = doc.y;
      doc
        .font(bold ? 'bold' : 'body')
        .fontSize(bold ? 11 : 10)
        .fillColor(this.#brand.text);
      this.#write(label, MARGIN + this.#width * 0.45, y, this.#width * 0.35, 'end');
      this.#write(value, MARGIN + this.#width * 0.8, y, this.#width * 0.2, 'end');
      doc.y = y + (bold ? 18 : 15);
    });
    doc.x = MARGIN;
  }

  #ensureRoom(points: number): void {
    if (this.#doc.y + points > this.#doc.page.height - MARGIN - 30) this.#doc.addPage();
  }

  /** Ends the document; resolves with its bytes. */
  finish(footer: string): Promise<Buffer> {
    const doc = this.#doc;
    this.#ensureRoom(30);
    doc.moveDown(1);
    doc.font('body').fontSize(8).fillColor('#555555');
    this.#write(footer, MARGIN, doc.y, this.#width, 'center');
    doc.end();
    return this.#done;
  }
}
