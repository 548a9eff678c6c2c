/**
 * Who is connected to this node, as counts: people with at least one open socket (a page holding the
 * room, messages or a live notice), in total and by role. The node writes it with every heartbeat so
 * the admin console can show every node's, whichever node serves the console. Counts only: which
 * client is online is nobody's business but their care team's, and the console does not need it.
 */
export interface NodePresence {
  /** Distinct people with a socket here. */
  readonly people: number;
  /** People by role ('guest' for an invited guest); someone with two roles counts under both. Roles nobody holds are absent. */
  readonly roles: Readonly<Record<string, number>>;
}

export const NOBODY: NodePresence = Object.freeze({ people: 0, roles: Object.freeze({}) });

/** Counts sockets per person, so a second tab or a reload overlapping the old page counts once. */
export class PresenceTally {
  readonly #people = new Map<string, { sockets: number; roles: readonly string[] }>();

  /** A socket of this person opened. */
  connected(person: { readonly id: string; readonly roles: readonly string[] }): void {
    const known = this.#people.get(person.id);
    if (known) known.sockets += 1;
    else this.#people.set(person.id, { sockets: 1, roles: [...person.roles] });
  }

  /** A socket of this person closed (one `connected` each; extra calls are ignored). */
  disconnected(person: { readonly id: string }): void {
    const known = this.#people.get(person.id);
    if (!known) return;
    known.sockets -= 1;
    if (known.sockets <= 0) this.#people.delete(person.id);
  }

  snapshot(): NodePresence {
    const roles: Record<string, number> = {};
    for (const { roles: held } of this.#people.values()) {
      for (const role of held) roles[role] = (roles[role] ?? 0) + 1;
    }
    return { people: this.#people.size, roles };
  }
}

/** Reads a stored presence; anything malformed (an older node, a hand edit) reads as nobody. */
export function presenceFrom(stored: string | null): NodePresence {
  if (!stored) return NOBODY;
  try {
    const value = JSON.parse(stored) as unknown;
    if (typeof value !== 'object' || value === null) return NOBODY;
    const { people, roles } = value as { people?: unknown; roles?: unknown };
    if (!isCount(people) || typeof roles !== 'object' || roles === null) return NOBODY;
    const counted: Record<string, number> = {};
    for (const [role, n] of Object.entries(roles)) if (isCount(n)) counted[role] = n;
    return { people, roles: counted };
  } catch {
    return NOBODY;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
