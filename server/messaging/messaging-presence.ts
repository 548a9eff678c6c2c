/**
 * Who has a messaging page open right now (a socket subscribed to live messages), counted per
 * person because one person may have several tabs. The service asks it whether to email: someone
 * who is online gets the message live instead. In memory on purpose: presence dies with the process,
 * exactly like the sockets it counts.
 */
export class MessagingPresence {
  readonly #sockets = new Map<string, number>();

  connected(userId: string): void {
    this.#sockets.set(userId, (this.#sockets.get(userId) ?? 0) + 1);
  }

  disconnected(userId: string): void {
    const left = (this.#sockets.get(userId) ?? 0) - 1;
    if (left > 0) this.#sockets.set(userId, left);
    else this.#sockets.delete(userId);
  }

  isOnline(userId: string): boolean {
    return this.#sockets.has(userId);
  }
}
