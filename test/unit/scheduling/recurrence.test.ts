import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { AvailabilityPolicy } from '../../../server/scheduling/availability';
import { checkOccurrences, expandRecurrence } from '../../../server/scheduling/recurrence';
import { claimGrains } from '../../../server/scheduling/slot-claims';

const wall = (d: Date, zone: string): string => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('scheduling/recurrence: weekly series keep their wall-clock time', () => {
  it('a weekly 09:00 New York series stays 09:00 local across the March change (UTC moves)', () => {
    const starts = expandRecurrence({
      firstStart: new Date('2026-02-23T14:00:00Z'), // Mon 09:00 EST
      timeZone: 'America/New_York',
      frequency: 'weekly',
      count: 4,
    });
    assert.deepEqual(
      starts.map((d) => wall(d, 'America/New_York')),
      ['2026-02-23 09:00', '2026-03-02 09:00', '2026-03-09 09:00', '2026-03-16 09:00'],
    );
    assert.deepEqual(
      starts.map((d) => d.toISOString().slice(11, 16)),
      ['14:00', '14:00', '13:00', '13:00'],
    );
    // The client in Kolkata sees the series move by an hour on their own clock.
    assert.deepEqual(
      starts.map((d) => wall(d, 'Asia/Kolkata').slice(11)),
      ['19:30', '19:30', '18:30', '18:30'],
    );
  });

  it('every other week in Sydney until an end date, across the April change', () => {
    const starts = expandRecurrence({
      firstStart: DateTime.fromISO('2026-03-23T09:00', { zone: 'Australia/Sydney' }).toJSDate(),
      timeZone: 'Australia/Sydney',
      frequency: 'biweekly',
      until: '2026-04-20',
    });
    assert.deepEqual(
      starts.map((d) => wall(d, 'Australia/Sydney')),
      ['2026-03-23 09:00', '2026-04-06 09:00', '2026-04-20 09:00'],
    );
    assert.deepEqual(
      starts.map((d) => d.toISOString()),
      ['2026-03-22T22:00:00.000Z', '2026-04-05T23:00:00.000Z', '2026-04-19T23:00:00.000Z'],
    );
  });

  it('London autumn change: Europe/London 17:30 weekly stays 17:30', () => {
    const starts = expandRecurrence({
      firstStart: DateTime.fromISO('2026-10-19T17:30', { zone: 'Europe/London' }).toJSDate(),
      timeZone: 'Europe/London',
      frequency: 'weekly',
      count: 2,
    });
    assert.deepEqual(
      starts.map((d) => d.toISOString()),
      ['2026-10-19T16:30:00.000Z', '2026-10-26T17:30:00.000Z'],
    );
  });

  it('Kolkata has no DST: every occurrence is at the same UTC time', () => {
    const starts = expandRecurrence({
      firstStart: new Date('2026-03-02T04:30:00Z'),
      timeZone: 'Asia/Kolkata',
      frequency: 'weekly',
      until: '2026-03-30',
    });
    assert.equal(starts.length, 5);
    assert.ok(starts.every((d) => d.toISOString().endsWith('T04:30:00.000Z')));
  });

  it('caps the length and requires a count or an end date', () => {
    const many = expandRecurrence({
      firstStart: new Date('2026-01-05T09:00:00Z'),
      timeZone: 'UTC',
      frequency: 'weekly',
      until: '2060-01-01',
    });
    assert.equal(many.length, 104);
    assert.throws(() => expandRecurrence({ firstStart: new Date(), timeZone: 'UTC', frequency: 'weekly' }));
  });

  it('shows conflicts (booked time, outside hours, past) for each occurrence before creation', () => {
    const policy: AvailabilityPolicy = {
      timeZone: 'America/New_York',
      weekly: [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }],
      exceptions: [{ date: '2026-03-16', kind: 'unavailable', startMinute: null, endMinute: null }],
      minNoticeMinutes: 0,
      horizonDays: 365,
    };
    const starts = expandRecurrence({
      firstStart: new Date('2026-03-02T14:00:00Z'),
      timeZone: 'America/New_York',
      frequency: 'weekly',
      count: 4,
    });
    const checks = checkOccurrences({
      starts,
      durationMinutes: 50,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      policy,
      // Someone already has Monday 9 March 09:30 New York time (13:30Z after the change).
      busy: [{ start: Date.parse('2026-03-09T13:30:00Z'), end: Date.parse('2026-03-09T14:30:00Z') }],
      now: new Date('2026-03-02T15:00:00Z'),
    });
    assert.deepEqual(
      checks.map((c) => c.conflicts),
      [['in_the_past'], ['overlaps_appointment'], ['outside_availability'], []],
    );
  });
});

describe('scheduling/slot-claims: overlapping blocks share a grain', () => {
  it('covers a block with 5-minute grains, rounding outwards', () => {
    const grains = claimGrains({
      start: Date.parse('2026-01-05T09:02:00Z'),
      end: Date.parse('2026-01-05T09:20:00Z'),
    });
    assert.deepEqual(
      grains.map((g) => g.toISOString().slice(11, 16)),
      ['09:00', '09:05', '09:10', '09:15'],
    );
  });

  it('adjacent blocks share nothing; overlapping ones share at least one grain', () => {
    const a = claimGrains({
      start: Date.parse('2026-01-05T09:00:00Z'),
      end: Date.parse('2026-01-05T10:00:00Z'),
    });
    const b = claimGrains({
      start: Date.parse('2026-01-05T10:00:00Z'),
      end: Date.parse('2026-01-05T11:00:00Z'),
    });
    const c = claimGrains({
      start: Date.parse('2026-01-05T09:55:00Z'),
      end: Date.parse('2026-01-05T10:30:00Z'),
    });
    const key = (d: Date) => d.getTime();
    const setA = new Set(a.map(key));
    assert.ok(!b.some((g) => setA.has(key(g))));
    assert.ok(c.some((g) => setA.has(key(g))));
  });
});
