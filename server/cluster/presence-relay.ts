import type { Logger } from '../shared/logger';
import type { ClusterBus } from './cluster-bus';

/** This node's presence as the relay needs it (messaging's MessagingPresence offers this). */
export interface LocalPresence {
  /** Who is online on this node now. */
  here(): readonly string[];
  /** Told when someone comes online (true) or goes offline (false) on this node. */
  onChange(listener: (userId: string, online: boolean) => void): () => void;
}

/** What nodes tell each other on the bus, all with the sender's node id. */
type PresenceNews =
  | { readonly kind: 'all'; readonly node: string; readonly users: readonly string[] }
  | { readonly kind: 'change'; readonly node: string; readonly userId: string; readonly online: boolean }
  | { readonly kind: 'ask'; readonly node: string }
  | { readonly kind: 'gone'; readonly node: string };

function isNews(value: unknown): value is PresenceNews {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v['node'] !== 'string') return false;
  switch (v['kind']) {
    case 'all':
      return Array.isArray(v['users']) && v['users'].every((u) => typeof u === 'string');
    case 'change':
      return typeof v['userId'] === 'string' && typeof v['online'] === 'boolean';
    case 'ask':
    case 'gone':
      return true;
    default:
      return false;
  }
}

/**
 * Who is online on the *other* nodes (issue 22), for a feature whose presence is per node — messaging,
 * which emails "you have a new message" only to people with no messaging page open anywhere. Each node
 * says on the bus when someone comes online or goes offline on it, and every heartbeat who is online
 * on it in all (so a node started later, or one that missed an event, knows within a heartbeat; it
 * also asks at start). What a node said counts only while it keeps saying it: a node silent for
 * `staleAfterMs` (killed, cut off) counts as having nobody online, so its people get their emails.
 * Bus events travel encrypted: the database never holds who is online.
 */
export class PresenceRelay {
  readonly #bus: ClusterBus;
  readonly #topic: string;
  readonly #node: string;
  readonly #staleAfterMs: number;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #local: LocalPresence;
  readonly #others = new Map<string, { users: Set<string>; heardAt: number }>();
  readonly #stops: (() => void)[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(options: {
    readonly presence: LocalPresence;
    readonly bus: ClusterBus;
    /** The bus topic; one per feature. */
    readonly topic: string;
    readonly nodeId: string;
    /** How often this node says who is online on it (the node heartbeat). */
    readonly everyMs: number;
    /** After this long without a word from a node, its people count as offline (dead after). */
    readonly staleAfterMs: number;
    readonly logger: Logger;
    /** Wall-clock milliseconds. */
    readonly now?: () => number;
  }) {
    this.#bus = options.bus;
    this.#topic = options.topic;
    this.#node = options.nodeId;
    this.#staleAfterMs = options.staleAfterMs;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#local = options.presence;
    this.#stops.push(
      this.#local.onChange((userId, online) =>
        this.#say({ kind: 'change', node: this.#node, userId, online }),
      ),
      this.#bus.subscribe(this.#topic, (payload) => this.#hear(payload)),
    );
    this.#timer = setInterval(() => this.#sayAll(), options.everyMs);
    this.#timer.unref();
    this.#sayAll();
    this.#say({ kind: 'ask', node: this.#node });
  }

  /** Is this person online on another node that is still speaking? */
  isOnlineElsewhere(userId: string): boolean {
    const now = this.#now();
    for (const { users, heardAt } of this.#others.values()) {
      if (now - heardAt <= this.#staleAfterMs && users.has(userId)) return true;
    }
    return false;
  }

  /** Stops relaying and tells the other nodes this node's people are gone; idempotent. */
  stop(): void {
    if (this.#stops.length === 0) return;
    clearInterval(this.#timer);
    for (const stop of this.#stops.splice(0)) stop();
    this.#say({ kind: 'gone', node: this.#node });
  }

  #hear(payload: unknown): void {
    if (!isNews(payload) || payload.node === this.#node) return;
    const now = this.#now();
    switch (payload.kind) {
      case 'all':
        this.#others.set(payload.node, { users: new Set(payload.users), heardAt: now });
        return;
      case 'change': {
        const entry = this.#others.get(payload.node) ?? { users: new Set<string>(), heardAt: now };
        if (payload.online) entry.users.add(payload.userId);
        else entry.users.delete(payload.userId);
        entry.heardAt = now;
        this.#others.set(payload.node, entry);
        return;
      }
      case 'ask':
        this.#sayAll();
        return;
      case 'gone':
        this.#others.delete(payload.node);
        return;
    }
  }

  #sayAll(): void {
    this.#say({ kind: 'all', node: this.#node, users: this.#local.here() });
  }

  #say(news: PresenceNews): void {
    this.#bus.publish(this.#topic, news).catch((error: unknown) => {
      this.#logger.warn(
        { err: error, topic: this.#topic, kind: news.kind },
        'could not tell the other nodes',
      );
    });
  }
}
