import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * Practitioner profiles for the directory: therapists and peer supporters. Public information by
 * design (it is what the directory shows), so nothing here is encrypted; lists are JSON text so the
 * same column works on SQLite and PostgreSQL.
 */
export const migration: Migration = {
  name: '20261126-0702-directory',
  async up({ queryInterface }) {
    await queryInterface.createTable('practitioner_profiles', {
      user_id: {
        type: DataTypes.STRING(36),
        primaryKey: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
      },
      /** therapist | peer_supporter: peer supporters are never shown as clinicians. */
      kind: { type: DataTypes.STRING(20), allowNull: false },
      bio: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      specialties: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
      approaches: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
      languages: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
      formats: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
      times: { type: DataTypes.TEXT, allowNull: false, defaultValue: '[]' },
      accepting_new_clients: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      licence_type: { type: DataTypes.STRING(80), allowNull: true },
      licence_number: { type: DataTypes.STRING(80), allowNull: true },
      licence_jurisdiction: { type: DataTypes.STRING(120), allowNull: true },
      /** YYYY-MM-DD: a licence expires at the end of that day. */
      licence_expires_on: { type: DataTypes.STRING(10), allowNull: true },
      licence_verified_at: { type: DataTypes.DATE, allowNull: true },
      licence_verified_by: { type: DataTypes.STRING(36), allowNull: true },
      licence_verification_method: { type: DataTypes.STRING(200), allowNull: true },
      /** The expiry date the 30-day warning was sent for, so it is sent once per licence period. */
      licence_warning_sent_for: { type: DataTypes.STRING(10), allowNull: true },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('practitioner_profiles', ['kind']);
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('practitioner_profiles');
  },
};
