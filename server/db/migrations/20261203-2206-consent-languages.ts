import { DataTypes } from 'sequelize';
import { dropColumn, type Migration } from '../migration-context';

/**
 * Consent texts per language (issue 20): the clinic writes one text per language it offers, a client
 * signs the one in their language, and the signature records which language and version it was.
 * Version numbers stay one sequence across languages, so a version number alone still names one
 * text. Texts and signatures from before languages were English.
 */
export const migration: Migration = {
  name: '20261203-2206-consent-languages',
  async up({ queryInterface }) {
    const language = { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'en' };
    await queryInterface.addColumn('consent_versions', 'language', language);
    await queryInterface.addColumn('consent_signatures', 'language', language);
    await queryInterface.addIndex('consent_versions', ['language', 'version'], {
      name: 'consent_versions_language_version',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.removeIndex('consent_versions', 'consent_versions_language_version');
    await dropColumn(queryInterface, 'consent_signatures', 'language');
    await dropColumn(queryInterface, 'consent_versions', 'language');
  },
};
