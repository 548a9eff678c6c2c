import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/** People and their roles. A person may hold several roles (a small clinic's admin is often a therapist). */
export const migration: Migration = {
  name: '20261126-0001-users',
  async up({ queryInterface }) {
    await queryInterface.createTable('users', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(320), allowNull: false, unique: true },
      display_name: { type: DataTypes.STRING(120), allowNull: false },
      password_hash: { type: DataTypes.STRING(255), allowNull: true },
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'active' },
      is_demo: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.createTable('user_roles', {
      user_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        primaryKey: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      role: { type: DataTypes.STRING(20), allowNull: false, primaryKey: true },
      granted_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('user_roles');
    await queryInterface.dropTable('users');
  },
};
