import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * A room moved off a dead node remembers where it came from and when that node was last heard
 * (issue 22, step 6): the new node closes the attendance the dead one left open at that moment and
 * keeps the admitted people's places for the seat hold, so they come back without knocking again.
 */
export const migration: Migration = {
  name: '20261203-2220-room-placement-handover',
  async up({ queryInterface }) {
    await queryInterface.addColumn('room_placements', 'moved_from', {
      type: DataTypes.STRING(63),
      allowNull: true,
    });
    /** Epoch milliseconds: the dead node's last heartbeat when the room was moved. */
    await queryInterface.addColumn('room_placements', 'moved_from_seen_at', {
      type: DataTypes.BIGINT,
      allowNull: true,
    });
  },
  async down({ queryInterface }) {
    await queryInterface.removeColumn('room_placements', 'moved_from_seen_at');
    await queryInterface.removeColumn('room_placements', 'moved_from');
    // SQLite drops a column by rebuilding the table, which loses its other indexes: put them back.
    const indexes = (await queryInterface.showIndex('room_placements')) as Array<{ name: string }>;
    if (!indexes.some((i) => i.name === 'room_placements_node_id')) {
      await queryInterface.addIndex('room_placements', ['node_id'], { name: 'room_placements_node_id' });
    }
  },
};
