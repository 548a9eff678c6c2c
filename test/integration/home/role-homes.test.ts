import assert from 'node:assert/strict';
import request from 'supertest';
import type { User } from '../../../server/accounts';
import type { FakeClock } from '../../../server/shared/clock';
import { createPerson, signIn, type SignedInSession, type TestPerson } from '../../support/accounts';
import { startPractice } from '../../support/practice';
import type { TestHaven } from '../../support/test-haven';
import { PHQ9_LOW } from '../clinical/clinical-fixtures';
import { actor } from '../scheduling/scheduling-fixtures';

const as = (u: User) => ({ id: u.id, roles: u.roles, ip: null });

/**
 * Role homes at `/` (issue 14, item 3): a client's next session with Join, questionnaires due and
 * messages; a therapist's "today" with the safety-check state of each session, notes to sign and new
 * answers; a peer supporter's groups; admins go to /admin; visitors keep the front door. Nobody's
 * home shows anything of a person they may not see.
 */
describe('home pages: each role lands on its own work', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let clock: FakeClock;
  let admin: TestPerson;
  let therapist: TestPerson;
  let sessionKindId: string;

  beforeEach(async () => {
    ({ t, clock, admin, therapist, sessionKindId } = await startPractice());
  });
  afterEach(() => t.stop());

  const home = async (s: SignedInSession) => (await s.agent.get('/').expect(200)).text;

  it('a new client: one sentence and one button for each empty part; visitors get the front door', async () => {
    const client = await createPerson(t.haven, { roles: ['client'], displayName: 'New Client' });
    const page = await home(await signIn(t.haven, client, () => clock.now()));
    assert.match(page, /Hello, New Client/);
    assert.match(page, /Please read and sign the telehealth consent[\s\S]*href="\/clinical\/intake"/);
    assert.match(page, /You have no session booked\.[\s\S]*href="\/book">Book a session/);
    assert.match(page, /Once you have booked a therapist[\s\S]*href="\/directory"/);
    assert.match(page, /href="\/groups">See the groups/);
    const visitor = await request(t.haven.http).get('/').expect(200);
    assert.match(visitor.text, /Welcome to/);
  });

  it('client and therapist see the same session; the safety check, notes and answers reach "today"', async () => {
    const client = await createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' });
    const other = await createPerson(t.haven, { roles: ['client'], displayName: 'Other Person' });
    const booked = await t.haven.scheduling.booking.bookAsClient(actor(client.user), {
      therapistId: therapist.user.id,
      typeId: sessionKindId,
      start: '2026-03-02T14:00:00.000Z',
      reason: 'Panic attacks at work',
    });
    const cl = await signIn(t.haven, client, () => clock.now());
    const th = await signIn(t.haven, therapist, () => clock.now());

    let page = await home(cl);
    assert.match(page, /Your next session[\s\S]*With Dr Rivera[\s\S]*Opens /, 'Join not open yet');
    assert.doesNotMatch(page, /Panic/, 'the booking reason is on its own, audited page only');
    let today = await home(th);
    assert.match(today, /Today, Monday 2 March/);
    assert.match(today, /With Casey Client[\s\S]*Safety check: Casey Client has not confirmed yet/);
    assert.doesNotMatch(today, /Before new clients can book you/, 'a bookable therapist has no setup list');

    await t.haven.clinical.intake.recordSafetyCheck(as(client.user), {
      appointmentId: booked.id,
      location: '1 Test Road, Leeds',
      callbackNumber: '+44 113 496 0000',
    });
    await t.haven.clinical.measures.submit(as(client.user), client.user.id, {
      measure: 'phq9',
      answers: PHQ9_LOW,
    });
    const note = await t.haven.clinical.notes.create(as(therapist.user), client.user.id, 'soap', {
      plan: 'Weekly',
    });
    // Five minutes before the start (signed in afresh: the sessions above went idle meanwhile).
    clock.set('2026-03-02T13:55:00Z');
    today = await home(await signIn(t.haven, therapist, () => clock.now()));
    assert.match(today, /Casey Client has confirmed where they are/);
    assert.doesNotMatch(today, /Leeds|496 0000/, 'where they are is read in the room, not here');
    assert.match(today, new RegExp(`href="/clinical/notes/${note.id}">Casey Client`));
    assert.match(today, /New questionnaire answers[\s\S]*Casey Client<\/a>: PHQ-9/);
    assert.doesNotMatch(today, /Weekly/, 'no note body on the home page');
    assert.match(today, new RegExp(`href="/rooms/appointment/${booked.id}">Join`));
    page = await home(await signIn(t.haven, client, () => clock.now()));
    assert.match(page, new RegExp(`href="/rooms/appointment/${booked.id}">Join`));

    // Another client's home shows none of it, and another therapist's today neither.
    const ot = await signIn(t.haven, other, () => clock.now());
    const otherPage = await home(ot);
    assert.doesNotMatch(otherPage, /Dr Rivera|Casey|rooms\/appointment/);
    const colleague = await createPerson(t.haven, { roles: ['therapist'], displayName: 'Dr Other' });
    const co = await home(await signIn(t.haven, colleague, () => clock.now()));
    assert.doesNotMatch(co, /Casey|PHQ-9|clinical\/notes/);
    assert.match(co, /No sessions today\./);
    assert.match(co, /Before new clients can book you[\s\S]*href="\/practice-profile">Your practice profile/);
    // The steps in a Spanish-reading therapist's language.
    const colega = await createPerson(t.haven, { roles: ['therapist'], language: 'es' });
    const es = await home(await signIn(t.haven, colega, () => clock.now()));
    assert.match(es, /href="\/practice-profile">Su perfil profesional<\/a> <small>Lo que los clientes leen/);
    assert.match(es, /href="\/schedule">Su horario<\/a>/);
    assert.doesNotMatch(es, /Your practice profile|Your hours/);
  });

  it("a peer supporter's groups with their next meeting; an admin's home is the console", async () => {
    const peer = await createPerson(t.haven, { roles: ['peer_supporter'], displayName: 'Pat Peer' });
    const empty = await home(await signIn(t.haven, peer, () => clock.now()));
    assert.match(empty, /You do not facilitate a group yet/);
    await t.haven.groups.create(as(peer.user), {
      topic: 'Grief and loss',
      description: 'A weekly circle.',
      capacity: 8,
      membership: 'open',
      facilitatorIds: [peer.user.id],
    });
    const page = await home(await signIn(t.haven, peer, () => clock.now()));
    assert.match(page, /Groups you facilitate[\s\S]*Grief and loss[\s\S]*No meeting planned yet/);
    assert.doesNotMatch(page, /Today,|Your next session/, 'no therapist or client sections');

    const ad = await signIn(t.haven, admin, () => clock.now());
    const res = await ad.agent.get('/').expect(303);
    assert.equal(res.headers.location, '/admin');
  });

  it("a therapist's today in their own language: Spanish words and date, Arabic right to left with its digits", async () => {
    const client = await createPerson(t.haven, { roles: ['client'], displayName: 'Casey Client' });
    await t.haven.scheduling.booking.bookAsClient(actor(client.user), {
      therapistId: therapist.user.id,
      typeId: sessionKindId,
      start: '2026-03-02T14:00:00.000Z',
      reason: 'Panic attacks at work',
    });
    const th = await signIn(t.haven, therapist, () => clock.now());
    const inLanguage = async (language: string) => {
      await t.haven.sequelize.query('UPDATE users SET language = ? WHERE id = ?', {
        replacements: [language, therapist.user.id],
      });
      return home(th);
    };

    const es = await inLanguage('es');
    assert.match(es, /<html lang="es" dir="ltr"/);
    assert.match(es, /Hoy, lunes, 2 de marzo/);
    assert.match(es, /Control de seguridad: Casey Client aún no lo ha confirmado/);
    assert.match(es, /Requiere atención/);
    assert.doesNotMatch(es, /Today,|Needs attention|has not confirmed/, 'no English left on the page');

    const ar = await inLanguage('ar');
    assert.match(ar, /<html lang="ar" dir="rtl"/);
    assert.match(ar, /اليوم، الاثنين، ٢ مارس/, "the weekday, Arabic-Indic day and month, the reader's order");
    assert.match(ar, /فحص السلامة: لم يُؤكَّد مكان Casey Client بعد/);
    assert.doesNotMatch(ar, /Today,|Needs attention|has not confirmed/);
  });
});
