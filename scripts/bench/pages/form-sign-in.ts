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

async function step(jar: CookieJar, url: string, form?: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  jar.take(response);
  return response;
}

/** Returns the Cookie header of a signed-in session. */
export async function signInThroughForms(baseUrl: string, person: DemoPerson): Promise<string> {
  const jar = new CookieJar();
  const form = await step(jar, `${baseUrl}/sign-in`);
  const signIn = await step(jar, `${baseUrl}/sign-in`, {
    _csrf: csrfFrom(await form.text(), '/sign-in'),
    email: person.email,
    password: person.password,
  });
  if (signIn.status !== 303) throw new Error(`sign-in of ${person.email} answered ${signIn.status}`);
  if (signIn.headers.get('location') === '/sign-in/two-factor') {
    if (!person.totpKey) throw new Error(`${person.email} is asked for a second factor but has no key`);
    const challenge = await step(jar, `${baseUrl}/sign-in/two-factor`);
    const done = await step(jar, `${baseUrl}/sign-in/two-factor`, {
      _csrf: csrfFrom(await challenge.text(), '/sign-in/two-factor'),
      code: TwoFactorService.codeFor(person.totpKey, new Date()),
    });
    if (done.status !== 303) throw new Error(`second factor of ${person.email} answered ${done.status}`);
  }
  return jar.header();
}
