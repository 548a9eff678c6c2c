/**
 * The few parts of node-postgres' `Client` the cluster uses: a connection of its own, outside
 * Sequelize's pool, for LISTEN (which needs the same connection for as long as it listens) and for
 * session-level advisory locks (which live exactly as long as their connection). `pg` is already
 * Sequelize's PostgreSQL driver; it ships without types, so the shape is declared here.
 */
export interface PgNotification {
  readonly channel: string;
  readonly payload?: string;
}

export interface PgClient {
  connect(): Promise<void>;
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: PgNotification) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
}

/** A new, not yet connected client for `url`. */
export function newPgClient(url: string): PgClient {
  // require, not import: the same line loads under tsx and as compiled CommonJS (and `pg` has no types).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as { Client: new (config: { connectionString: string }) => PgClient };
  return new Client({ connectionString: url });
}
