import { io as connect, type Socket } from 'socket.io-client';
import { TwoFactorService } from '../../server/accounts';
import type {
  Ack,
  ClientEvent,
  ClientToServerEvents,
  ErrorCode,
  Payload,
  Push,
  PushEvent,
  Result,
  RtpParameters,
  ServerToClientEvents,
} from '../../server/protocol';
import { forgetUsedCodes, type TestPerson } from './accounts';
import type { LiveHaven } from './live-haven';

/** A tiny cookie-keeping client for the real sign-in forms. */
class CookieClient {
  readonly #base: string;
  readonly cookies = new Map<string, string>();

  constructor(base: string) {
    this.#base = base;
  }

  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, form?: Record<string, string>): Promise<Response> {
    const res = await fetch(`${this.#base}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: this.header,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }

  async csrf(path: string): Promise<string> {
    const html = await (await this.request(path)).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match?.[1]) throw new Error(`no CSRF token on ${path}`);
    return match[1];
  }
}

/** Signs a person in through the real forms; returns the session cookie (name and value). */
export async function signInCookie(
  live: Pick<LiveHaven, 'baseUrl' | 'haven'>,
  person: TestPerson,
): Promise<{ name: string; value: string; header: string }> {
  const client = new CookieClient(live.baseUrl);
  const first = await client.request('/sign-in', {
    _csrf: await client.csrf('/sign-in'),
    email: person.email,
    password: person.password,
  });
  if (first.status !== 303) throw new Error(`sign-in failed: ${first.status}`);
  if (first.headers.get('location') === '/sign-in/two-factor') {
    await forgetUsedCodes(live.haven, person.user.id);
    const second = await client.request('/sign-in/two-factor', {
      _csrf: await client.csrf('/sign-in/two-factor'),
      code: TwoFactorService.codeFor(person.totpSecret as string, new Date()),
    });
    if (second.status !== 303) throw new Error(`two-factor failed: ${second.status}`);
  }
  const [name, value] = [...client.cookies].find(([k]) => k.includes('haven.sid')) ?? [];
  if (!name || !value) throw new Error('no session cookie after sign-in');
  return { name, value, header: `${name}=${value}` };
}

/**
 * Uses an invited guest's link as their browser does: the page (for its CSRF token), then "Join now".
 * Returns the answer's status and, when the link worked, the guest's session cookie.
 */
export async function useGuestLink(
  live: Pick<LiveHaven, 'baseUrl'>,
  token: string,
): Promise<{ status: number; location: string | null; cookie: string | null }> {
  const client = new CookieClient(live.baseUrl);
  const page = await client.request(`/guest/${token}`);
  const match = /name="_csrf" value="([^"]+)"/.exec(await page.text());
  // No form on the page (used, expired, removed): post with the session's token from another page.
  const csrf = match?.[1] ?? (await client.csrf('/sign-in'));
  const res = await client.request(`/guest/${token}`, { _csrf: csrf });
  const [name, value] = [...client.cookies].find(([k]) => k.includes('haven.sid')) ?? [];
  return {
    status: res.status,
    location: res.headers.get('location'),
    cookie: res.status === 303 && name && value ? `${name}=${value}` : null,
  };
}

/** A socket.io client typed by the shared protocol, as the room and messaging pages hold one. */
export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client as a page would open it (same origin, session cookie). */
export function openSocket(
  live: LiveHaven,
  cookie: string | null,
  options: { origin?: string } = {},
): TestSocket {
  return connect(live.baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: {
      origin: options.origin ?? live.baseUrl,
      ...(cookie ? { cookie } : {}),
    },
  });
}

/** Resolves once connected, or rejects with the server's refusal (e.g. `auth.required`). */
export function connected(socket: TestSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

/** A request as a page makes it: the protocol's payload in, the protocol's answer out. */
export function ask<K extends ClientEvent>(
  socket: TestSocket,
  event: K,
  payload: Payload<K>,
): Promise<Ack<Result<K>>> {
  return askRaw(socket, event, payload) as Promise<Ack<Result<K>>>;
}

/**
 * A request that need not follow the protocol (a forged or malformed payload, an unknown event),
 * as a hostile page could send it. Only a refusal is expected back, so the answer's data is not typed.
 */
export function askRaw(socket: TestSocket, event: string, payload: unknown): Promise<Ack<unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 8000);
    const emit = socket.emit.bind(socket) as (e: string, p: unknown, ack: (a: Ack<unknown>) => void) => void;
    emit(event, payload, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** The data of a successful answer; a refusal fails the test with its code. */
export function dataOf<T>(answer: Ack<T>): T {
  if (!answer.ok) throw new Error(`refused: ${answer.error.code} (${answer.error.message})`);
  return answer.data;
}

/** Asserts a refusal with this code. */
export function refusedWith(answer: Ack<unknown>, code: ErrorCode): void {
  if (answer.ok) throw new Error(`expected ${code}, got ok`);
  if (answer.error.code !== code) throw new Error(`expected ${code}, got ${answer.error.code}`);
}

/** The next push of `event` on this socket. */
export function next<K extends PushEvent>(socket: TestSocket, event: K, timeoutMs = 8000): Promise<Push<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const once = socket.once.bind(socket) as (e: K, listener: (payload: Push<K>) => void) => void;
    once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Resolves with the reason when the server (or the client) closes this socket. */
export function disconnected(socket: TestSocket, timeoutMs = 8000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not disconnected within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Signs out through the header's form, with the session's own CSRF token. */
export async function signOut(live: LiveHaven, cookieHeader: string): Promise<number> {
  const page = await fetch(`${live.baseUrl}/`, { headers: { cookie: cookieHeader } });
  const match = /action="\/sign-out"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(await page.text());
  if (!match?.[1]) throw new Error('no sign-out form');
  const res = await fetch(`${live.baseUrl}/sign-out`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: match[1] }).toString(),
  });
  return res.status;
}

/**
 * The sockets a test opens, one person at a time: each person signs in once (the cookie is kept in
 * `cookies` for later sockets and for HTTP calls), every socket is connected before it is handed
 * out, and `closeAll` (an afterEach) disconnects them all. `onOpen` sees each socket before it
 * connects, so a test can record every frame it receives.
 */
export class TestSockets {
  readonly cookies = new Map<string, string>();
  readonly opened: TestSocket[] = [];
  readonly #live: () => LiveHaven;
  readonly #onOpen: ((person: TestPerson, socket: TestSocket) => void) | undefined;

  constructor(live: () => LiveHaven, onOpen?: (person: TestPerson, socket: TestSocket) => void) {
    this.#live = live;
    this.#onOpen = onOpen;
  }

  async open(person: TestPerson): Promise<TestSocket> {
    let cookie = this.cookies.get(person.user.id);
    if (!cookie) {
      cookie = (await signInCookie(this.#live(), person)).header;
      this.cookies.set(person.user.id, cookie);
    }
    const socket = this.track(openSocket(this.#live(), cookie));
    this.#onOpen?.(person, socket);
    await connected(socket);
    return socket;
  }

  /** Adds a socket the test opened itself, so `closeAll` disconnects it too. */
  track(socket: TestSocket): TestSocket {
    this.opened.push(socket);
    return socket;
  }

  closeAll(): void {
    for (const s of this.opened.splice(0)) s.disconnect();
  }
}

/**
 * Every push each socket receives, by event name, in order (only the events `keep` accepts): pass
 * `record` as `TestSockets`' `onOpen`, read `seen.get(socket)`.
 */
export function pushRecorder(keep: (event: string) => boolean = () => true): {
  readonly seen: Map<TestSocket, string[]>;
  readonly record: (person: TestPerson, socket: TestSocket) => void;
} {
  const seen = new Map<TestSocket, string[]>();
  return {
    seen,
    record: (_person, socket) => {
      const events: string[] = [];
      seen.set(socket, events);
      socket.onAny((event: string) => {
        if (keep(event)) events.push(event);
      });
    },
  };
}

/** Opus RTP parameters for a producer made over the socket protocol, without a browser. */
export function opusRtpParameters(ssrc: number, cname: string): RtpParameters {
  return {
    codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {} }],
    encodings: [{ ssrc }],
    headerExtensions: [],
    rtcp: { cname },
  };
}
