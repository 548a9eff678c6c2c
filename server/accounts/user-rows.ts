import { isRole, type Role } from './roles';
import type { User } from './user.repository';
import type { UserRow } from './user.model';

/**
 * A person with their roles and second factor as one plain-SQL read: the columns and joins that
 * {@link UserRepository} selects people with, and the session read that brings the signed-in
 * person along with the session row. One row per role (a person without roles gives one row whose
 * role is null; user_totp has one row per person at most, so its join adds none). Plain SQL that
 * SQLite and PostgreSQL both read; dates and booleans are normalised by {@link usersOfRows}.
 * The joins expect the person as `u`.
 */
export const USER_COLUMNS = `u.id, u.email, u.display_name, u.status, u.is_demo, u.full_name, u.time_zone,
       u.language, u.email_verified_at, u.created_at, r.role, t.user_id IS NOT NULL AS two_factor`;

export const USER_JOINS = `LEFT JOIN user_roles r ON r.user_id = u.id
  LEFT JOIN user_totp t ON t.user_id = u.id AND t.enabled_at IS NOT NULL`;

/** A row of {@link USER_COLUMNS}: a person, one of their roles, their second factor. */
export type UserWithRoleRow = Pick<
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
export function userOf(
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

/** Folds {@link USER_COLUMNS} rows (one per role) into people, in the rows' order. */
export function usersOfRows(rows: readonly UserWithRoleRow[]): User[] {
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
