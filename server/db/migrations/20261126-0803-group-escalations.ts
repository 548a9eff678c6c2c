import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const userRef = (allowNull = false) => ({
  type: DataTypes.STRING(36),
  allowNull,
  references: { model: 'users', key: 'id' },
  onDelete: 'CASCADE',
});

/** A facilitator's one-click alert to the on-call clinician about a group member. */
export const migration: Migration = {
  name: '20261126-0803-group-escalations',
  async up({ queryInterface }) {
    await queryInterface.createTable('peer_group_escalations', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      group_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'peer_groups', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** The member concerned (their account, so the clinician can reach them). */
      user_id: userRef(),
      raised_by: userRef(),
      /** The facilitator's reason: may describe someone's state, so sealed. */
      reason_enc: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      acknowledged_at: { type: DataTypes.DATE, allowNull: true },
      acknowledged_by: userRef(true),
    });
    await queryInterface.addIndex('peer_group_escalations', ['acknowledged_at']);
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('peer_group_escalations');
  },
};
