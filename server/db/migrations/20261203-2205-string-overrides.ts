import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * A clinic's own wording for any interface string (issue 20), per language, applied on top of the
 * strings Haven ships. One row per (language, key); removing the row restores the shipped string.
 * Who changed what is in the audit trail (old and new text), not here.
 */
export const migration: Migration = {
  name: '20261203-2205-string-overrides',
  async up({ queryInterface }) {
    await queryInterface.createTable('string_overrides', {
      language: { type: DataTypes.STRING(16), primaryKey: true },
      string_key: { type: DataTypes.STRING(200), primaryKey: true },
      value: { type: DataTypes.TEXT, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
      updated_by: {
        type: DataTypes.STRING(36),
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
      },
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('string_overrides');
  },
};
