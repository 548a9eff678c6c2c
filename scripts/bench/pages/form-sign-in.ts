// Signs a demo person in the way a browser does: the sign-in form (with its CSRF token), then the
// second-factor form for staff, following Haven's cookies by hand.
import { TwoFactorService } from '../../../server/accounts';
import type { DemoPerson } from './bench-processes';

class CookieJar {
  readonly #cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq <= 0) continue;
      this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function csrfFrom(html: string, page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no CSRF token on ${page}`);
  return match[1];
}

interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly html: string;
}

/**
 * One request, read to the end: express-session sends the headers of a response (the redirect
 * after a sign-in) before the session is saved and only ends the body after, so the next step must
 * wait for the whole response, as a browser does, or it can arrive before the session exists.
 */
async function step(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  const html = await response.text();
  jar.take(response);
  return { status: response.status, location: response.headers.get('location'), html };
}

/** Returns the Cookie header of a signed-in session. */
export async function signInThroughForms(baseUrl: string, person: DemoPerson): Promise<string> {
  const jar = new CookieJar();
  const form = await step(jar, `${baseUrl}/sign-in`);
  const signIn = await step(jar, `${baseUrl}/sign-in`, {
    _csrf: csrfFrom(form.html, '/sign-in'),
    email: person.email,
    password: person.password,
  });
  if (signIn.status !== 303) throw new Error(`sign-in of ${person.email} answered ${signIn.status}`);
  if (signIn.location === '/sign-in/two-factor') {
    if (!person.totpKey) throw new Error(`${person.email} is asked for a second factor but has no key`);
    const challenge = await step(jar, `${baseUrl}/sign-in/two-factor`);
    const done = await step(jar, `${baseUrl}/sign-in/two-factor`, {
      _csrf: csrfFrom(challenge.html, '/sign-in/two-factor'),
      code: TwoFactorService.codeFor(person.totpKey, new Date()),
    });
    if (done.status !== 303) throw new Error(`second factor of ${person.email} answered ${done.status}`);
  }
  return jar.header();
}
