import { DataTypes } from 'sequelize';
import { dropColumn, type Migration } from '../migration-context';

/**
 * The language an invited guest reads (issue 20): their invitation email is written in it and their
 * link and room pages open in it. FieldCipher ciphertext like the guest's other fields (context
 * `room_guests.reading_language`): next to the appointment, a language can say something about the
 * client. Not the interpreter's interpreted language (`language_enc`). Null on guests invited before
 * (their pages follow the browser and the clinic's default, as before).
 */
export const migration: Migration = {
  name: '20261204-0600-guest-reading-language',
  async up({ queryInterface }) {
    await queryInterface.addColumn('room_guests', 'reading_language_enc', {
      type: DataTypes.TEXT,
      allowNull: true,
    });
  },
  async down({ queryInterface }) {
    await dropColumn(queryInterface, 'room_guests', 'reading_language_enc');
  },
};
