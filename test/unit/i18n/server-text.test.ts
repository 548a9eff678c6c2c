import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { filesUnder } from '../../support/i18n-sources';
import { scanServerSource } from '../../support/server-text-scanner';
import { PENDING_SERVER_FILES } from './pending-server-text';

const SERVER_DIR = join(__dirname, '../../../server');

const scan = (file: string) => scanServerSource(readFileSync(join(SERVER_DIR, file), 'utf8'));

/**
 * The server's extraction check: where a service names a problem a person reads (an AppError's
 * message or details, a zod message, a form's field error) it names a resource key, which the
 * transport writes in the reader's language (server/http/error-words.ts). Files not converted yet
 * are listed in pending-server-text.ts, which may only shrink.
 */
describe('services name the problems people read as resource keys', () => {
  const files = filesUnder(SERVER_DIR, '.ts')
    .map((f) => relative(SERVER_DIR, f))
    .filter((f) => !f.startsWith('cli/') && !f.startsWith('i18n/'))
    .sort();

  for (const file of files.filter((f) => !PENDING_SERVER_FILES.includes(f))) {
    it(file, () => {
      assert.deepEqual(
        scan(file).map((f) => `server/${file}:${f.line} ${f.text}`),
        [],
        "name these as keys: phrase('errors:…') (keys in server/i18n/locales/<language>/errors.json, all languages)",
      );
    });
  }

  it('the pending list names only files that exist and still write English (it may only shrink)', () => {
    const stale = PENDING_SERVER_FILES.filter((f) => !existsSync(join(SERVER_DIR, f)));
    const clean = PENDING_SERVER_FILES.filter((f) => existsSync(join(SERVER_DIR, f)) && scan(f).length === 0);
    assert.deepEqual({ stale, clean }, { stale: [], clean: [] }, 'take these off pending-server-text.ts');
    assert.equal(new Set(PENDING_SERVER_FILES).size, PENDING_SERVER_FILES.length, 'a file is listed twice');
  });

  it('the scanner finds English in AppErrors, zod messages and field errors, and not in keys', () => {
    const found = scanServerSource(
      [
        "throw new AppError('x.bad', 'bad_request', 'Enter a name.');",
        "throw new AppError('x.bad', 'bad_request', phrase('errors:field.name'), { email: 'Enter an address.' });",
        "const s = z.string().min(1, 'Enter your name.').max(120, 'errors:field.atMost');",
        "z.enum(['a'], { message: 'Choose a language.' });",
        "errors.timeZone = 'Choose a time zone.';",
        'errors.timeZone = issueProblem(issue);',
        "throw invalid('x.bad', { roles: 'Choose at least one role (see (a) and (b)).' });",
      ].join('\n'),
    );
    assert.deepEqual(found, [
      { line: 1, text: 'Enter a name.' },
      { line: 2, text: 'Enter an address.' },
      { line: 3, text: 'Enter your name.' },
      { line: 4, text: 'Choose a language.' },
      { line: 5, text: 'Choose a time zone.' },
      { line: 7, text: 'Choose at least one role (see (a) and (b)).' },
    ]);
  });

  it('finds English in template literals too, and not in keys built from values', () => {
    const found = scanServerSource(
      [
        'const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);',
        'const line = (label: string) => z.string({ error: `${label} is required.` });',
        'const scale = (label: string) => z.coerce.number().int(`${label}: choose 0 to 10.`);',
        "throw new AppError('x.conflict', 'conflict', `${n} of the sessions conflict.`);",
        'errors[key] = `${f.label}: please fill this in.`;',
        "throw new AppError('x.bad', 'bad_request', phrase(`clinical:problem.section.${key}`));",
        'const s = z.string().max(n, `${first} ${last}`).min(1, `errors:field.${name}`);',
        'const p = z.string().int(`${"{"}`);',
      ].join('\n'),
    );
    assert.deepEqual(found, [
      { line: 1, text: 'At most ${max} characters.' },
      { line: 2, text: '${label} is required.' },
      { line: 3, text: '${label}: choose 0 to 10.' },
      { line: 4, text: '${n} of the sessions conflict.' },
      { line: 5, text: '${f.label}: please fill this in.' },
    ]);
  });
});
