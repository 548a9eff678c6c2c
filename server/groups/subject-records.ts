import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/**
 * Peer groups' part of data rights (issue 9). On erasure the person's memberships lose the
 * pseudonym they chose (it may identify them) and become "Former member <id>"; active or pending
 * memberships end, a block stays (so the rule that blocked people cannot rejoin still holds for the
 * row, which identifies nobody now). The membership rows themselves stay: meetings and reports refer
 * to them. Facilitators' alerts about the person describe their state, so they are kept with the
 * restricted clinical record and purged with it.
 */
export class GroupsSubjectRecords {
  readonly #sequelize: Sequelize;

  constructor(sequelize: Sequelize) {
    this.#sequelize = sequelize;
  }

  /** Returns how many memberships were pseudonymised. */
  async erase(userId: string, now: Date, tx: Transaction): Promise<number> {
    const rows = await this.#sequelize.query<{ id: string; status: string }>(
      'SELECT id, status FROM peer_group_members WHERE user_id = ?',
      { replacements: [userId], type: QueryTypes.SELECT, transaction: tx },
    );
    for (const row of rows) {
      const pseudonym = `Former member ${row.id.slice(0, 8)}`;
      await this.#sequelize.getQueryInterface().bulkUpdate(
        'peer_group_members',
        {
          pseudonym,
          pseudonym_key: pseudonym.toLowerCase(),
          status: row.status === 'blocked' ? 'blocked' : 'removed',
          changed_at: now,
        },
        { id: row.id },
        { transaction: tx },
      );
    }
    return rows.length;
  }

  /** At the end of retention: facilitators' alerts about the person. */
  async purge(userId: string, tx: Transaction): Promise<number> {
    const [before] = await this.#sequelize.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM peer_group_escalations WHERE user_id = ?',
      { replacements: [userId], type: QueryTypes.SELECT, transaction: tx },
    );
    await this.#sequelize.getQueryInterface().bulkDelete(
      'peer_group_escalations',
      { user_id: userId },
      {
        transaction: tx,
      },
    );
    return Number(before?.n ?? 0);
  }
}
