import { DataTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * The audit trail: append-only and hash-chained. Triggers refuse UPDATE and DELETE at the database
 * level too, so a bug in application code cannot rewrite history; someone with raw database access
 * can still drop the triggers, which is what the hash chain (`npm run audit:verify`) is for.
 */
export const migration: Migration = {
  name: '20261126-0003-audit',
  async up({ queryInterface, sequelize, dialect }) {
    await queryInterface.createTable('audit_events', {
      seq: { type: DataTypes.BIGINT, primaryKey: true },
      at: { type: DataTypes.STRING(30), allowNull: false },
      actor_id: { type: DataTypes.STRING(36), allowNull: true },
      action: { type: DataTypes.STRING(100), allowNull: false },
      target_type: { type: DataTypes.STRING(50), allowNull: true },
      target_id: { type: DataTypes.STRING(100), allowNull: true },
      subject_id: { type: DataTypes.STRING(36), allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      details: { type: DataTypes.TEXT, allowNull: true },
      prev_hash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
    });
    // Each `audit:verify` run records where the chain ended, so a later run notices rows cut off
    // the end (which the chain alone cannot show: the remaining prefix is still consistent).
    await queryInterface.createTable('audit_checkpoints', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      verified_at: { type: DataTypes.DATE, allowNull: false },
      ok: { type: DataTypes.BOOLEAN, allowNull: false },
      rows_checked: { type: DataTypes.BIGINT, allowNull: false },
      last_seq: { type: DataTypes.BIGINT, allowNull: false },
      last_hash: { type: DataTypes.STRING(64), allowNull: false },
      problem: { type: DataTypes.STRING(500), allowNull: true },
    });
    await queryInterface.addIndex('audit_events', ['actor_id'], { name: 'audit_events_actor' });
    await queryInterface.addIndex('audit_events', ['subject_id'], { name: 'audit_events_subject' });
    await queryInterface.addIndex('audit_events', ['action'], { name: 'audit_events_action' });

    if (dialect === 'sqlite') {
      for (const op of ['UPDATE', 'DELETE']) {
        await sequelize.query(
          `CREATE TRIGGER audit_events_no_${op.toLowerCase()} BEFORE ${op} ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
        );
      }
    } else {
      await sequelize.query(
        `CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
         BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql`,
      );
      await sequelize.query(
        `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
         FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
      );
    }
  },
  async down({ queryInterface, sequelize, dialect }) {
    if (dialect === 'sqlite') {
      await sequelize.query('DROP TRIGGER IF EXISTS audit_events_no_update');
      await sequelize.query('DROP TRIGGER IF EXISTS audit_events_no_delete');
      await queryInterface.dropTable('audit_events');
      await queryInterface.dropTable('audit_checkpoints');
    } else {
      await queryInterface.dropTable('audit_checkpoints');
      await queryInterface.dropTable('audit_events');
      await sequelize.query('DROP FUNCTION IF EXISTS audit_events_append_only()');
    }
  },
};
