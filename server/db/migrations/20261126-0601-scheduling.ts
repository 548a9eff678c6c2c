import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const userRef = {
  type: DataTypes.STRING(36),
  allowNull: false,
  references: { model: 'users', key: 'id' },
  onDelete: 'CASCADE',
} as const;

const minutes = (defaultValue: number) =>
  ({ type: DataTypes.INTEGER, allowNull: false, defaultValue }) as const;

/**
 * Scheduling (issue 6): appointment types, therapists' weekly hours and date exceptions, appointments
 * with their participants and series, the slot-claim table that makes double booking impossible at
 * the database level, and hashed calendar-feed tokens. All instants are stored in UTC; wall-clock
 * rules (weekly hours) are stored as minutes after local midnight with the therapist's zone.
 */
export const migration: Migration = {
  name: '20261126-0601-scheduling',
  async up({ queryInterface }) {
    await queryInterface.createTable('appointment_types', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      name: { type: DataTypes.STRING(120), allowNull: false },
      duration_minutes: { type: DataTypes.INTEGER, allowNull: false },
      format: { type: DataTypes.STRING(10), allowNull: false },
      kind: { type: DataTypes.STRING(12), allowNull: false },
      capacity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      buffer_before_minutes: minutes(0),
      buffer_after_minutes: minutes(0),
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });

    await queryInterface.createTable('therapist_schedules', {
      therapist_id: { ...userRef, primaryKey: true },
      time_zone: { type: DataTypes.STRING(64), allowNull: false },
      min_notice_minutes: minutes(1440),
      horizon_days: minutes(60),
      slot_step_minutes: minutes(30),
      booking_mode: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'direct' },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.createTable('availability_windows', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      therapist_id: userRef,
      weekday: { type: DataTypes.INTEGER, allowNull: false },
      start_minute: { type: DataTypes.INTEGER, allowNull: false },
      end_minute: { type: DataTypes.INTEGER, allowNull: false },
    });
    await queryInterface.addIndex('availability_windows', ['therapist_id'], {
      name: 'availability_windows_therapist',
    });
    await queryInterface.createTable('availability_exceptions', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      therapist_id: userRef,
      date: { type: DataTypes.STRING(10), allowNull: false },
      kind: { type: DataTypes.STRING(12), allowNull: false },
      start_minute: { type: DataTypes.INTEGER, allowNull: true },
      end_minute: { type: DataTypes.INTEGER, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('availability_exceptions', ['therapist_id', 'date'], {
      name: 'availability_exceptions_therapist_date',
    });

    await queryInterface.createTable('appointment_series', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      therapist_id: userRef,
      frequency: { type: DataTypes.STRING(10), allowNull: false },
      occurrence_count: { type: DataTypes.INTEGER, allowNull: true },
      until_date: { type: DataTypes.STRING(10), allowNull: true },
      time_zone: { type: DataTypes.STRING(64), allowNull: false },
      created_by: { type: DataTypes.STRING(36), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });

    await queryInterface.createTable('appointments', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      therapist_id: userRef,
      appointment_type_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'appointment_types', key: 'id' },
      },
      series_id: {
        type: DataTypes.STRING(36),
        allowNull: true,
        references: { model: 'appointment_series', key: 'id' },
      },
      start_at: { type: DataTypes.DATE, allowNull: false },
      end_at: { type: DataTypes.DATE, allowNull: false },
      block_start_at: { type: DataTypes.DATE, allowNull: false },
      block_end_at: { type: DataTypes.DATE, allowNull: false },
      status: { type: DataTypes.STRING(12), allowNull: false },
      format: { type: DataTypes.STRING(10), allowNull: false },
      sequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      // Encrypted with FieldCipher (context appointments.reason): a reason for visit is health information.
      reason_cipher: { type: DataTypes.TEXT, allowNull: true },
      booked_by: { type: DataTypes.STRING(36), allowNull: false },
      late_cancellation: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      cancelled_by: { type: DataTypes.STRING(36), allowNull: true },
      cancelled_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('appointments', ['therapist_id', 'start_at'], {
      name: 'appointments_therapist_start',
    });
    await queryInterface.addIndex('appointments', ['status', 'start_at'], {
      name: 'appointments_status_start',
    });
    await queryInterface.addIndex('appointments', ['series_id'], { name: 'appointments_series' });

    await queryInterface.createTable('appointment_participants', {
      appointment_id: {
        type: DataTypes.STRING(36),
        primaryKey: true,
        references: { model: 'appointments', key: 'id' },
        onDelete: 'CASCADE',
      },
      client_id: { ...userRef, primaryKey: true },
    });
    await queryInterface.addIndex('appointment_participants', ['client_id'], {
      name: 'appointment_participants_client',
    });

    // The double-booking guard: one row per 5-minute grain of every active appointment's block.
    await queryInterface.createTable('appointment_slot_claims', {
      therapist_id: { ...userRef, primaryKey: true },
      grain_minute: { type: DataTypes.INTEGER, primaryKey: true },
      appointment_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'appointments', key: 'id' },
        onDelete: 'CASCADE',
      },
    });
    await queryInterface.addIndex('appointment_slot_claims', ['appointment_id'], {
      name: 'appointment_slot_claims_appointment',
    });

    // Only the SHA-256 of a feed token is kept: a copy of this table opens no calendar.
    await queryInterface.createTable('calendar_feeds', {
      user_id: { ...userRef, primaryKey: true },
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
  },
  async down({ queryInterface }) {
    for (const table of [
      'calendar_feeds',
      'appointment_slot_claims',
      'appointment_participants',
      'appointments',
      'appointment_series',
      'availability_exceptions',
      'availability_windows',
      'therapist_schedules',
      'appointment_types',
    ]) {
      await queryInterface.dropTable(table);
    }
  },
};
