/**
 * What an uploaded file really is, decided from its bytes alone. The name and the type the browser
 * declared are ignored: an `.exe` renamed `.pdf` starts with `MZ`, not `%PDF-`, and is refused.
 *
 * Accepted: PDF, PNG, JPEG, GIF, WebP and plain text. Plain text must be valid UTF-8 with no NUL
 * bytes, and must not look like markup a browser would render: text that starts (after whitespace)
 * like HTML, SVG or XML per the WHATWG MIME-sniffing patterns is refused. Downloads are always sent
 * as attachments with `nosniff`, so such text would be harmless in Haven itself; we refuse it anyway
 * because a saved file can be opened elsewhere by software that sniffs, and clinicians and clients
 * have no need to exchange web pages (a PDF does that job).
 */
export interface SniffedType {
  readonly contentType: string;
  /** The extension the download name gets, whatever the sender called the file. */
  readonly extension: string;
}

const PDF: SniffedType = { contentType: 'application/pdf', extension: 'pdf' };
const PNG: SniffedType = { contentType: 'image/png', extension: 'png' };
const JPEG: SniffedType = { contentType: 'image/jpeg', extension: 'jpg' };
const GIF: SniffedType = { contentType: 'image/gif', extension: 'gif' };
const WEBP: SniffedType = { contentType: 'image/webp', extension: 'webp' };
const TEXT: SniffedType = { contentType: 'text/plain; charset=utf-8', extension: 'txt' };

/** Every content type an attachment row may carry (the download route serves only these). */
export const ALLOWED_TYPES: readonly SniffedType[] = [PDF, PNG, JPEG, GIF, WEBP, TEXT];

function startsWith(bytes: Buffer, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** WHATWG "identifying a resource with an unknown MIME type": tags that make a browser render HTML. */
const MARKUP_OPENERS = [
  '<!doctype html',
  '<html',
  '<head',
  '<script',
  '<iframe',
  '<h1',
  '<div',
  '<font',
  '<table',
  '<a',
  '<style',
  '<title',
  '<b',
  '<body',
  '<br',
  '<p',
  '<!--',
  '<?xml',
  '<svg',
];

function looksLikeMarkup(text: string): boolean {
  const start = text
    .replace(/^[\uFEFF\s]+/, '')
    .slice(0, 20)
    .toLowerCase();
  return MARKUP_OPENERS.some((opener) => {
    if (!start.startsWith(opener)) return false;
    if (opener === '<!--' || opener === '<?xml') return true;
    // The tag name must end here ("<a " or "<a>"), so "<apples are good" stays text.
    const next = start.charAt(opener.length);
    return (
      next === '' ||
      next === ' ' ||
      next === '>' ||
      next === '\t' ||
      next === '\n' ||
      next === '\r' ||
      next === '/'
    );
  });
}

function isPlainText(bytes: Buffer): boolean {
  if (bytes.length === 0 || bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // Control characters other than tab, line feed, form feed and carriage return mean binary data.
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u0008\u000B\u000E-\u001F\u007F]/.test(text)) return false;
  return !looksLikeMarkup(text);
}

/** The file's real type, or null if it is not one Haven accepts. */
export function sniffContentType(bytes: Buffer): SniffedType | null {
  if (startsWith(bytes, ascii('%PDF-'))) return PDF;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return GIF;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return WEBP;
  if (isPlainText(bytes)) return TEXT;
  return null;
}

/**
 * The name a download gets: the sender's base name, stripped of path parts and odd characters,
 * with the extension of the type found in the content (so `notes.pdf` holding text becomes `notes.txt`).
 */
export function downloadName(originalName: string, type: SniffedType): string {
  const base = originalName.split(/[\\/]/).pop() ?? '';
  const stem = base
    .replace(/\.[^.]*$/, '')
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 80);
  return `${stem || 'attachment'}.${type.extension}`;
}
