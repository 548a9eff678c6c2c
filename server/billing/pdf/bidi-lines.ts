import bidiFactory from 'bidi-js';

/**
 * Lines with Arabic in them, for pdfkit. pdfkit lays text out left to right, word by word; fontkit under it
 * shapes Arabic (joining forms, lam-alef) and reverses the glyphs of a run it sees as Arabic script,
 * but it knows nothing of the Unicode bidirectional algorithm: an Arabic line's words, an amount or
 * a Latin name inside it, and Arabic-Indic digits (which fontkit also takes for Arabic and reverses)
 * come out in the wrong order. Here bidi-js gives each character its embedding level (UAX #9) and
 * the line's visual order; each piece is handed to pdfkit in the order it is read on paper, as a
 * whole word where fontkit's own direction agrees with the level, else character by character.
 */
const bidi = bidiFactory();

/** The part of pdfkit's document this writer uses. */
export interface TextCanvas {
  widthOfString(text: string): number;
  text(text: string, x: number, y: number, options: { lineBreak: false }): unknown;
}

// Directional marks Intl puts around numbers and currencies (RLM, LRM, ALM, isolates, embeddings):
// they steer the algorithm, but DejaVu has no glyph for them.
const CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;
// Arabic-script characters (letters, Arabic-Indic digits and separators) that fontkit reverses.
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
const ARABIC_LETTER = /[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]/;

/** A piece of a line in visual order: text in logical order, drawn from left to right. */
interface Piece {
  readonly text: string;
}

/**
 * Whether `text` has Arabic script in it (letters, or Arabic-Indic digits in an amount or a date),
 * which pdfkit alone would lay out backwards, so it needs this writer.
 */
export function hasArabicScript(text: string): boolean {
  return ARABIC_SCRIPT.test(text);
}

/**
 * The paragraph direction of `text`: right to left on a right-to-left page or when it has Arabic
 * letters (an Arabic name on an English invoice), else left to right.
 */
export function baseDirection(text: string, page: 'ltr' | 'rtl'): 'ltr' | 'rtl' {
  return page === 'rtl' || ARABIC_LETTER.test(text) ? 'rtl' : 'ltr';
}

/** The line's pieces from left to right on paper, laid out in paragraph direction `dir`. */
export function visualPieces(line: string, dir: 'ltr' | 'rtl'): Piece[] {
  const embedding = bidi.getEmbeddingLevels(line, dir);
  const { levels } = embedding;
  const order = [...line].length === line.length ? [...Array(line.length).keys()] : null;
  if (!order) return [{ text: line }]; // astral characters: none in Haven's documents, left as they are
  for (const [start = 0, end = -1] of bidi.getReorderSegments(line, embedding)) {
    const reversed = order.slice(start, end + 1).reverse();
    order.splice(start, reversed.length, ...reversed);
  }
  const mirrored = bidi.getMirroredCharactersMap(line, levels);
  const charAt = (i: number): string => mirrored.get(i) ?? line[i]!;
  const pieces: Piece[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const rtl = (levels[run[0]!]! & 1) === 1;
    // The run's characters in logical order (an RTL run is visually reversed).
    const logical = rtl ? [...run].reverse() : run;
    const text = logical.map(charAt).join('');
    // fontkit reverses a run it takes for Arabic script: give it whole only when that is right.
    const whole = rtl ? ARABIC_LETTER.test(text) : !ARABIC_SCRIPT.test(text);
    if (whole) pieces.push({ text });
    else for (const i of run) pieces.push({ text: charAt(i) });
    run = [];
  };
  for (const i of order) {
    const ch = line[i]!;
    if (CONTROLS.test(ch)) continue;
    if (ch === ' ') {
      flush();
      pieces.push({ text: ' ' });
      continue;
    }
    const previous = run.at(-1);
    const step = previous === undefined ? 0 : (levels[i]! & 1) === 1 ? previous - i : i - previous;
    if (previous !== undefined && (levels[i] !== levels[previous] || step !== 1)) flush();
    run.push(i);
  }
  flush();
  return pieces;
}

/** Greedy wrapping of logical text at spaces to `width` (a word longer than the line stays whole). */
export function wrapLines(canvas: TextCanvas, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && canvas.widthOfString(candidate) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Draws one line in its visual order inside [x, x + width], against the `side` given. The font and
 * size must be set on the canvas already.
 */
export function drawBidiLine(
  canvas: TextCanvas,
  line: string,
  x: number,
  y: number,
  width: number,
  side: 'left' | 'right' | 'center',
  dir: 'ltr' | 'rtl',
): void {
  const pieces = visualPieces(line, dir).map((p) => ({ ...p, width: canvas.widthOfString(p.text) }));
  const total = pieces.reduce((n, p) => n + p.width, 0);
  let at = side === 'right' ? x + width - total : side === 'left' ? x : x + (width - total) / 2;
  for (const piece of pieces) {
    if (piece.text !== ' ') canvas.text(piece.text, at, y, { lineBreak: false });
    at += piece.width;
  }
}
