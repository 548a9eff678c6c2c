import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import type { FakeClock } from '../../../server/shared/clock';
import { createPerson, signIn, type SignedInSession, type TestPerson } from '../../support/accounts';
import { startPractice } from '../../support/practice';
import type { TestHaven } from '../../support/test-haven';
import { actor } from './scheduling-fixtures';

const decode = (html: string) => html.replace(/&#43;/g, '+').replace(/&#39;/g, "'");
const startsIn = (html: string) => [...html.matchAll(/name="start" value="([^"]+)"/g)].map((m) => m[1]!);

/**
 * The client's booking page (issue 14 item 9): a day picker over the coming weeks, a few times per
 * day grouped morning / afternoon / evening at a step the kind's length decides, a review step with
 * the note for the therapist, and a refusal that keeps what was typed. All without JavaScript.
 */
describe('the booking page: day picker, times, review, refusal', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let clock: FakeClock;
  let therapist: TestPerson;
  let typeId: string;
  let client: TestPerson;
  let session: SignedInSession;
  let base: string;

  beforeEach(async () => {
    // Monday 2 March 2026 12:00 UTC; the therapist works weekdays 09:00–17:00 London, every 5 minutes.
    ({ t, clock, therapist, sessionKindId: typeId } = await startPractice());
    await t.haven.scheduling.schedule.saveSchedule(actor(therapist.user), therapist.user.id, {
      timeZone: 'Europe/London',
      minNoticeMinutes: 0,
      horizonDays: 21,
      slotStepMinutes: 5,
      bookingMode: 'direct',
      weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '19:00' })),
    });
    client = await createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' });
    session = await signIn(t.haven, client, () => clock.now());
    base = `/book?therapistId=${therapist.user.id}&typeId=${typeId}&zone=Europe/London`;
  });
  afterEach(() => t.stop());

  it('shows the coming weeks as days (weekends marked, not links) and hourly times in three groups', async () => {
    const page = decode((await session.agent.get(base).expect(200)).text);
    // Today (Monday 2 March) is the first day with free times: its afternoon from 12:00.
    assert.match(page, /<h2 id="times-heading">Free times on Mon, 2 Mar 2026<\/h2>/);
    assert.match(page, /aria-current="date"[^>]*>\s*<span class="day-number">2<\/span>/);
    // 22 days from today to the horizon (21 days on), each named for a screen reader.
    assert.equal((page.match(/<li>\s*<(a|span) class="day/g) ?? []).length, 22);
    assert.match(page, /Sat, 7 Mar 2026: no free times/);
    assert.doesNotMatch(page, /href="[^"]*day=2026-03-07/, 'a weekend day is not a link');
    assert.match(page, /href="[^"]*day=2026-03-03#times"[^>]*>[\s\S]*?Tue, 3 Mar 2026: 10 free times/);
    // A 50-minute session is offered hourly (not every 5 minutes): 12:00 … 18:00 today.
    const starts = startsIn(page);
    assert.deepEqual(
      starts.map((s) => s.slice(11, 16)),
      ['12:00', '13:00', '14:00', '15:00', '16:00', '17:00', '18:00'],
    );
    assert.match(page, /<legend>Afternoon<\/legend>[\s\S]*<legend>Evening<\/legend>/);
    assert.doesNotMatch(page, /<legend>Morning<\/legend>/, 'the morning has passed');

    const tuesday = decode((await session.agent.get(`${base}&day=2026-03-03`).expect(200)).text);
    assert.match(tuesday, /Free times on Tue, 3 Mar 2026/);
    assert.match(
      tuesday,
      /<legend>Morning<\/legend>[\s\S]*<legend>Afternoon<\/legend>[\s\S]*<legend>Evening<\/legend>/,
    );
    assert.equal(startsIn(tuesday).length, 10);
  });

  it('a past, full, far-off or mangled day says so and shows the next free times instead', async () => {
    for (const [day, words] of [
      ['2026-02-20', /That day has passed/],
      ['2026-03-07', /no free times on that day/],
      ['2026-06-01', /further ahead than this therapist takes bookings/],
      ['not-a-day', /not a date we can show/],
    ] as const) {
      const page = decode((await session.agent.get(`${base}&day=${day}`).expect(200)).text);
      assert.match(page, words, day);
      assert.match(page, /Free times on Mon, 2 Mar 2026/, day);
    }
  });

  it('reviews the chosen time with the note box, then books it with the note', async () => {
    const tuesday = (await session.agent.get(`${base}&day=2026-03-03`).expect(200)).text;
    const start = startsIn(tuesday)[1]!; // 10:00 London
    const review = decode(
      (
        await session.agent
          .get(
            `/book/review?therapistId=${therapist.user.id}&typeId=${typeId}&zone=Europe/London&start=${start}`,
          )
          .expect(200)
      ).text,
    );
    assert.match(review, /<h1 id="review-heading">Review your booking<\/h1>/);
    assert.match(review, /<dd>Dr Rivera<\/dd>/);
    assert.match(review, /Session, 50 min, by video/);
    assert.match(review, /class="review-when">Tue, 3 Mar 2026, 10:00–10:50<\/strong>/);
    assert.match(review, /Anything your therapist should know beforehand/);
    const booked = await session.agent
      .post('/book')
      .type('form')
      .send({
        _csrf: await session.csrf(),
        therapistId: therapist.user.id,
        typeId,
        zone: 'Europe/London',
        start,
        reason: 'Sleeping badly',
      })
      .expect(303);
    const id = /\/appointments\/([0-9a-f-]{36})$/.exec(booked.headers.location ?? '')![1]!;
    const a = await t.haven.scheduling.booking.getForViewer(actor(client.user), id);
    assert.equal(a.start.toISOString(), start);
    assert.equal(await t.haven.scheduling.booking.readReason(actor(client.user), id), 'Sleeping badly');
    // The time is gone from the picker for the next person.
    const after = (await session.agent.get(`${base}&day=2026-03-03`).expect(200)).text;
    assert.ok(!startsIn(after).includes(start));
  });

  it('a time taken meanwhile is refused with a clear message; the note and the other times are kept', async () => {
    const tuesday = (await session.agent.get(`${base}&day=2026-03-03`).expect(200)).text;
    const start = startsIn(tuesday)[1]!;
    // Someone else books that time between the review and the click.
    const other = await createPerson(t.haven, { roles: ['client'], displayName: 'Olu Other' });
    await t.haven.scheduling.booking.bookAsClient(actor(other.user), {
      therapistId: therapist.user.id,
      typeId,
      start,
      reason: 'Olu private words',
    });
    const refused = await session.agent
      .post('/book')
      .type('form')
      .send({
        _csrf: await session.csrf(),
        therapistId: therapist.user.id,
        typeId,
        zone: 'Europe/London',
        start,
        reason: 'My words & worries',
      });
    assert.equal(refused.status, 409);
    const text = decode(refused.text);
    assert.match(
      text,
      /that time was taken or is no longer free\. Please choose another time; what you wrote is kept/,
    );
    assert.match(text, /<textarea name="reason"[^>]*>My words &amp; worries<\/textarea>/);
    assert.doesNotMatch(text, /Olu/, "nothing of the other client's booking shows");
    const offered = startsIn(text);
    assert.ok(offered.length >= 8 && !offered.includes(start), 'the rest of that day is offered');
    const mine = await t.haven.sequelize.query(
      'SELECT appointment_id FROM appointment_participants WHERE client_id = ?',
      { replacements: [client.user.id], type: QueryTypes.SELECT },
    );
    assert.equal(mine.length, 0, 'nothing was booked for the refused client');
    // Choosing another of those times from the same page books it, note included.
    const again = await session.agent
      .post('/book')
      .type('form')
      .send({
        _csrf: await session.csrf(),
        therapistId: therapist.user.id,
        typeId,
        zone: 'Europe/London',
        start: offered[0]!,
        reason: 'My words & worries',
      })
      .expect(303);
    assert.match(again.headers.location ?? '', /^\/appointments\//);
  });

  it('a review link for a time no longer offered (or never chosen) does not lose the way back', async () => {
    const gone = decode(
      (
        await session.agent
          .get(
            `/book/review?therapistId=${therapist.user.id}&typeId=${typeId}&zone=Europe/London&start=2026-03-01T10:00:00.000Z`,
          )
          .expect(200)
      ).text,
    );
    assert.match(gone, /That time is no longer free/);
    await session.agent.get(`/book/review?therapistId=${therapist.user.id}&typeId=${typeId}`).expect(302);
    const noTime = await session.agent
      .post('/book')
      .type('form')
      .send({ _csrf: await session.csrf(), therapistId: therapist.user.id, typeId, reason: 'kept' });
    assert.equal(noTime.status, 400);
    assert.match(decode(noTime.text), /Please choose a time/);
    assert.match(noTime.text, />kept<\/textarea>/);
  });
});
