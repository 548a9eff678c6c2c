import assert from 'node:assert/strict';
import ical, { type VEvent } from 'node-ical';
import { buildIcs, uidFor } from '../../../server/scheduling/ics';

function onlyEvent(text: string): VEvent {
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
  assert.equal(events.length, 1);
  return events[0]!;
}

describe('scheduling/ics: parsed back by node-ical', () => {
  const base = {
    uid: uidFor('5b0f1c3e-0000-4000-8000-000000000001', 'https://care.example.org'),
    start: new Date('2026-03-09T13:00:00Z'),
    end: new Date('2026-03-09T13:50:00Z'),
    summary: 'Appointment at Haven',
    description:
      'Details and joining: https://care.example.org/appointments/5b0f1c3e-0000-4000-8000-000000000001',
    url: 'https://care.example.org/appointments/5b0f1c3e-0000-4000-8000-000000000001',
    stamp: new Date('2026-03-01T10:00:00Z'),
  };

  it('an invitation carries the stable UID, times, sequence and link', () => {
    const text = buildIcs([{ ...base, sequence: 0, cancelled: false }], {
      calendarName: 'Haven',
      method: 'REQUEST',
    });
    assert.match(text, /METHOD:REQUEST/);
    const event = onlyEvent(text);
    assert.equal(event.uid, '5b0f1c3e-0000-4000-8000-000000000001@care.example.org');
    assert.equal(event.start.toISOString(), '2026-03-09T13:00:00.000Z');
    assert.equal(event.end?.toISOString(), '2026-03-09T13:50:00.000Z');
    assert.equal(Number(event.sequence), 0);
    assert.match(text, /https:\/\/care\.example\.org\/appointments\//);
  });

  it('a change raises SEQUENCE; a cancellation says METHOD:CANCEL and STATUS:CANCELLED', () => {
    const changed = onlyEvent(
      buildIcs([{ ...base, sequence: 2, cancelled: false }], { calendarName: 'Haven', method: 'REQUEST' }),
    );
    assert.equal(Number(changed.sequence), 2);
    const cancelText = buildIcs([{ ...base, sequence: 3, cancelled: true }], {
      calendarName: 'Haven',
      method: 'CANCEL',
    });
    assert.match(cancelText, /METHOD:CANCEL/);
    const cancelled = onlyEvent(cancelText);
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(cancelled.uid, changed.uid);
  });
});
