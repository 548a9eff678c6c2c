import { createUser } from '../../support/accounts';
import assert from 'node:assert/strict';
import { SmtpSink } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { actor, cast, type Cast } from './clinical-fixtures';
import { refusal } from '../../support/refusals';

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('clinical crisis flow (PHQ-9 item 9)', function () {
  let sink: SmtpSink;
  let t: TestHaven;
  let c: Cast;

  beforeEach(async () => {
    sink = await SmtpSink.start();
    t = await startTestHaven({ env: { SMTP_URL: sink.url, MAIL_POLL_INTERVAL_MS: '25' } });
    t.haven.startBackground();
    c = await cast(t.haven);
  });
  afterEach(async () => {
    await t.stop();
    await sink.stop();
  });

  it('item 9 above 0 with a minimal total: resources shown, alert until acknowledged, email without health data', async () => {
    const { measures, crisis } = t.haven.clinical;
    const outcome = await measures.submit(actor(c.clientA), c.clientA.id, {
      measure: 'phq9',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 1],
    });
    assert.equal(outcome.result.total, 1);
    assert.equal(outcome.result.severity, 'minimal');
    assert.equal(outcome.crisis, true);
    // No text from the operator or the clinic: Haven's own sentence in the reader's language.
    assert.match(crisis.resourcesFor('en'), /local emergency number/);

    const alerts = await crisis.openFor(actor(c.therapist));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.clientName, 'Alice Client');
    assert.deepEqual(await crisis.openFor(actor(c.otherTherapist)), [], 'not on another dashboard');
    assert.deepEqual(await crisis.openFor(actor(c.admin)), [], 'admins see only unassigned clients');

    await waitFor(() => sink.received.length === 1);
    const mail = sink.received[0];
    assert.ok(mail);
    assert.deepEqual(mail.envelopeTo, [c.therapist.email]);
    // What a reader sees (the raw message also holds random ids and MIME boundaries).
    const text = `${mail.parsed.subject ?? ''}\n${mail.parsed.text ?? ''}\n${String(mail.parsed.html ?? '')}`;
    assert.match(mail.parsed.text ?? '', /A client needs your attention/);
    for (const leak of ['Alice', c.clientA.email, 'PHQ', 'score', 'hurting', 'dead', 'suicid', 'crisis']) {
      assert.equal(text.toLowerCase().includes(leak.toLowerCase()), false, `email mentions ${leak}`);
    }

    // Someone else cannot acknowledge; the treating therapist can, and then it is gone.
    await assert.rejects(
      crisis.acknowledge(actor(c.otherTherapist), alerts[0]!.id),
      refusal('clinical.forbidden', 'clinical:problem.noAccess'),
    );
    await crisis.acknowledge(actor(c.therapist), alerts[0]!.id);
    assert.deepEqual(await crisis.openFor(actor(c.therapist)), []);
  });

  it('no alert for a high total with item 9 at 0, nor for GAD-7', async () => {
    const { measures, crisis } = t.haven.clinical;
    const high = await measures.submit(actor(c.clientA), c.clientA.id, {
      measure: 'phq9',
      answers: [3, 3, 3, 3, 3, 3, 3, 3, 0],
    });
    assert.equal(high.result.severity, 'severe');
    assert.equal(high.crisis, false);
    await measures.submit(actor(c.clientA), c.clientA.id, {
      measure: 'gad7',
      answers: [3, 3, 3, 3, 3, 3, 3],
    });
    assert.deepEqual(await crisis.openFor(actor(c.therapist)), []);
  });

  it('a client with no therapist yet: the admins are told and see the alert', async () => {
    const { measures, crisis } = t.haven.clinical;
    const newcomer = await createUser(t.haven, { roles: ['client'], displayName: 'Nina Newcomer' });
    await measures.submit(actor(newcomer), newcomer.id, {
      measure: 'phq9',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 2],
    });
    const seen = await crisis.openFor(actor(c.admin));
    assert.deepEqual(
      seen.map((a) => a.clientName),
      ['Nina Newcomer'],
    );
    await waitFor(() => sink.received.length === 1);
    assert.deepEqual(sink.received[0]?.envelopeTo, [c.admin.email]);
  });
});
