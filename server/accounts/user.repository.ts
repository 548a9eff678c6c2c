import { Op, QueryTypes, col, fn, where as where_, type Transaction, type WhereOptions } from 'sequelize';
import { isRole, type Role } from './roles';
import type { AccessModels } from './access.model';
import type { AccountModels, UserRow } from './user.model';
import { BatchLoader, forgetInRequest } from '../shared/request-scope';

/** A person as the rest of Haven sees them (never the password hash). */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly status: 'active' | 'deactivated';
  readonly roles: readonly Role[];
  readonly isDemo: boolean;
  readonly createdAt: Date;
  /** Legal or full name (optional); `displayName` is what others see. */
  readonly fullName: string | null;
  /** IANA zone, e.g. `Europe/Lisbon`; times are shown in it. */
  readonly timeZone: string;
  readonly language: string;
  readonly emailVerified: boolean;
  /** True once a TOTP authenticator is enrolled and confirmed. */
  readonly twoFactorEnabled: boolean;
}

export interface UserSearch {
  readonly q?: string;
  readonly role?: Role;
  readonly status?: User['status'];
  readonly offset: number;
  readonly limit: number;
}

export interface ProfileChanges {
  readonly displayName: string;
  readonly fullName: string | null;
  readonly timeZone: string;
  readonly language: string;
}

export interface NewUserRow {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string | null;
  readonly roles: readonly Role[];
  readonly isDemo: boolean;
  readonly now: Date;
  readonly emailVerified?: boolean;
  readonly fullName?: string | null;
  readonly timeZone?: string;
  readonly language?: string;
}

/** A row of {@link UserRepository}'s one-statement read: a person, one of their roles, their second factor. */
type UserWithRoleRow = Pick<
  UserRow,
  'id' | 'email' | 'display_name' | 'status' | 'full_name' | 'time_zone' | 'language'
> & {
  /** 0/1 from SQLite, a boolean from PostgreSQL. */
  readonly is_demo: boolean | number;
  /** Text from a raw SQLite read, a Date from PostgreSQL. */
  readonly email_verified_at: Date | string | null;
  readonly created_at: Date | string;
  readonly role: string | null;
  /** 0/1 from SQLite, a boolean from PostgreSQL. */
  readonly two_factor: boolean | number;
};

/** The fields of a {@link User} its row holds (not roles or the second factor, which live elsewhere). */
function userOf(
  row: Pick<UserWithRoleRow, Exclude<keyof UserWithRoleRow, 'role' | 'two_factor'>>,
): Omit<User, 'roles' | 'twoFactorEnabled'> {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
    isDemo: Boolean(Number(row.is_demo)),
    createdAt: new Date(row.created_at),
    fullName: row.full_name ?? null,
    timeZone: row.time_zone ?? 'UTC',
    language: row.language ?? 'en',
    emailVerified: row.email_verified_at !== null && row.email_verified_at !== undefined,
  };
}

export class UserRepository {
  readonly #models: AccountModels;
  readonly #access: AccessModels;

  /**
   * Reads by id outside a transaction: one query for all ids asked in the same turn (a list of
   * appointments naming their therapists), remembered for the rest of a GET request (passport's
   * user is the unread badge's user).
   */
  readonly #byIdLoader: BatchLoader<User>;

