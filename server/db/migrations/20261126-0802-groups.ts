import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const id = { type: DataTypes.STRING(36), primaryKey: true };
const groupRef = {
  type: DataTypes.STRING(36),
  allowNull: false,
  references: { model: 'peer_groups', key: 'id' },
  onDelete: 'CASCADE',
};
const userRef = {
  type: DataTypes.STRING(36),
  allowNull: false,
  references: { model: 'users', key: 'id' },
  onDelete: 'CASCADE',
};
const at = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });

/**
 * Peer-support groups: the group, its facilitators, versioned guidelines, and members known to each
 * other only by a pseudonym chosen for that group.
 */
export const migration: Migration = {
  name: '20261126-0802-groups',
  async up({ queryInterface }) {
    await queryInterface.createTable('peer_groups', {
      id,
      topic: { type: DataTypes.STRING(120), allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false },
      capacity: { type: DataTypes.INTEGER, allowNull: false },
      /** open | approval */
      membership: { type: DataTypes.STRING(20), allowNull: false },
      created_by: userRef,
      created_at: at(),
      archived_at: at(true),
    });
    await queryInterface.createTable('peer_group_facilitators', {
      group_id: { ...groupRef, primaryKey: true },
      user_id: { ...userRef, primaryKey: true },
    });
    await queryInterface.createTable('peer_group_guidelines', {
      group_id: { ...groupRef, primaryKey: true },
      version: { type: DataTypes.INTEGER, primaryKey: true },
      text: { type: DataTypes.TEXT, allowNull: false },
      created_by: userRef,
      created_at: at(),
    });
    await queryInterface.createTable('peer_group_members', {
      /** The handle other members see; never the user id. */
      id,
      group_id: groupRef,
      user_id: userRef,
      pseudonym: { type: DataTypes.STRING(40), allowNull: false },
      /** Lower-cased pseudonym: unique within a group. */
      pseudonym_key: { type: DataTypes.STRING(40), allowNull: false },
      /** pending | active | removed | blocked */
      status: { type: DataTypes.STRING(20), allowNull: false },
      guidelines_version: { type: DataTypes.INTEGER, allowNull: true },
      joined_at: at(),
      changed_at: at(),
    });
    await queryInterface.addIndex('peer_group_members', ['group_id', 'user_id'], { unique: true });
    await queryInterface.addIndex('peer_group_members', ['group_id', 'pseudonym_key'], { unique: true });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('peer_group_members');
    await queryInterface.dropTable('peer_group_guidelines');
    await queryInterface.dropTable('peer_group_facilitators');
    await queryInterface.dropTable('peer_groups');
  },
};
