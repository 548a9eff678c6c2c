/** How the clinic's emails look: its name, logo and colours (set in the admin console). */
export interface EmailBrand {
  readonly clinicName: string;
  readonly primary: string;
  readonly primaryText: string;
  readonly background: string;
  readonly text: string;
  /** Absolute URL of the logo on our own origin, or null. */
  readonly logoUrl: string | null;
  /** The clinic's own address (PUBLIC_URL): only links there are made clickable. */
  readonly siteUrl: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const COLOUR = /^#[0-9a-f]{6}$/i;
const safeColour = (c: string, fallback: string) => (COLOUR.test(c) ? c : fallback);

/** Scripts written right to left (the primary subtags Haven may send mail in, and their neighbours). */
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi']);
/** A BCP 47 tag safe to put in an attribute ('es', 'es-MX'); anything else is read as English. */
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

const URL_LIKE = /\b(?:https?:\/\/|www\.)[^\s<]+/gi;

/**
 * Escaped text in which links to the clinic's own site become clickable. Anything else that looks
 * like an address (say, in a display name a person chose) stays text, with a zero-width non-joiner
 * after its colons and dots so that mail programs do not turn it into a link on their own either.
 */
function linkify(line: string, siteUrl: string): string {
  const own = siteUrl.replace(/\/+$/, '');
  return escapeHtml(line).replace(URL_LIKE, (url) => {
    const raw = url.replace(/&amp;/g, '&');
    if (raw === own || raw.startsWith(`${own}/`) || raw.startsWith(`${own}?`)) {
      // Our links are long (tokens): let them wrap, or a phone's mail app scrolls sideways.
      return `<a href="${url}" style="word-break:break-all">${url}</a>`;
    }
    return url.replace(/([:.])/g, '$1&zwnj;');
  });
}

/**
 * The HTML part for an email written as plain text: the clinic's header (logo or name on its primary
 * colour), the text as paragraphs, a footer. Built when the email is sent, so it always carries the
 * current branding. Inline styles are right here: mail programs ignore stylesheets. `language` is
 * the one the text is written in: it sets `lang`, and `dir="rtl"` for right-to-left scripts (the
 * body's `dir` too, since some mail programs drop the `<html>` element).
 */
export function brandedHtml(text: string, subject: string, brand: EmailBrand, language = 'en'): string {
  const lang = LANGUAGE_TAG.test(language) ? language : 'en';
  const dir = RIGHT_TO_LEFT.has(lang.split('-')[0] ?? '') ? 'rtl' : 'ltr';
  const primary = safeColour(brand.primary, '#2f6f6a');
  const onPrimary = safeColour(brand.primaryText, '#ffffff');
  const background = safeColour(brand.background, '#ffffff');
  const body = safeColour(brand.text, '#373c44');
  const name = escapeHtml(brand.clinicName);
  const header = brand.logoUrl
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${name}" style="max-height:60px;border:0">`
    : `<span style="font-size:20px;font-weight:bold;color:${onPrimary}">${name}</span>`;
  const paragraphs = text
    .split(/\n{2,}/)
    .map(
      (block) =>
        `<p style="margin:0 0 16px">${block
          .split('\n')
          .map((line) => linkify(line, brand.siteUrl))
          .join('<br>')}</p>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body dir="${dir}" style="margin:0;padding:0;background:${background};color:${body};font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">
<div style="background:${primary};padding:16px 24px" data-brand-primary="${primary}">${header}</div>
<div style="padding:24px;max-width:640px">
${paragraphs}
</div>
<div style="padding:16px 24px;border-top:1px solid ${primary};font-size:13px">${name}</div>
</body></html>`;
}
