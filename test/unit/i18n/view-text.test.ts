import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VIEWS_DIR } from '../../../server/shared/paths';
import { filesUnder } from '../../support/i18n-sources';
import { scanView } from '../../support/view-text-scanner';
import { PENDING_VIEWS } from './pending-views';

/**
 * The extraction check: no view writes user-visible English outside `t()` (text between tags, the
 * attributes people read or hear, prose passed to partials), except the views still pending
 * translation, whose list may only shrink.
 */
describe('views write what people read through t()', () => {
  const views = filesUnder(VIEWS_DIR, '.ejs')
    .map((f) => relative(VIEWS_DIR, f))
    .sort();

  for (const view of views.filter((v) => !PENDING_VIEWS.includes(v))) {
    it(view, () => {
      const findings = scanView(readFileSync(join(VIEWS_DIR, view), 'utf8'));
      assert.deepEqual(
        findings.map((f) => `${view}:${f.line} (${f.where}) ${f.text}`),
        [],
        'write these through t() (keys in server/i18n/locales/<language>/<feature>.json, all languages)',
      );
    });
  }

  it('the pending list names only views that exist and still need translating (it may only shrink)', () => {
    const stale = PENDING_VIEWS.filter((v) => !existsSync(join(VIEWS_DIR, v)));
    const clean = PENDING_VIEWS.filter(
      (v) =>
        existsSync(join(VIEWS_DIR, v)) && scanView(readFileSync(join(VIEWS_DIR, v), 'utf8')).length === 0,
    );
    assert.deepEqual(
      { stale, clean },
      { stale: [], clean: [] },
      'take these off test/unit/i18n/pending-views.ts',
    );
    assert.equal(new Set(PENDING_VIEWS).size, PENDING_VIEWS.length, 'a view is listed twice');
  });

  it("the scanner finds English in text, read attributes and prose handed to partials (not a <button>'s sent value)", () => {
    const found = scanView(
      [
        '<h1>Welcome</h1>',
        '<img src="x.png" alt="A calm room">',
        '<input type="submit" value="Send">',
        '<input type="hidden" name="x" value="kept">',
        `<%- include('_field', { label: 'Email address', name: 'email' }) %>`,
        `<%= done ? 'Finished' : t('common:nav.menu') %>`,
        "<p><%= t('common:nav.menu') %> &middot; <%= count %></p>",
        '<span translate="no">Haven</span>',
        '<script>const words = "Not shown";</script>',
        `<button type="submit" name="sign" value="yes"><%= t('common:nav.menu') %></button>`,
      ].join('\n'),
    );
    assert.deepEqual(
      found.map((f) => [f.line, f.text]),
      [
        [1, 'Welcome'],
        [2, 'alt="A calm room"'],
        [3, 'value="Send"'],
        [5, 'Email address'],
        [6, 'Finished'],
      ],
    );
  });
});
