import { newId } from '../shared/ids';

/**
 * User id ↔ public id and names for one group room. `present` deep-copies a payload, replacing
 * every known user id with its public id, and the sender name of chat messages with the roster name;
 * a chat sender no longer on the roster gets a fresh id and "Former participant".
 */
export class Pseudonyms {
  readonly #byUser = new Map<string, { publicId: string; name: string }>();
  readonly #byPublic = new Map<string, string>();

  constructor(roster: readonly { userId: string; publicId: string; name: string }[]) {
    for (const r of roster) this.add(r.userId, r.publicId, r.name);
  }

  add(userId: string, publicId: string, name: string): void {
    this.#byUser.set(userId, { publicId, name });
    this.#byPublic.set(publicId, userId);
  }

  /** The user id behind a public id (requests name people by public id), or null. */
  userIdOf(publicId: string): string | null {
    return this.#byPublic.get(publicId) ?? null;
  }

  publicIdOf(userId: string): string | null {
    return this.#byUser.get(userId)?.publicId ?? null;
  }

  present<T>(payload: T): T {
    return this.#walk(payload) as T;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.#byUser.get(value)?.publicId ?? value;
    if (Array.isArray(value)) return value.map((v) => this.#walk(v));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = this.#walk(v);
    const senderId = (value as { senderId?: unknown }).senderId;
    if (typeof senderId === 'string' && 'senderName' in value) {
      const known = this.#byUser.get(senderId);
      if (!known) this.add(senderId, newId(), 'Former participant');
      const entry = this.#byUser.get(senderId);
      out.senderId = entry?.publicId;
      out.senderName = entry?.name;
    }
    return out;
  }
}
