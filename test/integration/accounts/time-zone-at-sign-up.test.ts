import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfFrom, ensureAdmin, TEST_PASSWORD } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/** The time-zone field as a new account's form shows it (the script may propose the browser's). */
const zoneField = (html: string) => /<select id="f-timeZone" name="timeZone"([^>]*)>/.exec(html)?.[1] ?? null;
const selectedZone = (html: string) =>
  /<select id="f-timeZone"[\s\S]*?<option value="([^"]+)" selected>/.exec(html)?.[1] ?? null;

/**
 * Item 8 (issue 14): a new account takes its time zone from its own form: the browser's zone,
 * proposed by the page's script and visible, or the clinic's where there is no script. Before,
 * every account was "UTC (UTC)" until its owner found the account page.
 */
describe('accounts: the time zone is chosen when the account is made', () => {
  let t: TestHaven;
  beforeEach(async () => {
    t = await startTestHaven();
  });
  afterEach(async () => t.stop());

  const byEmail = async (email: string) => (await t.haven.accounts.list()).find((u) => u.email === email);

  it('sign-up: the form proposes a zone; the chosen one is kept; a bad one is refused and nothing is made', async () => {
    await ensureAdmin(t.haven);
    const agent = request.agent(t.haven.http);
    const page = await agent.get('/sign-up').expect(200);
    assert.match(zoneField(page.text) ?? '', /data-browser-zone/, 'the script may propose the browser zone');
    assert.equal(selectedZone(page.text), t.haven.admin.preferences.current.timeZone, "the clinic's zone");
    const form = { displayName: 'Asha', email: 'asha@example.org', password: TEST_PASSWORD };
    const bad = await agent
      .post('/sign-up')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...form, timeZone: 'Mars/Olympus_Mons' })
      .expect(400);
    assert.match(bad.text, /id="f-timeZone-error"[^>]*>Choose a time zone from the list\./);
    assert.match(bad.text, /value="asha@example.org"/, 'what was typed is kept');
    assert.equal(await byEmail('asha@example.org'), undefined);
    // Re-shown with what they chose, and the script does not overrule a choice.
    const again = await agent
      .post('/sign-up')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...form, password: 'x', timeZone: 'Asia/Kolkata' })
      .expect(400);
    assert.equal(selectedZone(again.text), 'Asia/Kolkata');
    assert.doesNotMatch(zoneField(again.text) ?? '', /data-browser-zone/);

    await agent
      .post('/sign-up')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...form, timeZone: 'Asia/Kolkata' })
      .expect(200);
    assert.equal((await byEmail('asha@example.org'))?.timeZone, 'Asia/Kolkata');
  });

  it('first run and an accepted invitation keep the zone chosen on their form', async () => {
    const agent = request.agent(t.haven.http);
    const setup = await agent.get('/setup').expect(200);
    assert.ok(zoneField(setup.text));
    await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: csrfFrom(setup.text),
        clinicName: 'Harbour Clinic',
        displayName: 'Ada Admin',
        email: 'ada@example.org',
        password: TEST_PASSWORD,
        timeZone: 'Europe/Lisbon',
      })
      .expect(303);
    const admin = (await byEmail('ada@example.org'))!;
    assert.equal(admin.timeZone, 'Europe/Lisbon');

    await t.haven.accounts.invitations.invite(admin, 'theo@example.org', 'therapist', null);
    const link = (await t.haven.mail.outbox.list())
      .map((m) => /(\/invite\/[A-Za-z0-9_-]+)/.exec(m.text)?.[1])
      .find(Boolean)!;
    const invitee = request.agent(t.haven.http);
    const page = await invitee.get(link).expect(200);
    assert.ok(zoneField(page.text));
    await invitee
      .post(link)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        displayName: 'Theo',
        password: TEST_PASSWORD,
        timeZone: 'America/Chicago',
      })
      .expect(303);
    assert.equal((await byEmail('theo@example.org'))?.timeZone, 'America/Chicago');
  });
});
