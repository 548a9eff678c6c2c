import assert from 'node:assert/strict';
import { chooseDay, clientStepMinutes, periodOf } from '../../../server/scheduling/booking-calendar';

const kind = (durationMinutes: number, bufferBeforeMinutes = 0, bufferAfterMinutes = 0) => ({
  durationMinutes,
  bufferBeforeMinutes,
  bufferAfterMinutes,
});
const at = (iso: string) => ({ start: new Date(iso), end: new Date(new Date(iso).getTime() + 50 * 60_000) });

describe('booking calendar: the step a client is offered and the day picker', () => {
  it('offers starts one appointment apart, on the therapist’s own grid', () => {
    assert.equal(clientStepMinutes(kind(50), 5), 60, '50 min → hourly, not every 5 minutes');
    assert.equal(clientStepMinutes(kind(50, 0, 10), 5), 60);
    assert.equal(clientStepMinutes(kind(25), 5), 30);
    assert.equal(clientStepMinutes(kind(60), 60), 60);
    assert.equal(clientStepMinutes(kind(90), 30), 90);
    assert.equal(
      clientStepMinutes(kind(50), 45),
      90,
      'a multiple of the therapist’s step, so the booking rule accepts it',
    );
    assert.equal(clientStepMinutes(kind(25), 120), 120, 'a therapist’s coarser step stays');
  });

  it('names the part of the day', () => {
    assert.deepEqual([0, 11, 12, 16, 17, 23].map(periodOf), [
      'morning',
      'morning',
      'afternoon',
      'afternoon',
      'evening',
      'evening',
    ]);
  });

  it('lays out days Monday first, counts free times in the viewer’s zone and picks the asked-for day', () => {
    // Wednesday 4 March 2026 is "today"; 23:30 UTC on the 5th is already the 6th in Tokyo.
    const slots = [at('2026-03-05T01:00:00Z'), at('2026-03-05T06:00:00Z'), at('2026-03-05T23:30:00Z')];
    const tokyo = chooseDay({
      slots,
      zone: 'Asia/Tokyo',
      today: '2026-03-04',
      dayCount: 7,
      requested: '2026-03-06',
    });
    assert.deepEqual(
      tokyo.days.map((d) => [d.date, d.freeCount]),
      [
        ['2026-03-04', 0],
        ['2026-03-05', 2],
        ['2026-03-06', 1],
        ['2026-03-07', 0],
        ['2026-03-08', 0],
        ['2026-03-09', 0],
        ['2026-03-10', 0],
      ],
    );
    assert.equal(tokyo.weeks.length, 2);
    assert.deepEqual(tokyo.weeks[0]!.slice(0, 2), [null, null], 'Monday and Tuesday pad the first week');
    assert.equal(tokyo.selected?.date, '2026-03-06');
    assert.equal(tokyo.notice, null);
    assert.deepEqual(
      tokyo.groups.map((g) => [g.period, g.slots.length]),
      [['morning', 1]],
    );
    const fallback = chooseDay({
      slots,
      zone: 'Asia/Tokyo',
      today: '2026-03-04',
      dayCount: 7,
      requested: '2026-03-04',
    });
    assert.equal(fallback.notice, 'full');
    assert.equal(fallback.selected?.date, '2026-03-05', 'the first day with free times instead');
    assert.deepEqual(
      fallback.groups.map((g) => g.period),
      ['morning', 'afternoon'],
    );
    const none = chooseDay({ slots: [], zone: 'UTC', today: '2026-03-04', dayCount: 3 });
    assert.equal(none.selected, null);
    assert.deepEqual(none.groups, []);
  });
});
