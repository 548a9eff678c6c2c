import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const userRef = {
  type: DataTypes.STRING(36),
  allowNull: false,
  references: { model: 'users', key: 'id' },
  onDelete: 'CASCADE',
} as const;

/**
 * Accounts and access (issue 3): profile columns, the session store, two-factor secrets and recovery
 * codes, single-use email tokens (verification, reset), invitations and the small clinic settings row.
 * Every secret that would let someone in is stored hashed (tokens, recovery codes, session ids) or
 * encrypted (TOTP secrets, which must be read back to check a code).
 */
export const migration: Migration = {
  name: '20261126-0101-accounts-access',
  async up({ queryInterface }) {
    await queryInterface.addColumn('users', 'full_name', { type: DataTypes.STRING(200), allowNull: true });
    await queryInterface.addColumn('users', 'time_zone', {
      type: DataTypes.STRING(64),
      allowNull: false,
      defaultValue: 'UTC',
    });
    await queryInterface.addColumn('users', 'language', {
      type: DataTypes.STRING(16),
      allowNull: false,
      defaultValue: 'en',
    });
    await queryInterface.addColumn('users', 'email_verified_at', { type: DataTypes.DATE, allowNull: true });
    await queryInterface.addColumn('users', 'password_changed_at', { type: DataTypes.DATE, allowNull: true });

    // `id` is SHA-256 of the cookie's session id: a copy of this table signs nobody in.
    await queryInterface.createTable('sessions', {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      user_id: { ...userRef, allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      last_seen_at: { type: DataTypes.DATE, allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      user_agent: { type: DataTypes.STRING(300), allowNull: true },
    });
    await queryInterface.addIndex('sessions', ['user_id']);
    await queryInterface.addIndex('sessions', ['expires_at']);

    await queryInterface.createTable('user_totp', {
      user_id: { ...userRef, primaryKey: true },
      secret_encrypted: { type: DataTypes.TEXT, allowNull: false },
      enabled_at: { type: DataTypes.DATE, allowNull: true },
      // The last accepted 30-second step: a code for this step or an earlier one is a replay.
      last_used_step: { type: DataTypes.BIGINT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });

    await queryInterface.createTable('recovery_codes', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: userRef,
      code_hash: { type: DataTypes.STRING(128), allowNull: false },
      used_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('recovery_codes', ['user_id']);

    await queryInterface.createTable('account_tokens', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: userRef,
      purpose: { type: DataTypes.STRING(20), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      used_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('account_tokens', ['user_id', 'purpose']);

    await queryInterface.createTable('invitations', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(320), allowNull: false },
      role: { type: DataTypes.STRING(20), allowNull: false },
      invited_by: userRef,
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      accepted_at: { type: DataTypes.DATE, allowNull: true },
      accepted_user_id: { type: DataTypes.STRING(36), allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('invitations', ['invited_by']);

    // One row (id 'clinic'). The admin area adds its own columns with its own migrations.
    await queryInterface.createTable('clinic_settings', {
      id: { type: DataTypes.STRING(20), primaryKey: true },
      clinic_name: { type: DataTypes.STRING(120), allowNull: true },
      self_signup: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      setup_completed_at: { type: DataTypes.DATE, allowNull: true },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
  async down({ queryInterface }) {
    for (const table of [
      'clinic_settings',
      'invitations',
      'account_tokens',
      'recovery_codes',
      'user_totp',
      'sessions',
    ]) {
      await queryInterface.dropTable(table);
    }
    for (const column of ['password_changed_at', 'email_verified_at', 'language', 'time_zone', 'full_name']) {
      await queryInterface.removeColumn('users', column);
    }
  },
};
