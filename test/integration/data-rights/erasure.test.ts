import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import request from 'supertest';
import { FakeClock } from '../../../server/shared/clock';
import { createPerson, csrfFrom, signIn, type SignedInSession } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { seedDataRightsCast, type DataRightsCast } from './data-rights-fixtures';
import { auditActions, auditEvents } from '../../support/audit-trail';

const DAY = 86_400_000;

/**
 * The erasure flow end to end over HTTP: request → admin approves → the account is closed, messages
 * and chat gone, the clinical record restricted (break-glass only, audited) → past retention the job
 * purges it. Boris, the other client of the same therapist, keeps everything throughout.
 */
describe('data rights: erasure', function () {
  this.timeout(120_000);
  let t: TestHaven;
  let cast: DataRightsCast;
  let alice: SignedInSession;
  let admin: SignedInSession;
  let requestId: string;
  let groupId: string;
  const clock = new FakeClock('2026-03-09T12:00:00Z');

  const count = async (sql: string, ...replacements: string[]): Promise<number> => {
    const rows = await t.haven.sequelize.query<{ n: number | string }>(sql, {
      replacements,
      type: QueryTypes.SELECT,
    });
    return Number(rows[0]!.n);
  };
  const post = async (s: SignedInSession, url: string, body: Record<string, string> = {}) =>
    s.agent
      .post(url)
      .type('form')
      .send({ _csrf: await s.csrf(), ...body });

  before(async () => {
    t = await startTestHaven({ clock, env: { CLINICAL_RETENTION_YEARS: '7' } });
    cast = await seedDataRightsCast(t.haven, clock);
    alice = await signIn(t.haven, cast.alice.person);
    admin = await signIn(t.haven, cast.admin);
    // Alice is also in a peer-support group, under a pseudonym she chose.
    const peer = (await createPerson(t.haven, { roles: ['peer_supporter'] })).user;
    const group = await t.haven.groups.create(
      { id: peer.id, roles: peer.roles },
      {
        topic: 'Evenings',
        description: 'Talking it through.',
        capacity: 8,
        membership: 'open',
        facilitatorIds: [peer.id],
      },
    );
    groupId = group.id;
    await t.haven.groups.join(
      { id: cast.alice.user.id, roles: cast.alice.user.roles },
      group.id,
      'AliceTheBrave',
    );
  });
  after(async () => t?.stop());

  it('asks the client to type the confirmation, then queues one request', async () => {
    const page = await alice.agent.get('/account/data').expect(200);
    assert.match(page.text, /Ask for erasure/);
    assert.match(page.text, /7 years/);
    const wrong = await post(alice, '/account/data/erasure', { confirm: 'yes please' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /Type ERASE MY ACCOUNT to confirm/);
    assert.equal(await count('SELECT COUNT(*) AS n FROM erasure_requests'), 0);

    await post(alice, '/account/data/erasure', { confirm: 'ERASE MY ACCOUNT' }).then((r) =>
      assert.equal(r.status, 303),
    );
    const again = await post(alice, '/account/data/erasure', { confirm: 'ERASE MY ACCOUNT' });
    assert.equal(again.status, 409, 'one pending request at a time');
    const rows = await t.haven.sequelize.query<{ id: string; status: string; client_id: string }>(
      'SELECT id, status, client_id FROM erasure_requests',
      { type: QueryTypes.SELECT },
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'pending');
    assert.equal(rows[0]!.client_id, cast.alice.user.id);
    requestId = rows[0]!.id;
    assert.match((await alice.agent.get('/account/data').expect(200)).text, /waiting for review/);
    // The admins hear of it by email, which names nobody.
    const mails = await t.haven.sequelize.query<{ to_address: string; text_body: string }>(
      "SELECT to_address, text_body FROM outbox_messages WHERE subject = 'An erasure request is waiting for review'",
      { type: QueryTypes.SELECT },
    );
    assert.deepEqual(
      mails.map((m) => m.to_address),
      [cast.admin.email],
    );
    assert.match(mails[0]!.text_body, /\/admin\/data-rights/);
    assert.ok(!/Alice|ALICE|Anders/.test(mails[0]!.text_body));
  });

  it('lets only an admin see the queue and decide; a client or therapist cannot approve', async () => {
    const queue = await admin.agent.get('/admin/data-rights').expect(200);
    assert.ok(queue.text.includes(`/admin/data-rights/${requestId}/approve`));
    assert.ok(queue.text.includes('Alice Anders'));

    const boris = await signIn(t.haven, cast.boris.person);
    await boris.agent.get('/admin/data-rights').expect(403);
    assert.equal(
      (await post(boris, `/admin/data-rights/${requestId}/approve`, { reason: 'I say so' })).status,
      403,
    );
    const therapist = await signIn(t.haven, cast.therapist);
    assert.equal(
      (await post(therapist, `/admin/data-rights/${requestId}/approve`, { reason: 'I say so' })).status,
      403,
    );
    assert.equal(
      (await post(alice, `/admin/data-rights/${requestId}/approve`, { reason: 'Myself!' })).status,
      403,
    );
    await request(t.haven.http).post(`/admin/data-rights/${requestId}/approve`).expect(403); // no CSRF, no session
    // An admin must give a reason.
    assert.equal((await post(admin, `/admin/data-rights/${requestId}/approve`, { reason: '' })).status, 400);
    assert.equal(await count("SELECT COUNT(*) AS n FROM erasure_requests WHERE status = 'pending'"), 1);
    // The admin's overview says one request waits, and links to the queue (no name on it).
    const overview = await admin.agent.get('/admin').expect(200);
    assert.match(
      overview.text,
      /id="erasure-heading">Erasure requests<\/h2>\s*<p class="admin-figure attention">1</,
    );
    assert.ok(overview.text.includes('href="/admin/data-rights">Waiting for your decision'));
  });

  it('on approval closes the account: no session survives and sign-in fails', async () => {
    const approved = await post(admin, `/admin/data-rights/${requestId}/approve`, {
      reason: 'Client request; identity confirmed by phone.',
    });
    assert.equal(approved.status, 303);
    assert.match(
      (await admin.agent.get('/admin').expect(200)).text,
      /id="erasure-heading">Erasure requests<\/h2>\s*<p class="admin-figure">0</,
    );
    assert.equal(
      (await post(admin, `/admin/data-rights/${requestId}/approve`, { reason: 'Twice over.' })).status,
      409,
      'a decided request cannot be decided again',
    );

    // The session Alice had is gone.
    const res = await alice.agent.get('/account/data');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/sign-in');
    // Her email and password no longer open anything.
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/sign-in').expect(200);
    await agent
      .post('/sign-in')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        email: cast.alice.person.email,
        password: cast.alice.person.password,
      })
      .expect(401);

    const [user] = await t.haven.sequelize.query<Record<string, unknown>>(
      'SELECT email, display_name, full_name, password_hash, status FROM users WHERE id = ?',
      { replacements: [cast.alice.user.id], type: QueryTypes.SELECT },
    );
    assert.deepEqual(user, {
      email: `erased-${cast.alice.user.id}@erased.invalid`,
      display_name: 'Former client',
      full_name: null,
      password_hash: null,
      status: 'deactivated',
    });
    assert.equal(await count('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', cast.alice.user.id), 0);
    assert.equal(await count('SELECT COUNT(*) AS n FROM user_totp WHERE user_id = ?', cast.alice.user.id), 0);
    // Her group pseudonym is gone and her membership ended.
    const [member] = await t.haven.sequelize.query<{ pseudonym: string; status: string }>(
      'SELECT pseudonym, status FROM peer_group_members WHERE group_id = ? AND user_id = ?',
      { replacements: [groupId, cast.alice.user.id], type: QueryTypes.SELECT },
    );
    assert.match(member!.pseudonym, /^Former member [0-9a-f]{8}$/);
    assert.equal(member!.status, 'removed');
  });

  it('deletes her messages, attachments (files too) and session chat, and cancels what was ahead', async () => {
    const a = cast.alice;
    const b = cast.boris;
    assert.equal(await count('SELECT COUNT(*) AS n FROM message_threads WHERE client_id = ?', a.user.id), 0);
    assert.equal(await count('SELECT COUNT(*) AS n FROM messages WHERE thread_id = ?', a.threadId), 0);
    assert.equal(
      await count('SELECT COUNT(*) AS n FROM message_attachments WHERE id = ?', a.attachmentId),
      0,
    );
    assert.equal(existsSync(join(t.dataDir, 'attachments', a.attachmentId)), false, 'file deleted');
    assert.equal(await count('SELECT COUNT(*) AS n FROM room_chat_messages WHERE room_id = ?', a.roomId), 0);
    // Boris's are untouched.
    assert.equal(await count('SELECT COUNT(*) AS n FROM messages WHERE thread_id = ?', b.threadId), 2);
    assert.equal(existsSync(join(t.dataDir, 'attachments', b.attachmentId)), true);
    assert.equal(await count('SELECT COUNT(*) AS n FROM room_chat_messages WHERE room_id = ?', b.roomId), 2);
    // The held session stays (clinical record); the one ahead is cancelled.
    const statuses = await t.haven.sequelize.query<{ id: string; status: string }>(
      'SELECT id, status FROM appointments WHERE id IN (?, ?)',
      { replacements: [a.pastAppointmentId, a.upcomingAppointmentId], type: QueryTypes.SELECT },
    );
    assert.deepEqual(Object.fromEntries(statuses.map((s) => [s.id, s.status])), {
      [a.pastAppointmentId]: 'confirmed',
      [a.upcomingAppointmentId]: 'cancelled',
    });
    // Her reason for visit is gone (scheduling shows it to the therapist outside clinical's checks).
    assert.equal(
      await count(
        'SELECT COUNT(*) AS n FROM appointments WHERE id = ? AND reason_cipher IS NOT NULL',
        a.pastAppointmentId,
      ),
      0,
    );
    assert.equal(
      await count(
        'SELECT COUNT(*) AS n FROM appointments WHERE id = ? AND reason_cipher IS NOT NULL',
        b.pastAppointmentId,
      ),
      1,
    );
  });

  it('restricts the clinical record: refused to her therapist and to an admin, even with care re-assigned', async () => {
    const a = cast.alice;
    const therapist = await signIn(t.haven, cast.therapist);
    await therapist.agent.get(`/clinical/clients/${a.user.id}`).expect(403);
    await therapist.agent.get(`/clinical/notes/${a.noteId}`).expect(403);
    await therapist.agent.get(`/clinical/clients/${a.user.id}/psychotherapy-notes`).expect(403);
    await admin.agent.get(`/clinical/clients/${a.user.id}`).expect(403);
    // Even if care were assigned again, the restriction holds (it does not rest on care having ended).
    assert.equal(
      (await post(admin, '/clinical/care', { therapistId: cast.therapist.user.id, clientId: a.user.id }))
        .status,
      303,
    );
    await therapist.agent.get(`/clinical/clients/${a.user.id}`).expect(403);
    await therapist.agent.get(`/clinical/notes/${a.noteId}`).expect(403);
    assert.equal(
      (await post(therapist, `/clinical/clients/${a.user.id}/notes`, { template: 'soap' })).status,
      403,
      'nothing new is written into a restricted record',
    );
    // Boris's record is as it was.
    await therapist.agent.get(`/clinical/clients/${cast.boris.user.id}`).expect(200);
    const denied = (await auditActions(t.haven, { action: 'clinical.access_denied', subjectId: a.user.id }))
      .length;
    assert.ok(denied >= 5, `refusals audited: ${denied}`);
  });

  it('opens to an admin by break-glass with a reason, and the read is audited as break-glass', async () => {
    const a = cast.alice;
    assert.equal(
      (
        await post(admin, `/clinical/clients/${a.user.id}/break-glass`, {
          reason: 'Court order 2026-114 for the record',
        })
      ).status,
      303,
    );
    const record = await admin.agent.get(`/clinical/clients/${a.user.id}`).expect(200);
    assert.ok(record.text.includes('Client record'));
    const note = await admin.agent.get(`/clinical/notes/${a.noteId}`).expect(200);
    assert.ok(note.text.includes('ALICE-note-subjective'));
    const reads = await auditEvents(t.haven, { action: 'note.read', subjectId: a.user.id });
    assert.ok(
      reads.some((r) => r.actorId === cast.admin.user.id && JSON.parse(r.details!).via === 'break_glass'),
    );
    assert.equal(
      (await auditActions(t.haven, { action: 'break_glass.opened', subjectId: a.user.id })).length,
      1,
    );
    // Break-glass reads; it does not write.
    assert.equal(
      (await post(admin, `/clinical/notes/${a.noteId}/addenda`, { reason: 'x', body: 'y' })).status,
      403,
    );
  });

  it('keeps the record until the retention period ends, then the retention job purges it', async () => {
    const a = cast.alice;
    const clinicalRows = () =>
      Promise.all(
        [
          'clinical_notes',
          'psychotherapy_notes',
          'measure_responses',
          'intake_records',
          'consent_signatures',
          'clinical_restrictions',
          'break_glass_grants',
          'care_assignments',
          'care_begun_by_appointment',
        ].map((table) => count(`SELECT COUNT(*) AS n FROM ${table} WHERE client_id = ?`, a.user.id)),
      );
    clock.advance(6 * 365 * DAY);
    assert.equal(await t.haven.dataRights.retention.runOnce(), 0, 'not yet due after six years');
    assert.ok((await clinicalRows()).slice(0, 6).every((n) => n > 0));

    clock.advance(2 * 365 * DAY);
    assert.equal(await t.haven.dataRights.retention.runOnce(), 1);
    assert.deepEqual(await clinicalRows(), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(await count('SELECT COUNT(*) AS n FROM note_addenda WHERE note_id = ?', a.noteId), 0);
    assert.equal(
      await count('SELECT COUNT(*) AS n FROM appointment_participants WHERE client_id = ?', a.user.id),
      0,
    );
    assert.equal(
      await count(
        'SELECT COUNT(*) AS n FROM appointments WHERE id IN (?, ?)',
        a.pastAppointmentId,
        a.upcomingAppointmentId,
      ),
      0,
    );
    assert.equal(await count("SELECT COUNT(*) AS n FROM erasure_requests WHERE status = 'purged'"), 1);
    assert.equal(await t.haven.dataRights.retention.runOnce(), 0, 'nothing left to purge');
    // Boris's record is intact.
    for (const table of ['clinical_notes', 'measure_responses', 'intake_records', 'psychotherapy_notes']) {
      assert.ok(
        (await count(`SELECT COUNT(*) AS n FROM ${table} WHERE client_id = ?`, cast.boris.user.id)) > 0,
        table,
      );
    }
  });

  it('audits every step with ids only: the trail holds no name, email or health text of hers', async () => {
    assert.deepEqual(await auditActions(t.haven, { action: 'data_rights.' }), [
      'data_rights.erasure_requested',
      'data_rights.erasure_approved',
      'data_rights.record_purged',
    ]);
    const all = JSON.stringify(await auditEvents(t.haven));
    for (const needle of [
      'ALICE',
      'Alice Anders',
      'AliceTheBrave',
      cast.alice.person.email,
      'identity confirmed',
    ]) {
      assert.ok(!all.includes(needle), `audit trail holds ${needle}`);
    }
  });
});

