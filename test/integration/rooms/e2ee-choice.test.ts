import '../../support/media-worker';
import assert from 'node:assert/strict';
import request from 'supertest';
import {
  createPerson,
  csrfFrom,
  ensureAdmin,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { auditEvents } from '../../support/audit-trail';
import { ask, dataOf, TestSockets } from '../../support/live-session';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { actor, individualType } from '../scheduling/scheduling-fixtures';
import type { Actor } from '../../../server/rooms';

const MINUTE = 60_000;

/**
 * The therapist's per-session choice of end-to-end encryption (issue 23, item 3) under
 * ROOM_E2EE=per-session: only the appointment's therapist sets it, through the appointment's page
 * (every other role refused, 404 where the appointment is not theirs); it is audited; the client reads
 * it on their page; each appointment's room is encrypted as its own choice says (ad-hoc rooms plain);
 * and it cannot change while anyone is in the session's room.
 */
describe('rooms: the per-session choice of end-to-end encryption', function () {
  this.timeout(120_000);
  let live: LiveHaven;
  let therapist: TestPerson;
  let clientA: TestPerson;
  let clientB: TestPerson;
  let otherTherapist: TestPerson;
  let peer: TestPerson;
  let admin: TestPerson;
  let host: Actor;
  /** Alex's (client A's) appointment with the therapist, and Blake's (client B's), both starting soon. */
  let mine: string;
  let blakes: string;
  const sessions = new Map<TestPerson, SignedInSession>();
  const sockets = new TestSockets(() => live);

  const book = async (client: TestPerson, startsInMinutes: number, by = therapist): Promise<string> => {
    const type = await individualType(live.haven, admin.user);
    const start = new Date(Date.now() + startsInMinutes * MINUTE).toISOString();
    const a = await live.haven.scheduling.booking.bookForClient(actor(by.user), {
      typeId: type.id,
      clientIds: [client.user.id],
      start,
    });
    return a.id;
  };
  const session = async (person: TestPerson): Promise<SignedInSession> => {
    let s = sessions.get(person);
    if (!s) {
      s = await signIn(live.haven, person);
      sessions.set(person, s);
    }
    return s;
  };
  const choose = async (person: TestPerson | null, id: string, body: Record<string, string>) => {
    if (!person) {
      const visitor = request.agent(live.haven.http);
      const _csrf = csrfFrom((await visitor.get('/sign-in').expect(200)).text);
      return visitor
        .post(`/appointments/${id}/e2ee`)
        .type('form')
        .send({ _csrf, ...body });
    }
    const s = await session(person);
    return s.agent
      .post(`/appointments/${id}/e2ee`)
      .type('form')
      .send({ _csrf: await s.csrf(), ...body });
  };
  const chosen = async (id: string) => (await live.haven.scheduling.getAppointmentForRoom(id))?.e2eeChosen;
  const detail = async (person: TestPerson, id: string) =>
    (await session(person)).agent.get(`/appointments/${id}`);
  const roomOf = async (id: string) => (await live.haven.rooms.access.forAppointment(host, id)).id;

  before(async () => {
    // Rooms open two hours ahead, so both appointments' rooms can be entered now.
    live = await startLiveHaven({ env: { ROOM_E2EE: 'per-session', ROOM_OPEN_BEFORE_MINUTES: '120' } });
    admin = (await ensureAdmin(live.haven)) ?? (await createPerson(live.haven, { roles: ['admin'] }));
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    otherTherapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Dr Other' });
    clientA = await createPerson(live.haven, { roles: ['client'], displayName: 'Alex' });
    clientB = await createPerson(live.haven, { roles: ['client'], displayName: 'Blake' });
    peer = await createPerson(live.haven, { roles: ['peer_supporter'], displayName: 'Pat Peer' });
    for (const c of [clientA, clientB])
      await live.haven.clinical.care.assign(null, therapist.user.id, c.user.id);
    host = { id: therapist.user.id, displayName: 'Dr Rivera', roles: therapist.user.roles };
    mine = await book(clientA, 5);
    blakes = await book(clientB, 90);
  });
  afterEach(() => sockets.closeAll());
  after(async () => live?.stop());

  it('is off unless chosen, and the appointment page says so to its therapist (with the form) and its client', async () => {
    assert.equal(await chosen(mine), false);
    const own = await detail(therapist, mine);
    assert.equal(own.status, 200);
    assert.match(own.text, /This session will not be end-to-end encrypted\./);
    assert.match(own.text, new RegExp(`action="/appointments/${mine}/e2ee"`));
    assert.match(own.text, /name="encrypted" value="off" checked/);
    const clients = await detail(clientA, mine);
    assert.match(clients.text, /This session will not be end-to-end encrypted\./);
    assert.doesNotMatch(clients.text, /\/e2ee"/, 'the client reads the choice, and has no form to change it');
  });

  it('the therapist turns it on through the page: saved, audited, and the client reads it', async () => {
    const res = await choose(therapist, mine, { encrypted: 'on' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/appointments/${mine}#encryption`);
    assert.equal(await chosen(mine), true);
    const own = await detail(therapist, mine);
    assert.match(own.text, /End-to-end encryption is on for this session\./, 'the flash says what was saved');
    assert.match(own.text, /name="encrypted" value="on" checked/);
    assert.match((await detail(clientA, mine)).text, /This session will be end-to-end encrypted\./);
    const events = await auditEvents(live.haven, { action: 'appointment.e2ee_chosen' });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actorId, therapist.user.id);
    assert.equal(events[0]!.targetId, mine);
    assert.equal(events[0]!.subjectId, clientA.user.id);
    const details = JSON.parse(events[0]!.details ?? '{}') as Record<string, unknown>;
    assert.deepEqual(
      { encrypted: details.encrypted, scope: details.scope },
      { encrypted: true, scope: 'one' },
    );
    assert.equal(await chosen(blakes), false, "another appointment's choice is its own");
  });

  it('refuses everyone but the treating therapist: its client 403, anyone it is not theirs 404, a visitor 401', async () => {
    const refusals: Array<[TestPerson | null, number, RegExp | null]> = [
      [clientA, 403, /Only the session&#39;s therapist can choose/],
      [clientB, 404, null],
      [otherTherapist, 404, null],
      [peer, 404, null],
      [admin, 404, null],
      [null, 401, null],
    ];
    for (const [person, status, words] of refusals) {
      const res = await choose(person, mine, { encrypted: 'off' });
      assert.equal(res.status, status, `${person?.user.displayName ?? 'a visitor'}: ${res.status}`);
      if (words) assert.match(res.text, words);
    }
    // Client B cannot read client A's appointment (or its choice) at all, and A cannot touch B's.
    assert.equal((await detail(clientB, mine)).status, 404);
    assert.equal((await choose(clientA, blakes, { encrypted: 'on' })).status, 404);
    assert.equal(await chosen(mine), true, 'nothing changed');
    assert.equal(await chosen(blakes), false);
  });

  it('refuses a value that is neither on nor off with a sentence, changing nothing', async () => {
    const res = await choose(therapist, mine, { encrypted: 'maybe' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Choose on or off\./);
    assert.equal(await chosen(mine), true);
  });

  it("each appointment's room is encrypted as its own choice says; an ad-hoc room is plain", async () => {
    const t = await sockets.open(therapist);
    const encrypted = dataOf(await ask(t, 'room:join', { roomId: await roomOf(mine) }));
    assert.equal(encrypted.e2ee, true);
    dataOf(await ask(t, 'room:leave', { roomId: encrypted.roomId }));
    const plain = dataOf(await ask(t, 'room:join', { roomId: await roomOf(blakes) }));
    assert.equal(plain.e2ee, false);
    dataOf(await ask(t, 'room:leave', { roomId: plain.roomId }));
    const adhoc = await live.haven.rooms.access.openAdhoc(host, [clientA.user.id], null);
    assert.equal(dataOf(await ask(t, 'room:join', { roomId: adhoc.id })).e2ee, false);
    dataOf(await ask(t, 'room:leave', { roomId: adhoc.id }));
  });

  it('cannot change while anyone is in the room (said in the reader’s language); it can once everyone has left', async () => {
    const roomId = await roomOf(mine);
    const t = await sockets.open(therapist);
    assert.equal(dataOf(await ask(t, 'room:join', { roomId })).e2ee, true);
    const refused = await choose(therapist, mine, { encrypted: 'off' });
    assert.equal(refused.status, 409);
    assert.match(refused.text, /Someone is in this session&#39;s room now/);
    assert.equal(await chosen(mine), true, 'nothing changed');
    // The same refusal in Spanish, to a therapist who reads Spanish, in her own session's room.
    const dra = await createPerson(live.haven, {
      roles: ['therapist'],
      displayName: 'Dra Ruiz',
      language: 'es',
    });
    await live.haven.clinical.care.assign(null, dra.user.id, clientB.user.id);
    const hers = await book(clientB, 5, dra);
    const d = await sockets.open(dra);
    const herRoom = (await live.haven.rooms.access.forAppointment(dra.user, hers)).id;
    dataOf(await ask(d, 'room:join', { roomId: herRoom }));
    const spanish = await choose(dra, hers, { encrypted: 'on' });
    assert.equal(spanish.status, 409);
    assert.match(spanish.text, /Ahora hay alguien en la sala de esta sesión/);
    assert.equal(await chosen(hers), false);

    dataOf(await ask(t, 'room:leave', { roomId }));
    assert.equal((await choose(therapist, mine, { encrypted: 'off' })).status, 303);
    assert.equal(dataOf(await ask(t, 'room:join', { roomId })).e2ee, false, 'the next entry follows it');
    dataOf(await ask(t, 'room:leave', { roomId }));
  });

  it('cannot change while someone only waits in the room either (their page keyed for the answer it was given)', async () => {
    await live.haven.clinical.intake.recordSafetyCheck(
      { id: clientB.user.id, roles: clientB.user.roles, ip: null },
      { appointmentId: blakes, location: 'Home', callbackNumber: '+44 113 496 0123' },
    );
    const roomId = await roomOf(blakes);
    const b = await sockets.open(clientB);
    const waiting = dataOf(await ask(b, 'room:join', { roomId }));
    assert.deepEqual([waiting.state, waiting.e2ee], ['waiting', false]);
    assert.equal((await choose(therapist, blakes, { encrypted: 'on' })).status, 409);
    dataOf(await ask(b, 'room:leave', { roomId }));
    assert.equal((await choose(therapist, blakes, { encrypted: 'on' })).status, 303);
    assert.equal(dataOf(await ask(b, 'room:join', { roomId })).e2ee, true, 'their next entry follows it');
    dataOf(await ask(b, 'room:leave', { roomId }));
  });

  it('in a series, "also for the later sessions" sets this one and the later ones still going ahead', async () => {
    const type = await individualType(live.haven, admin.user);
    // Series follow the therapist's hours: every day, all day, in UTC.
    await live.haven.scheduling.schedule.saveSchedule(actor(therapist.user), therapist.user.id, {
      timeZone: 'UTC',
      minNoticeMinutes: 0,
      horizonDays: 365,
      slotStepMinutes: 60,
      bookingMode: 'direct',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:59' })),
    });
    const inThreeDays = new Date(Date.now() + 3 * 24 * 60 * MINUTE);
    inThreeDays.setUTCHours(10, 0, 0, 0);
    const { created } = await live.haven.scheduling.booking.createSeries(actor(therapist.user), {
      typeId: type.id,
      clientIds: [clientA.user.id],
      start: inThreeDays.toISOString(),
      frequency: 'weekly',
      count: 3,
      skipConflicts: true,
    });
    const [first, second, third] = created.map((a) => a.id) as [string, string, string];
    assert.match((await detail(therapist, second)).text, /name="scope" value="rest"/);
    assert.equal((await choose(therapist, second, { encrypted: 'on', scope: 'rest' })).status, 303);
    assert.deepEqual(
      [await chosen(first), await chosen(second), await chosen(third)],
      [false, true, true],
      'the earlier one keeps its own',
    );
    assert.match(
      (await detail(therapist, second)).text,
      /on for this session and the later ones of the series/,
    );
    assert.equal((await choose(therapist, third, { encrypted: 'off' })).status, 303);
    assert.deepEqual([await chosen(second), await chosen(third)], [true, false], 'one at a time by default');
  });
});
