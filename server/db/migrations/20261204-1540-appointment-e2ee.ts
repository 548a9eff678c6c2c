import { DataTypes } from 'sequelize';
import { dropColumn, type Migration } from '../migration-context';

/**
 * The therapist's per-session choice of end-to-end encrypted media (issue 23, item 3), read when the
 * clinic runs ROOM_E2EE=per-session. False on every existing appointment: off unless chosen. A plain
 * boolean, not ciphertext: the column says how a session's media travels, nothing about the client.
 */
export const migration: Migration = {
  name: '20261204-1540-appointment-e2ee',
  async up({ queryInterface }) {
    await queryInterface.addColumn('appointments', 'e2ee_chosen', {
      type: DataTypes.BOOLEAN,
      allowNull: false,
      defaultValue: false,
    });
  },
  async down({ queryInterface }) {
    await dropColumn(queryInterface, 'appointments', 'e2ee_chosen');
  },
};