describe('data rights: a declined erasure request', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let cast: DataRightsCast;
  const clock = new FakeClock('2026-03-09T12:00:00Z');
  before(async () => {
    t = await startTestHaven({ clock });
    cast = await seedDataRightsCast(t.haven, clock);
  });
  after(async () => t?.stop());

  it('tells the client why and changes nothing else', async () => {
    const boris = await signIn(t.haven, cast.boris.person);
    await boris.agent
      .post('/account/data/erasure')
      .type('form')
      .send({ _csrf: await boris.csrf(), confirm: 'ERASE MY ACCOUNT' })
      .expect(303);
    const admin = await signIn(t.haven, cast.admin);
    const [row] = await t.haven.sequelize.query<{ id: string }>('SELECT id FROM erasure_requests', {
      type: QueryTypes.SELECT,
    });
    await admin.agent
      .post(`/admin/data-rights/${row!.id}/decline`)
      .type('form')
      .send({ _csrf: await admin.csrf(), reason: 'Open safeguarding case; we will call you.' })
      .expect(303);
    const page = await boris.agent.get('/account/data').expect(200);
    assert.match(page.text, /declined/);
    assert.match(page.text, /Open safeguarding case; we will call you\./);
    const therapist = await signIn(t.haven, cast.therapist);
    await therapist.agent.get(`/clinical/clients/${cast.boris.user.id}`).expect(200);
    // The reason is sealed at rest.
    const [stored] = await t.haven.sequelize.query<{ decision_reason_enc: string }>(
      'SELECT decision_reason_enc FROM erasure_requests',
      { type: QueryTypes.SELECT },
    );
    assert.ok(!stored!.decision_reason_enc.includes('safeguarding'));
  });
});
