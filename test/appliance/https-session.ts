import { request } from 'node:https';
import { TwoFactorService } from '../../server/accounts';

export interface HttpsAnswer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
}

/**
 * A cookie-keeping HTTPS client that trusts exactly one certificate authority (Caddy's local CA,
 * as a browser would once the operator trusts it): every request is a real TLS handshake with
 * Caddy, checked against that CA, for the host name in `origin`.
 */
export class HttpsSession {
  readonly #origin: URL;
  readonly #ca: string;
  readonly #cookies = new Map<string, string>();

  constructor(origin: string, ca: string) {
    this.#origin = new URL(origin);
    this.#ca = ca;
  }

  /** The cookies this session holds, as a Cookie header (for a socket.io client of the same person). */
  get cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: { form?: Record<string, string>; json?: unknown; csrf?: string },
  ): Promise<HttpsAnswer> {
    const payload = body?.form
      ? new URLSearchParams(body.form).toString()
      : body?.json !== undefined
        ? JSON.stringify(body.json)
        : undefined;
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.#origin),
        {
          method,
          ca: this.#ca,
          timeout: 30_000,
          headers: {
            cookie: this.cookieHeader,
            ...(body?.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            ...(body?.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(body?.csrf ? { 'x-csrf-token': body.csrf } : {}),
            ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair = ''] = line.split(';');
            const eq = pair.indexOf('=');
            if (eq > 0) this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
          }
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** The CSRF token a page carries (in its forms or data-csrf). */
  async csrfOf(path: string): Promise<string> {
    const page = await this.request('GET', path);
    const match = /name="_csrf" value="([^"]+)"|data-csrf="([^"]+)"/.exec(page.body);
    const token = match?.[1] ?? match?.[2];
    if (!token) throw new Error(`no CSRF token on ${path} (${page.status})`);
    return token;
  }

  /** Signs in through the real forms (password, then the authenticator code for staff). */
  async signIn(email: string, password: string, totpSecret?: string): Promise<void> {
    const first = await this.request('POST', '/sign-in', {
      form: { _csrf: await this.csrfOf('/sign-in'), email, password },
    });
    if (first.status !== 303) throw new Error(`sign-in as ${email}: ${first.status}`);
    if (first.location?.endsWith('/sign-in/two-factor')) {
      if (!totpSecret) throw new Error(`${email} needs a second factor`);
      const second = await this.request('POST', '/sign-in/two-factor', {
        form: {
          _csrf: await this.csrfOf('/sign-in/two-factor'),
          code: TwoFactorService.codeFor(totpSecret, new Date()),
        },
      });
      if (second.status !== 303) throw new Error(`second factor for ${email}: ${second.status}`);
    }
  }
}
