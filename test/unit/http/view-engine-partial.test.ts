import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ejs from 'ejs';
import { createTranslator, languageOf, type LanguageCode } from '../../../server/i18n';
import { languageViewLocals } from '../../../server/http/middleware/language-locals';
import { declaredLocals, layoutEngine } from '../../../server/http/view-engine';

const VIEWS = join(__dirname, '..', '..', '..', 'views');
const translator = createTranslator();

/** One appointment row of each kind the row partial writes differently. */
function rows(isTherapist: boolean): Record<string, unknown>[] {
  const base = {
    when: 'Tue 4 Dec, 09:00',
    until: '09:50',
    zone: 'GMT+1',
    withNames: 'Sam <Rivera> & "Alex"',
    format: 'video',
    lateCancellation: false,
    joinOpens: '08:50',
    isTherapist,
  };
  return [
    { ...base, id: 'a1', status: 'confirmed', join: 'open' },
    { ...base, id: 'a2', status: 'confirmed', join: 'not_yet', format: 'audio' },
    { ...base, id: 'a3', status: 'confirmed', join: 'ended', format: 'chat' },
    { ...base, id: 'a4', status: 'completed', join: 'ended' },
    { ...base, id: 'a5', status: 'cancelled', join: 'closed', lateCancellation: true },
    { ...base, id: 'a6', status: 'requested', join: 'closed' },
  ];
}

function render(file: string, options: Record<string, unknown>): Promise<string> {
  const engine = layoutEngine(VIEWS, true, translator);
  return new Promise((resolve, reject) =>
    engine(file, { ...options, layout: false }, (error, html) => (error ? reject(error) : resolve(html!))),
  );
}

/**
 * The view as it was before rows became partials (EJS's own `include`), rendered the way the
 * engine rendered it then: the same locals, no `partial`.
 */
function renderBefore(view: string, from: string, to: string, options: Record<string, unknown>): string {
  const filename = join(VIEWS, `${view}.ejs`);
  const now = readFileSync(filename, 'utf8');
  const before = now.replaceAll(from, to);
  assert.notEqual(before, now, `${view} writes its rows with ${from}`);
  return ejs.render(
    before,
    { ...options, head: {}, layout: false },
    {
      filename,
      root: VIEWS,
      views: [VIEWS],
    },
  );
}

/** The view renders byte for byte the same with its rows as partials (now) and as `includeForm` (before). */
async function assertSameBothWays(
  view: string,
  includeForm: string,
  options: Record<string, unknown>,
  rowCount: number,
): Promise<void> {
  const after = await render(join(VIEWS, `${view}.ejs`), options);
  const before = renderBefore(view, "partial('scheduling/_appointment-row', { a: a })", includeForm, options);
  assert.equal(after, before);
  assert.equal(after.match(/<article class="appointment"/g)?.length, rowCount, 'every row written');
}

