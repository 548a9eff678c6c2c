import { createUser } from '../../support/accounts';
import assert from 'node:assert/strict';
import ical, { type VEvent } from 'node-ical';
import { QueryTypes } from 'sequelize';
import { FakeClock } from '../../../server/shared/clock';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { makeBookable } from '../../support/practice';
import { actor, HEALTH_WORDS, individualType, REASON, weekdayHours } from './scheduling-fixtures';

const tokenOf = (url: string): string => /\/calendar\/([^/]+)\.ics$/.exec(url)![1]!;

describe('scheduling: private calendar feeds', function () {
  this.timeout(30_000);
  let t: TestHaven;

  beforeEach(async () => {
    t = await startTestHaven({
      clock: new FakeClock('2026-03-02T12:00:00Z'),
      env: { PUBLIC_URL: 'https://care.example.org' },
    });
  });
  afterEach(() => t.stop());

  it('lists only the person’s appointments, thin and health-free; rotating and revoking kill old URLs', async () => {
    const admin = await createUser(t.haven, { roles: ['admin'], timeZone: 'Europe/Paris' });
    const therapist = await createUser(t.haven, { roles: ['therapist'], timeZone: 'Europe/London' });
    const clientA = await createUser(t.haven, { roles: ['client'], timeZone: 'America/New_York' });
    const clientB = await createUser(t.haven, { roles: ['client'], timeZone: 'Asia/Kolkata' });
    await weekdayHours(t.haven, therapist, 'Europe/London');
    await makeBookable(t.haven, therapist, admin);
    const type = await individualType(t.haven, admin);
    const book = (c: typeof clientA, start: string) =>
      t.haven.scheduling.booking.bookAsClient(actor(c), {
        therapistId: therapist.id,
        typeId: type.id,
        start,
        reason: REASON,
      });
    const a1 = await book(clientA, '2026-03-10T09:00:00.000Z');
    const a2 = await book(clientA, '2026-03-11T09:00:00.000Z');
    const b1 = await book(clientB, '2026-03-12T09:00:00.000Z');
    await t.haven.scheduling.booking.cancel(actor(clientA), a2.id);

    const url = await t.haven.scheduling.feeds.rotate(actor(clientA));
    assert.match(url, /^https:\/\/care\.example\.org\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/);
    const token = tokenOf(url);
    const stored = (await t.haven.sequelize.query('SELECT token_hash FROM calendar_feeds', {
      type: QueryTypes.SELECT,
    })) as {
      token_hash: string;
    }[];
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]!.token_hash, token, 'only a hash is stored');

    const text = (await t.haven.scheduling.feeds.render(token))!;
    for (const word of [...HEALTH_WORDS, /Trauma/]) assert.doesNotMatch(text, word);
    const events = Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
    const byUid = new Map(events.map((e) => [e.uid, e]));
    assert.equal(events.length, 2, 'A’s two appointments, not B’s');
    assert.ok(!byUid.has(`${b1.id}@care.example.org`));
    assert.equal(byUid.get(`${a1.id}@care.example.org`)!.start.toISOString(), '2026-03-10T09:00:00.000Z');
    assert.equal(byUid.get(`${a2.id}@care.example.org`)!.status, 'CANCELLED');

    const therapistFeed = await t.haven.scheduling.feeds.render(
      tokenOf(await t.haven.scheduling.feeds.rotate(actor(therapist))),
    );
    assert.equal((therapistFeed!.match(/BEGIN:VEVENT/g) ?? []).length, 3);

    const newUrl = await t.haven.scheduling.feeds.rotate(actor(clientA));
    assert.equal(await t.haven.scheduling.feeds.render(token), null, 'old URL dead after rotation');
    assert.ok(await t.haven.scheduling.feeds.render(tokenOf(newUrl)));
    assert.equal(await t.haven.scheduling.feeds.revoke(actor(clientA)), true);
    assert.equal(await t.haven.scheduling.feeds.render(tokenOf(newUrl)), null, 'dead after revocation');
    assert.equal(await t.haven.scheduling.feeds.render('not-a-token'), null);
  });
});
