import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionRepository } from '../../../server/accounts/session.repository';
import { createPerson, csrfFrom, ensureAdmin, type TestPerson } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** One raw HTTP request; resolves at the response's headers, as a browser following a redirect does. */
function send(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  cookie: string,
  form?: Record<string, string>,
): Promise<IncomingMessage> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, {
      method,
      headers: {
        cookie,
        accept: 'text/html',
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(body);
  });
}

function bodyOf(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

/** Reads until `pattern` shows up in the body (a browser renders a form before the last byte). */
function untilBodyShows(res: IncomingMessage, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      const found = pattern.exec(text);
      if (found) resolve(found);
    });
    res.on('end', () => reject(new Error(`never showed ${pattern}`)));
  });
}

/**
 * The session is stored before the response leaves (server/http/session/save-before-response.ts):
 * with a slow session store (SQLite under load), the request a browser makes at once — following
 * a redirect on its headers, posting a form that has rendered — still sees what the last one put
 * in the session. Before, a flash message went missing after the redirect and a fresh sign-in
 * form's CSRF token was unknown (403): the accounts e2e failed this way under load.
 */
describe('sessions are stored before the response is sent', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let server: Server;
  let base: string;
  let person: TestPerson;

  before(async () => {
    t = await startTestHaven();
    await ensureAdmin(t.haven);
    person = await createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' });
    server = createServer(t.haven.http);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A slow store: every session write takes 400 ms.
    const repo: SessionRepository = t.haven.accounts.sessions.repository;
    const write = repo.write.bind(repo);
    repo.write = async (s) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return write(s);
    };
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.stop();
  });

  /** Signs in over raw HTTP (reading each response to its end) and returns the session cookie. */
  async function signInRaw(): Promise<string> {
    const page = await send(base, 'GET', '/sign-in', '');
    const visitor = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    const token = csrfFrom(await bodyOf(page));
    const done = await send(base, 'POST', '/sign-in', visitor, {
      _csrf: token,
      email: person.email,
      password: person.password,
    });
    await bodyOf(done);
    assert.equal(done.statusCode, 303);
    return String(done.headers['set-cookie']?.[0] ?? visitor).split(';')[0]!;
  }

  it('a flash message is there on the page a redirect leads to, followed on its headers', async () => {
    const cookie = await signInRaw();
    const form = await send(base, 'GET', '/account/profile', cookie);
    const csrf = csrfFrom(await bodyOf(form));
    const saved = await send(base, 'POST', '/account/profile', cookie, {
      _csrf: csrf,
      displayName: 'Casey C',
      fullName: '',
      timeZone: 'Europe/London',
      language: 'en',
    });
    assert.equal(saved.statusCode, 303);
    const next = await send(base, 'GET', saved.headers.location!, cookie);
    saved.resume();
    assert.match(await bodyOf(next), /Your profile is saved\./);
  });

  it("a form's CSRF token is known as soon as the form can be read", async () => {
    const page = await send(base, 'GET', '/sign-in', '');
    const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    const [, token] = await untilBodyShows(page, /name="_csrf" value="([^"]+)"/);
    const posted = await send(base, 'POST', '/sign-in', cookie, {
      _csrf: token!,
      email: person.email,
      password: person.password,
    });
    posted.resume();
    assert.equal(posted.statusCode, 303, 'signed in, not refused as an expired form (403)');
  });
});
