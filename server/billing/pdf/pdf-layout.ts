import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

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

/** A column of a table: its heading, width in points, and alignment. */
export interface Column {
  readonly heading: string;
  readonly width: number;
  readonly align?: 'left' | 'right';
}

// Debian's DejaVu covers far more scripts than the PDF standard fonts (a client named Zoë or Łukasz
// prints correctly); where it is missing, pdfkit's built-in Helvetica still works for Latin text.
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
  readonly #chunks: Buffer[] = [];
  readonly #done: Promise<Buffer>;

  constructor(brand: PdfBrand, title: string) {
    this.#brand = brand;
    this.#doc = new PDFDocument({
      size: 'LETTER',
      margin: MARGIN,
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

  #header(title: string): void {
    const doc = this.#doc;
    const top = MARGIN;
    let textLeft = MARGIN;
    if (this.#brand.logo) {
      try {
        doc.image(this.#brand.logo, MARGIN, top, { fit: [140, 48] });
        textLeft = MARGIN + 150;
      } catch {
        // An unreadable logo never stops a document: the name alone identifies the clinic.
      }
    }
    doc
      .font('bold')
      .fontSize(16)
      .fillColor(this.#brand.primary)
      .text(this.#brand.clinicName, textLeft, top, {
        width: this.#width - (textLeft - MARGIN),
      });
    if (this.#brand.address) {
      doc
        .font('body')
        .fontSize(9)
        .fillColor(this.#brand.text)
        .text(this.#brand.address, { width: this.#width - (textLeft - MARGIN) });
    }
    const below = Math.max(doc.y, top + 52) + 10;
    doc
      .moveTo(MARGIN, below)
      .lineTo(MARGIN + this.#width, below)
      .lineWidth(2)
      .strokeColor(this.#brand.primary)
      .stroke();
    doc
      .font('bold')
      .fontSize(20)
      .fillColor(this.#brand.text)
      .text(title, MARGIN, below + 12);
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
      doc
        .font('bold')
        .fontSize(8)
        .fillColor(this.#brand.primary)
        .text(label.toUpperCase(), x, y, { width: half - 10 });
      doc
        .font('body')
        .fontSize(10)
        .fillColor(this.#brand.text)
        .text(value || '—', x, doc.y, { width: half - 10 });
      if (i % 2 === 0) left = doc.y + 6;
      else right = doc.y + 6;
    });
    doc.x = MARGIN;
    doc.y = Math.max(left, right) + 4;
  }

  heading(text: string): void {
    this.#ensureRoom(40);
    this.#doc.moveDown(0.5);
    this.#doc.font('bold').fontSize(12).fillColor(this.#brand.primary).text(text, MARGIN, this.#doc.y);
    this.#doc.moveDown(0.3);
  }

  paragraph(text: string): void {
    this.#doc
      .font('body')
      .fontSize(9)
      .fillColor(this.#brand.text)
      .text(text, MARGIN, this.#doc.y, { width: this.#width });
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
        doc
          .font('bold')
          .fontSize(8)
          .fillColor('#ffffff')
          .text(c.heading, x + 3, y + 4, {
            width: widths[i]! - 6,
            align: c.align ?? 'left',
            lineBreak: false,
          });
        x += widths[i]!;
      });
      doc.y = y + 20;
    };
    headerRow();
    for (const row of rows) {
      doc.font('body').fontSize(9);
      const height =
        Math.max(...row.map((cell, i) => doc.heightOfString(cell, { width: widths[i]! - 6 }))) + 6;
      if (doc.y + height > doc.page.height - MARGIN - 30) {
        doc.addPage();
        headerRow();
      }
      const y = doc.y;
      let x = MARGIN;
      row.forEach((cell, i) => {
        doc
          .fillColor(this.#brand.text)
          .text(cell, x + 3, y + 2, { width: widths[i]! - 6, align: columns[i]?.align ?? 'left' });
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
    if (rows.length === 0) this.paragraph('Nothing in this period.');
    doc.x = MARGIN;
    doc.moveDown(0.5);
  }

  /** Right-aligned "label   amount" lines; the last one bold (the total). */
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
      doc.text(label, MARGIN + this.#width * 0.45, y, { width: this.#width * 0.35, align: 'right' });
      doc.text(value, MARGIN + this.#width * 0.8, y, { width: this.#width * 0.2, align: 'right' });
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
    doc
      .font('body')
      .fontSize(8)
      .fillColor('#555555')
      .text(footer, MARGIN, doc.y, { width: this.#width, align: 'center' });
    doc.end();
    return this.#done;
  }
}
