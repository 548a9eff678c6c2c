import assert from 'node:assert/strict';
import fs, { readdirSync } from 'node:fs';
import request from 'supertest';
import { firstPublicName } from '../../../server/http/middleware/public-files';
import { PUBLIC_DIR } from '../../../server/shared/paths';
import { ensureAdmin } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** The public-folder paths `fs.stat` was asked about while `work` ran (express.static's lookups). */
async function publicStats(work: () => Promise<unknown>): Promise<string[]> {
  const asked: string[] = [];
  const stat = fs.stat;
  fs.stat = ((path: fs.PathLike, ...rest: unknown[]) => {
    if (String(path).startsWith(PUBLIC_DIR)) asked.push(String(path));
    return (stat as (...args: unknown[]) => void)(path, ...rest);
  }) as typeof fs.stat;
  try {
    await work();
  } finally {
    fs.stat = stat;
  }
  return asked;
}

describe('public files (issue 21: pages do not look on disk for a file first)', () => {
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven();
    await ensureAdmin(t.haven);
  });
  after(() => t.stop());

  it('answers a page without asking the disk whether it is a public file', async () => {
    const asked = await publicStats(async () => {
      await request(t.haven.http).get('/sign-in').expect(200);
      await request(t.haven.http).get('/').expect(200);
      await request(t.haven.http).get('/no/such/page').expect(404);
    });
    assert.deepEqual(asked, []);
  });

  it('still serves every top-level entry of public/ (stylesheets, bundles, favicon)', async () => {
    const asked = await publicStats(async () => {
      await request(t.haven.http).get('/favicon.svg').expect(200).expect('content-type', /svg/);
      await request(t.haven.http).get('/css/haven.css').expect(200).expect('content-type', /css/);
      await request(t.haven.http)
        .get('/build/main.js')
        .expect(200)
        .expect('content-type', /javascript/);
    });
    assert.equal(asked.length, 3);
    for (const name of readdirSync(PUBLIC_DIR).filter((n) => n !== 'src')) {
      const res = await request(t.haven.http).get(`/${name}`);
      // A file is served; a folder redirects to its slash form, as express.static does.
      assert.ok(res.status === 200 || res.status === 301, `/${name} answered ${res.status}`);
    }
  });

  it('resolves a path as express.static does: encoded, doubled or dotted forms still find the file', async () => {
    for (const path of ['//css/haven.css', '/%63ss/haven.css', '/./css/haven.css', '/x/../css/haven.css']) {
      await request(t.haven.http).get(path).expect(200).expect('content-type', /css/);
    }
    await request(t.haven.http).get('/css').expect(301).expect('location', '/css/');
    await request(t.haven.http).get('/../css/haven.css').expect(404);
    await request(t.haven.http).get('/CSS/haven.css').expect(404);
  });

  it('names the top-level entry a lookup opens, or none when it cannot be decoded', () => {
    assert.equal(firstPublicName('/css/haven.css'), 'css');
    assert.equal(firstPublicName('/favicon.svg'), 'favicon.svg');
    assert.equal(firstPublicName('/a/../../x'), '..');
    assert.equal(firstPublicName('/'), '.');
    assert.equal(firstPublicName('/%E0%A4%A'), null);
  });
});
