import assert from 'node:assert/strict';
import { seedDemoCarePlanning } from '../../../server/cli/demo/demo-care-planning';
import { seedDemoClinical } from '../../../server/cli/demo/demo-clinical';
import { seedDemoPeople } from '../../../server/cli/demo/demo-people';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** The demo clinic (npm run seed:demo) shows care planning: a plan, a diagnosis and completed exercises. */
describe('demo seed: care planning', function () {
  this.timeout(60000);
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven();
  });
  after(async () => t?.stop());

  it('gives Riley a diagnosis, a plan signed by both, a safety plan and two completed exercises', async () => {
    const people = await seedDemoPeople(t.haven);
    await seedDemoClinical(t.haven, people);
    await seedDemoCarePlanning(t.haven, people);
    const maya = people.get('therapist1')!.user;
    const riley = people.get('client1')!.user;
    const me = { id: maya.id, roles: maya.roles };
    const { diagnoses, plans, homework } = t.haven.carePlanning;
    assert.deepEqual(
      (await diagnoses.list(me, riley.id)).map((d) => d.code),
      ['F41.1', 'Z56.6'],
    );
    const [plan] = await plans.versions(me, riley.id);
    assert.equal(plan?.status, 'active');
    assert.equal(plan?.clientSignature?.typedName, 'Riley Chen');
    assert.equal(
      plan?.body.goals.flatMap((g) => g.objectives).filter((o) => o.measure).length,
      2,
      'PHQ-9 and GAD-7 targets',
    );
    const done = (await homework.list(me, riley.id)).filter((h) => h.status === 'completed');
    assert.deepEqual(done.map((h) => h.exercise).sort(), ['activity_log', 'thought_record']);
    assert.equal((await homework.safetyPlans(me, riley.id)).length, 1);
    const due = await plans.reviewsDue(me);
    assert.equal(due[0]?.overdue, true, 'the 90-day review is overdue on Maya’s dashboard');
  });
});
