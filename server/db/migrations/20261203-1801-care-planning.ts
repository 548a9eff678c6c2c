import { randomUUID } from 'node:crypto';
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
const day = (allowNull = false) => ({ type: DataTypes.DATEONLY, allowNull });

/** The interventions a new clinic starts with; admins edit the list (care_interventions). */
const DEFAULT_INTERVENTIONS = [
  'Cognitive behavioural therapy (CBT)',
  'Behavioural activation',
  'Exposure work',
  'Psychodynamic therapy',
  'Couples therapy (Gottman-style)',
  'DBT skills',
  'Motivational interviewing',
  'Acceptance and commitment therapy (ACT)',
  'Solution-focused therapy',
  'Psychoeducation',
];

/**
 * Care planning (issue 18): diagnoses, versioned treatment plans, between-session exercises,
 * versioned safety plans, links from session notes to plan goals, and the clinic's list of
 * interventions. Every column holding health information is ciphertext (`*_enc`); plain columns are
 * only what the app filters, orders or joins on (who, when, which version, status, due dates).
 */
export const migration: Migration = {
  name: '20261203-1801-care-planning',
  async up({ queryInterface }) {
    await queryInterface.createTable('care_diagnoses', {
      id,
      client_id: userRef(),
      recorded_by: userRef(),
      /** JSON {code, description, rank} sealed together. */
      details_enc: sealed(),
      onset_on: day(),
      ended_on: day(true),
      created_at: at(),
      updated_at: at(),
    });
    await queryInterface.addIndex('care_diagnoses', ['client_id', 'onset_on'], {
      name: 'care_diagnoses_client',
    });

    await queryInterface.createTable('care_plans', {
      id,
      client_id: userRef(),
      therapist_id: userRef(),
      version: { type: DataTypes.INTEGER, allowNull: false },
      /** The version this one reviews (null for version 1). */
      previous_id: { type: DataTypes.STRING(36), allowNull: true },
      /** draft | active | superseded */
      status: { type: DataTypes.STRING(12), allowNull: false },
      /** JSON of the plan (problems, goals, objectives, interventions, frequency), sealed. */
      body_enc: sealed(),
      revision: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      created_at: at(),
      updated_at: at(),
      signed_at: at(true),
      review_due_on: day(true),
      client_signed_at: at(true),
      client_signature_enc: sealed(true),
      client_sign_ip: { type: DataTypes.STRING(64), allowNull: true },
      superseded_at: at(true),
    });
    await queryInterface.addIndex('care_plans', ['client_id', 'version'], {
      name: 'care_plans_client_version',
      unique: true,
    });
    await queryInterface.addIndex('care_plans', ['therapist_id', 'status'], {
      name: 'care_plans_therapist_status',
    });

    await queryInterface.createTable('care_plan_note_goals', {
      note_id: { type: DataTypes.STRING(36), allowNull: false, primaryKey: true },
      goal_id: { type: DataTypes.STRING(36), allowNull: false, primaryKey: true },
      plan_id: { type: DataTypes.STRING(36), allowNull: false },
      client_id: userRef(),
      linked_by: userRef(),
      linked_at: at(),
    });
    await queryInterface.addIndex('care_plan_note_goals', ['client_id'], {
      name: 'care_plan_note_goals_client',
    });

    await queryInterface.createTable('homework_assignments', {
      id,
      client_id: userRef(),
      therapist_id: userRef(),
      /** thought_record | activity_log | worry_log | journal */
      exercise: { type: DataTypes.STRING(20), allowNull: false },
      /** The therapist's instructions or journal prompt, sealed. */
      instructions_enc: sealed(),
      due_on: day(),
      /** assigned | in_progress | completed */
      status: { type: DataTypes.STRING(12), allowNull: false },
      /** The client's answers, sealed (null until first saved). */
      answers_enc: sealed(true),
      revision: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      created_at: at(),
      updated_at: at(),
      completed_at: at(true),
    });
    await queryInterface.addIndex('homework_assignments', ['client_id', 'due_on'], {
      name: 'homework_assignments_client',
    });

    await queryInterface.createTable('safety_plans', {
      id,
      client_id: userRef(),
      author_id: userRef(),
      version: { type: DataTypes.INTEGER, allowNull: false },
      /** JSON of the Stanley–Brown sections, sealed. */
      body_enc: sealed(),
      created_at: at(),
    });
    await queryInterface.addIndex('safety_plans', ['client_id', 'version'], {
      name: 'safety_plans_client_version',
      unique: true,
    });

    // Not health information: the clinic's own vocabulary of approaches, editable by admins.
    await queryInterface.createTable('care_interventions', {
      id,
      label: { type: DataTypes.STRING(120), allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      created_at: at(),
    });
    const now = new Date();
    await queryInterface.bulkInsert(
      'care_interventions',
      DEFAULT_INTERVENTIONS.map((label, position) => ({
        id: randomUUID(),
        label,
        position,
        active: true,
        created_at: now,
      })),
    );
  },
  async down({ queryInterface }) {
    for (const table of [
      'care_interventions',
      'safety_plans',
      'homework_assignments',
      'care_plan_note_goals',
      'care_plans',
      'care_diagnoses',
    ]) {
      await queryInterface.dropTable(table);
    }
  },
};
