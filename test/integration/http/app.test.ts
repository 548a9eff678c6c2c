import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { PUBLIC_DIR } from '../../../server/shared/paths';
import { ensureAdmin } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** Every src/href in a page that points at another host (there must be none). */
export function foreignUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href|action)\s*=\s*["']([^"']+)["']/gi)]
    .map((m) => m[1]!)
    .filter((url) => /^(https?:)?\/\//i.test(url) && !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(url));
}

describe('HTTP app', () => {
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven({ env: { BODY_LIMIT_KB: '2' } });
    // Without an admin every page leads to /setup (first run).
    await ensureAdmin(t.haven);
  });
  after(() => t.stop());

  it('serves a styled home page that loads nothing from another host', async () => {
    const res = await request(t.haven.http).get('/').expect(200);
    assert.match(res.text, /<h1[^>]*>Welcome to Haven<\/h1>/);
    assert.match(res.text, /href="\/build\/vendor\/pico.min.css"/);
    assert.deepEqual(foreignUrls(res.text), []);
    assert.ok(!/\son[a-z]+=/i.test(res.text), 'no inline event handlers');
    // A bundle's strings come as a JSON data block (never executed, CSP or not); no other inline script.
    assert.ok(
      !/<script(?![^>]*\b(src=|type="application\/json"))[^>]*>/i.test(res.text),
      'no inline scripts',
    );
  });

  it('sends a strict Content-Security-Policy and a request id', async () => {
    const res = await request(t.haven.http).get('/').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/);
    // Scripts from Haven only; 'wasm-unsafe-eval' compiles the background effect's WebAssembly and
    // allows no eval() of JavaScript.
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.ok(!csp.includes("'unsafe-eval'"));
    assert.match(csp, /frame-ancestors 'none'/);
    assert.ok(!csp.includes('unsafe-inline'));
    assert.match(res.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  it('serves the stylesheet and the client bundle, but not client sources', async () => {
    await request(t.haven.http).get('/build/vendor/pico.min.css').expect(200).expect('content-type', /css/);
    await request(t.haven.http)
      .get('/build/main.js')
      .expect(200)
      .expect('content-type', /javascript/);
    // Refused before the session middleware: still the friendly page, with the site header.
    const source = await request(t.haven.http).get('/src/main.ts').expect(404);
    assert.match(source.text, /Page not found/);
    assert.match(source.text, /class="brand"/);
  });

  it('answers /healthz and /readyz', async () => {
    await request(t.haven.http).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(t.haven.http).get('/readyz').expect(200);
    assert.equal(ready.body.status, 'ready');
    assert.equal(ready.body.checks.database, 'ok');
  });

  it('shows a friendly 404 page, or JSON to API clients', async () => {
    const page = await request(t.haven.http).get('/no/such/page').expect(404);
    assert.match(page.text, /Page not found/);
    assert.match(page.text, /reference <code>[0-9a-f-]{36}<\/code>/);
    const json = await request(t.haven.http)
      .get('/no/such/page')
      .set('Accept', 'application/json')
      .expect(404);
    assert.equal(json.body.error.code, 'http.not_found');
  });

  it('refuses bodies over the limit with 413 and malformed JSON with 400', async () => {
    const tooLarge = await request(t.haven.http)
      .post('/anything')
      .type('form')
      .send({ text: 'x'.repeat(5000) })
      .expect(413);
    assert.match(tooLarge.text, /class="brand"/);
    await request(t.haven.http).post('/anything').type('json').send('{"broken":').expect(400);
  });
});

describe('HTTP readiness when the database is gone', () => {
  it('/readyz answers 503 naming the failing part', async () => {
    const t = await startTestHaven();
    await t.haven.sequelize.close();
    const res = await request(t.haven.http).get('/readyz').expect(503);
    assert.equal(res.body.status, 'not_ready');
    assert.equal(res.body.checks.database, 'failing');
    await t.stop().catch(() => undefined); // the database is already closed
  });
});

/** Issue 16, item 6: source maps show the client code as written; production serves the bundles only. */
describe('HTTP app in production', () => {
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven({ env: { NODE_ENV: 'production' } });
    await ensureAdmin(t.haven);
  });
  after(() => t.stop());

  it('serves the bundles but not their source maps', async () => {
    const maps = readdirSync(join(PUBLIC_DIR, 'build')).filter((f) => f.endsWith('.js.map'));
    assert.ok(maps.length > 0, 'the build writes source maps (run npm run build first)');
    for (const map of maps) {
      await request(t.haven.http)
        .get(`/build/${map.replace(/\.map$/, '')}`)
        .expect(200);
      await request(t.haven.http).get(`/build/${map}`).expect(404);
    }
  });
});
