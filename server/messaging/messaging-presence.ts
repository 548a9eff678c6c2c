/** Told when a person's first messaging page here opens (true) or their last one here closes (false). */
export type PresenceListener = (userId: string, online: boolean) => void;

/**
 * Who has a messaging page open right now (a socket subscribed to live messages), counted per
 * person because one person may have several tabs. The service asks it whether to email: someone
 * who is online gets the message live instead. In memory on purpose: presence dies with the process,
 * exactly like the sockets it counts. With several nodes, a person whose page is connected to
 * another node is online too: `lookElsewhere` gives the way to ask (the cluster's presence relay).
 */
export class MessagingPresence {
  readonly #sockets = new Map<string, number>();
  readonly #listeners = new Set<PresenceListener>();
  #elsewhere: (userId: string) => boolean = () => false;

  connected(userId: string): void {
    const count = (this.#sockets.get(userId) ?? 0) + 1;
    this.#sockets.set(userId, count);
    if (count === 1) this.#tell(userId, true);
  }

  disconnected(userId: string): void {
    const left = (this.#sockets.get(userId) ?? 0) - 1;
    if (left > 0) this.#sockets.set(userId, left);
    else if (this.#sockets.delete(userId)) this.#tell(userId, false);
  }

  /** Online on this node, or (several nodes) on another one as that node last said. */
  isOnline(userId: string): boolean {
    return this.#sockets.has(userId) || this.#elsewhere(userId);
  }

  /** The people with a messaging page open on this node (for the other nodes). */
  here(): string[] {
    return [...this.#sockets.keys()];
  }

  /** Listens for people coming online or going offline on this node; returns the way to stop. */
  onChange(listener: PresenceListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Several nodes: how to know whether a person is online on another node. */
  lookElsewhere(elsewhere: (userId: string) => boolean): void {
    this.#elsewhere = elsewhere;
  }

  #tell(userId: string, online: boolean): void {
    for (const listener of this.#listeners) listener(userId, online);
  }
}
