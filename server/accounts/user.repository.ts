import { Op, QueryTypes, col, fn, where as where_, type Transaction, type WhereOptions } from 'sequelize';
import { isRole, type Role } from './roles';
import type { AccessModels } from './access.model';
import type { AccountModels, UserRow } from './user.model';
import { BatchLoader, forgetInRequest } from '../shared/request-scope';
import { USER_COLUMNS, USER_JOINS, userOf, usersOfRows, type UserWithRoleRow } from './user-rows';

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
   * and this was three statements per person (users, user_roles, user_totp). The columns, joins
   * and folding live in user-rows.ts, which the session read shares.
   */
  async #selectUsers(
    condition: string,
    replacements: Record<string, unknown>,
    transaction?: Transaction,
    order = 'u.id',
  ): Promise<User[]> {
    const rows = await this.#models.users.sequelize!.query<UserWithRoleRow>(
      `SELECT ${USER_COLUMNS}
         FROM users u
         ${USER_JOINS}
        WHERE ${condition}
        ORDER BY ${order}, r.role`,
      { replacements, type: QueryTypes.SELECT, transaction },
    );
    return usersOfRows(rows);
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

  /**
   * Tells a GET request's memo the person a read outside this repository already brought (the
   * session row's join), so `byId` answers from it for the rest of the request. Outside a request
   * scope (POST, sockets) nothing is remembered.
   */
  rememberForRequest(user: User): void {
    this.#byIdLoader.prime(user.id, user);
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
