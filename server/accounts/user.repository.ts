import { Op, type Transaction } from 'sequelize';
import { isRole, type Role } from './roles';
import type { AccountModels, UserRow } from './user.model';

/** A person as the rest of Haven sees them (never the password hash). */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly status: 'active' | 'deactivated';
  readonly roles: readonly Role[];
  readonly isDemo: boolean;
  readonly createdAt: Date;
}

export interface NewUserRow {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string | null;
  readonly roles: readonly Role[];
  readonly isDemo: boolean;
  readonly now: Date;
}

export class UserRepository {
  readonly #models: AccountModels;

  constructor(models: AccountModels) {
    this.#models = models;
  }

  async #withRoles(rows: UserRow[], transaction?: Transaction): Promise<User[]> {
    if (rows.length === 0) return [];
    const roleRows = await this.#models.roles.findAll({
      where: { user_id: { [Op.in]: rows.map((r) => r.id) } },
      transaction,
    });
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      status: row.status,
      isDemo: Boolean(row.is_demo),
      createdAt: new Date(row.created_at),
      roles: roleRows
        .map((r) => r.get({ plain: true }))
        .filter((r) => r.user_id === row.id)
        .map((r) => r.role)
        .filter(isRole),
    }));
  }

  async insert(user: NewUserRow, transaction?: Transaction): Promise<void> {
    await this.#models.users.create(
      {
        id: user.id,
        email: user.email,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        status: 'active',
        is_demo: user.isDemo,
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
    const row = await this.#models.users.findByPk(id, { transaction });
    return row ? ((await this.#withRoles([row.get({ plain: true })], transaction))[0] ?? null) : null;
  }

  async byEmail(email: string, transaction?: Transaction): Promise<User | null> {
    const row = await this.#models.users.findOne({ where: { email }, transaction });
    return row ? ((await this.#withRoles([row.get({ plain: true })], transaction))[0] ?? null) : null;
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

  async list(limit = 200): Promise<User[]> {
    const rows = await this.#models.users.findAll({ order: [['created_at', 'ASC']], limit });
    return this.#withRoles(rows.map((r) => r.get({ plain: true })));
  }
}
