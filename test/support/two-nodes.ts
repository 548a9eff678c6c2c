import { randomBytes } from 'node:crypto';
import { startLiveHaven, type LiveHaven, type LiveHavenOptions } from './live-haven';
import { postgresDatabaseOrSkip, type PostgresDatabase } from './postgres';

/** Two Haven nodes on one PostgreSQL database, as a clinic runs them behind a proxy. */
export interface TwoNodes {
  readonly a: LiveHaven;
  readonly b: LiveHaven;
  readonly database: PostgresDatabase;
  /** Settings both nodes share (the database and the clinic's secrets): a third node needs them too. */
  readonly sharedEnv: Readonly<Record<string, string>>;
  /** Stops both nodes (those still running) and drops the database. */
  stop(): Promise<void>;
}

/**
 * What the nodes of one clinic share: the database and the secrets (session signing, field
 * encryption, TURN), plus `env` (PUBLIC_URL, cluster timings…).
 */
export function clusterEnv(
  database: PostgresDatabase,
  env: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TURN_SECRET: randomBytes(32).toString('hex'),
    ...env,
  };
}

/**
 * Nodes `node-a` and `node-b`, each on its own loopback port (and media ports when `media` is on),
 * on a fresh database of the run's PostgreSQL, sharing what the nodes of one clinic share: the
 * database and the secrets (session signing, field encryption, TURN). Skips the suite, with one line,
 * where PostgreSQL is not installed. Call from `before` (the second node starts after the first has
 * migrated the database).
 */
export async function startTwoNodes(
  context: Mocha.Context,
  options: Omit<LiveHavenOptions, 'env'> & { env?: Record<string, string> } = {},
): Promise<TwoNodes> {
  const database = await postgresDatabaseOrSkip(context);
  const sharedEnv = clusterEnv(database, options.env);
  const started: LiveHaven[] = [];
  const stop = async (): Promise<void> => {
    for (const node of started.splice(0)) await node.stop().catch(() => undefined);
    await database.drop();
  };
  try {
    const a = await startLiveHaven({ ...options, env: { ...sharedEnv, NODE_ID: 'node-a' } });
    started.push(a);
    const b = await startLiveHaven({ ...options, env: { ...sharedEnv, NODE_ID: 'node-b' } });
    started.push(b);
    return { a, b, database, sharedEnv, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Heartbeats both nodes until every node's registry row shows `expected` people connected, as the
 * admin console's Nodes page reads them (sockets open and close on their own time); fails with what
 * it saw after `timeoutMs`.
 */
export async function untilPeopleConnected(
  nodes: Pick<TwoNodes, 'a' | 'b'>,
  expected: Readonly<Record<string, number>>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await Promise.all([nodes.a.haven.nodes.beat(), nodes.b.haven.nodes.beat()]);
    const seen = Object.fromEntries(
      (await nodes.a.haven.nodes.nodes()).map((n) => [n.id, n.presence.people]),
    );
    if (Object.entries(expected).every(([id, n]) => seen[id] === n)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `people connected per node: saw ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
