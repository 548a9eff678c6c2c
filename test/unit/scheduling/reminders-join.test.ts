import assert from 'node:assert/strict';
import { dueOffset } from '../../../server/scheduling/reminder-job';
import { joinState } from '../../../server/scheduling/join-window';
import type { Appointment } from '../../../server/scheduling/scheduling.types';

const MIN = 60_000;
const start = new Date('2026-03-10T13:00:00Z');
const appt = (createdAt: string): Appointment => ({
  id: 'a',
  therapistId: 't',
  clientIds: ['c'],
  typeId: 'x',
  seriesId: null,
  start,
  end: new Date(start.getTime() + 50 * MIN),
  blockStart: start,
  blockEnd: new Date(start.getTime() + 60 * MIN),
  status: 'confirmed',
  format: 'video',
  sequence: 0,
  hasReason: false,
  bookedBy: 'c',
  lateCancellation: false,
  e2eeChosen: false,
  cancelledBy: null,
  cancelledAt: null,
  createdAt: new Date(createdAt),
});
const at = (minutesBefore: number) => new Date(start.getTime() - minutesBefore * MIN);

describe('scheduling/reminders: which reminder is due', () => {
  const offsets = [1440, 60];
  const early = appt('2026-03-01T00:00:00Z');

  it('none before 24 h; the 24 h one from then; the 1 h one from an hour before', () => {
    assert.equal(dueOffset(early, offsets, at(1441)), null);
    assert.equal(dueOffset(early, offsets, at(1440)), 1440);
    assert.equal(dueOffset(early, offsets, at(61)), 1440);
    assert.equal(dueOffset(early, offsets, at(60)), 60);
    assert.equal(dueOffset(early, offsets, at(1)), 60);
  });

  it('no reminder whose moment had passed when the appointment was booked', () => {
    const late = appt('2026-03-10T08:00:00Z'); // booked 5 h before
    assert.equal(dueOffset(late, offsets, at(120)), null);
    assert.equal(dueOffset(late, offsets, at(59)), 60);
  });
});

describe('scheduling/join window', () => {
  const a = { start, end: new Date(start.getTime() + 50 * MIN), status: 'confirmed' };
  it('opens N minutes before the start and closes at the end (plus grace)', () => {
    assert.equal(joinState(a, at(11), 10), 'not_yet');
    assert.equal(joinState(a, at(10), 10), 'open');
    assert.equal(joinState(a, new Date(a.end.getTime()), 10), 'open');
    assert.equal(joinState(a, new Date(a.end.getTime() + 1), 10), 'ended');
    assert.equal(joinState(a, new Date(a.end.getTime() + 5 * MIN), 10, 10), 'open');
  });
  it('never for a cancelled or unapproved appointment', () => {
    assert.equal(joinState({ ...a, status: 'cancelled' }, at(5), 10), 'unavailable');
    assert.equal(joinState({ ...a, status: 'requested' }, at(5), 10), 'unavailable');
  });
});
