import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const userRef = (allowNull = false) => ({
  type: DataTypes.STRING(36),
  allowNull,
  references: { model: 'users', key: 'id' },
});

/**
 * Data rights (issue 9): clients' erasure requests and the restriction that keeps an erased client's
 * clinical record out of normal reach until the retention period ends. The user row of an erased
 * client stays as a pseudonymous tombstone (no name, no email, no credentials), so these references
 * and the audit trail's ids keep pointing somewhere.
 */
export const migration: Migration = {
  name: '20261126-1201-data-rights',
  async up({ queryInterface }) {
    await queryInterface.createTable('erasure_requests', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      client_id: userRef(),
      /** pending → approved | declined; approved → purged once the retention job has run. */
      status: { type: DataTypes.STRING(20), allowNull: false },
      requested_at: { type: DataTypes.DATE, allowNull: false },
      decided_at: { type: DataTypes.DATE, allowNull: true },
      decided_by: userRef(true),
      /** The admin's reason, shown to the client; free text, so sealed. */
      decision_reason_enc: { type: DataTypes.TEXT, allowNull: true },
      purge_after: { type: DataTypes.DATE, allowNull: true },
      purged_at: { type: DataTypes.DATE, allowNull: true },
    });
    await queryInterface.addIndex('erasure_requests', ['status']);
    await queryInterface.addIndex('erasure_requests', ['client_id']);
    await queryInterface.createTable('clinical_restrictions', {
      client_id: { ...userRef(), primaryKey: true },
      reason: { type: DataTypes.STRING(30), allowNull: false },
      restricted_at: { type: DataTypes.DATE, allowNull: false },
      purge_after: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('clinical_restrictions', ['purge_after']);
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('clinical_restrictions');
    await queryInterface.dropTable('erasure_requests');
  },
};
