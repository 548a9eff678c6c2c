import assert from 'node:assert/strict';
import type { Model, ModelStatic } from 'sequelize';
import type { User } from '../../../server/accounts';
import type { TherapistSchedule } from '../../../server/scheduling';
import { createUser } from '../../support/accounts';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { statementsDuring } from '../../support/sql-statements';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor } from './scheduling-fixtures';

type Row = Record<string, unknown>;

/**
 * The schedule as the repository read it before issue 21 (three statements through the models):
 * the reference the one-statement read must equal, field for field and in the same order.
 */
async function scheduleAsBefore(t: TestHaven, therapistId: string): Promise<TherapistSchedule | null> {
  const model = (name: string) => t.haven.sequelize.models[name] as ModelStatic<Model<Row>>;
  const settings = await model('TherapistSchedule').findByPk(therapistId, { raw: true });
  if (!settings) return null;
  const s = settings as unknown as Row;
  const where = { therapist_id: therapistId };
  const windows = (await model('AvailabilityWindow').findAll({
    where,
    order: [
      ['weekday', 'ASC'],
      ['start_minute', 'ASC'],
    ],
    raw: true,
  })) as unknown as Row[];
  const exceptions = (await model('AvailabilityException').findAll({
    where,
    order: [
      ['date', 'ASC'],
      ['start_minute', 'ASC'],
    ],
    raw: true,
  })) as unknown as Row[];
  return {
    therapistId,
    timeZone: s.time_zone,
    minNoticeMinutes: s.min_notice_minutes,
    horizonDays: s.horizon_days,
    slotStepMinutes: s.slot_step_minutes,
    bookingMode: s.booking_mode,
    weekly: windows.map((w) => ({
      weekday: w.weekday,
      startMinute: w.start_minute,
      endMinute: w.end_minute,
    })),
    exceptions: exceptions.map((e) => ({
      id: e.id,
      date: e.date,
      kind: e.kind,
      startMinute: e.start_minute,
      endMinute: e.end_minute,
    })),
  } as TherapistSchedule;
}

/** Two therapists with hours and exceptions given out of order, and one with none. */
async function schedules(t: TestHaven): Promise<{ withHours: User[]; without: User }> {
  const schedule = t.haven.scheduling.schedule;
  const withHours: User[] = [];
  for (const [i, timeZone] of ['America/New_York', 'Europe/London'].entries()) {
    const therapist = await createUser(t.haven, { roles: ['therapist'], timeZone });
    await schedule.saveSchedule(actor(therapist), therapist.id, {
      timeZone,
      minNoticeMinutes: 120 + i,
      horizonDays: 60 + i,
      slotStepMinutes: 30,
      bookingMode: i ? 'request' : 'direct',
      weekly: [
        { weekday: 5, start: '13:00', end: '17:00' },
        { weekday: 1, start: '14:00', end: '18:00' },
        { weekday: 1, start: '08:00', end: '12:00' },
        { weekday: 3, start: '09:30', end: '10:15' },
        { weekday: 7, start: '10:00', end: '11:00' },
      ],
    });
    for (const e of [
      { date: '2026-12-24', kind: 'unavailable' as const },
      { date: '2026-03-29', kind: 'available' as const, start: '15:00', end: '16:00' },
      { date: '2026-03-29', kind: 'unavailable' as const, start: '09:00', end: '10:00' },
      { date: '2026-03-29', kind: 'unavailable' as const },
      { date: '2026-01-05', kind: 'available' as const, start: '18:00', end: '20:00' },
    ]) {
      await schedule.addException(actor(therapist), therapist.id, e);
    }
    withHours.push(therapist);
  }
  const without = await createUser(t.haven, { roles: ['therapist'], timeZone: 'Asia/Kolkata' });
  return { withHours, without };
}

function sameAsBefore(name: string, env: () => Promise<Record<string, string>>, countStatements: boolean) {
  describe(`a therapist's schedule in one statement (${name})`, function () {
    this.timeout(120_000);
    let t: TestHaven;
    let people: Awaited<ReturnType<typeof schedules>>;

    before(async function () {
      t = await startTestHaven({ env: await env() });
      people = await schedules(t);
    });
    after(async () => t?.stop());

    it('reads the same settings, hours and exceptions, in the same order, as the three statements did', async () => {
      for (const therapist of people.withHours) {
        const now = await t.haven.scheduling.schedule.scheduleOf(therapist.id);
        assert.deepEqual(now, await scheduleAsBefore(t, therapist.id));
        assert.equal(now!.weekly.length, 5);
        assert.equal(now!.exceptions.length, 5);
        assert.deepEqual(
          now!.weekly.map((w) => `${w.weekday} ${w.startMinute}`),
          ['1 480', '1 840', '3 570', '5 780', '7 600'],
        );
      }
    });

    it("never another therapist's rows, and null for a therapist without hours", async () => {
      const [a, b] = people.withHours;
      const ofA = await t.haven.scheduling.schedule.scheduleOf(a!.id);
      const ofB = await t.haven.scheduling.schedule.scheduleOf(b!.id);
      const ids = (s: TherapistSchedule | null) => new Set(s!.exceptions.map((e) => e.id));
      for (const id of ids(ofA)) assert.equal(ids(ofB).has(id), false);
      assert.equal(ofA!.timeZone, 'America/New_York');
      assert.equal(ofB!.timeZone, 'Europe/London');
      assert.equal(await t.haven.scheduling.schedule.scheduleOf(people.without.id), null);
      assert.equal(await scheduleAsBefore(t, people.without.id), null);
    });

    if (countStatements) {
      it('is one statement', async () => {
        const therapist = people.withHours[0]!;
        const sql = await statementsDuring(() => t.haven.scheduling.schedule.scheduleOf(therapist.id));
        assert.equal(sql.length, 1, sql.join('\n'));
      });
    }
  });
}

sameAsBefore('SQLite', async () => ({}), true);

let database: PostgresDatabase | undefined;
describe('on PostgreSQL', function () {
  before(async function () {
    database = await postgresDatabaseOrSkip(this);
  });
  after(async () => database?.drop());
  sameAsBefore('PostgreSQL', async () => ({ DATABASE_URL: database!.url }), false);
});
