/**
 * Finds English a person would read in server code, in the places services name a problem: the
 * message and details of `new AppError(…)` and of a feature's `invalid(…)` helper, zod messages
 * (`.min(1, '…')`, `.refine(…, '…')`, `.int('…')`, `{ message: '…' }`) and a form's
 * `errors.field = '…'`, whether quoted or a template literal (`` `At most ${max} characters.` ``).
 * Those must be resource keys (`errors:field.email`) or `phrase(key, values)`, which the transport
 * translates (server/http/error-words.ts). A resource key has no spaces, so it is never a finding.
 */
export interface ServerTextFinding {
  readonly line: number;
  readonly text: string;
}

const LITERAL = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/;

/** A sentence someone reads: starts with a capital letter and has a space ("Enter a name."). */
function isProse(text: string): boolean {
  return /^[A-Z][a-z’']*\b/.test(text) && /\s/.test(text.trim());
}

/**
 * A template literal's text as a reader would meet it, each `${…}` standing for a word
 * (`${label} is required.` → "X is required."). It is prose only if some English word is left
 * besides the values (`${a} ${b}` is not; a key like `errors:${k}` never is).
 */
function isTemplateProse(text: string): boolean {
  const read = text.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, 'X');
  return isProse(read) && /[a-z]{2,}/.test(read);
}

function lineAt(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

/** The text of a call's arguments from `open` (just after its `(`) to its matching `)`. */
function argumentsFrom(source: string, open: number): string {
  let depth = 1;
  for (let i = open; i < source.length; i += 1) {
    const c = source[i];
    if (c === "'" || c === '"' || c === '`') {
      // Skip the literal whole, so a parenthesis inside a sentence does not count.
      const literal = new RegExp(LITERAL.source, 'y');
      literal.lastIndex = i;
      const m = literal.exec(source);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === '(') depth += 1;
    if (c === ')' && (depth -= 1) === 0) return source.slice(open, i);
  }
  return source.slice(open);
}

function proseIn(source: string, start: number, text: string, out: ServerTextFinding[]): void {
  for (const m of text.matchAll(new RegExp(LITERAL.source, 'g'))) {
    const template = m[3];
    const prose = template === undefined ? isProse(m[1] ?? m[2] ?? '') : isTemplateProse(template);
    if (prose)
      out.push({ line: lineAt(source, start + (m.index ?? 0)), text: m[1] ?? m[2] ?? template ?? '' });
  }
}

/**
 * One string literal in a pattern's source: '…', "…" or a template literal (the backtick written
 * \u0060, which a regular expression reads as the character itself).
 */
const QUOTED = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\u0060(?:[^\u0060\\]|\\.)*\u0060)`;
const CALLS = /\bnew AppError\(|\binvalid\(/g;
const ZOD_MESSAGE = new RegExp(
  String.raw`\.(?:min|max|length|regex|refine|email|url|int|positive|nonnegative|gte|lte)\((?:[^()'"\u0060]|\([^()]*\))*?,\s*${QUOTED}\s*\)`,
  'g',
);
/** A check whose only argument is its message: `.int('Enter a whole number.')`. */
const ZOD_SOLE_MESSAGE = new RegExp(
  String.raw`\.(?:int|positive|nonnegative|negative|nonempty|email|url|uuid|finite)\(\s*${QUOTED}\s*\)`,
  'g',
);
const MESSAGE_FIELD = new RegExp(String.raw`\b(?:message|error):\s*${QUOTED}`, 'g');
const FIELD_ASSIGNMENT = new RegExp(String.raw`\berrors(?:\.\w+|\[[^\]]+\])\s*=\s*${QUOTED}`, 'g');

export function scanServerSource(source: string): ServerTextFinding[] {
  const out: ServerTextFinding[] = [];
  for (const m of source.matchAll(CALLS)) {
    const open = (m.index ?? 0) + m[0].length;
    proseIn(source, open, argumentsFrom(source, open), out);
  }
  for (const pattern of [ZOD_MESSAGE, ZOD_SOLE_MESSAGE, MESSAGE_FIELD, FIELD_ASSIGNMENT]) {
    for (const m of source.matchAll(pattern)) {
      const literal = m[1] ?? '';
      proseIn(source, (m.index ?? 0) + m[0].lastIndexOf(literal), literal, out);
    }
  }
  // One sentence found by two patterns is one finding.
  const seen = new Set<string>();
  return out
    .filter((f) => !seen.has(`${f.line}:${f.text}`) && seen.add(`${f.line}:${f.text}`))
    .sort((a, b) => a.line - b.line);
}
