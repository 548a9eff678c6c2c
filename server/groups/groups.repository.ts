import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { GroupModels, MemberRow } from './groups.model';
import type { Group, Guidelines, Membership, MemberStatus } from './groups.types';

/** A row of {@link GroupsRepository.listActive}'s first statement (dates are text from SQLite). */
interface ListedGroupRow {
  readonly id: string;
  readonly topic: string;
  readonly description: string;
  readonly capacity: number | string;
  readonly membership: Group['membership'];
  readonly created_by: string;
  readonly created_at: Date | string;
  readonly guidelines_version: number | string | null;
  readonly active_count: number | string;
}

/** A group from its row (a model's or a plain-SQL one: dates as Date or text, capacity as number or text). */
function groupOf(
  g: Pick<
    ListedGroupRow,
    'id' | 'topic' | 'description' | 'capacity' | 'membership' | 'created_by' | 'created_at'
  >,
  facilitatorIds: string[],
  guidelinesVersion: number,
): Group {
  return {
    id: g.id,
    topic: g.topic,
    description: g.description,
    capacity: Number(g.capacity),
    membership: g.membership,
    createdBy: g.created_by,
    createdAt: new Date(g.created_at),
    facilitatorIds,
    guidelinesVersion,
  };
}

/** Group tables; plain objects out. */
export class GroupsRepository {
  readonly #m: GroupModels;

  constructor(models: GroupModels) {
    this.#m = models;
  }

  async insertGroup(
    group: Omit<Group, 'guidelinesVersion'>,
    guidelines: string,
    tx: Transaction,
  ): Promise<void> {
    await this.#m.groups.create(
      {
        id: group.id,
        topic: group.topic,
        description: group.description,
        capacity: group.capacity,
        membership: group.membership,
        created_by: group.createdBy,
        created_at: group.createdAt,
        archived_at: null,
      },
      { transaction: tx },
    );
    for (const userId of group.facilitatorIds) {
      await this.#m.facilitators.create({ group_id: group.id, user_id: userId }, { transaction: tx });
    }
    await this.insertGuidelines(group.id, 1, guidelines, group.createdBy, group.createdAt, tx);
  }

  async insertGuidelines(
    groupId: string,
    version: number,
    text: string,
    by: string,
    at: Date,
    tx: Transaction,
  ): Promise<void> {
    await this.#m.guidelines.create(
      { group_id: groupId, version, text, created_by: by, created_at: at },
      { transaction: tx },
    );
  }

  async groupById(id: string): Promise<Group | null> {
    const row = await this.#m.groups.findByPk(id);
    if (!row) return null;
    const facilitators = await this.#m.facilitators.findAll({ where: { group_id: id } });
    return groupOf(
      row.get({ plain: true }),
      facilitators.map((f) => f.get('user_id') as string),
      (await this.currentGuidelines(id))?.version ?? 0,
    );
  }

  /**
   * Every group not archived, oldest first, with its active member count: two statements (groups
   * with their counts and guidelines version, then all their facilitators) where reading group by
   * group took four per group. Plain SQL that SQLite and PostgreSQL both read.
   */
  async listActive(): Promise<{ group: Group; activeCount: number }[]> {
    const sequelize = this.#m.groups.sequelize!;
    const rows = await sequelize.query<ListedGroupRow>(
      `SELECT g.id, g.topic, g.description, g.capacity, g.membership, g.created_by, g.created_at,
              (SELECT MAX(v.version) FROM peer_group_guidelines v WHERE v.group_id = g.id) AS guidelines_version,
              (SELECT COUNT(*) FROM peer_group_members m
                WHERE m.group_id = g.id AND m.status = 'active') AS active_count
         FROM peer_groups g
        WHERE g.archived_at IS NULL
        ORDER BY g.created_at ASC`,
      { type: QueryTypes.SELECT },
    );
    if (rows.length === 0) return [];
    const facilitators = await sequelize.query<{ group_id: string; user_id: string }>(
      'SELECT group_id, user_id FROM peer_group_facilitators WHERE group_id IN (:ids)',
      { replacements: { ids: rows.map((r) => r.id) }, type: QueryTypes.SELECT },
    );
    return rows.map((g) => ({
      group: groupOf(
        g,
        facilitators.filter((f) => f.group_id === g.id).map((f) => f.user_id),
        g.guidelines_version === null ? 0 : Number(g.guidelines_version),
      ),
      // PostgreSQL's COUNT is a bigint, which its driver hands over as text.
      activeCount: Number(g.active_count),
    }));
  }

  async currentGuidelines(groupId: string): Promise<Guidelines | null> {
    const row = await this.#m.guidelines.findOne({
      where: { group_id: groupId },
      order: [['version', 'DESC']],
    });
    return row ? { version: Number(row.get('version')), text: row.get('text') as string } : null;
  }

  #member(p: MemberRow): Membership {
    return {
      id: p.id,
      groupId: p.group_id,
      userId: p.user_id,
      pseudonym: p.pseudonym,
      status: p.status,
      guidelinesVersion: p.guidelines_version === null ? null : Number(p.guidelines_version),
    };
  }

  async membership(groupId: string, userId: string): Promise<Membership | null> {
    const row = await this.#m.members.findOne({ where: { group_id: groupId, user_id: userId } });
    return row ? this.#member(row.get({ plain: true })) : null;
  }

  async memberById(id: string): Promise<Membership | null> {
    const row = await this.#m.members.findByPk(id);
    return row ? this.#member(row.get({ plain: true })) : null;
  }

  async members(groupId: string): Promise<Membership[]> {
    const rows = await this.#m.members.findAll({
      where: { group_id: groupId },
      order: [['joined_at', 'ASC']],
    });
    return rows.map((r) => this.#member(r.get({ plain: true })));
  }

  async countActive(groupId: string): Promise<number> {
    return this.#m.members.count({ where: { group_id: groupId, status: { [Op.in]: ['active'] } } });
  }

  /** False when the pseudonym is already taken in this group. */
  async insertMember(member: Membership, at: Date): Promise<boolean> {
    try {
      await this.#m.members.create({
        id: member.id,
        group_id: member.groupId,
        user_id: member.userId,
        pseudonym: member.pseudonym,
        pseudonym_key: member.pseudonym.toLocaleLowerCase(),
        status: member.status,
        guidelines_version: null,
        joined_at: at,
        changed_at: at,
      });
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintError) return false;
      throw error;
    }
  }

  async setStatus(memberId: string, status: MemberStatus, at: Date): Promise<void> {
    await this.#m.members.update({ status, changed_at: at }, { where: { id: memberId } });
  }

  async acceptGuidelines(memberId: string, version: number, at: Date): Promise<void> {
    await this.#m.members.update(
      { guidelines_version: version, changed_at: at },
      { where: { id: memberId } },
    );
  }
}
