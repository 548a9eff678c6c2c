import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chownSync, constants, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { freePort } from './free-port';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { makeTempDir } from './temp-dir';

/**
 * A real PostgreSQL for the tests, from Debian's server binaries (`/usr/lib/postgresql/<ver>/bin`):
 * a throw-away cluster in a temp dir, listening on 127.0.0.1 only (and a unix socket inside the temp
 * dir), trust authentication, durability switched off because the data dies with the run anyway.
 *
 * One server per mocha run (`sharedPostgres()`, stopped by the root hook in mocha-hooks.ts); each test
 * file takes its own fresh database from it (`postgresDatabaseOrSkip(this)`), so files never see each
 * other's rows and the ~1.5 s start-up is paid once.
 */

const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'haven';
/** initdb refuses to run as root; the Debian package creates this user, we create it if it is missing. */
const OS_USER = 'postgres';

export const POSTGRES_MISSING_MESSAGE = 'PostgreSQL binaries not found: skipping the PostgreSQL run';

export interface PostgresDatabase {
  /** `postgres://haven@127.0.0.1:<port>/<name>`, ready for DATABASE_URL. */
  readonly url: string;
  readonly name: string;
  /** Drops the database (closing anything still connected to it). */
  drop(): Promise<void>;
}

export interface PostgresServer extends PostgresDatabase {
  readonly port: number;
  /** A new empty database `haven_<random>` on this server. */
  createDatabase(): Promise<PostgresDatabase>;
  /** Stops the server and removes its directory; idempotent. */
  stop(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<ver>/bin` holding initdb, pg_ctl and postgres, or null. */
export function findPostgresBinDir(): string | null {
  let versions: string[];
  try {
    versions = readdirSync(DEBIAN_ROOT).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(DEBIAN_ROOT, version, 'bin');
    try {
      for (const tool of ['initdb', 'pg_ctl', 'postgres']) accessSync(join(bin, tool), constants.X_OK);
      return bin;
    } catch {
      // an incomplete install (client only): try an older version
    }
  }
  return null;
}

interface RunAs {
  /** Prefix for every server command: `runuser -u postgres --` when we are root, nothing otherwise. */
  readonly prefix: readonly string[];
  readonly uid: number | null;
  readonly gid: number | null;
}

function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { prefix: [], uid: null, gid: null };
  if (spawnSync('id', ['-u', OS_USER]).status !== 0) {
    const made = spawnSync(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        OS_USER,
      ],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`could not create the OS user ${OS_USER}: ${made.stderr}`);
  }
  const uid = Number(spawnSync('id', ['-u', OS_USER], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', OS_USER], { encoding: 'utf8' }).stdout.trim());
  return { prefix: ['runuser', '-u', OS_USER, '--'], uid, gid };
}

/** The program and arguments that run `command` as the server's OS user. */
function commandLine(as: RunAs, command: string, args: readonly string[]): [string, string[]] {
  const [first, ...others] = as.prefix;
  return first === undefined ? [command, [...args]] : [first, [...others, command, ...args]];
}

function run(as: RunAs, command: string, args: readonly string[], cwd: string): Promise<string> {
  const [file, rest] = commandLine(as, command, args);
  return new Promise((resolve, reject) => {
    // pg_ctl's -l sends the postmaster's output to the log file, so it holds none of these pipes
    // and 'close' fires when pg_ctl itself is done.
    const child = spawn(file, rest, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/** Starts a fresh server with one database in it. Most tests want `postgresDatabaseOrSkip` instead. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error(POSTGRES_MISSING_MESSAGE);
  const as = runAs();
  const temp = makeTempDir('haven-pg-');
  const dataDir = join(temp.dir, 'data');
  const socketDir = join(temp.dir, 'socket');
  const logFile = join(temp.dir, 'postgres.log');
  mkdirSync(socketDir);
  if (as.uid !== null && as.gid !== null) {
    chownSync(temp.dir, as.uid, as.gid);
    chownSync(socketDir, as.uid, as.gid);
  }
  const pgCtl = join(bin, 'pg_ctl');

  // If the run dies without the root hook (an uncaught error, process.exit), still stop the server
  // and delete its files. Synchronous: nothing asynchronous runs during 'exit'.
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    const [file, rest] = commandLine(as, pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    spawnSync(file, rest, { cwd: temp.dir, stdio: 'ignore' });
    temp.remove();
  };
  process.once('exit', stopSync);

  let port = 0;
  try {
    await run(
      as,
      join(bin, 'initdb'),
      ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
      temp.dir,
    );
    // The free-port probe can race with another process taking the port: try a few.
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${socketDir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      try {
        await run(
          as,
          pgCtl,
          ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options, 'start'],
          temp.dir,
        );
        break;
      } catch (error) {
        const log = readLog(logFile);
        if (attempt >= 3 || !/could not bind|address already in use/i.test(log)) {
          throw new Error(`${(error as Error).message}\n${log}`);
        }
      }
    }
  } catch (error) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw error;
  }

  const urlOf = (name: string): string => `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
  const admin = new Sequelize(urlOf('postgres'), { dialect: 'postgres', logging: false, pool: { max: 1 } });
  const createDatabase = async (): Promise<PostgresDatabase> => {
    const name = `haven_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    return {
      name,
      url: urlOf(name),
      async drop() {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  };

  let stopping: Promise<void> | null = null;
  const first = await createDatabase();
  return {
    ...first,
    port,
    createDatabase,
    stop() {
      stopping ??= (async () => {
        await admin.close();
        process.removeListener('exit', stopSync);
        stopped = true;
        try {
          await run(as, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop'], temp.dir);
        } finally {
          temp.remove();
        }
      })();
      return stopping;
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '(no server log)';
  }
}

let shared: Promise<PostgresServer> | null = null;

/** The run's one server, started on first use. */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}

/** Stops the shared server if this run started one (root `afterAll` hook). */
export async function stopSharedPostgres(): Promise<void> {
  if (!shared) return;
  const server = shared;
  shared = null;
  await (await server).stop();
}

let announcedMissing = false;

/**
 * A fresh database on the shared server for the calling suite; call it from `before`. Without the
 * server binaries, prints one visible line (once per run) and skips the suite. Any other failure to
 * start PostgreSQL fails the suite: a broken setup must not pass as "skipped".
 */
export async function postgresDatabaseOrSkip(context: Mocha.Context): Promise<PostgresDatabase> {
  if (findPostgresBinDir() === null) {
    if (!announcedMissing) {
      announcedMissing = true;
      process.stdout.write(`${POSTGRES_MISSING_MESSAGE}\n`);
    }
    context.skip();
  }
  // The first caller pays for initdb + start (about 1.5 s idle, more on a busy machine).
  context.timeout(Math.max(context.timeout(), 60_000));
  return (await sharedPostgres()).createDatabase();
}
