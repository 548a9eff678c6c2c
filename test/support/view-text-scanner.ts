/**
 * Finds user-visible English written straight into an EJS view instead of through `t()`: text
 * between tags, the attributes people read or hear (`title`, `alt`, `placeholder`, `aria-label`,
 * `aria-description`, a `data-confirm` question, the `value` of a submit/reset/button input (a `<button>`'s value is sent, never shown), an `<option>`'s `label`),
 * and prose-looking string literals inside EJS code (`label: 'Save'`, `cond ? 'Yes' : 'No'`), since
 * a partial writes what its caller passes. Text inside an element marked `translate="no"` (a brand,
 * a code, a language's own name) is left alone, as the HTML standard means that attribute.
 * Used by test/unit/i18n/view-text.test.ts.
 */

export interface Finding {
  readonly line: number;
  readonly text: string;
  readonly where: 'text' | 'attribute' | 'code';
}

const MARK = '\u0001';
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const READ_ATTRIBUTES = new Set([
  'title',
  'alt',
  'placeholder',
  'aria-label',
  'aria-description',
  'label',
  'data-confirm',
]);
/** Keys whose string value a partial shows to people (`include('_field', { label: 'Name' })`). */
const SHOWN_KEYS =
  /\b(label|hint|title|placeholder|alt|legend|heading|text|summary|empty|help|message|caption|description|button|ariaLabel|hidden)\s*:\s*(['"`])((?:\\.|(?!\2).)*)\2/g;
const LITERAL = /(['"`])((?:\\.|(?!\1).)*)\1/g;
const HAS_LETTER = /\p{L}/u;

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i += 1) if (source.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Blanks a match but keeps its newlines, so line numbers stay right. */
function blank(match: string, fill = ' '): string {
  return match.replace(/[^\n]/g, fill);
}

/** A string literal in EJS code that reads like words for people, not a class, path, key or value. */
function looksLikeProse(s: string): boolean {
  const v = s.trim();
  if (!HAS_LETTER.test(v) || /^[a-z][\w-]*:[\w.-]+$/.test(v)) return false; // no letters; a t() key
  if (/^[A-Z][a-z]+$/.test(v)) return true; // one capitalised word: 'Save', 'Yes'
  if (!/\s/.test(v)) return false; // one token: a class, a path, a value, an id
  return /[A-Z.,?!;:’()]/.test(v); // several words with a capital or punctuation: a sentence
}

function codeFindings(code: string, offset: number, source: string, out: Finding[]): void {
  // What t() and include() are given is a key or a path, never prose.
  const stripped = code.replace(/\b(t|tHtml|include)\(\s*(['"`])(?:\\.|(?!\2).)*\2/g, (m) => blank(m));
  const seen = new Set<number>();
  for (const m of stripped.matchAll(SHOWN_KEYS)) {
    const value = m[3] ?? '';
    if (HAS_LETTER.test(value) && !/^[a-z][\w-]*:[\w.-]+$/.test(value)) {
      const at = m.index + m[0].indexOf(m[2]!);
      seen.add(at);
      out.push({ line: lineAt(source, offset + at), text: value, where: 'code' });
    }
  }
  for (const m of stripped.matchAll(LITERAL)) {
    if (seen.has(m.index)) continue;
    const value = m[2] ?? '';
    if (looksLikeProse(value))
      out.push({ line: lineAt(source, offset + m.index), text: value, where: 'code' });
  }
}

function decodeEntities(s: string): string {
  return s.replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, ' ');
}

/** Every piece of user-visible English in one view's source. */
export function scanView(source: string): Finding[] {
  const out: Finding[] = [];
  // EJS comments, then EJS code: output tags become a marker (a value, not text), code is checked.
  let html = source.replace(/<%#[\s\S]*?%>/g, (m) => blank(m));
  html = html.replace(/<%([=_-]?)([\s\S]*?)[-_]?%>/g, (m, kind: string, code: string, index: number) => {
    codeFindings(code, index + 2 + kind.length, source, out);
    return kind === '=' || kind === '-' ? MARK + blank(m.slice(1)) : blank(m);
  });
  html = html.replace(/<!--[\s\S]*?-->|<!doctype[^>]*>/gi, (m) => blank(m));
  html = html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, (m) => blank(m));

  const stack: Array<{ name: string; noTranslate: boolean }> = [];
  const quiet = () => stack.some((e) => e.noTranslate);
  const tagPattern = /<\/?([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let last = 0;
  const text = (from: number, to: number) => {
    const chunk = decodeEntities(html.slice(from, to)).split(MARK).join(' ');
    if (HAS_LETTER.test(chunk) && !quiet()) {
      const lead = chunk.length - chunk.trimStart().length;
      out.push({ line: lineAt(source, from + lead), text: chunk.trim().replace(/\s+/g, ' '), where: 'text' });
    }
  };
  for (const m of html.matchAll(tagPattern)) {
    text(last, m.index);
    last = m.index + m[0].length;
    const name = m[1]!.toLowerCase();
    const attrs = m[2] ?? '';
    if (m[0].startsWith('</')) {
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    const noTranslate = /\btranslate\s*=\s*["']?no\b/i.test(attrs);
    const attrList = [...attrs.matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/g)].map((a) => ({
      name: a[1]!.toLowerCase(),
      value: a[3] ?? a[4] ?? a[5] ?? '',
      index: m.index + m[0].indexOf(a[0]),
    }));
    const type = attrList.find((a) => a.name === 'type')?.value.toLowerCase();
    for (const a of attrList) {
      // An input button shows its value; a <button> shows its content, and its value is only sent.
      const read =
        READ_ATTRIBUTES.has(a.name) ||
        (a.name === 'value' && name === 'input' && /^(submit|button|reset)$/.test(type ?? ''));
      const value = decodeEntities(a.value).split(MARK).join(' ');
      if (read && HAS_LETTER.test(value) && !(noTranslate || quiet())) {
        out.push({ line: lineAt(source, a.index), text: `${a.name}="${value.trim()}"`, where: 'attribute' });
      }
    }
    if (!VOID.has(name) && !m[0].endsWith('/>')) stack.push({ name, noTranslate });
  }
  text(last, html.length);
  return out.sort((a, b) => a.line - b.line);
}
