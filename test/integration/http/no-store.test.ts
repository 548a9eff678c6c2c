import assert from 'node:assert/strict';
import { signIn, type SignedInSession } from '../../support/accounts';
import type { TestHaven } from '../../support/test-haven';
import type { MatrixFixtures } from './route-matrix.expectations';
import { startMatrixHaven, type MatrixHaven } from './route-matrix.fixtures';

/**
 * Issue 16, item 3: pages with health information were cacheable, so a shared computer's back
 * button and disk cache kept them. These are the pages the campaign named, with the matrix's
 * fixtures (clientA in care with scores, a note and an appointment with a reason); the matrix file
 * checks every other route the same way.
 */
describe('pages with health information are never cached', function () {
  this.timeout(120_000);
  let t: TestHaven;
  let fx: MatrixFixtures;
  let client: SignedInSession;
  let therapist: SignedInSession;

  before(async () => {
    let people: MatrixHaven['people'];
    ({ t, fx, people } = await startMatrixHaven());
    client = await signIn(t.haven, people.clientA);
    therapist = await signIn(t.haven, people.therapist);
  });
  after(async () => t?.stop());

  async function assertNoStore(session: SignedInSession, paths: string[]): Promise<void> {
    const problems: string[] = [];
    for (const path of paths) {
      const res = await session.agent.get(path);
      const header = String(res.headers['cache-control'] ?? '');
      if (res.status !== 200 || !/\bno-store\b/.test(header)) {
        problems.push(`${path}: ${res.status}, Cache-Control "${header}"`);
      }
    }
    assert.deepEqual(problems, [], `\n  ${problems.join('\n  ')}`);
  }

  it("the client's care, progress, questionnaire, appointment reason, account and data pages", async () => {
    await assertNoStore(client, [
      '/clinical/me',
      '/clinical/progress',
      '/clinical/measures/phq9',
      `/appointments/${fx.vars.appointmentId}?reason=show`,
      '/account',
      '/account/data',
    ]);
  });

  it("the therapist's dashboard, client record, note and psychotherapy notes", async () => {
    await assertNoStore(therapist, [
      '/clinical',
      `/clinical/clients/${fx.users.clientA.id}`,
      `/clinical/notes/${fx.vars.clinicalNoteId}`,
      `/clinical/clients/${fx.users.clientA.id}/psychotherapy-notes`,
    ]);
  });
});
