import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const id = { type: DataTypes.STRING(36), primaryKey: true };
const ref = (model: string, allowNull = false) => ({
  type: DataTypes.STRING(36),
  allowNull,
  references: { model, key: 'id' },
  onDelete: 'CASCADE',
});
const at = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });

/**
 * Group meetings: a peer-support group's scheduled meetings (each opens a live room with a lobby),
 * who was removed from which meeting (they cannot come back to it), and members' reports to the
 * facilitators. A report's text may describe someone's state, so it is sealed.
 */
export const migration: Migration = {
  name: '20261126-0804-group-meetings',
  async up({ queryInterface }) {
    await queryInterface.createTable('peer_group_meetings', {
      id,
      group_id: ref('peer_groups'),
      starts_at: at(),
      ends_at: at(),
      created_by: ref('users'),
      created_at: at(),
      cancelled_at: at(true),
    });
    await queryInterface.addIndex('peer_group_meetings', ['group_id', 'starts_at'], {
      name: 'peer_group_meetings_group_start',
    });
    await queryInterface.createTable('peer_group_meeting_removals', {
      meeting_id: { ...ref('peer_group_meetings'), primaryKey: true },
      member_id: { ...ref('peer_group_members'), primaryKey: true },
      removed_by: ref('users'),
      created_at: at(),
    });
    await queryInterface.createTable('peer_group_reports', {
      id,
      group_id: ref('peer_groups'),
      meeting_id: ref('peer_group_meetings', true),
      reporter_member_id: ref('peer_group_members'),
      /** The member reported, if a person was reported. */
      about_member_id: ref('peer_group_members', true),
      /** The chat message reported, if a message was. */
      message_id: { type: DataTypes.STRING(36), allowNull: true },
      reason_enc: { type: DataTypes.TEXT, allowNull: false },
      created_at: at(),
    });
    await queryInterface.addIndex('peer_group_reports', ['group_id', 'created_at'], {
      name: 'peer_group_reports_group',
    });
    // A meeting's live room, as an appointment's: one room per meeting.
    await queryInterface.addColumn('rooms', 'meeting_id', { type: DataTypes.STRING(36), allowNull: true });
    await queryInterface.addIndex('rooms', ['meeting_id'], { name: 'rooms_meeting', unique: true });
  },
  async down({ queryInterface }) {
    await queryInterface.removeIndex('rooms', 'rooms_meeting');
    await queryInterface.removeColumn('rooms', 'meeting_id');
    // SQLite drops a column by rebuilding the table, which loses its other indexes: put them back.
    const indexes = (await queryInterface.showIndex('rooms')) as Array<{ name: string }>;
    if (!indexes.some((i) => i.name === 'rooms_host')) {
      await queryInterface.addIndex('rooms', ['host_id', 'created_at'], { name: 'rooms_host' });
    }
    await queryInterface.dropTable('peer_group_reports');
    await queryInterface.dropTable('peer_group_meeting_removals');
    await queryInterface.dropTable('peer_group_meetings');
  },
};