  constructor(models: AccountModels, access: AccessModels) {
    this.#models = models;
    this.#access = access;
    this.#byIdLoader = new BatchLoader('user', async (ids) => {
      const users = await this.#selectUsers('u.id IN (:ids)', { ids: [...ids] });
      return new Map(users.map((u) => [u.id, u]));
    });
  }

  /**
   * People with their roles and second factor in one statement, without Sequelize's query building
   * or model instances: every signed-in page loads its person (passport) and most name a few more,
   * and this was three statements per person (users, user_roles, user_totp). One row per role (a
   * person without roles gives one row whose role is null; user_totp has one row per person at
   * most, so its join adds none), folded here. Plain SQL that SQLite and
   * PostgreSQL both read; dates and booleans are normalised below, whichever driver returned them.
   */
  async #selectUsers(
    condition: string,
    replacements: Record<string, unknown>,
    transaction?: Transaction,
    order = 'u.id',
  ): Promise<User[]> {
    const rows = await this.#models.users.sequelize!.query<UserWithRoleRow>(
      `SELECT u.id, u.email, u.display_name, u.status, u.is_demo, u.full_name, u.time_zone, u.language,
              u.email_verified_at, u.created_at, r.role, t.user_id IS NOT NULL AS two_factor
         FROM users u
         LEFT JOIN user_roles r ON r.user_id = u.id
         LEFT JOIN user_totp t ON t.user_id = u.id AND t.enabled_at IS NOT NULL
        WHERE ${condition}
        ORDER BY ${order}, r.role`,
      { replacements, type: QueryTypes.SELECT, transaction },
    );
    const users = new Map<string, { row: UserWithRoleRow; roles: Role[] }>();
    for (const row of rows) {
      const user = users.get(row.id) ?? { row, roles: [] };
      users.set(row.id, user);
      if (row.role !== null && isRole(row.role)) user.roles.push(row.role);
    }
    return [...users.values()].map(({ row, roles }) => ({
      ...userOf(row),
      twoFactorEnabled: Boolean(Number(row.two_factor)),
      roles,
    }));
  }

  /** Before a write to users or their roles: what this request remembered would be stale after it. */
  #forgetRemembered(): void {
    forgetInRequest(this.#byIdLoader.prefix);
  }

  async #withRoles(rows: UserRow[], transaction?: Transaction): Promise<User[]> {
    if (rows.length === 0) return [];
    const roleRows = await this.#models.roles.findAll({
      where: { user_id: { [Op.in]: rows.map((r) => r.id) } },
      transaction,
    });
    const enrolled = new Set(
      (
        await this.#access.totp.findAll({
          where: { user_id: { [Op.in]: rows.map((r) => r.id) }, enabled_at: { [Op.ne]: null } },
          attributes: ['user_id'],
          transaction,
        })
      ).map((r) => r.get('user_id') as string),
    );
    return rows.map((row) => ({
      ...userOf(row),
      twoFactorEnabled: enrolled.has(row.id),
      roles: roleRows
        .map((r) => r.get({ plain: true }))
        .filter((r) => r.user_id === row.id)
        .map((r) => r.role)
        .filter(isRole),
    }));
  }

  async insert(user: NewUserRow, transaction?: Transaction): Promise<void> {
    this.#forgetRemembered();
    await this.#models.users.create(
      {
        id: user.id,
        email: user.email,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        status: 'active',
        is_demo: user.isDemo,
        full_name: user.fullName ?? null,
        time_zone: user.timeZone ?? 'UTC',
        language: user.language ?? 'en',
        email_verified_at: user.emailVerified ? user.now : null,
        password_changed_at: user.passwordHash ? user.now : null,
        created_at: user.now,
        updated_at: user.now,
      },
      { transaction },
    );
    await this.#models.roles.bulkCreate(
      user.roles.map((role) => ({ user_id: user.id, role, granted_at: user.now })),
      { transaction },
    );
  }

  async byId(id: string, transaction?: Transaction): Promise<User | null> {
    if (!transaction) return this.#byIdLoader.load(id);
    return (await this.#selectUsers('u.id = :id', { id }, transaction))[0] ?? null;
  }

  async byEmail(email: string, transaction?: Transaction): Promise<User | null> {
    return (await this.#selectUsers('u.email = :email', { email }, transaction))[0] ?? null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const row = await this.#models.users.findByPk(id, { attributes: ['password_hash'] });
    return (row?.get('password_hash') as string | null | undefined) ?? null;
  }

  async countAll(transaction?: Transaction): Promise<number> {
    return this.#models.users.count({ transaction });
  }

  async countNonDemo(transaction?: Transaction): Promise<number> {
    return this.#models.users.count({ where: { is_demo: false }, transaction });
  }

  /** The first `limit` people by sign-up, oldest first. */
  async list(limit = 200): Promise<User[]> {
    return this.#selectUsers(
      'u.id IN (SELECT id FROM users ORDER BY created_at ASC, id ASC LIMIT :limit)',
      { limit },
      undefined,
      'u.created_at ASC, u.id ASC',
    );
  }

  async updateProfile(
    id: string,
    changes: ProfileChanges,
    now: Date,
    transaction?: Transaction,
  ): Promise<void> {
    this.#forgetRemembered();
    await this.#models.users.update(
      {
        display_name: changes.displayName,
        full_name: changes.fullName,
        time_zone: changes.timeZone,
        language: changes.language,
        updated_at: now,
      },
      { where: { id }, transaction },
    );
  }

  /** The language pages and emails use for this person (the switcher, or the language they signed up in). */
  async setLanguage(id: string, language: string, now: Date, transaction?: Transaction): Promise<void> {
    this.#forgetRemembered();
    await this.#models.users.update({ language, updated_at: now }, { where: { id }, transaction });
  }

  async setPasswordHash(id: string, hash: string, now: Date, transaction?: Transaction): Promise<void> {
    this.#forgetRemembered();
    await this.#models.users.update(
      { password_hash: hash, password_changed_at: now, updated_at: now },
      { where: { id }, transaction },
    );
  }

  async markEmailVerified(id: string, now: Date, transaction?: Transaction): Promise<void> {
    this.#forgetRemembered();
    await this.#models.users.update(
      { email_verified_at: now, updated_at: now },
      { where: { id, email_verified_at: null }, transaction },
    );
  }

  /**
   * One page of people for the admin console: `q` matches name or email (case-insensitive), `role`
   * and `status` narrow it; newest first. Returns the page and the total matching.
   */
  async search(filter: UserSearch): Promise<{ users: User[]; total: number }> {
    const where: WhereOptions<UserRow> = {};
    const and: WhereOptions<UserRow>[] = [];
    if (filter.status) and.push({ status: filter.status });
    if (filter.q) {
      // Wildcards typed by the admin are dropped (no portable LIKE escape on SQLite and PostgreSQL).
      const like = `%${filter.q.toLowerCase().replace(/[%_\\]/g, '')}%`;
      and.push({
        [Op.or]: [
          where_(fn('lower', col('display_name')), { [Op.like]: like }),
          where_(fn('lower', col('email')), { [Op.like]: like }),
        ],
      } as WhereOptions<UserRow>);
    }
    if (filter.role) {
      const ids = (
        await this.#models.roles.findAll({ where: { role: filter.role }, attributes: ['user_id'] })
      ).map((r) => r.get('user_id') as string);
      and.push({ id: { [Op.in]: ids } });
    }
    Object.assign(where, and.length ? { [Op.and]: and } : {});
    const { rows, count } = await this.#models.users.findAndCountAll({
      where,
      order: [
        ['created_at', 'DESC'],
        ['id', 'ASC'],
      ],
      offset: filter.offset,
      limit: filter.limit,
    });
    return { users: await this.#withRoles(rows.map((r) => r.get({ plain: true }))), total: count };
  }

  async setStatus(
    id: string,
    status: User['status'],
    now: Date,
    transaction?: Transaction,
  ): Promise<boolean> {
    this.#forgetRemembered();
    const [changed] = await this.#models.users.update(
      { status, updated_at: now },
      { where: { id, status: { [Op.ne]: status } }, transaction },
    );
    return changed === 1;
  }

  async countWithRole(role: Role, transaction?: Transaction): Promise<number> {
    return this.#models.roles.count({ where: { role }, transaction });
  }

  async replaceRoles(
    id: string,
    roles: readonly Role[],
    now: Date,
    transaction?: Transaction,
  ): Promise<void> {
    this.#forgetRemembered();
    await this.#models.roles.destroy({ where: { user_id: id }, transaction });
    await this.#models.roles.bulkCreate(
      roles.map((role) => ({ user_id: id, role, granted_at: now })),
      { transaction },
    );
  }
}
