import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * The admin console's clinic preferences (branding, time zone, texts, timeouts, SMTP): one row.
 * The preferences are a JSON document checked by a zod schema on every read, so adding a preference
 * needs no migration; the SMTP password is kept apart, encrypted with the field key.
 */
export const migration: Migration = {
  name: '20261126-1101-clinic-preferences',
  async up({ queryInterface }) {
    await queryInterface.createTable('clinic_preferences', {
      id: { type: DataTypes.STRING(20), primaryKey: true },
      data: { type: DataTypes.TEXT, allowNull: false },
      smtp_password_enc: { type: DataTypes.TEXT, allowNull: true },
      /** Changes with each logo upload, so pages and emails can cache a logo by its URL. */
      logo_version: { type: DataTypes.STRING(36), allowNull: true },
      updated_at: { type: DataTypes.DATE, allowNull: false },
      updated_by: { type: DataTypes.STRING(36), allowNull: true },
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('clinic_preferences');
  },
};
