import assert from 'node:assert/strict';
import request from 'supertest';
import { createPerson, signIn, type SignedInSession } from '../../support/accounts';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/**
 * The bad-input findings of the security campaign (issue 16, item 2): a NUL byte in an id or a
 * search value answered 500 (`SQLITE_ERROR: unrecognized token`; PostgreSQL refuses it in text
 * too). Each is now refused at the edge: a malformed id names nothing (404), a bad query or form
 * value is a bad request (400). The route-matrix walk tries every parameter of every route; this
 * file names the routes the campaign reported, on both databases.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`malformed ids and values are refused before any query (${dialect})`, function () {
    this.timeout(120_000);
    let database: PostgresDatabase | undefined;
    let t: TestHaven;
    let admin: SignedInSession;
    let therapist: SignedInSession;
    const NUL = '%00';

    before(async function () {
      const env: Record<string, string> = { DIRECTORY_VISIBILITY: 'public' };
      if (dialect === 'postgres') {
        database = await postgresDatabaseOrSkip(this);
        env.DATABASE_URL = database.url;
      }
      t = await startTestHaven({ env });
      admin = await signIn(t.haven, await createPerson(t.haven, { roles: ['admin'] }));
      therapist = await signIn(t.haven, await createPerson(t.haven, { roles: ['therapist'] }));
    });
    after(async () => {
      await t?.stop();
      await database?.drop();
    });

    const post = async (who: SignedInSession, path: string, body: Record<string, string> = {}) =>
      who.agent
        .post(path)
        .type('form')
        .send({ _csrf: await who.csrf(), ...body });

    it('a visitor asking for a profile or its photo by a malformed id (public directory)', async () => {
      const visitor = request(t.haven.http);
      assert.equal((await visitor.get(`/directory/profiles/${NUL}`)).status, 404);
      assert.equal((await visitor.get(`/directory/profiles/a${NUL}b/photo`)).status, 404);
      assert.equal((await visitor.get('/directory/profiles/not-an-id')).status, 404);
    });

    it("a therapist's client record, notes, addenda and alerts by a malformed id", async () => {
      for (const path of [`/clinical/clients/${NUL}`, `/clinical/notes/${NUL}`]) {
        assert.equal((await therapist.agent.get(path)).status, 404, path);
      }
      for (const path of [
        `/clinical/clients/${NUL}/notes`,
        `/clinical/notes/${NUL}/addenda`,
        `/clinical/alerts/${NUL}/acknowledge`,
        `/clinical/clients/${NUL}/psychotherapy-notes`,
      ]) {
        assert.equal((await post(therapist, path, { reason: 'x', body: 'y' })).status, 404, path);
      }
    });

    it("an admin's person page, its actions, the people search and the care and licence forms", async () => {
      assert.equal((await admin.agent.get(`/admin/people/${NUL}`)).status, 404);
      assert.equal((await post(admin, `/admin/people/${NUL}/deactivate`)).status, 404);
      assert.equal((await admin.agent.get(`/admin/people?q=a${NUL}b`)).status, 400);
      assert.equal((await admin.agent.get(`/admin/people?q=${'a'.repeat(5_000)}`)).status, 400);
      assert.equal((await admin.agent.get('/admin/people?q=ana')).status, 200, 'a real search still works');
      const care = await post(admin, '/clinical/care', { therapistId: 'x\u0000', clientId: '\u0000' });
      assert.equal(care.status, 400);
      const verify = await post(admin, `/directory/profiles/${NUL}/verify-licence`, { method: 'phoned' });
      assert.equal(verify.status, 404);
    });

    it('ids that are not ids (too short, too long) are a 404 too', async () => {
      assert.equal((await admin.agent.get('/admin/people/12345')).status, 404);
      assert.equal((await therapist.agent.get(`/clinical/notes/${'f'.repeat(5_000)}`)).status, 404);
    });
  });
}
