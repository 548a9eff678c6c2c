import { DataTypes } from 'sequelize';
import { dropColumn, type Migration } from '../migration-context';

/**
 * The language an email is written in (issue 20): its branded HTML part is built at send time, and
 * needs `lang` and `dir` (Arabic reads right to left). Null on older rows, which were all English.
 */
export const migration: Migration = {
  name: '20261203-2204-mail-language',
  async up({ queryInterface }) {
    await queryInterface.addColumn('outbox_messages', 'language', {
      type: DataTypes.STRING(16),
      allowNull: true,
    });
  },
  async down({ queryInterface }) {
    await dropColumn(queryInterface, 'outbox_messages', 'language');
  },
};