describe('partial() writes the same HTML as include() did', () => {
  for (const lng of ['en', 'ar'] as LanguageCode[]) {
    const words = languageViewLocals(translator, lng, languageOf(lng).locale, []);

    it(`the appointments page (${lng}): every kind of row, for a client and a therapist`, async () => {
      for (const isTherapist of [false, true]) {
        const options = {
          ...words,
          openNow: [],
          upcoming: rows(isTherapist),
          past: rows(isTherapist).reverse(),
          zone: 'Europe/Paris',
          joinMinutes: 10,
          isTherapist,
          isClient: !isTherapist,
        };
        await assertSameBothWays(
          'scheduling/dashboard',
          "include('_appointment-row', { a: a })",
          options,
          12,
        );
      }
    });

    it(`a therapist's today (${lng}): sessions with their safety lines`, async () => {
      const sessions = rows(true).map((row, i) => ({
        ...row,
        safety: i % 2 ? [{ confirmed: i % 3 === 0, name: 'Sam <R>' }] : [],
      }));
      const options = {
        ...words,
        today: {
          setup: null,
          waiting: [],
          date: 'Tuesday 4 December',
          sessions,
          nextLater: null,
          requests: 0,
          alerts: [],
          drafts: [],
          newAnswers: [],
          reviews: [],
        },
      };
      await assertSameBothWays(
        'home/_therapist-today',
        "include('../scheduling/_appointment-row', { a: a })",
        options,
        6,
      );
    });
  }

  it('names a view from the views folder only (no way out of it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-partial-'));
    try {
      const page = join(dir, 'page.ejs');
      writeFileSync(page, "<%- partial('../package', {}) %>");
      await assert.rejects(render(page, {}), /not a view name: \.\.\/package/);
      const row = join(dir, 'row.ejs'); // another name: EJS keeps compiled pages by file name
      writeFileSync(row, "<%- partial('scheduling/_appointment-row', { a: a }) %>");
      const html = await render(row, {
        ...languageViewLocals(translator, 'en', 'en-GB', []),
        a: rows(false)[0],
      });
      assert.match(html, /data-appointment-id="a1"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a view that names its locals (a row of a long list)', () => {
  it('reads the names its first line declares, and nothing else', () => {
    assert.deepEqual(declaredLocals('<%# locals a, t: one row %>\n<%= a %>'), ['a', 't']);
    assert.deepEqual(declaredLocals('<%# locals a,t ,number: a row %>'), ['a', 't', 'number']);
    assert.equal(declaredLocals('<%# One row: locals a, t %>\n'), null);
    assert.equal(declaredLocals('\n<%# locals a, t: not the first line %>'), null);
    assert.throws(() => declaredLocals('<%# locals a, include: row %>'), /cannot include/);
    const row = readFileSync(join(VIEWS, 'scheduling', '_appointment-row.ejs'), 'utf8');
    assert.deepEqual(declaredLocals(row), ['a', 't']);
  });

  it('sees page locals it names, and a name it does not declare is an error, not an empty string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haven-lean-'));
    try {
      const rowsDir = join(dir, 'rows');
      mkdirSync(rowsDir);
      writeFileSync(
        join(rowsDir, '_named.ejs'),
        '<%# locals a, t: a row %>\n<%= t(a) %>|<%= typeof csrfToken %>',
      );
      writeFileSync(join(rowsDir, '_undeclared.ejs'), '<%# locals a: a row %>\n<%= t(a) %>');
      const engine = layoutEngine(dir, true, translator);
      const renderIn = (page: string): Promise<string> => {
        const file = join(dir, `${page}.ejs`);
        writeFileSync(
          file,
          `<% [1, 2].forEach(function (n) { %><%- partial('rows/${page}', { a: 'k' + n }) %><% }) %>`,
        );
        return new Promise((resolve, reject) =>
          engine(file, { layout: false, csrfToken: 'x', t: (k: string) => `<${k}>` }, (error, html) =>
            error ? reject(error) : resolve(html!),
          ),
        );
      };
      // Not declared, so not seen: `typeof csrfToken` is a ReferenceError-free "undefined" in strict code.
      assert.equal(await renderIn('_named'), '\n&lt;k1&gt;|undefined\n&lt;k2&gt;|undefined');
      await assert.rejects(renderIn('_undeclared'), /t is not defined/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the per-language formatters views share', () => {
  it('percent(fraction) writes what a new Intl percent formatter writes, in each language', () => {
    for (const lng of ['en', 'es', 'fr', 'ar', 'pt'] as LanguageCode[]) {
      const { locale } = languageOf(lng);
      const { percent } = languageViewLocals(translator, lng, locale, []) as {
        percent: (n: number) => string;
      };
      for (const fraction of [0, 0.005, 0.42, 1, 1.5]) {
        assert.equal(percent(fraction), new Intl.NumberFormat(locale, { style: 'percent' }).format(fraction));
      }
    }
  });
});
