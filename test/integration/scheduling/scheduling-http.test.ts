import assert from 'node:assert/strict';
import ical, { type VEvent } from 'node-ical';
import request from 'supertest';
import {
  createPerson,
  ensureAdmin,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { HEALTH_WORDS, REASON } from './scheduling-fixtures';

/** The scheduling pages through real sign-in, CSRF and forms. */
describe('scheduling over HTTP: forms, series preview, calendar feed', function () {
  this.timeout(120_000);
  let t: TestHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let other: TestPerson;
  let tSession: SignedInSession;
  let cSession: SignedInSession;

  before(async () => {
    t = await startTestHaven({ env: { PUBLIC_URL: 'http://care.example.org' } });
    await ensureAdmin(t.haven);
    therapist = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Theo Therapist' });
    client = await createPerson(t.haven, { roles: ['client'], displayName: 'Asha Client' });
    other = await createPerson(t.haven, { roles: ['client'], displayName: 'Olu Other' });
    await t.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    tSession = await signIn(t.haven, therapist);
    cSession = await signIn(t.haven, client);
  });
  after(() => t.stop());

  it('a therapist saves hours and a type, previews a series with its conflicts, then creates it', async () => {
    const form: Record<string, string> = {
      _csrf: await tSession.csrf(),
      timeZone: 'Europe/London',
      minNoticeHours: '0',
      horizonDays: '30',
      slotStepMinutes: '60',
      bookingMode: 'direct',
    };
    for (let d = 1; d <= 7; d += 1) Object.assign(form, { [`start_${d}`]: '08:00', [`end_${d}`]: '20:00' });
    await tSession.agent.post('/schedule').type('form').send(form).expect(303);
    // A bad zone is refused with a clear message, and nothing changes.
    const bad = await tSession.agent
      .post('/schedule')
      .type('form')
      .send({ ...form, _csrf: await tSession.csrf(), timeZone: 'Mars/Olympus' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /time zone/);
    await tSession.agent
      .post('/schedule/types')
      .type('form')
      .send({
        _csrf: await tSession.csrf(),
        name: 'Session',
        durationMinutes: '50',
        format: 'video',
        kind: 'individual',
      })
      .expect(303);
    const page = await tSession.agent.get('/schedule').expect(200);
    assert.match(page.text, /value="Europe\/London"/);
    // The weekly hours are named Monday to Sunday in the page's language, each language its own
    // (the names are kept per locale).
    const dayNames = async (lang: string) => {
      await tSession.agent
        .post('/language')
        .type('form')
        .send({ _csrf: await tSession.csrf(), lang, next: '/' })
        .expect(303);
      const html = (await tSession.agent.get('/schedule').expect(200)).text;
      return [...html.matchAll(/<div class="grid">\s*<span>([^<]+)<\/span>/g)].map((m) => m[1]);
    };
    assert.deepEqual(await dayNames('fr'), [
      'lundi',
      'mardi',
      'mercredi',
      'jeudi',
      'vendredi',
      'samedi',
      'dimanche',
    ]);
    assert.deepEqual(await dayNames('en'), [
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    const typeId = (await t.haven.scheduling.schedule.listTypes())[0]!.id;

    // Next week's Monday 10:00 London, weekly ×3, after blocking the second Monday by hand.
    const monday = new Date(Date.now() + 7 * 86_400_000);
    monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7));
    const date = monday.toISOString().slice(0, 10);
    const secondMonday = new Date(monday.getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
    const book = (extra: Record<string, string>) =>
      tSession.csrf().then((csrf) =>
        tSession.agent
          .post('/schedule/book')
          .type('form')
          .send({ _csrf: csrf, clientId: client.user.id, typeId, time: '10:00', ...extra }),
      );
    assert.equal((await book({ date: secondMonday })).status, 303);
    const preview = await book({ date, frequency: 'weekly', count: '3' });
    assert.equal(preview.status, 200);
    assert.match(preview.text, /Check the sessions/);
    assert.equal((preview.text.match(/clashes with another appointment/g) ?? []).length, 1);
    const created = await book({
      date,
      frequency: 'weekly',
      count: '3',
      confirm: 'yes',
      skipConflicts: 'yes',
    });
    assert.equal(created.status, 303);
    const upcoming = await t.haven.scheduling.booking.listFor(
      { id: client.user.id, roles: client.user.roles },
      'upcoming',
    );
    assert.equal(upcoming.length, 3, 'two from the series plus the one booked by hand');
    // Another therapist's client cannot be booked.
    const foreign = await tSession.agent
      .post('/schedule/book')
      .type('form')
      .send({ _csrf: await tSession.csrf(), clientId: other.user.id, typeId, date, time: '15:00' });
    assert.equal(foreign.status, 403);
  });

  it('a client books a time from the day picker; an outsider gets 404; the calendar feed is served and health-free', async () => {
    const typeId = (await t.haven.scheduling.schedule.listTypes())[0]!.id;
    const slots = await cSession.agent
      .get(`/book?therapistId=${therapist.user.id}&typeId=${typeId}&zone=Asia/Tokyo`)
      .expect(200);
    assert.match(slots.text, /Times are in <strong class="viewer-zone">Asia\/Tokyo \(GMT\+9\)<\/strong>/);
    const start = /name="start" value="([^"]+)"/.exec(slots.text)![1]!;
    const booked = await cSession.agent
      .post('/book')
      .type('form')
      .send({ _csrf: await cSession.csrf(), therapistId: therapist.user.id, typeId, start, reason: REASON })
      .expect(303);
    const path = booked.headers.location as string;
    assert.match(path, /^\/appointments\/[0-9a-f-]{36}$/);
    const detail = await cSession.agent.get(path).expect(200);
    assert.doesNotMatch(detail.text, /Panic/, 'the reason is shown only on request');
    assert.doesNotMatch(detail.text, /is recorded/, 'the client reading their own words is not warned');
    const seenByTherapist = await tSession.agent.get(path).expect(200);
    assert.match(
      seenByTherapist.text,
      /Show the reason given when booking<\/a> <small>\(viewing it is recorded\)/,
    );
    assert.match((await cSession.agent.get(`${path}?reason=show`).expect(200)).text, /Panic attacks/);
    const outsider = await signIn(t.haven, other);
    await outsider.agent.get(path).expect(404);
    await outsider.agent.get(`${path}?reason=show`).expect(404);
    // Without CSRF a change is refused.
    const noCsrf = await outsider.agent.post(`${path}/cancel`).type('form').send({});
    assert.equal(noCsrf.status, 403);

    const feedPage = await cSession.agent
      .post('/calendar-feed')
      .type('form')
      .send({ _csrf: await cSession.csrf() })
      .expect(200);
    assert.equal(feedPage.headers['cache-control'], 'no-store');
    const url = /value="(http:\/\/care\.example\.org\/calendar\/[^"]+\.ics)"/.exec(feedPage.text)![1]!;
    // Calendar apps carry no cookies: the feed answers to its token alone.
    const feed = await request(t.haven.http).get(new URL(url).pathname).expect(200);
    assert.match(feed.headers['content-type'] as string, /^text\/calendar/);
    for (const word of HEALTH_WORDS) assert.doesNotMatch(feed.text, word);
    const events = Object.values(ical.sync.parseICS(feed.text)).filter(
      (c): c is VEvent => c?.type === 'VEVENT',
    );
    assert.equal(events.length, 4);
    assert.ok(events.some((e) => e.start.toISOString() === new Date(start).toISOString()));
    await cSession.agent
      .post('/calendar-feed/revoke')
      .type('form')
      .send({ _csrf: await cSession.csrf() })
      .expect(303);
    await request(t.haven.http).get(new URL(url).pathname).expect(404);
  });
});
