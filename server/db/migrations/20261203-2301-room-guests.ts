import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * Invited guests of an appointment's session (issue 23): an interpreter, a family member, a support
 * person or a clinical supervisor the treating therapist adds. A guest has no account: they hold a
 * single-use link whose SHA-256 alone is stored. Name, email and language are FieldCipher
 * ciphertext (together with the appointment they say something about the client). A guest's time in
 * the room is kept in `room_guest_attendance` (room_attendance names accounts only).
 */
export const migration: Migration = {
  name: '20261203-2301-room-guests',
  async up({ queryInterface }) {
    await queryInterface.createTable('room_guests', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      appointment_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'appointments', key: 'id' },
        onDelete: 'CASCADE',
      },
      invited_by: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'users', key: 'id' },
      },
      /** interpreter | family | support | supervisor */
      role: { type: DataTypes.STRING(20), allowNull: false },
      name_enc: { type: DataTypes.TEXT, allowNull: false },
      email_enc: { type: DataTypes.TEXT, allowNull: false },
      /** Interpreters only: the language they interpret (ciphertext). */
      language_enc: { type: DataTypes.TEXT, allowNull: true },
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      /** The link was used (single use): from then on only the browser that used it is the guest. */
      redeemed_at: { type: DataTypes.DATE, allowNull: true },
      /** The therapist removed the guest: the link and the guest's browser are refused. */
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      /** A client asked the therapist to remove this guest (the therapist decides). */
      removal_requested_at: { type: DataTypes.DATE, allowNull: true },
    });
    await queryInterface.addIndex('room_guests', ['appointment_id'], { name: 'room_guests_appointment' });

    await queryInterface.createTable('room_guest_attendance', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      room_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'rooms', key: 'id' },
        onDelete: 'CASCADE',
      },
      guest_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'room_guests', key: 'id' },
        onDelete: 'CASCADE',
      },
      joined_at: { type: DataTypes.DATE, allowNull: false },
      left_at: { type: DataTypes.DATE, allowNull: true },
      duration_seconds: { type: DataTypes.INTEGER, allowNull: true },
    });
    await queryInterface.addIndex('room_guest_attendance', ['room_id'], {
      name: 'room_guest_attendance_room',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('room_guest_attendance');
    await queryInterface.dropTable('room_guests');
  },
};
