import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

const id = { type: DataTypes.STRING(36), primaryKey: true };
const userRef = (allowNull = false) => ({
  type: DataTypes.STRING(36),
  allowNull,
  references: { model: 'users', key: 'id' },
});
/** Health information: always FieldCipher ciphertext, never plaintext. */
const sealed = (allowNull = false) => ({ type: DataTypes.TEXT, allowNull });
const at = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });

/**
 * Clinical records. Every column holding health information is ciphertext (`*_enc`); the plain columns
 * are only what the app must filter or join on (who, when, which measure, status).
 */
export const migration: Migration = {
  name: '20261126-0701-clinical',
  async up({ queryInterface }) {
    // Who treats whom: the basis of every clinical access decision.
    await queryInterface.createTable('care_assignments', {
      therapist_id: { ...userRef(), primaryKey: true, onDelete: 'CASCADE' },
      client_id: { ...userRef(), primaryKey: true, onDelete: 'CASCADE' },
      assigned_by: userRef(true),
      started_at: at(),
      ended_at: at(true),
    });
    await queryInterface.addIndex('care_assignments', ['client_id']);

    await queryInterface.createTable('measure_responses', {
      id,
      client_id: userRef(),
      measure: { type: DataTypes.STRING(10), allowNull: false },
      /** intake | assigned | self */
      source: { type: DataTypes.STRING(20), allowNull: false },
      /** JSON {answers, total, severity, difficulty} sealed together. */
      result_enc: sealed(),
      submitted_at: at(),
    });
    await queryInterface.addIndex('measure_responses', ['client_id', 'submitted_at']);

    await queryInterface.createTable('measure_assignments', {
      id,
      client_id: userRef(),
      therapist_id: userRef(),
      measure: { type: DataTypes.STRING(10), allowNull: false },
      /** once | weekly | before_each_session */
      cadence: { type: DataTypes.STRING(30), allowNull: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      created_at: at(),
      last_completed_at: at(true),
    });
    await queryInterface.addIndex('measure_assignments', ['client_id']);

    await queryInterface.createTable('crisis_alerts', {
      id,
      client_id: userRef(),
      response_id: { type: DataTypes.STRING(36), allowNull: true },
      created_at: at(),
      acknowledged_at: at(true),
      acknowledged_by: userRef(true),
    });
    await queryInterface.addIndex('crisis_alerts', ['client_id', 'acknowledged_at']);

    await queryInterface.createTable('clinical_notes', {
      id,
      client_id: userRef(),
      author_id: userRef(),
      /** soap | dap */
      template: { type: DataTypes.STRING(10), allowNull: false },
      appointment_id: { type: DataTypes.STRING(36), allowNull: true },
      /** JSON of the template's sections, sealed. */
      body_enc: sealed(),
      /** draft | signed */
      status: { type: DataTypes.STRING(10), allowNull: false },
      revision: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      created_at: at(),
      updated_at: at(),
      signed_at: at(true),
    });
    await queryInterface.addIndex('clinical_notes', ['client_id', 'created_at']);

    await queryInterface.createTable('note_addenda', {
      id,
      note_id: {
        type: DataTypes.STRING(36),
        allowNull: false,
        references: { model: 'clinical_notes', key: 'id' },
      },
      author_id: userRef(),
      reason_enc: sealed(),
      body_enc: sealed(),
      created_at: at(),
    });
    await queryInterface.addIndex('note_addenda', ['note_id']);

    // Kept apart from the record on purpose: never part of a record export or a break-glass read.
    await queryInterface.createTable('psychotherapy_notes', {
      id,
      client_id: userRef(),
      author_id: userRef(),
      body_enc: sealed(),
      created_at: at(),
      updated_at: at(),
    });
    await queryInterface.addIndex('psychotherapy_notes', ['author_id', 'client_id']);

    await queryInterface.createTable('break_glass_grants', {
      id,
      admin_id: userRef(),
      client_id: userRef(),
      reason_enc: sealed(),
      created_at: at(),
      expires_at: at(),
    });
    await queryInterface.addIndex('break_glass_grants', ['client_id', 'expires_at']);

    // Consent text is the clinic's, not health information: kept in the clear, versioned.
    await queryInterface.createTable('consent_versions', {
      version: { type: DataTypes.INTEGER, primaryKey: true },
      body: { type: DataTypes.TEXT, allowNull: false },
      created_at: at(),
      created_by: userRef(true),
    });
    await queryInterface.createTable('consent_signatures', {
      id,
      client_id: userRef(),
      version: { type: DataTypes.INTEGER, allowNull: false },
      typed_name_enc: sealed(),
      signed_at: at(),
      ip: { type: DataTypes.STRING(64), allowNull: true },
    });
    await queryInterface.addIndex('consent_signatures', ['client_id', 'version']);

    await queryInterface.createTable('intake_records', {
      id,
      client_id: userRef(),
      /** JSON {emergencyContact, location, reasons, goals}, sealed. */
      answers_enc: sealed(),
      submitted_at: at(),
    });
    await queryInterface.addIndex('intake_records', ['client_id']);

    await queryInterface.createTable('session_safety_checks', {
      id,
      client_id: userRef(),
      appointment_id: { type: DataTypes.STRING(36), allowNull: true },
      /** JSON {location, callbackNumber}, sealed. */
      details_enc: sealed(),
      created_at: at(),
    });
    await queryInterface.addIndex('session_safety_checks', ['client_id', 'created_at']);

    await queryInterface.createTable('session_feedback', {
      id,
      client_id: userRef(),
      therapist_id: userRef(),
      appointment_id: { type: DataTypes.STRING(36), allowNull: true },
      /** JSON {heard, goals, approach, overall, comment}, sealed. */
      ratings_enc: sealed(),
      created_at: at(),
    });
    await queryInterface.addIndex('session_feedback', ['therapist_id', 'client_id']);
  },
  async down({ queryInterface }) {
    for (const table of [
      'session_feedback',
      'session_safety_checks',
      'intake_records',
      'consent_signatures',
      'consent_versions',
      'break_glass_grants',
      'psychotherapy_notes',
      'note_addenda',
      'clinical_notes',
      'crisis_alerts',
      'measure_assignments',
      'measure_responses',
      'care_assignments',
    ]) {
      await queryInterface.dropTable(table);
    }
  },
};
