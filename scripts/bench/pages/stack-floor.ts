// The second reference `npm run bench:pages` prints: the least a signed-in page can cost on Haven's
// stack. express with helmet, express-session over a SQLite (node-sqlite3) store, the person read,
// one more read for a header count, and an EJS page inside an EJS layout (both compiled once): what
// every signed-in Haven page must do at the very least, with none of Haven's own features (no CSRF,
// no i18n, no audit, no request log, a 12-line page). Its ratio to bare express is the ceiling a
// real page's ratio can approach; a target above it cannot be met by making Haven's code cheaper.
// Own process, own temporary database, loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ejs from 'ejs';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import sqlite3 from 'sqlite3';

type Row = Record<string, unknown>;
type SessionData = session.SessionData & { userId?: number };

const dir = mkdtempSync(join(tmpdir(), 'haven-bench-floor-'));
const db = new sqlite3.Database(join(dir, 'floor.sqlite'));

function get(sql: string, params: unknown[]): Promise<Row | undefined> {
  return new Promise((resolve, reject) =>
    db.get(sql, params, (error: Error | null, row: Row | undefined) =>
      error ? reject(error) : resolve(row),
    ),
  );
}
function run(sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) =>
    db.run(sql, params, (error) => (error ? reject(error) : resolve())),
  );
}

/** A session store that reads and writes one row per session, as Haven's does (no touch writes). */
class RowStore extends session.Store {
  override get(sid: string, done: (error: unknown, data?: session.SessionData | null) => void): void {
    get('SELECT data FROM sessions WHERE id = ?', [sid]).then(
      (row) => done(null, row ? (JSON.parse(String(row.data)) as session.SessionData) : null),
      done,
    );
  }
  override set(sid: string, data: session.SessionData, done?: (error?: unknown) => void): void {
    run('INSERT OR REPLACE INTO sessions (id, data) VALUES (?, ?)', [sid, JSON.stringify(data)]).then(
      () => done?.(),
      (error: unknown) => done?.(error),
    );
  }
  override destroy(sid: string, done?: (error?: unknown) => void): void {
    run('DELETE FROM sessions WHERE id = ?', [sid]).then(
      () => done?.(),
      (error: unknown) => done?.(error),
    );
  }
  override touch(_sid: string, _data: session.SessionData, done?: () => void): void {
    done?.();
  }
}

const LAYOUT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title><%= title %></title>
<link rel="stylesheet" href="/app.css"></head><body><header><nav>
<% for (const link of links) { %><a href="<%= link.href %>"><%= link.label %></a> <% } %>
<span><%= person.display_name %> (<%= unread %>)</span></nav></header>
<main><%- body %></main><footer>A clinic</footer></body></html>`;
const PAGE = `<h1><%= title %></h1><ul>
<% for (const item of items) { %><li><a href="/messages/<%= item %>">Thread <%= item %></a> · <%= person.email %></li><% } %>
</ul>`;
const layout = ejs.compile(LAYOUT);
const page = ejs.compile(PAGE);
const LINKS = ['Home', 'Schedule', 'Messages', 'Clinical', 'Groups', 'Account'].map((label) => ({
  label,
  href: `/${label.toLowerCase()}`,
}));

async function main(): Promise<void> {
  await run('CREATE TABLE sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL)');
  await run('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, display_name TEXT)');
  await run('CREATE TABLE messages (id INTEGER PRIMARY KEY, user_id INTEGER, read INTEGER)');
  await run('CREATE INDEX messages_unread ON messages (user_id, read)');
  await run(`INSERT INTO users VALUES (1, 'dana@example.org', 'Dana')`);
  await run('INSERT INTO messages (user_id, read) VALUES (1, 0), (1, 1), (1, 0)');

  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(
    session({
      secret: 'bench-floor-secret-bench-floor-secret',
      store: new RowStore(),
      resave: false,
      saveUninitialized: false,
      name: 'floor.sid',
    }),
  );
  // The bench signs in here once and keeps the cookie.
  app.get('/sign-in', (req, res) => {
    (req.session as SessionData).userId = 1;
    res.send('signed in');
  });
  app.get('/', (req, res, next) => {
    const userId = (req.session as SessionData).userId;
    if (!userId) return void res.status(401).send('sign in first');
    void (async () => {
      const person = await get('SELECT id, email, display_name FROM users WHERE id = ?', [userId]);
      const count = await get('SELECT count(*) AS n FROM messages WHERE user_id = ? AND read = 0', [userId]);
      const locals = {
        title: 'Messages',
        person,
        unread: count?.n ?? 0,
        links: LINKS,
        items: [1, 2, 3, 4, 5, 6],
      };
      res.send(layout({ ...locals, body: page(locals) }));
    })().catch(next);
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') process.send?.({ port: address.port });
  });
  process.on('SIGTERM', () =>
    server.close(() => db.close(() => (rmSync(dir, { recursive: true, force: true }), process.exit(0)))),
  );
}

void main();
