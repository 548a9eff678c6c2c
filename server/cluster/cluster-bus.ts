/**
 * Events between the nodes serving one database. A node publishes what happened on it (a message
 * was sent, someone signed out everywhere, an admin changed a setting); every *other* node hears it
 * and delivers it to its own sockets or caches. Best effort, like the live delivery it carries: a
 * node that is not listening at that moment misses it, and pages catch up when they load.
 */
export interface ClusterBus {
  /** Sends `payload` (JSON) to every other node; resolves once it is handed to the database. */
  publish(topic: string, payload: unknown): Promise<void>;
  /** Called with what other nodes publish on `topic` (never this node's own events). */
  subscribe(topic: string, listener: (payload: unknown) => void): () => void;
  /** Idempotent. */
  close(): Promise<void>;
}

/** One node (SQLite): there is nobody to tell. */
export const NO_OTHER_NODES: ClusterBus = {
  publish: async () => undefined,
  subscribe: () => () => undefined,
  close: async () => undefined,
};
