import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * A licence an admin checked when inviting a therapist (issue 14): the therapist's practice profile
 * starts with it, verified, so new clients can book them as soon as their profile and hours are
 * ready, with no admin step after the invitation. Keyed by the invitation; found by the invited
 * email address when the therapist first saves their profile, then used up.
 */
export const migration: Migration = {
  name: '20261203-0103-invited-licences',
  async up({ queryInterface }) {
    await queryInterface.createTable('invited_licences', {
      invitation_id: {
        type: DataTypes.STRING(36),
        primaryKey: true,
        references: { model: 'invitations', key: 'id' },
        onDelete: 'CASCADE',
      },
      email: { type: DataTypes.STRING(320), allowNull: false },
      licence_type: { type: DataTypes.STRING(80), allowNull: false },
      licence_number: { type: DataTypes.STRING(80), allowNull: false },
      licence_jurisdiction: { type: DataTypes.STRING(120), allowNull: false },
      /** YYYY-MM-DD, as on practitioner_profiles. */
      licence_expires_on: { type: DataTypes.STRING(10), allowNull: false },
      verified_by: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'users', key: 'id' },
      },
      verified_at: { type: DataTypes.DATE, allowNull: false },
      verification_method: { type: DataTypes.STRING(200), allowNull: false },
    });
    await queryInterface.addIndex('invited_licences', ['email'], { name: 'invited_licences_email' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('invited_licences');
  },
};
