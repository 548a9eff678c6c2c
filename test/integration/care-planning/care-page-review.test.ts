import assert from 'node:assert/strict';
import { FakeClock } from '../../../server/shared/clock';
import { createPerson, ensureAdmin, signIn, type TestPerson } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { planForm } from './care-planning-fixtures';

const DAY = 86_400_000;

/**
 * The plan as each side reads it: the therapist's care page says when the review is due and that it is
 * overdue once it is; the goal in the client's words is labelled for who reads it.
 */
describe('care planning: the plan pages for therapist and client', function () {
  this.timeout(60_000);
  let t: TestHaven;
  let therapist: TestPerson;
  let client: TestPerson;
  let planId: string;
  const clock = new FakeClock(new Date('2026-01-10T12:00:00Z'));

  before(async () => {
    t = await startTestHaven({ clock });
    await ensureAdmin(t.haven);
    therapist = await createPerson(t.haven, { roles: ['therapist'] });
    client = await createPerson(t.haven, { roles: ['client'] });
    await t.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const me = { id: therapist.user.id, roles: therapist.user.roles, ip: null };
    const { plans } = t.haven.carePlanning;
    const draft = await plans.startDraft(me, client.user.id);
    const labels = (await plans.interventions()).map((i) => i.label);
    await plans.saveDraft(me, draft.id, planForm(labels), draft.revision);
    planId = (await plans.sign(me, draft.id)).id;
  });
  after(async () => t?.stop());

  it('shows "Review due" on the due day, and "overdue" from the day after (by the clinic’s clock)', async () => {
    // Signed in afresh each time: a session would time out across the days the clock skips.
    const page = async () => {
      const session = await signIn(t.haven, therapist, () => clock.now());
      return session.agent.get(`/clinical/clients/${client.user.id}/care`).expect(200);
    };
    clock.advance(90 * DAY); // 2026-04-10, the 90-day review's due day
    const dueDay = await page();
    assert.match(dueDay.text, /Review due <strong>Fri, 10 Apr 2026<\/strong>/);
    assert.doesNotMatch(dueDay.text, /Review overdue/);
    clock.advance(DAY);
    assert.match((await page()).text, /Review overdue since Fri, 10 Apr 2026/);
  });

  it("lists the review on the therapist's today, due within 14 days and overdue after; not on a colleague's", async () => {
    const today = async (who: TestPerson) => {
      const session = await signIn(t.haven, who, () => clock.now());
      return (await session.agent.get('/').expect(200)).text;
    };
    const colleague = await createPerson(t.haven, { roles: ['therapist'] });
    clock.set('2026-03-20T12:00:00Z'); // 21 days before the review: not yet
    assert.doesNotMatch(await today(therapist), /Treatment plans to review/);
    clock.set('2026-03-28T12:00:00Z'); // 13 days before
    const soon = await today(therapist);
    assert.match(
      soon,
      new RegExp(`Treatment plans to review[\\s\\S]*href="/clinical/clients/${client.user.id}/care"`),
    );
    assert.match(soon, /: due Fri, 10 Apr 2026/);
    clock.set('2026-04-11T12:00:00Z');
    assert.match(await today(therapist), /<strong class="overdue">overdue since Fri, 10 Apr 2026<\/strong>/);
    assert.doesNotMatch(await today(colleague), /Treatment plans to review/);
  });

  it("lists the client's open exercises on their home, soonest first; not done ones, nor on another client's home", async () => {
    const me = { id: therapist.user.id, roles: therapist.user.roles, ip: null };
    const asClient = { id: client.user.id, roles: client.user.roles, ip: null };
    const { homework } = t.haven.carePlanning;
    const later = await homework.assign(me, client.user.id, {
      exercise: 'thought_record',
      instructions: 'One hard moment',
      dueOn: '2026-05-20',
    });
    const sooner = await homework.assign(me, client.user.id, {
      exercise: 'activity_log',
      instructions: 'Log each walk',
      dueOn: '2026-05-06',
    });
    const done = await homework.assign(me, client.user.id, {
      exercise: 'journal',
      instructions: 'A week in three lines',
      dueOn: '2026-05-01',
    });
    await homework.answer(asClient, done.id, { entry: 'Monday' }, done.revision, true);
    await homework.answer(asClient, later.id, { situation: 'Team meeting' }, later.revision, false);
    const home = async (who: TestPerson) => {
      const session = await signIn(t.haven, who, () => clock.now());
      return (await session.agent.get('/').expect(200)).text;
    };
    const page = await home(client);
    assert.match(
      page,
      new RegExp(
        `Exercises between sessions[\\s\\S]*href="/care/homework/${sooner.id}">Activity log</a> <small>due Wed, 6 May 2026</small>` +
          `[\\s\\S]*href="/care/homework/${later.id}">Thought record</a> <small>due Wed, 20 May 2026, started</small>`,
      ),
    );
    assert.doesNotMatch(page, new RegExp(done.id), 'a finished exercise is not on the home page');
    assert.doesNotMatch(
      page,
      /A week in three lines|Log each walk|One hard moment|Monday|Team meeting/,
      'instructions and answers stay on their page',
    );
    const other = await createPerson(t.haven, { roles: ['client'] });
    assert.doesNotMatch(await home(other), /Exercises between sessions/);
  });

  it('labels the goal in the client’s words for who reads it', async () => {
    const th = await signIn(t.haven, therapist, () => clock.now());
    const forTherapist = await th.agent.get(`/care/plans/${planId}`).expect(200);
    assert.match(forTherapist.text, /In the client’s words: “Feel like myself again”/);
    const cl = await signIn(t.haven, client, () => clock.now());
    await cl.agent.get('/care/plan').expect(303).expect('Location', `/care/plans/${planId}`);
    const forClient = await cl.agent.get(`/care/plans/${planId}`).expect(200);
    assert.match(forClient.text, /In your words: “Feel like myself again”/);
  });
});
