import { QueryTypes } from 'sequelize';
import type { Migration } from '../migration-context';

/**
 * A fresh clinic starts with the kinds of appointment most practices offer (issue 14), so a
 * therapist who sets their hours can be booked at once; admins and therapists edit or retire them
 * on the Availability page. Only an empty list is filled: a clinic that already made its own kinds
 * keeps exactly those. Fixed ids, so `down` removes these rows (and only while nothing was booked
 * with them).
 */
const DEFAULT_KINDS = [
  {
    id: '5d1f0c3e-7a51-4c1b-9c0e-1a0000000001',
    name: 'Intake',
    minutes: 60,
    kind: 'individual',
    capacity: 1,
  },
  {
    id: '5d1f0c3e-7a51-4c1b-9c0e-1a0000000002',
    name: 'Session',
    minutes: 50,
    kind: 'individual',
    capacity: 1,
  },
  {
    id: '5d1f0c3e-7a51-4c1b-9c0e-1a0000000003',
    name: 'Couples session',
    minutes: 50,
    kind: 'couples',
    capacity: 2,
  },
  {
    id: '5d1f0c3e-7a51-4c1b-9c0e-1a0000000004',
    name: 'Check-in',
    minutes: 25,
    kind: 'individual',
    capacity: 1,
  },
] as const;

export const migration: Migration = {
  name: '20261203-0102-default-appointment-kinds',
  async up({ queryInterface, sequelize }) {
    const [row] = await sequelize.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM appointment_types',
      { type: QueryTypes.SELECT },
    );
    if (Number(row?.n ?? 0) > 0) return;
    const now = new Date();
    await queryInterface.bulkInsert(
      'appointment_types',
      DEFAULT_KINDS.map((k) => ({
        id: k.id,
        name: k.name,
        duration_minutes: k.minutes,
        format: 'video',
        kind: k.kind,
        capacity: k.capacity,
        buffer_before_minutes: 0,
        // Time to write a note and breathe before the next client.
        buffer_after_minutes: 10,
        active: true,
        created_at: now,
        updated_at: now,
      })),
    );
  },
  async down({ sequelize }) {
    await sequelize.query(
      `DELETE FROM appointment_types WHERE id IN (:ids)
       AND id NOT IN (SELECT appointment_type_id FROM appointments)`,
      { replacements: { ids: DEFAULT_KINDS.map((k) => k.id) } },
    );
  },
};
