import assert from 'node:assert/strict';
import { downloadName, sniffContentType } from '../../../server/messaging/content-sniffing';

const type = (bytes: Buffer | string): string | null =>
  sniffContentType(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)?.contentType ?? null;

describe('messaging: attachment type by content', () => {
  it('recognises the allowed formats by their magic bytes', () => {
    assert.equal(type('%PDF-1.7\n...'), 'application/pdf');
    assert.equal(type(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1])), 'image/png');
    assert.equal(type(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'image/jpeg');
    assert.equal(type('GIF89a\x01\x00'), 'image/gif');
    assert.equal(type('GIF87a\x01\x00'), 'image/gif');
    assert.equal(
      type(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])),
      'image/webp',
    );
    assert.equal(type('Plain notes, café ✓\n\ttabbed\r\n'), 'text/plain; charset=utf-8');
  });

  it('refuses executables, archives, other media and anything binary, whatever they are called', () => {
    assert.equal(type(Buffer.from([0x4d, 0x5a, 0x90, 0])), null, 'Windows executable');
    assert.equal(type(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1])), null, 'ELF');
    assert.equal(type(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0])), null, 'zip / docx');
    assert.equal(type(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')])), null);
    assert.equal(type('%PD'), 'text/plain; charset=utf-8', 'a truncated signature is not a PDF (it is text)');
    assert.equal(type(Buffer.alloc(0)), null, 'empty');
    assert.equal(type('abc\u0000def'), null, 'NUL');
    assert.equal(type('bell \u0007 ring'), null, 'control characters');
    assert.equal(type(Buffer.from([0x61, 0xc3, 0x28])), null, 'invalid UTF-8');
    assert.equal(type(Buffer.from([0x61, 0xe9, 0x62])), null, 'Latin-1 is not UTF-8');
  });

  it('refuses text a browser would render as markup (HTML, SVG, XML), and keeps text that merely mentions <', () => {
    for (const markup of [
      '<!DOCTYPE html><p>x',
      '  \n<HTML>',
      '\uFEFF<script>alert(1)</script>',
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '<?xml version="1.0"?><a/>',
      '<!-- comment -->',
      '<a href="x">',
      '<iframe src=x>',
      '<body onload=x>',
    ]) {
      assert.equal(type(markup), null, markup);
    }
    assert.equal(type('<3 thanks for today'), 'text/plain; charset=utf-8');
    assert.equal(type('<apples> and <pears>'), 'text/plain; charset=utf-8');
    assert.equal(type('a < b and b > c'), 'text/plain; charset=utf-8');
  });

  it('names downloads after the sender’s base name with the extension of the real type', () => {
    const pdf = sniffContentType(Buffer.from('%PDF-1.4'))!;
    const text = sniffContentType(Buffer.from('hello'))!;
    assert.equal(downloadName('C:\\Users\\me\\Report 2026.PDF', pdf), 'Report 2026.pdf');
    assert.equal(downloadName('../../etc/passwd', text), 'passwd.txt');
    assert.equal(downloadName('notes.pdf', text), 'notes.txt');
    assert.equal(downloadName('invoice.pdf.exe', pdf), 'invoice.pdf.pdf');
    assert.equal(downloadName('"quoted";\r\nname.txt', text), '_quoted____name.txt');
    assert.equal(downloadName('.hidden', text), 'attachment.txt');
    assert.equal(downloadName('', pdf), 'attachment.pdf');
  });
});
