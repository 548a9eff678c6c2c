import assert from 'node:assert/strict';
import { QueryTypes } from 'sequelize';
import request from 'supertest';
import { createPerson, ensureAdmin, signIn, type TestPerson } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/**
 * The copy of the safety plan a client keeps on their phone: only with sign-in, only their own, one
 * self-contained file (no scripts, no links or resources out) that says what to do in danger.
 */
describe('care planning: the safety plan a client downloads', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let therapist: TestPerson;
  let clientA: TestPerson;
  let clientB: TestPerson;

  before(async () => {
    t = await startTestHaven();
    await ensureAdmin(t.haven);
    therapist = await createPerson(t.haven, { roles: ['therapist'] });
    clientA = await createPerson(t.haven, { roles: ['client'] });
    clientB = await createPerson(t.haven, { roles: ['client'] });
    await t.haven.clinical.care.assign(null, therapist.user.id, clientA.user.id);
    await t.haven.clinical.care.assign(null, therapist.user.id, clientB.user.id);
    const me = { id: therapist.user.id, roles: therapist.user.roles, ip: null };
    await t.haven.carePlanning.homework.saveSafetyPlan(me, clientA.user.id, {
      warningSigns: 'A-MARKER not sleeping <script>alert(1)</script>',
      helpers: 'Sam at https://example.org',
    });
  });
  after(async () => t?.stop());

  it('is one attachment, never cached, without scripts or anything fetched from elsewhere', async () => {
    const a = await signIn(t.haven, clientA);
    const res = await a.agent.get('/care/safety-plan/download').expect(200);
    assert.equal(res.headers['content-disposition'], 'attachment; filename="my-safety-plan.html"');
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const html = res.text;
    assert.match(html, /A-MARKER not sleeping &lt;script&gt;/, 'what was written is there, escaped');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\s(src|href)=/i, 'no resource or link out');
    assert.match(html, /default-src 'none'/, 'the file carries its own strict CSP');
    assert.match(html, /If you are in danger now/);
    // Writing a URL is allowed; it stays text, not a link.
    assert.match(html, /Sam at https:\/\/example\.org/);
  });

  it('is the client’s own: another client has none to download, visitors are sent to sign in', async () => {
    const b = await signIn(t.haven, clientB);
    const res = await b.agent.get('/care/safety-plan/download');
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.text, /A-MARKER/);
    const visitor = await request(t.haven.http).get('/care/safety-plan/download');
    assert.equal(visitor.status, 302);
    assert.doesNotMatch(visitor.text, /A-MARKER/);
  });

  it('audits each download as a read of the safety plan', async () => {
    const rows = await t.haven.sequelize.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE subject_id = ? AND action = 'safety_plan.downloaded'",
      { replacements: [clientA.user.id], type: QueryTypes.SELECT },
    );
    assert.equal(rows.length, 1);
  });

  it("is written in the client's language: an Arabic reader's file is Arabic and right to left", async () => {
    await t.haven.sequelize.query("UPDATE users SET language = 'ar' WHERE id = ?", {
      replacements: [clientA.user.id],
    });
    const a = await signIn(t.haven, clientA);
    const html = (await a.agent.get('/care/safety-plan/download').expect(200)).text;
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /<title>خطة الأمان الخاصة بي<\/title>/);
    assert.match(html, /إذا كنت في خطر الآن:/);
    assert.match(
      html,
      /<h2>١\. علامات تحذيرية على أن أزمة قد تكون في طريقها<\/h2>/,
      'numbered in Arabic-Indic digits',
    );
    assert.match(html, /الإصدار ١، /);
    assert.match(html, /A-MARKER not sleeping &lt;script&gt;/, 'what was written stays as written');
    assert.doesNotMatch(html, /If you are in danger|Warning signs|Keep this file private/);
  });
});
