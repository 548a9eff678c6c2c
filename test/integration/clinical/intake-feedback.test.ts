import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, cast, GAD7_MID, PHQ9_LOW, type Cast } from './clinical-fixtures';
import { refusal } from '../../support/refusals';

const intakeForm = {
  emergencyContactName: 'Sam Sister',
  emergencyContactPhone: '+1 503 555 0100',
  location: 'Portland, Oregon',
  reasons: 'Worrying all the time.',
  goals: 'Sleep through the night.',
  topics: ['anxiety', 'sleep'],
  preferredTimes: 'evenings',
};

describe('clinical intake, consent, safety checks and feedback', () => {
  let t: TestHaven;
  let c: Cast;

  beforeEach(async () => {
    t = await startTestHaven();
    c = await cast(t.haven);
  });
  afterEach(async () => t.stop());

  it('needs signed consent; keeps version, time and IP; a changed text asks again', async () => {
    const { intake } = t.haven.clinical;
    const client = actor(c.clientA);
    const first = await intake.currentConsent();
    assert.equal(first.version, 1);
    assert.equal(await intake.needsConsent(c.clientA.id), true);
    await assert.rejects(
      intake.submitIntake(client, {
        form: intakeForm,
        phq9: { answers: PHQ9_LOW },
        gad7: { answers: GAD7_MID },
      }),
      refusal('clinical.consent_required', 'clinical:problem.consentFirst'),
    );
    await assert.rejects(
      intake.signConsent(client, { typedName: '', version: 1 }),
      refusal('clinical.consent_invalid', 'clinical:problem.required.typedName'),
    );
    await intake.signConsent(client, { typedName: 'Alice Client', version: 1 });
    assert.equal(await intake.needsConsent(c.clientA.id), false);
    const [row] = await t.haven.sequelize.query<{ version: number; ip: string; signed_at: string }>(
      'SELECT version, ip, signed_at FROM consent_signatures WHERE client_id = ?',
      { replacements: [c.clientA.id], type: QueryTypes.SELECT },
    );
    assert.equal(row?.version, 1);
    assert.equal(row?.ip, '127.0.0.1');
    assert.ok(row?.signed_at);

    await assert.rejects(intake.setConsentText(client, 'x'.repeat(60)), /forbidden|access/i);
    const second = await intake.setConsentText(
      actor(c.admin),
      `${first.body}\n- Sessions may not be recorded.`,
    );
    assert.equal(second.version, 2);
    assert.equal(await intake.needsConsent(c.clientA.id), true, 'changed text asks again');
    await assert.rejects(
      intake.signConsent(client, { typedName: 'Alice', version: 1 }),
      refusal('clinical.consent_changed', 'clinical:problem.consentChanged'),
    );
  });

  it('saves intake with the first PHQ-9 and GAD-7; the therapist reads it; matching can use it', async () => {
    const { intake, measures } = t.haven.clinical;
    const client = actor(c.clientA);
    await intake.signConsent(client, { typedName: 'Alice Client', version: 1 });
    await assert.rejects(
      intake.submitIntake(client, {
        form: { ...intakeForm, emergencyContactPhone: 'call me' },
        phq9: { answers: PHQ9_LOW },
        gad7: { answers: GAD7_MID },
      }),
      refusal('clinical.intake_invalid', 'clinical:problem.emergencyContactPhone'),
    );
    await assert.rejects(
      intake.submitIntake(client, {
        form: intakeForm,
        phq9: { answers: [1, 2] },
        gad7: { answers: GAD7_MID },
      }),
      /needs 9 answers/,
    );
    assert.equal(await intake.hasIntake(c.clientA.id), false, 'a refused intake leaves nothing half-saved');
    assert.deepEqual(await measures.results(client, c.clientA.id), []);

    const saved = await intake.submitIntake(client, {
      form: intakeForm,
      phq9: { answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] },
      gad7: { answers: GAD7_MID },
    });
    assert.equal(saved.crisis, true, 'item 9 at intake runs the crisis flow too');
    const read = await intake.intakeOf(actor(c.therapist), c.clientA.id);
    assert.equal(read?.goals, 'Sleep through the night.');
    assert.deepEqual(read?.topics, ['anxiety', 'sleep']);
    assert.deepEqual(read?.preferredTimes, ['evenings']);
    const results = await measures.results(actor(c.therapist), c.clientA.id);
    assert.deepEqual(
      results.map((r) => [r.measure, r.source]),
      [
        ['phq9', 'intake'],
        ['gad7', 'intake'],
      ],
    );
    assert.equal((await t.haven.clinical.crisis.openFor(actor(c.therapist))).length, 1);
  });

  it('records the per-session safety check for the treating therapist only', async () => {
    const { intake } = t.haven.clinical;
    await assert.rejects(
      intake.recordSafetyCheck(actor(c.clientA), { location: 'Home', callbackNumber: 'nope' }),
      refusal('clinical.safety_check_invalid', 'clinical:problem.callbackNumber'),
    );
    await intake.recordSafetyCheck(actor(c.clientA), {
      location: 'Home, Portland',
      callbackNumber: '+1 503 555 0101',
    });
    const seen = await intake.latestSafetyCheck(actor(c.therapist), c.clientA.id);
    assert.equal(seen?.callbackNumber, '+1 503 555 0101');
    await assert.rejects(
      intake.latestSafetyCheck(actor(c.otherTherapist), c.clientA.id),
      refusal('clinical.forbidden', 'clinical:problem.noAccess'),
    );
    await assert.rejects(
      intake.latestSafetyCheck(actor(c.peer), c.clientA.id),
      refusal('clinical.forbidden', 'clinical:problem.noAccess'),
    );
  });

  it('takes session feedback on four 0–10 scales and flags a drop', async () => {
    const { feedback } = t.haven.clinical;
    const client = actor(c.clientA);
    const rate = (s: number[], comment = '') =>
      feedback.submit(client, {
        therapistId: c.therapist.id,
        heard: String(s[0]),
        goals: String(s[1]),
        approach: String(s[2]),
        overall: String(s[3]),
        comment,
      });
    await assert.rejects(
      rate([11, 9, 9, 9]),
      refusal('clinical.feedback_invalid', 'clinical:problem.scaleChoice'),
    );
    await assert.rejects(
      feedback.submit(client, {
        therapistId: c.otherTherapist.id,
        heard: 9,
        goals: 9,
        approach: 9,
        overall: 9,
      }),
      refusal('clinical.not_your_therapist', 'clinical:problem.ownTherapistOnly'),
    );
    await rate([10, 9, 10, 10]);
    await rate([9, 9, 10, 10]);
    await rate([8, 7, 8, 7], 'Felt rushed.');
    const trend = await feedback.trend(actor(c.therapist), c.clientA.id, c.therapist.id);
    assert.deepEqual(
      trend.map((p) => [p.total, p.flagged]),
      [
        [39, false],
        [38, false],
        [30, true],
      ],
    );
    assert.equal(trend[2]?.comment, 'Felt rushed.');
    await assert.rejects(
      feedback.trend(actor(c.otherTherapist), c.clientA.id, c.therapist.id),
      refusal('clinical.forbidden', 'clinical:problem.noAccess'),
    );
    await assert.rejects(
      feedback.trend(actor(c.clientB), c.clientA.id, c.therapist.id),
      refusal('clinical.forbidden', 'clinical:problem.noAccess'),
    );
  });
});
