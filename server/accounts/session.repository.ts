import { createHash } from 'node:crypto';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import { z } from 'zod';
import type { AccessModels, SessionRow } from './access.model';

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

/** Rows of the `sessions` table. Expiry is decided by the caller's clock, never the database's. */
export class SessionRepository {
  readonly #models: AccessModels;

  constructor(models: AccessModels) {
    this.#models = models;
  }

  /**
   * The session's data and when its row was last written, or null when missing or expired (an
   * expired row is removed on the way).
   */
  async read(key: string, now: Date): Promise<{ data: string; lastSeenAt: Date } | null> {
    // Every signed-in request reads its session: plain SQL, no Sequelize query building or model
    // instance. Dates come back as text from SQLite and as Dates from PostgreSQL; new Date() takes both.
    const [plain] = await this.#models.sessions.sequelize!.query<{
      data: string;
      last_seen_at: Date | string;
      expires_at: Date | string;
    }>('SELECT data, last_seen_at, expires_at FROM sessions WHERE id = :key', {
      replacements: { key },
      type: QueryTypes.SELECT,
    });
    if (!plain) return null;
    if (new Date(plain.expires_at).getTime() <= now.getTime()) {
      await this.#models.sessions.destroy({ where: { id: key } });
      return null;
    }
    return { data: plain.data, lastSeenAt: new Date(plain.last_seen_at) };
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
