import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { zoneLabel } from '../../../server/scheduling/time-zones';
import { intlFormattersBuiltDuring } from '../../support/intl-constructions';

/** What luxon says, the way zoneLabel used to ask it on every call. */
function luxonLabel(zone: string, at: Date): string {
  const local = DateTime.fromJSDate(at, { zone });
  return `${zone} (${local.offsetNameShort ?? local.toFormat('ZZ')})`;
}

describe('zoneLabel (the zone named beside every shown time)', () => {
  const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC', 'utc'];
  const instants = [
    new Date('2026-01-15T09:00:00Z'),
    new Date('2026-07-15T09:00:00Z'),
    new Date('2026-03-29T00:59:59Z'),
  ];

  it('writes what luxon writes, winter and summer, for every kind of zone', () => {
    for (const zone of zones) {
      for (const at of instants)
        assert.equal(zoneLabel(zone, at), luxonLabel(zone, at), `${zone} at ${at.toISOString()}`);
    }
    assert.equal(zoneLabel('Europe/London', instants[1]!), 'Europe/London (GMT+1)');
  });

  it('a zone the runtime does not know still gets luxon’s answer, not an exception', () => {
    assert.equal(zoneLabel('Not/AZone', instants[0]!), luxonLabel('Not/AZone', instants[0]!));
  });

  it('builds no formatter per call: a page of many appointments reuses one per zone (issue 21)', async () => {
    zoneLabel('America/Chicago', instants[0]!); // the first use of a zone may build one
    const built = await intlFormattersBuiltDuring(() => {
      for (let day = 0; day < 20; day += 1)
        zoneLabel('America/Chicago', new Date(Date.UTC(2026, 5, day + 1, 15)));
    });
    assert.equal(built.DateTimeFormat, 0);
  });
});
