import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A read-only request's memory of what it has already read, so a page that needs the same row
 * twice (passport's user, then the unread badge's; one therapist on every row of a list) asks the
 * database once. It lives exactly as long as the request (AsyncLocalStorage), so nothing can go
 * stale across requests; outside a request (socket handlers, background jobs, CLIs) nothing is
 * remembered. The HTTP layer opens a scope for GET and HEAD only, and writers still call
 * {@link forgetInRequest} for what they change, for the GET that writes (an email link).
 */
interface Scope {
  readonly memo: Map<string, Promise<unknown>>;
}

const storage = new AsyncLocalStorage<Scope>();

/** Runs `work` (and everything it starts) inside a fresh request scope. */
export function runInRequestScope<T>(work: () => T): T {
  return storage.run({ memo: new Map() }, work);
}

/** The value under `key` read earlier in this request, else `load()` (remembered for the request). */
export function rememberInRequest<T>(key: string, load: () => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return load();
  const known = scope.memo.get(key) as Promise<T> | undefined;
  if (known) return known;
  const loading = load();
  scope.memo.set(key, loading);
  // A failed read is not remembered: the next caller tries again.
  loading.catch(() => scope.memo.delete(key));
  return loading;
}

/** Remembers `value` under `key` for this request, unless something is already remembered there. */
export function primeInRequest<T>(key: string, value: T): void {
  const scope = storage.getStore();
  if (!scope || scope.memo.has(key)) return;
  scope.memo.set(key, Promise.resolve(value));
}

/** What this request remembered under `key` (nothing is read), or undefined. */
export function peekInRequest<T>(key: string): Promise<T> | undefined {
  return storage.getStore()?.memo.get(key) as Promise<T> | undefined;
}

/** Forgets what this request remembered under keys starting with `prefix` (after a write). */
export function forgetInRequest(prefix: string): void {
  const scope = storage.getStore();
  if (!scope) return;
  for (const key of scope.memo.keys()) if (key.startsWith(prefix)) scope.memo.delete(key);
}

/**
 * Gathers single-key reads made in the same turn of the event loop (a page mapping over its rows,
 * `Promise.all(rows.map((r) => people.byId(r.therapistId)))`) into one `loadMany` call, and
 * remembers each answer for the request. Works outside a request scope too (batching only).
 */
export class BatchLoader<V> {
  readonly #name: string;
  readonly #loadMany: (keys: readonly string[]) => Promise<Map<string, V>>;
  #pending: Map<string, { resolve: (value: V | null) => void; reject: (error: unknown) => void }[]> | null =
    null;

  /** `loadMany` answers with the values it found; a key it leaves out is null. */
  constructor(name: string, loadMany: (keys: readonly string[]) => Promise<Map<string, V>>) {
    this.#name = name;
    this.#loadMany = loadMany;
  }

  /** The memo prefix of this loader's keys, for {@link forgetInRequest}. */
  get prefix(): string {
    return `${this.#name}:`;
  }

  /** Remembers a value read some other way (see {@link primeInRequest}); outside a request, nothing. */
  prime(key: string, value: V): void {
    primeInRequest(`${this.#name}:${key}`, value);
  }

  load(key: string): Promise<V | null> {
    return rememberInRequest(`${this.#name}:${key}`, () => this.#enqueue(key));
  }

  #enqueue(key: string): Promise<V | null> {
    return new Promise((resolve, reject) => {
      if (!this.#pending) {
        this.#pending = new Map();
        // After the current synchronous code and the promise jobs it queued (as DataLoader does),
        // so every read a page starts in one go lands in the same batch.
        void Promise.resolve().then(() => process.nextTick(() => this.#flush()));
      }
      const waiting = this.#pending.get(key) ?? [];
      waiting.push({ resolve, reject });
      this.#pending.set(key, waiting);
    });
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = null;
    if (!batch) return;
    this.#loadMany([...batch.keys()]).then(
      (found) => {
        for (const [key, waiting] of batch) for (const w of waiting) w.resolve(found.get(key) ?? null);
      },
      (error: unknown) => {
        for (const waiting of batch.values()) for (const w of waiting) w.reject(error);
      },
    );
  }
}
