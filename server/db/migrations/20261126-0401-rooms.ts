import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * Live-session rooms. A room is either an appointment's room (participants come from scheduling,
 * one room per appointment) or an ad-hoc room a therapist opens for one of their clients (its
 * participants are listed in `room_participants`). Chat bodies are FieldCipher ciphertext only.
 */
export const migration: Migration = {
  name: '20261126-0401-rooms',
  async up({ queryInterface }) {
    await queryInterface.createTable('rooms', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      kind: { type: DataTypes.STRING(20), allowNull: false },
      appointment_id: { type: DataTypes.STRING(36), allowNull: true, unique: true },
      host_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'users', key: 'id' },
      },
      created_at: { type: DataTypes.DATE, allowNull: false },
      /** Ad-hoc rooms: entry allowed until then (appointment rooms follow the appointment). */
      closes_at: { type: DataTypes.DATE, allowNull: true },
      ended_at: { type: DataTypes.DATE, allowNull: true },
    });
    await queryInterface.addIndex('rooms', ['host_id', 'created_at'], { name: 'rooms_host' });

    await queryInterface.createTable('room_participants', {
      room_id: {
        type: DataTypes.STRING(36),
        primaryKey: true,
        references: { model: 'rooms', key: 'id' },
        onDelete: 'CASCADE',
      },
      user_id: {
        type: DataTypes.STRING(36),
        primaryKey: true,
        references: { model: 'users', key: 'id' },
      },
    });

    await queryInterface.createTable('room_chat_messages', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      room_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'rooms', key: 'id' },
        onDelete: 'CASCADE',
      },
      sender_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'users', key: 'id' },
      },
      body_enc: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    });
    await queryInterface.addIndex('room_chat_messages', ['room_id', 'created_at'], {
      name: 'room_chat_messages_room',
    });

    await queryInterface.createTable('room_attendance', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      room_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'rooms', key: 'id' },
        onDelete: 'CASCADE',
      },
      user_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'users', key: 'id' },
      },
      joined_at: { type: DataTypes.DATE, allowNull: false },
      left_at: { type: DataTypes.DATE, allowNull: true },
      duration_seconds: { type: DataTypes.INTEGER, allowNull: true },
    });
    await queryInterface.addIndex('room_attendance', ['room_id', 'user_id'], {
      name: 'room_attendance_room',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable('room_attendance');
    await queryInterface.dropTable('room_chat_messages');
    await queryInterface.dropTable('room_participants');
    await queryInterface.dropTable('rooms');
  },
};
