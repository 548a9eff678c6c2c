import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * The node registry (issue 22): one row per Haven process serving this database — where browsers
 * send it media, and its heartbeat with its load. A node whose heartbeat is older than
 * NODE_DEAD_AFTER_SECONDS is dead. On SQLite the table is how a second process on the same file is
 * refused. Heartbeats are epoch milliseconds from the node's clock (nodes already need a synchronised
 * clock for two-factor codes), which reads the same on both engines.
 */
export const migration: Migration = {
  name: '20261203-2201-cluster-nodes',
  async up({ queryInterface }) {
    await queryInterface.createTable('cluster_nodes', {
      id: { type: DataTypes.STRING(63), primaryKey: true },
      /** Random per process start: tells a restarted node from the one before it. */
      instance: { type: DataTypes.STRING(36), allowNull: false },
      host: { type: DataTypes.STRING(255), allowNull: false },
      pid: { type: DataTypes.INTEGER, allowNull: false },
      public_url: { type: DataTypes.STRING(2048), allowNull: false },
      /** What browsers send media to; null when the node runs no media workers. */
      media_address: { type: DataTypes.STRING(255), allowNull: true },
      media_first_port: { type: DataTypes.INTEGER, allowNull: true },
      media_ports: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      started_at: { type: DataTypes.BIGINT, allowNull: false },
      heartbeat_at: { type: DataTypes.BIGINT, allowNull: false },
      live_rooms: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      consumers: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      /** Cores' worth of CPU the media workers used since the last heartbeat (0.5 = half a core). */
      worker_cpu: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 0 },
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('cluster_nodes');
  },
};
