import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * Who is connected to each node (issue 22, the admin console's Nodes page): every heartbeat writes
 * the node's counts of connected people, in total and by role, as JSON. Counts only, never who.
 */
export const migration: Migration = {
  name: '20261204-0430-node-presence',
  async up({ queryInterface }) {
    await queryInterface.addColumn('cluster_nodes', 'online', { type: DataTypes.TEXT, allowNull: true });
  },
  async down({ sequelize }) {
    // Both engines drop a column in place (SQLite since 3.35). Sequelize's removeColumn rebuilds a
    // SQLite table and writes its numeric defaults back as strings ('0'), which is not the table up() found.
    await sequelize.query('ALTER TABLE cluster_nodes DROP COLUMN online');
  },
};
