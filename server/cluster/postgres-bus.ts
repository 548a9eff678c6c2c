import { randomUUID } from 'node:crypto';
import type { FieldCipher } from '../shared/field-encryption';
import type { Logger } from '../shared/logger';
import type { ClusterBus } from './cluster-bus';
import { newPgClient, type PgClient } from './pg-client';

const CHANNEL = 'haven_cluster';
/** NOTIFY payloads must stay under 8000 bytes: events are sent in pieces of this many characters. */
const PIECE_CHARS = 7000;
/** Pieces of an event not complete after this long are dropped (their sender died half-way). */
const PIECES_TTL_MS = 30_000;
const RECONNECT_MS = [250, 500, 1000, 2000, 5000] as const;
const ENCRYPTION_CONTEXT = 'cluster-bus';

interface Envelope {
  /** The publishing process (its own events are not delivered back to it). */
  readonly from: string;
  readonly topic: string;
  readonly payload: unknown;
}

/**
 * The cluster bus on PostgreSQL's LISTEN/NOTIFY: one connection per node listens on one channel.
 * Events can carry health information (a new message's text), and PostgreSQL may spill its
 * notification queue to disk, so every event travels encrypted with the field-encryption key that
 * all nodes of a clinic share (AES-256-GCM), in pieces small enough for NOTIFY, sent in one
 * transaction so they arrive together and in order. After a lost connection it reconnects (with
 * backoff) and listens again; events published meanwhile are missed, as the interface says.
 */
export class PostgresBus implements ClusterBus {
  readonly #url: string;
  readonly #cipher: FieldCipher;
  readonly #logger: Logger;
  readonly #self = randomUUID();
  readonly #listeners = new Map<string, Set<(payload: unknown) => void>>();
  readonly #pieces = new Map<string, { parts: string[]; got: number; since: number }>();
  #listener: PgClient | null = null;
  #publisher: PgClient | null = null;
  #closed = false;
  #reconnects = 0;

  static async create(url: string, cipher: FieldCipher, logger: Logger): Promise<PostgresBus> {
    const bus = new PostgresBus(url, cipher, logger);
    await bus.#listen();
    return bus;
  }

  private constructor(url: string, cipher: FieldCipher, logger: Logger) {
    this.#url = url;
    this.#cipher = cipher;
    this.#logger = logger;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    if (this.#closed) return;
    const envelope: Envelope = { from: this.#self, topic, payload };
    const sealed = this.#cipher.encrypt(JSON.stringify(envelope), ENCRYPTION_CONTEXT);
    const id = randomUUID();
    const count = Math.ceil(sealed.length / PIECE_CHARS);
    const pieces = Array.from(
      { length: count },
      (_, i) => `${id}|${i}|${count}|${sealed.slice(i * PIECE_CHARS, (i + 1) * PIECE_CHARS)}`,
    );
    const client = await this.#publishingClient();
    try {
      // One statement, so the pieces are one transaction: delivered together, in order.
      await client.query(
        `SELECT pg_notify($1, piece) FROM unnest($2::text[]) WITH ORDINALITY AS p(piece, n) ORDER BY n`,
        [CHANNEL, pieces],
      );
    } catch (error) {
      // A broken publishing connection is replaced on the next publish.
      this.#publisher = null;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    let set = this.#listeners.get(topic);
    if (!set) this.#listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const clients = [this.#listener, this.#publisher];
    this.#listener = null;
    this.#publisher = null;
    await Promise.all(clients.map((c) => c?.end().catch(() => undefined)));
  }

  async #publishingClient(): Promise<PgClient> {
    if (this.#publisher) return this.#publisher;
    const client = newPgClient(this.#url);
    client.on('error', (error) => {
      this.#logger.warn({ err: error }, 'cluster bus: publishing connection failed');
      if (this.#publisher === client) this.#publisher = null;
    });
    await client.connect();
    this.#publisher = client;
    return client;
  }

  async #listen(): Promise<void> {
    const client = newPgClient(this.#url);
    const lost = (error?: Error): void => {
      if (this.#listener !== client) return;
      this.#listener = null;
      void client.end().catch(() => undefined);
      if (this.#closed) return;
      this.#logger.warn({ err: error }, 'cluster bus: listening connection lost; reconnecting');
      this.#reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) this.#onPiece(message.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#listener = client;
    this.#reconnects = 0;
  }

  #reconnect(): void {
    const delay = RECONNECT_MS[Math.min(this.#reconnects, RECONNECT_MS.length - 1)]!;
    this.#reconnects += 1;
    setTimeout(() => {
      if (this.#closed) return;
      this.#listen().catch((error: unknown) => {
        this.#logger.warn({ err: error }, 'cluster bus: could not listen yet');
        this.#reconnect();
      });
    }, delay).unref();
  }

  #onPiece(text: string): void {
    const [id, index, count, ...rest] = text.split('|');
    const i = Number(index);
    const n = Number(count);
    if (!id || !Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 0 || i >= n) return;
    const now = Date.now();
    for (const [key, entry] of this.#pieces) if (now - entry.since > PIECES_TTL_MS) this.#pieces.delete(key);
    let entry = this.#pieces.get(id);
    if (!entry) this.#pieces.set(id, (entry = { parts: new Array<string>(n), got: 0, since: now }));
    if (entry.parts[i] === undefined) entry.got += 1;
    entry.parts[i] = rest.join('|');
    if (entry.got < n) return;
    this.#pieces.delete(id);
    let envelope: Envelope;
    try {
      envelope = JSON.parse(this.#cipher.decrypt(entry.parts.join(''), ENCRYPTION_CONTEXT)) as Envelope;
    } catch (error) {
      // Another clinic's node on the same server, or a different key: not ours to read.
      this.#logger.warn({ err: error }, 'cluster bus: dropped an event that did not decrypt');
      return;
    }
    if (envelope.from === this.#self) return;
    for (const listener of this.#listeners.get(envelope.topic) ?? []) {
      try {
        listener(envelope.payload);
      } catch (error) {
        this.#logger.error({ err: error, topic: envelope.topic }, 'cluster bus: a listener failed');
      }
    }
  }
}
