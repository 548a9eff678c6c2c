import assert from 'node:assert/strict';
import { brandedHtml, type EmailBrand } from '../../../server/mail';

const brand: EmailBrand = {
  clinicName: 'Harbour Counselling',
  primary: '#2f6f6a',
  primaryText: '#ffffff',
  background: '#ffffff',
  text: '#373c44',
  logoUrl: null,
  siteUrl: 'https://clinic.example.org',
};

/**
 * Issue 16, item 6: a display name is text a person chose; in an HTML email it stays text, even when
 * it looks like an address. Only links to the clinic's own site become clickable.
 */
describe('branded email HTML', () => {
  const text = [
    'Dr Evil https://evil.example/login?next=x&y=1 <b>hi</b> invited you to join Harbour Counselling.',
    '',
    'Accept the invitation:',
    'https://clinic.example.org/invite/abc_DEF-123',
    '',
    'Or www.phish.example if you prefer.',
  ].join('\n');
  const html = brandedHtml(text, 'You are invited', brand);

  it("links the clinic's own address", () => {
    assert.match(
      html,
      /<a href="https:\/\/clinic\.example\.org\/invite\/abc_DEF-123" style="word-break:break-all">https:\/\/clinic\.example\.org\/invite\/abc_DEF-123<\/a>/,
    );
    assert.equal((html.match(/<a /g) ?? []).length, 1, 'one link in all');
  });

  it('lets a long link wrap (a token link is wider than a phone)', () => {
    assert.match(html, /<a href="[^"]+" style="word-break:break-all">/);
  });

  it('keeps any other address in the text as text, broken up so mail programs do not link it either', () => {
    assert.doesNotMatch(html, /href="https:\/\/evil/);
    assert.doesNotMatch(
      html,
      /https:\/\/evil\.example/,
      'not a contiguous address a mail program would link',
    );
    assert.match(html, /https:&zwnj;\/\/evil\.&zwnj;example\/login\?next=x&amp;y=1/);
    assert.match(html, /www\.&zwnj;phish\.&zwnj;example/);
    assert.match(html, /&lt;b&gt;hi&lt;\/b&gt;/, 'and markup in a name is escaped');
  });
});

/** Issue 20: the HTML part is in the recipient's language, right to left for Arabic. */
describe('branded email HTML in the recipient language', () => {
  it('is marked English, left to right, by default', () => {
    const html = brandedHtml('Hello', 'Hi', brand);
    assert.match(html, /<html lang="en" dir="ltr">/);
    assert.match(html, /<body dir="ltr"/);
  });

  it('carries the language and reads right to left for Arabic', () => {
    assert.match(
      brandedHtml('مرحبا', 'تذكير', brand, 'ar'),
      /<html lang="ar" dir="rtl">[\s\S]*<body dir="rtl"/,
    );
    assert.match(brandedHtml('Hola', 'Recordatorio', brand, 'es-MX'), /<html lang="es-MX" dir="ltr">/);
  });

  it('never puts a malformed language into the markup', () => {
    assert.match(brandedHtml('x', 'y', brand, '"><script>'), /<html lang="en" dir="ltr">/);
  });
});
