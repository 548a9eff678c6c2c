import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { isAppError } from '../../../server/shared/errors';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, cast, GAD7_MID, PHQ9_LOW, type Cast } from './clinical-fixtures';
import { auditEvents } from '../../support/audit-trail';
import { refusal } from '../../support/refusals';

const forbidden = (error: unknown) => isAppError(error) && error.code === 'clinical.forbidden';

describe('clinical privacy', function () {
  let t: TestHaven;
  let c: Cast;

  beforeEach(async () => {
    t = await startTestHaven();
    c = await cast(t.haven);
  });
  afterEach(async () => t.stop());

  it('lets a client read their own scores, the treating therapist too, and nobody else', async () => {
    const { measures } = t.haven.clinical;
    await measures.submit(actor(c.clientA), c.clientA.id, { measure: 'phq9', answers: PHQ9_LOW });
    await measures.submit(actor(c.clientA), c.clientA.id, { measure: 'gad7', answers: GAD7_MID });

    assert.equal((await measures.results(actor(c.clientA), c.clientA.id)).length, 2);
    const seen = await measures.results(actor(c.therapist), c.clientA.id);
    assert.deepEqual(
      seen.map((r) => [r.measure, r.total]),
      [
        ['phq9', 2],
        ['gad7', 9],
      ],
    );

    // Client B: nothing of A's, and their own list is empty.
    await assert.rejects(measures.results(actor(c.clientB), c.clientA.id), forbidden);
    assert.deepEqual(await measures.results(actor(c.clientB), c.clientB.id), []);
    // Neither may answer on someone else's behalf.
    await assert.rejects(
      measures.submit(actor(c.clientB), c.clientA.id, { measure: 'phq9', answers: PHQ9_LOW }),
      forbidden,
    );
    await assert.rejects(measures.results(actor(c.otherTherapist), c.clientA.id), forbidden);
    await assert.rejects(measures.results(actor(c.peer), c.clientA.id), forbidden);
    await assert.rejects(measures.results(actor(c.admin), c.clientA.id), forbidden);
    await assert.rejects(t.haven.clinical.intake.intakeOf(actor(c.peer), c.clientA.id), forbidden);

    const reads = await auditEvents(t.haven, { action: 'measure.read', subjectId: c.clientA.id });
    assert.deepEqual(
      reads.map((r) => r.actorId),
      [c.clientA.id, c.therapist.id],
    );
    const denied = await auditEvents(t.haven, { action: 'clinical.access_denied', subjectId: c.clientA.id });
    assert.deepEqual(
      denied.map((r) => r.actorId),
      [c.clientB.id, c.clientB.id, c.otherTherapist.id, c.peer.id, c.admin.id, c.peer.id],
    );
  });

  it('keeps notes to the treating therapist; admin only by break-glass, which the therapist sees', async () => {
    const { notes, care } = t.haven.clinical;
    const note = await notes.create(actor(c.therapist), c.clientA.id, 'soap', {
      subjective: 'Slept better.',
    });

    for (const who of [c.clientA, c.clientB, c.otherTherapist, c.peer, c.admin]) {
      await assert.rejects(notes.read(actor(who), note.id), forbidden, who.displayName);
      await assert.rejects(notes.list(actor(who), c.clientA.id), forbidden, who.displayName);
    }
    await assert.rejects(
      notes.create(actor(c.otherTherapist), c.clientA.id, 'dap', {}),
      forbidden,
      'an unassigned therapist cannot write either',
    );
    assert.equal((await notes.read(actor(c.therapist), note.id)).body.subjective, 'Slept better.');

    await assert.rejects(
      care.breakGlass(actor(c.admin), c.clientA.id, 'short'),
      refusal('clinical.break_glass_reason', 'clinical:problem.breakGlassReason'),
    );
    await assert.rejects(
      care.breakGlass(actor(c.therapist), c.clientA.id, 'I would like to look'),
      forbidden,
    );
    await care.breakGlass(
      actor(c.admin),
      c.clientA.id,
      'Client unreachable after crisis alert; police welfare check',
    );
    const read = await notes.read(actor(c.admin), note.id);
    assert.equal(read.body.subjective, 'Slept better.');
    const noteReads = await auditEvents(t.haven, { action: 'note.read', subjectId: c.clientA.id });
    assert.deepEqual(
      noteReads.map((r) => [r.actorId, JSON.parse(r.details ?? '{}').via]),
      [
        [c.therapist.id, 'care'],
        [c.admin.id, 'break_glass'],
      ],
    );
    const shown = await care.breakGlassSeenBy(actor(c.therapist));
    assert.equal(shown.length, 1);
    assert.equal(shown[0]?.adminName, 'Ada Admin');
    assert.match(shown[0]?.reason ?? '', /welfare check/);
    assert.deepEqual(await care.breakGlassSeenBy(actor(c.otherTherapist)), []);
  });

  it('keeps psychotherapy notes to their author, even against break-glass', async () => {
    const { notes, care } = t.haven.clinical;
    await notes.addPsychotherapyNote(actor(c.therapist), c.clientA.id, 'Process impressions.');
    assert.equal((await notes.psychotherapyNotes(actor(c.therapist), c.clientA.id)).length, 1);
    await care.breakGlass(actor(c.admin), c.clientA.id, 'Emergency review of the record');
    await assert.rejects(notes.psychotherapyNotes(actor(c.admin), c.clientA.id), forbidden);
    await assert.rejects(notes.psychotherapyNotes(actor(c.otherTherapist), c.clientA.id), forbidden);
    await assert.rejects(notes.psychotherapyNotes(actor(c.clientA), c.clientA.id), forbidden);
    // And they are not part of the progress-note list.
    assert.deepEqual(await notes.list(actor(c.therapist), c.clientA.id), []);
  });

  it('locks signed notes; addenda carry author, time and reason and leave the original intact', async () => {
    const { notes } = t.haven.clinical;
    const me = actor(c.therapist);
    const note = await notes.create(me, c.clientA.id, 'dap', { data: 'First draft' });
    const rev = await notes.saveDraft(me, note.id, { data: 'Second draft', plan: 'Weekly' }, note.revision);
    await assert.rejects(
      notes.saveDraft(me, note.id, { data: 'stale tab' }, note.revision),
      refusal('clinical.note_changed', 'clinical:problem.noteChanged'),
    );
    await notes.sign(me, note.id);
    await assert.rejects(
      notes.saveDraft(me, note.id, { data: 'Rewritten history' }, rev),
      refusal('clinical.note_signed', 'clinical:problem.noteSigned'),
    );
    await assert.rejects(
      notes.sign(me, note.id),
      refusal('clinical.note_signed', 'clinical:problem.alreadySigned'),
    );
    await assert.rejects(
      notes.addAddendum(me, note.id, '', 'text'),
      refusal('clinical.addendum_incomplete', 'clinical:problem.addendumIncomplete'),
    );
    await notes.addAddendum(me, note.id, 'Wrong frequency recorded', 'Plan is fortnightly.');

    const read = await notes.read(me, note.id);
    assert.equal(read.status, 'signed');
    assert.deepEqual(read.body, { data: 'Second draft', assessment: '', plan: 'Weekly' });
    assert.equal(read.addenda.length, 1);
    assert.equal(read.addenda[0]?.authorId, c.therapist.id);
    assert.equal(read.addenda[0]?.reason, 'Wrong frequency recorded');
    assert.ok(read.addenda[0]?.createdAt instanceof Date);
  });

  it('stores no health information in plaintext: 0 hits of a marker in the SQLite file and its WAL', async () => {
    const marker = `MARKER-${Date.now()}-zq`;
    const { notes, intake, care, feedback } = t.haven.clinical;
    const me = actor(c.therapist);
    const client = actor(c.clientA);
    const note = await notes.create(me, c.clientA.id, 'soap', { subjective: marker });
    await notes.sign(me, note.id);
    await notes.addAddendum(me, note.id, `reason ${marker}`, `addendum ${marker}`);
    await notes.addPsychotherapyNote(me, c.clientA.id, marker);
    const consent = await intake.currentConsent();
    await intake.signConsent(client, { typedName: `Alice ${marker}`, version: consent.version });
    await intake.submitIntake(client, {
      form: {
        emergencyContactName: marker,
        emergencyContactPhone: '+1 555 0100',
        location: `Oregon ${marker}`,
        reasons: marker,
        goals: marker,
      },
      phq9: { answers: PHQ9_LOW },
      gad7: { answers: GAD7_MID },
    });
    await intake.recordSafetyCheck(client, { location: marker, callbackNumber: '+1 555 0101' });
    await feedback.submit(client, {
      therapistId: c.therapist.id,
      heard: 9,
      goals: 8,
      approach: 9,
      overall: 9,
      comment: marker,
    });
    await care.breakGlass(actor(c.admin), c.clientA.id, `reason ${marker}`);

    // Everything reads back through the services…
    assert.equal((await notes.read(me, note.id)).body.subjective, marker);
    assert.equal((await intake.intakeOf(me, c.clientA.id))?.goals, marker);
    // …and the raw bytes hold none of it (the search itself works: the email is there in the clear).
    const file = (t.config.database as { storage: string }).storage;
    const bytes = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    assert.ok(bytes.includes(Buffer.from(c.clientA.email)), 'sanity: the search finds plain text');
    assert.equal(bytes.includes(Buffer.from(marker)), false);
  });
});
