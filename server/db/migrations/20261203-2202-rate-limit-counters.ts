import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * Rate-limit counters every node shares (issue 22): with several nodes on PostgreSQL, attempts
 * split across nodes are counted together. One row per counter; the key is a SHA-256 of the
 * limiter's name and key (which can be an email address), so the table holds no address.
 */
export const migration: Migration = {
  name: '20261203-2202-rate-limit-counters',
  async up({ queryInterface }) {
    await queryInterface.createTable('rate_limit_counters', {
      key: { type: DataTypes.STRING(64), primaryKey: true },
      hits: { type: DataTypes.INTEGER, allowNull: false },
      /** Epoch milliseconds at which the window ends and the count starts again. */
      resets_at: { type: DataTypes.BIGINT, allowNull: false },
    });
    await queryInterface.addIndex('rate_limit_counters', ['resets_at'], {
      name: 'rate_limit_counters_resets_at',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('rate_limit_counters');
  },
};
