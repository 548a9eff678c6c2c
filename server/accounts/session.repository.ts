import { createHash } from 'node:crypto';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import { z } from 'zod';
import type { AccessModels, SessionRow } from './access.model';
import { USER_COLUMNS, USER_JOINS, usersOfRows, type UserWithRoleRow } from './user-rows';
import type { User } from './user.repository';

/** The stored key of a session: SHA-256 of the cookie's id, so the table cannot be replayed as cookies. */
export function sessionKeyOf(sid: string): string {
  return createHash('sha256').update(sid, 'utf8').digest('hex');
}

/** The shape of a `sessionKeyOf()` (how the sessions page names a session in its links). */
export const sessionKeySchema = z.string().regex(/^[0-9a-f]{64}$/);

/** A session as the "active sessions" page shows it. */
export interface SessionSummary {
  readonly id: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface StoredSession {
  readonly key: string;
  readonly userId: string | null;
  readonly data: string;
  readonly now: Date;
  readonly expiresAt: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** A session row as {@link SessionRepository.read} finds it. */
export interface SessionRead {
  readonly data: string;
  readonly lastSeenAt: Date;
  /** The person of the row's `user_id`, read in the same statement; null without one. */
  readonly user: User | null;
}

/** The session's columns, then the person's (all null when the session has none). */
type SessionWithUserRow = { data: string; last_seen_at: Date | string; expires_at: Date | string } & (
  UserWithRoleRow | { [K in keyof UserWithRoleRow]: null }
);

/** Rows of the `sessions` table. Expiry is decided by the caller's clock, never the database's. */
export class SessionRepository {
  readonly #models: AccessModels;

  constructor(models: AccessModels) {
    this.#models = models;
  }

  /**
   * The session's data, when its row was last written, and the person it is signed in as (null
   * when it has none, or their row is gone), or null when missing or expired (an expired row is
   * removed on the way).
   */
  async read(key: string, now: Date): Promise<SessionRead | null> {
    // Every signed-in request reads its session and then its person (passport): one plain-SQL
    // statement for both, the person's columns as UserRepository reads them (one row per role).
    // Dates come back as text from SQLite and as Dates from PostgreSQL; new Date() takes both.
    const rows = await this.#models.sessions.sequelize!.query<SessionWithUserRow>(
      `SELECT s.data, s.last_seen_at, s.expires_at, ${USER_COLUMNS}
         FROM sessions s
         LEFT JOIN users u ON u.id = s.user_id
         ${USER_JOINS}
        WHERE s.id = :key
        ORDER BY r.role`,
      { replacements: { key }, type: QueryTypes.SELECT },
    );
    const plain = rows[0];
    if (!plain) return null;
    if (new Date(plain.expires_at).getTime() <= now.getTime()) {
      await this.#models.sessions.destroy({ where: { id: key } });
      return null;
    }
    // Without a person (signed out, or their row gone) the one row's person columns are all null.
    const personRows = rows.filter((row): row is SessionWithUserRow & UserWithRoleRow => row.id !== null);
    return {
      data: plain.data,
      lastSeenAt: new Date(plain.last_seen_at),
      user: usersOfRows(personRows)[0] ?? null,
    };
  }

  async write(session: StoredSession): Promise<void> {
    const existing = await this.#models.sessions.findByPk(session.key, { attributes: ['id'] });
    const values = {
      user_id: session.userId,
      data: session.data,
      last_seen_at: session.now,
      expires_at: session.expiresAt,
      ip: session.ip?.slice(0, 64) ?? null,
      user_agent: session.userAgent?.slice(0, 300) ?? null,
    };
    if (existing) {
      await this.#models.sessions.update(values, { where: { id: session.key } });
    } else {
      await this.#models.sessions.create({ id: session.key, created_at: session.now, ...values });
    }
  }

  async touch(key: string, now: Date, expiresAt: Date): Promise<void> {
    await this.#models.sessions.update({ last_seen_at: now, expires_at: expiresAt }, { where: { id: key } });
  }

  async destroy(key: string): Promise<void> {
    await this.#models.sessions.destroy({ where: { id: key } });
  }

  async listForUser(userId: string, now: Date): Promise<SessionSummary[]> {
    const rows = await this.#models.sessions.findAll({
      where: { user_id: userId, expires_at: { [Op.gt]: now } },
      order: [['last_seen_at', 'DESC']],
    });
    return rows.map((r) => toSummary(r.get({ plain: true })));
  }

  /** Removes a user's sessions (all, or all but `exceptKey`); returns the removed keys. */
  async destroyForUser(userId: string, exceptKey?: string, transaction?: Transaction): Promise<string[]> {
    const where = exceptKey ? { user_id: userId, id: { [Op.ne]: exceptKey } } : { user_id: userId };
    const rows = await this.#models.sessions.findAll({ where, attributes: ['id'], transaction });
    const keys = rows.map((r) => r.get('id') as string);
    if (keys.length > 0)
      await this.#models.sessions.destroy({ where: { id: { [Op.in]: keys } }, transaction });
    return keys;
  }

  /** Removes one of the user's own sessions; false when it is not theirs or already gone. */
  async destroyOwn(userId: string, key: string): Promise<boolean> {
    return (await this.#models.sessions.destroy({ where: { id: key, user_id: userId } })) > 0;
  }

  async pruneExpired(now: Date): Promise<number> {
    return this.#models.sessions.destroy({ where: { expires_at: { [Op.lte]: now } } });
  }
}

function toSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    createdAt: new Date(row.created_at),
    lastSeenAt: new Date(row.last_seen_at),
    ip: row.ip,
    userAgent: row.user_agent,
  };
}
