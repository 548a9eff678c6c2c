import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  generateSlots,
  groupByViewerDay,
  isWithinAvailability,
  openRanges,
  type AvailabilityPolicy,
  type SlotQuery,
  type WeeklyWindow,
} from '../../../server/scheduling/availability';
import { zoneLabel } from '../../../server/scheduling/time-zones';

const weekdays9to17: WeeklyWindow[] = ([1, 2, 3, 4, 5] as const).map((weekday) => ({
  weekday,
  startMinute: 9 * 60,
  endMinute: 17 * 60,
}));

function policy(timeZone: string, extra: Partial<AvailabilityPolicy> = {}): AvailabilityPolicy {
  return { timeZone, weekly: weekdays9to17, exceptions: [], minNoticeMinutes: 0, horizonDays: 365, ...extra };
}

function query(p: AvailabilityPolicy, from: string, to: string, extra: Partial<SlotQuery> = {}): SlotQuery {
  return {
    policy: p,
    durationMinutes: 50,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 10,
    stepMinutes: 60,
    from: new Date(from),
    to: new Date(to),
    now: new Date('2026-01-01T00:00:00Z'),
    busy: [],
    ...extra,
  };
}

const iso = (d: Date): string => d.toISOString();
const local = (d: Date, zone: string): string =>
  DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('scheduling/availability: slot generation across zones and DST', () => {
  it('New York therapist, Kolkata client: 09:00 local on both sides of the March DST change', () => {
    // DST starts in New York on Sunday 8 March 2026; Kolkata has no DST and a half-hour offset.
    const p = policy('America/New_York');
    const before = generateSlots(query(p, '2026-03-06T00:00:00Z', '2026-03-07T00:00:00Z'));
    const after = generateSlots(query(p, '2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z'));
    assert.equal(before.length, 8);
    assert.equal(after.length, 8);
    assert.equal(iso(before[0]!.start), '2026-03-06T14:00:00.000Z'); // 09:00 EST
    assert.equal(iso(after[0]!.start), '2026-03-09T13:00:00.000Z'); // 09:00 EDT
    assert.equal(local(before[0]!.start, 'America/New_York'), 'Fri 2026-03-06 09:00');
    assert.equal(local(after[0]!.start, 'America/New_York'), 'Mon 2026-03-09 09:00');
    // What the client in Kolkata sees: 19:30 before the change, 18:30 after.
    const beforeDays = groupByViewerDay(before, 'Asia/Kolkata');
    const afterDays = groupByViewerDay(after, 'Asia/Kolkata');
    assert.equal(beforeDays[0]!.slots[0]!.time, '19:30');
    assert.equal(afterDays[0]!.slots[0]!.time, '18:30');
    // The last 16:00 New York slot falls after midnight in Kolkata: a different viewer day.
    assert.deepEqual(
      afterDays.map((d) => d.date),
      ['2026-03-09', '2026-03-10'],
    );
    assert.equal(zoneLabel('Asia/Kolkata', after[0]!.start), 'Asia/Kolkata (GMT+5:30)');
    assert.match(zoneLabel('America/New_York', after[0]!.start), /^America\/New_York \((EDT|GMT-4)\)$/);
  });

  it('the spring-forward night: a 01:00–04:00 window is only two real hours', () => {
    const p = policy('America/New_York', {
      weekly: [],
      exceptions: [{ date: '2026-03-08', kind: 'available', startMinute: 60, endMinute: 240 }],
    });
    const slots = generateSlots(
      query(p, '2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z', {
        durationMinutes: 30,
        bufferAfterMinutes: 0,
        stepMinutes: 30,
      }),
    );
    assert.deepEqual(
      slots.map((s) => local(s.start, 'America/New_York')),
      ['Sun 2026-03-08 01:00', 'Sun 2026-03-08 01:30', 'Sun 2026-03-08 03:00', 'Sun 2026-03-08 03:30'],
    );
  });

  it('the fall-back night in London: a 00:00–03:00 window holds four real hours', () => {
    const p = policy('Europe/London', {
      weekly: [],
      exceptions: [{ date: '2026-10-25', kind: 'available', startMinute: 0, endMinute: 180 }],
    });
    const slots = generateSlots(
      query(p, '2026-10-24T12:00:00Z', '2026-10-26T00:00:00Z', {
        durationMinutes: 60,
        bufferAfterMinutes: 0,
        stepMinutes: 60,
      }),
    );
    assert.deepEqual(
      slots.map((s) => iso(s.start)),
      [
        '2026-10-24T23:00:00.000Z',
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T01:00:00.000Z',
        '2026-10-25T02:00:00.000Z',
      ],
    );
  });

  it('London therapist, New York client: the weeks when only one of them has changed clocks', () => {
    // New York moves on 8 March, London on 29 March 2026: for three weeks the gap is 4 hours.
    const p = policy('Europe/London');
    const at = (from: string, to: string) => generateSlots(query(p, from, to))[0]!.start;
    const march2 = at('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z');
    const march23 = at('2026-03-23T00:00:00Z', '2026-03-24T00:00:00Z');
    const march30 = at('2026-03-30T00:00:00Z', '2026-03-31T00:00:00Z');
    assert.deepEqual(
      [march2, march23, march30].map((d) => local(d, 'Europe/London').slice(-5)),
      ['09:00', '09:00', '09:00'],
    );
    assert.deepEqual(
      [march2, march23, march30].map((d) => local(d, 'America/New_York').slice(-5)),
      ['04:00', '05:00', '04:00'],
    );
  });

  it('Sydney therapist, London client: the April change moves Monday 09:00 across the client’s midnight', () => {
    // Sydney leaves DST on 5 April 2026 (+11 → +10); London is already on BST (+1).
    const p = policy('Australia/Sydney');
    const first = (from: string, to: string) => generateSlots(query(p, from, to))[0]!;
    const mar30 = first('2026-03-29T12:00:00Z', '2026-03-30T12:00:00Z');
    const apr6 = first('2026-04-05T12:00:00Z', '2026-04-06T12:00:00Z');
    assert.equal(local(mar30.start, 'Australia/Sydney'), 'Mon 2026-03-30 09:00');
    assert.equal(local(apr6.start, 'Australia/Sydney'), 'Mon 2026-04-06 09:00');
    assert.equal(iso(mar30.start), '2026-03-29T22:00:00.000Z');
    assert.equal(iso(apr6.start), '2026-04-05T23:00:00.000Z');
    const london = groupByViewerDay([mar30, apr6], 'Europe/London');
    assert.deepEqual(
      london.map((d) => [d.date, d.slots[0]!.time]),
      [
        ['2026-03-29', '23:00'],
        ['2026-04-06', '00:00'],
      ],
    );
  });

  it('Kolkata therapist (half-hour zone), New York client: 10:00 IST lands on different NY dates', () => {
    const p = policy('Asia/Kolkata', { weekly: [{ weekday: 1, startMinute: 600, endMinute: 660 }] });
    const q = (from: string, to: string) =>
      generateSlots(query(p, from, to, { durationMinutes: 60, bufferAfterMinutes: 0 }));
    const [mar2] = q('2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z');
    const [mar9] = q('2026-03-08T00:00:00Z', '2026-03-10T00:00:00Z');
    assert.equal(iso(mar2!.start), '2026-03-02T04:30:00.000Z');
    assert.equal(local(mar2!.start, 'America/New_York'), 'Sun 2026-03-01 23:30');
    assert.equal(local(mar9!.start, 'America/New_York'), 'Mon 2026-03-09 00:30');
  });

  it('honours minimum notice, horizon, date exceptions and busy blocks with buffers', () => {
    const p = policy('Europe/London', {
      minNoticeMinutes: 24 * 60,
      horizonDays: 4,
      exceptions: [
        { date: '2026-01-07', kind: 'unavailable', startMinute: null, endMinute: null },
        { date: '2026-01-08', kind: 'unavailable', startMinute: 12 * 60, endMinute: 17 * 60 },
      ],
    });
    const now = new Date('2026-01-05T10:30:00Z'); // Monday
    const slots = generateSlots(
      query(p, '2026-01-05T00:00:00Z', '2026-01-20T00:00:00Z', {
        now,
        // An existing appointment 10:00–10:50 plus its 10-minute buffer on Tuesday.
        busy: [{ start: Date.parse('2026-01-06T10:00:00Z'), end: Date.parse('2026-01-06T11:00:00Z') }],
      }),
    );
    const times = slots.map((s) => local(s.start, 'Europe/London'));
    // Notice: nothing before Tuesday 10:30; the 11:00 slot is first (10:00 is busy anyway).
    assert.equal(times[0], 'Tue 2026-01-06 11:00');
    assert.ok(!times.includes('Tue 2026-01-06 10:00'));
    assert.ok(!times.some((t) => t.startsWith('Wed 2026-01-07')), 'day off');
    // The afternoon is off on Thursday; 11:00–11:50 (+10 min buffer) still fits before noon.
    assert.deepEqual(
      times.filter((t) => t.startsWith('Thu 2026-01-08')),
      ['Thu 2026-01-08 09:00', 'Thu 2026-01-08 10:00', 'Thu 2026-01-08 11:00'],
    );
    // Horizon: four days after Monday 10:30 is Friday 10:30; nothing later.
    assert.equal(times[times.length - 1], 'Fri 2026-01-09 10:00');
  });

  it('a busy block and the candidate’s own buffer must not overlap', () => {
    const p = policy('UTC');
    const slots = generateSlots(
      query(p, '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', {
        stepMinutes: 30,
        bufferBeforeMinutes: 10,
        busy: [{ start: Date.parse('2026-01-05T12:00:00Z'), end: Date.parse('2026-01-05T13:00:00Z') }],
      }),
    );
    const starts = slots.map((s) => iso(s.start).slice(11, 16));
    // 11:00 would run to 11:50 + 10 min after-buffer = 12:00 (touching is fine); 11:30 overlaps.
    assert.ok(starts.includes('11:00'));
    assert.ok(!starts.includes('11:30'));
    // 13:00 has a 10-minute before-buffer that would start at 12:50, inside the busy block.
    assert.ok(!starts.includes('13:00'));
    assert.ok(starts.includes('13:30'));
  });

  it('isWithinAvailability and openRanges agree with the weekly hours in the therapist zone', () => {
    const p = policy('Australia/Sydney');
    assert.ok(isWithinAvailability(p, new Date('2026-04-05T23:00:00Z'), new Date('2026-04-05T23:50:00Z')));
    assert.ok(!isWithinAvailability(p, new Date('2026-04-05T22:00:00Z'), new Date('2026-04-05T22:50:00Z')));
    const ranges = openRanges(p, new Date('2026-04-06T00:00:00Z'), new Date('2026-04-06T12:00:00Z'));
    assert.equal(ranges.length, 1);
    assert.equal(new Date(ranges[0]!.start).toISOString(), '2026-04-05T23:00:00.000Z');
  });
});
