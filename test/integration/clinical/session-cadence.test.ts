import { createUser } from '../../support/accounts';
import assert from 'node:assert/strict';
import type { User } from '../../../server/accounts';
import { FakeClock } from '../../../server/shared/clock';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import {
  actor as schedulingActor,
  individualType,
  treat,
  weekdayHours,
} from '../scheduling/scheduling-fixtures';
import { actor, GAD7_MID, PHQ9_LOW } from './clinical-fixtures';

/**
 * "Before each session": scheduling tells clinical when the client's sessions are. The measure is
 * due in the 24 hours before a confirmed appointment, once per session.
 */
describe('clinical: "before each session" questionnaires follow the schedule', () => {
  let t: TestHaven;
  const clock = new FakeClock('2026-03-09T08:00:00Z'); // a Monday
  let therapist: User;
  let client: User;
  let other: User;
  let typeId: string;

  before(async () => {
    t = await startTestHaven({ clock });
    const admin = await createUser(t.haven, { roles: ['admin'], timeZone: 'Europe/London' });
    therapist = await createUser(t.haven, { roles: ['therapist'], timeZone: 'Europe/London' });
    client = await createUser(t.haven, { roles: ['client'], timeZone: 'Europe/London' });
    other = await createUser(t.haven, { roles: ['client'], timeZone: 'Europe/London' });
    await treat(t.haven, therapist, client, other);
    await weekdayHours(t.haven, therapist, 'Europe/London');
    typeId = (await individualType(t.haven, admin)).id;
    await t.haven.clinical.measures.assign(actor(therapist), client.id, 'phq9', 'before_each_session');
    await t.haven.clinical.measures.assign(actor(therapist), other.id, 'phq9', 'before_each_session');
  });
  after(async () => t?.stop());

  const due = (u: User) => t.haven.clinical.measures.due(actor(u), u.id);
  const book = (u: User, start: string) =>
    t.haven.scheduling.booking.bookForClient(schedulingActor(therapist), {
      typeId,
      clientIds: [u.id],
      start,
    });

  it('is not due without an upcoming confirmed session', async () => {
    assert.deepEqual(await due(client), []);
  });

  it('becomes due 24 hours before a confirmed session, and stays done once answered', async () => {
    await book(client, '2026-03-10T10:00:00.000Z');
    clock.set('2026-03-09T09:59:00Z');
    assert.deepEqual(await due(client), [], 'more than 24 h ahead: not yet');
    clock.set('2026-03-09T10:00:00Z');
    assert.deepEqual(await due(client), ['phq9']);
    assert.deepEqual(await due(other), [], "another client's appointment does not make theirs due");
    clock.set('2026-03-10T09:00:00Z'); // answered an hour before the session
    await t.haven.clinical.measures.submit(actor(client), client.id, { measure: 'phq9', answers: PHQ9_LOW });
    assert.deepEqual(await due(client), [], 'answered for this session');
  });

  it('is due again before the next session, even when answered within 24 h of it', async () => {
    // Answered at 09:00 for the 10:00 session: within 24 h of 15:00, but it belongs to the earlier session.
    await book(client, '2026-03-10T15:00:00.000Z');
    clock.set('2026-03-10T11:00:00Z');
    assert.deepEqual(await due(client), ['phq9'], 'answered before the previous session: stale');
    await t.haven.clinical.measures.submit(actor(client), client.id, { measure: 'phq9', answers: PHQ9_LOW });
    assert.deepEqual(await due(client), []);
  });

  it('ignores cancelled appointments', async () => {
    const later = await book(client, '2026-03-12T10:00:00.000Z');
    clock.set('2026-03-11T12:00:00Z');
    assert.deepEqual(await due(client), ['phq9']);
    await t.haven.scheduling.booking.cancel(schedulingActor(therapist), later.id);
    assert.deepEqual(await due(client), [], 'no confirmed session ahead');
  });

  it('keeps other measures on their own cadence', async () => {
    await t.haven.clinical.measures.assign(actor(therapist), other.id, 'gad7', 'once');
    assert.deepEqual(await due(other), ['gad7']);
    await t.haven.clinical.measures.submit(actor(other), other.id, { measure: 'gad7', answers: GAD7_MID });
    assert.deepEqual(await due(other), []);
  });
});
