import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * Which node a room lives on (issue 22). One row per room, written once by the first entry (a
 * primary key and INSERT … ON CONFLICT DO NOTHING decide races) and moved only when its node dies.
 */
export const migration: Migration = {
  name: '20261203-2203-room-placements',
  async up({ queryInterface }) {
    await queryInterface.createTable('room_placements', {
      room_id: { type: DataTypes.STRING(36), primaryKey: true },
      node_id: { type: DataTypes.STRING(63), allowNull: false },
      /** Epoch milliseconds, comparable with cluster_nodes.heartbeat_at. */
      placed_at: { type: DataTypes.BIGINT, allowNull: false },
    });
    await queryInterface.addIndex('room_placements', ['node_id'], { name: 'room_placements_node_id' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('room_placements');
  },
};
