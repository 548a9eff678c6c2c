import assert from 'node:assert/strict';
import sharp from 'sharp';
import request from 'supertest';
import {
  createPerson,
  csrfFrom,
  ensureAdmin,
  forgetUsedCodes,
  signIn,
  type SignedInSession,
  type TestPerson,
} from '../../support/accounts';
import { deliverOutbox, SmtpSink } from '../../support/smtp-sink';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { ROWS } from './route-matrix.expectations';

/**
 * The admin console over HTTP: branding on pages and in emails (with the contrast check), the
 * console's SMTP server and its test email, people (deactivate signs out everywhere, 2FA reset,
 * roles, caseload transfer, search), the audit viewer (filters, CSV), the outbox (retry), and a
 * deactivated admin refused on every admin route.
 */
describe('admin console', function () {
  this.timeout(120_000);
  let t: TestHaven;
  let sink: SmtpSink;
  let admin: TestPerson;
  let session: SignedInSession;

  before(async () => {
    sink = await SmtpSink.start('accept');
    t = await startTestHaven({ env: { AUTH_ATTEMPTS_PER_IP: '10000', AUTH_ATTEMPTS_PER_ACCOUNT: '1000' } });
    await ensureAdmin(t.haven);
    admin = await createPerson(t.haven, { roles: ['admin'], displayName: 'Ada Admin' });
    session = await signIn(t.haven, admin);
  });
  after(async () => {
    await t?.stop();
    await sink?.stop();
  });

  /** Posts a form with a fresh CSRF token; `.expect(status)` checks the status and shows the page if not. */
  const post = (path: string, body: Record<string, string | string[]>, agent = session) => {
    const response = (async () =>
      agent.agent
        .post(path)
        .type('form')
        .send({ _csrf: await agent.csrf(), ...body }))();
    return Object.assign(response, {
      async expect(status: number) {
        const res = await response;
        assert.equal(res.status, status, `${path} answered ${res.status}: ${res.text.slice(0, 400)}`);
        return res;
      },
    });
  };

  const settingsForm = (overrides: Record<string, string | string[]> = {}) => ({
    clinicName: 'Harbour Counselling',
    selfSignup: 'on',
    timeZone: 'Europe/Lisbon',
    languages: ['en', 'pt'],
    crisisResources: 'Call 112 in an emergency.\nSOS Voz Amiga: 213 544 545',
    cancellationPolicy: 'Cancel at least 24 hours ahead, or the session is charged.',
    messagingExpectations: 'We answer messages within two working days.',
    sessionIdleMinutes: '30',
    sessionAbsoluteHours: '12',
    primary: '#5a2d82',
    primaryText: '#ffffff',
    background: '#fffdf7',
    text: '#222222',
    ...overrides,
  });

  describe('clinic settings and branding', () => {
    it('signing in takes an admin to the overview', async () => {
      const agent = request.agent(t.haven.http);
      await forgetUsedCodes(t.haven, admin.user.id);
      const fresh = await signIn(t.haven, admin);
      const page = await fresh.agent.get('/admin').expect(200);
      assert.match(page.text, /Open crisis alerts/);
      assert.match(page.text, /Today(?:'|&#39;)s sessions/); // EJS escapes the apostrophe t() returns
      assert.match(page.text, /Disk/);
      void agent;
    });

    it('saves the settings, applies the colours on every page from our origin, and audits the change', async () => {
      await post('/admin/clinic-settings', settingsForm()).expect(303);
      const home = await request(t.haven.http).get('/').expect(200);
      assert.match(home.text, /Harbour Counselling/);
      const link = /<link rel="stylesheet" href="(\/branding\.css\?v=[0-9a-f]+)">/.exec(home.text);
      assert.ok(link, 'every page links the clinic stylesheet');
      assert.doesNotMatch(home.text, /style=/, 'no inline styles (strict CSP)');
      const css = await request(t.haven.http).get(link[1]!).expect(200);
      assert.match(css.headers['content-type'] as string, /text\/css/);
      assert.match(css.text, /--pico-primary: #5a2d82;/);
      assert.match(css.text, /--pico-background-color: #fffdf7;/);
      // Where the settings are read: crisis help, messaging expectations, time zone.
      assert.match(
        (await request(t.haven.http).get('/clinical/crisis-help').expect(200)).text,
        /SOS Voz Amiga/,
      );
      assert.equal(t.haven.admin.preferences.current.timeZone, 'Europe/Lisbon');
      assert.equal(t.haven.admin.preferences.sessionIdleMs, 30 * 60_000);
      const rows = await t.haven.audit.search({ action: 'clinic_settings.updated' }, { offset: 0, limit: 5 });
      assert.equal(rows.events[0]?.actorId, admin.user.id);
      assert.match(rows.events[0]!.details!, /colours/);
      // The directory switch: visitors may browse it now (it is signed-in only by default).
      await post('/admin/clinic-settings', settingsForm({ directoryPublic: 'on' })).expect(303);
      await request(t.haven.http).get('/directory').expect(200);
      await post('/admin/clinic-settings', settingsForm()).expect(303);
      assert.equal((await request(t.haven.http).get('/directory')).status, 302);
      // Booking shows the cancellation policy; the profile offers only the clinic's languages;
      // the message composer shows the clinic's expectations.
      const person = await createPerson(t.haven, { roles: ['client'] });
      const therapist = await createPerson(t.haven, { roles: ['therapist'] });
      await t.haven.clinical.care.assign(null, therapist.user.id, person.user.id);
      const threadId = await t.haven.messaging.inbox.open(
        { id: person.user.id, roles: person.user.roles },
        therapist.user.id,
      );
      const client = await signIn(t.haven, person);
      const thread = (await client.agent.get(`/messages/${threadId}`).expect(200)).text;
      assert.match(thread, /We answer messages within two working days\./);
      assert.match((await client.agent.get('/book').expect(200)).text, /Cancel at least 24 hours ahead/);
      const profile = (await client.agent.get('/account').expect(200)).text;
      assert.match(profile, /<option value="pt"/);
      assert.doesNotMatch(profile, /<option value="de"/);
    });

    it('refuses an unreadable colour pair with a clear message and keeps the old colours', async () => {
      const before = t.haven.admin.stylesheet();
      const res = await post(
        '/admin/clinic-settings',
        settingsForm({ text: '#999999', background: '#aaaaaa' }),
      );
      assert.equal(res.status, 400);
      assert.match(
        res.text,
        /Body text on the page background would be hard to read: contrast 1\.\d:1, at least 4\.5:1 is needed/,
      );
      const buttons = await post('/admin/clinic-settings', settingsForm({ primaryText: '#6a3d92' }));
      assert.equal(buttons.status, 400);
      assert.match(buttons.text, /Button text on the primary colour would be hard to read/);
      assert.equal(t.haven.admin.stylesheet(), before);
    });

    it('refuses an unknown time zone and a language we do not offer', async () => {
      const res = await post(
        '/admin/clinic-settings',
        settingsForm({ timeZone: 'Mars/Olympus', languages: ['xx'] }),
      );
      assert.equal(res.status, 400);
      assert.match(res.text, /Choose a time zone from the list/);
      assert.match(res.text, /Choose languages from the list/);
    });

    it('takes a logo by its content (not its name), re-encodes it and serves it from our origin', async () => {
      const png = await sharp({ create: { width: 800, height: 200, channels: 3, background: '#5a2d82' } })
        .png()
        .toBuffer();
      const url = `/admin/clinic-settings/logo?_csrf=${encodeURIComponent(await session.csrf())}`;
      await session.agent
        .post(url)
        .attach('logo', png, { filename: 'logo.exe', contentType: 'application/octet-stream' })
        .expect(303);
      const home = await request(t.haven.http).get('/').expect(200);
      const src = /<img src="(\/branding\/logo\.png\?v=[0-9a-f-]+)"/.exec(home.text);
      assert.ok(src, 'the header shows the logo');
      const logo = await request(t.haven.http).get(src[1]!).expect(200);
      assert.equal(logo.headers['content-type'], 'image/png');
      const meta = await sharp(logo.body as Buffer).metadata();
      assert.ok(meta.width! <= 600 && meta.height! <= 160);
      const html = Buffer.from('<svg onload="alert(1)"></svg>');
      const refused = await session.agent
        .post(`/admin/clinic-settings/logo?_csrf=${encodeURIComponent(await session.csrf())}`)
        .attach('logo', html, { filename: 'logo.png', contentType: 'image/png' });
      assert.equal(refused.status, 400);
      assert.match(refused.text, /not an image we accept/);
      const big = Buffer.alloc(1024 * 1024 + 10, 1);
      const tooBig = await session.agent
        .post(`/admin/clinic-settings/logo?_csrf=${encodeURIComponent(await session.csrf())}`)
        .attach('logo', big, { filename: 'big.png' });
      assert.equal(tooBig.status, 400);
      assert.match(tooBig.text, /larger than 1 MB/);
    });

    it('publishes a new consent version that clients must sign again', async () => {
      const before = await t.haven.clinical.intake.currentConsent();
      const body = `${before.body}\n- Sessions are not recorded.`;
      await post('/admin/clinic-settings/consent', { body }).expect(303);
      const after = await t.haven.clinical.intake.currentConsent();
      assert.equal(after.version, before.version + 1);
      const client = await createPerson(t.haven, { roles: ['client'] });
      assert.equal(await t.haven.clinical.intake.needsConsent(client.user.id), true);
    });

    it('refuses an empty consent text and a bad mail server, keeping what was typed and saving nothing', async () => {
      const consent = await t.haven.clinical.intake.currentConsent();
      await post('/admin/clinic-settings/consent', { body: '  ' }).expect(400);
      assert.equal((await t.haven.clinical.intake.currentConsent()).version, consent.version);
      const smtp = await post('/admin/clinic-settings/smtp', {
        host: 'mail.typed-by-admin.example',
        port: 'seventy',
        security: 'starttls',
      }).expect(400);
      assert.match(smtp.text, /value="mail\.typed-by-admin\.example"/);
      assert.equal(t.haven.mail.configured(), false);
    });

    it('uses the mail server set in the console (password encrypted at rest), sends a branded test email', async () => {
      const noServer = await post('/admin/clinic-settings/smtp/test', {});
      assert.match(noServer.text, /could not be sent: no SMTP server is configured/);
      const port = new URL(sink.url).port;
      await post('/admin/clinic-settings/smtp', {
        host: '127.0.0.1',
        port,
        security: 'none',
        username: 'haven',
        password: 'smtp-secret-1',
      }).expect(303);
      const [row] = (await t.haven.sequelize.query('SELECT data, smtp_password_enc FROM clinic_preferences', {
        type: 'SELECT',
      })) as Array<{ data: string; smtp_password_enc: string }>;
      assert.ok(
        row && !row.smtp_password_enc.includes('smtp-secret-1') && !row.data.includes('smtp-secret-1'),
      );
      assert.equal(t.haven.mail.configured(), true);
      const sent = await post('/admin/clinic-settings/smtp/test', {});
      assert.match(sent.text, /Test email sent/);
      const mail = sink.received.at(-1)!;
      assert.deepEqual(mail.envelopeTo, [admin.email]);
      assert.match(mail.parsed.subject ?? '', /Harbour Counselling: test email/);
      assert.match(String(mail.parsed.html), /background:#5a2d82/);
      assert.match(String(mail.parsed.html), /\/branding\/logo\.png\?v=/);

      // In the admin's own language, like every other email to them (issue 20): subject, body, HTML part.
      const paula = await createPerson(t.haven, { roles: ['admin'], language: 'pt', displayName: 'Paula' });
      await post('/admin/clinic-settings/smtp/test', {}, await signIn(t.haven, paula)).expect(200);
      const portuguese = sink.received.at(-1)!;
      assert.deepEqual(portuguese.envelopeTo, [paula.email]);
      assert.equal(portuguese.parsed.subject, 'Harbour Counselling: e-mail de teste');
      assert.match(portuguese.parsed.text ?? '', /Se você consegue ler isto, o envio de e-mails funciona\./);
      assert.match(String(portuguese.parsed.html), /<html lang="pt" dir="ltr"/);
      assert.doesNotMatch(
        `${portuguese.parsed.text ?? ''}${String(portuguese.parsed.html)}`,
        /test email|outgoing mail/,
      );
    });

    it('brands the emails the features send (the outbox gets an HTML part at send time)', async () => {
      const before = sink.received.length;
      await post('/admin/people/invite', { email: 'new.therapist@example.org', role: 'therapist' }).expect(
        303,
      );
      await deliverOutbox(t.haven);
      const mail = sink.received
        .slice(before)
        .find((m) => m.envelopeTo.includes('new.therapist@example.org'));
      assert.ok(mail, 'the invitation was delivered through the console SMTP server');
      assert.match(mail.parsed.text ?? '', /invited you to join Harbour Counselling/);
      const html = String(mail.parsed.html);
      assert.match(html, /data-brand-primary="#5a2d82"/);
      assert.match(html, /alt="Harbour Counselling"/);
      assert.match(html, /<a href="http[^"]+\/invite\//);
    });

    it("keeps an address in the inviter's display name as text in the HTML part (issue 16)", async () => {
      const inviter = await createPerson(t.haven, {
        roles: ['admin'],
        displayName: 'Ann https://evil.example/login',
      });
      const inviterSession = await signIn(t.haven, inviter);
      const before = sink.received.length;
      await post(
        '/admin/people/invite',
        { email: 'second.therapist@example.org', role: 'therapist' },
        inviterSession,
      ).expect(303);
      await deliverOutbox(t.haven);
      const mail = sink.received
        .slice(before)
        .find((m) => m.envelopeTo.includes('second.therapist@example.org'));
      assert.ok(mail);
      const html = String(mail.parsed.html);
      assert.match(mail.parsed.text ?? '', /Ann https:\/\/evil\.example\/login invited you/);
      assert.doesNotMatch(html, /href="https:\/\/evil/);
      assert.equal((html.match(/<a /g) ?? []).length, 1, 'only the invitation link is a link');
    });
  });

  describe('people', () => {
    it('lists and searches by role and status, with paging', async () => {
      for (let i = 0; i < 26; i++)
        await createPerson(t.haven, { roles: ['client'], displayName: `Paging Client ${i}` });
      const all = await session.agent.get('/admin/people?role=client').expect(200);
      assert.match(all.text, /Page 1 of 2/);
      const second = await session.agent.get('/admin/people?role=client&page=2').expect(200);
      assert.match(second.text, /Page 2 of 2/);
      const one = await session.agent.get('/admin/people?q=paging+client+7').expect(200);
      assert.match(one.text, /Paging Client 7/);
      assert.doesNotMatch(one.text, /Paging Client 8/);
      const therapists = await session.agent.get('/admin/people?role=therapist').expect(200);
      assert.doesNotMatch(therapists.text, /Paging Client/);
    });

    it('deactivating signs the person out everywhere (their cookie stops working) and keeps records', async () => {
      const therapist = await createPerson(t.haven, { roles: ['therapist'] });
      const phone = await signIn(t.haven, therapist);
      await forgetUsedCodes(t.haven, therapist.user.id);
      const laptop = await signIn(t.haven, therapist);
      await phone.agent.get('/appointments').expect(200);
      await post(`/admin/people/${therapist.user.id}/deactivate`, {}).expect(303);
      for (const device of [phone, laptop]) {
        const res = await device.agent.get('/appointments');
        assert.equal(res.status, 302);
        assert.equal(res.headers.location, '/sign-in');
      }
      await assert.rejects(signIn(t.haven, therapist), /sign-in failed with 401/);
      assert.equal((await t.haven.accounts.byId(therapist.user.id))?.status, 'deactivated');
      const listed = await session.agent.get('/admin/people?status=deactivated').expect(200);
      assert.match(listed.text, new RegExp(therapist.user.displayName));
      await post(`/admin/people/${therapist.user.id}/reactivate`, {}).expect(303);
      await forgetUsedCodes(t.haven, therapist.user.id);
      await (await signIn(t.haven, therapist)).agent.get('/appointments').expect(200);
      const audit = await t.haven.audit.search(
        { actorId: admin.user.id, action: 'user.' },
        { offset: 0, limit: 10 },
      );
      assert.deepEqual(
        audit.events.filter((e) => e.targetId === therapist.user.id).map((e) => e.action),
        ['user.reactivated', 'user.deactivated'],
      );
    });

    it('an admin cannot deactivate themself', async () => {
      const res = await post(`/admin/people/${admin.user.id}/deactivate`, {});
      assert.equal(res.status, 403);
    });

    it('resets two-factor only with a reason (audited); the person must enrol again', async () => {
      const therapist = await createPerson(t.haven, { roles: ['therapist'] });
      const noReason = await post(`/admin/people/${therapist.user.id}/reset-two-factor`, { reason: 'lost' });
      assert.equal(noReason.status, 400);
      assert.match(noReason.text, /reason of 10 to 500 characters/);
      const before = await signIn(t.haven, therapist);
      await post(`/admin/people/${therapist.user.id}/reset-two-factor`, {
        reason: 'Lost phone; identity checked on a video call',
      }).expect(303);
      assert.equal((await before.agent.get('/appointments')).status, 302, 'signed out');
      assert.equal((await t.haven.accounts.byId(therapist.user.id))?.twoFactorEnabled, false);
      const again = await signIn(t.haven, { ...therapist, totpSecret: null });
      const gate = await again.agent.get('/appointments');
      assert.equal(gate.headers.location, '/account/two-factor/enrol');
      const [event] = (
        await t.haven.audit.search({ action: 'auth.two_factor.reset_by_admin' }, { offset: 0, limit: 1 })
      ).events;
      assert.equal(event?.targetId, therapist.user.id);
      assert.match(event!.details!, /Lost phone; identity checked/);
    });

    it('changes roles (the person is signed out to pick them up)', async () => {
      const peer = await createPerson(t.haven, { roles: ['peer_supporter'] });
      await post(`/admin/people/${peer.user.id}/roles`, { roles: ['peer_supporter', 'therapist'] }).expect(
        303,
      );
      assert.deepEqual([...(await t.haven.accounts.byId(peer.user.id))!.roles].sort(), [
        'peer_supporter',
        'therapist',
      ]);
      const self = await post(`/admin/people/${admin.user.id}/roles`, { roles: ['therapist'] });
      assert.equal(self.status, 403);
    });

    it('assigns clients and transfers a leaving therapist’s whole caseload', async () => {
      const leaving = await createPerson(t.haven, { roles: ['therapist'] });
      const taking = await createPerson(t.haven, { roles: ['therapist'] });
      const c1 = await createPerson(t.haven, { roles: ['client'] });
      const c2 = await createPerson(t.haven, { roles: ['client'] });
      const missing = await post(`/admin/people/${c1.user.id}/assign`, { therapistId: '' });
      assert.equal(missing.status, 400);
      await post(`/admin/people/${c1.user.id}/assign`, { therapistId: leaving.user.id }).expect(303);
      await post(`/admin/people/${c2.user.id}/assign`, { therapistId: leaving.user.id }).expect(303);
      const page = await session.agent.get(`/admin/people/${leaving.user.id}`).expect(200);
      assert.match(page.text, /Caseload \(2\)/);
      await post(`/admin/people/${leaving.user.id}/transfer-caseload`, { toId: taking.user.id }).expect(303);
      const moved = (await t.haven.clinical.care.clientsOf(taking.user.id)).map((c) => c.clientId).sort();
      assert.deepEqual(moved, [c1.user.id, c2.user.id].sort());
      assert.deepEqual(await t.haven.clinical.care.clientsOf(leaving.user.id), []);
      const events = await t.haven.audit.search(
        { action: 'care.transferred', actorId: admin.user.id },
        { offset: 0, limit: 10 },
      );
      assert.deepEqual(events.events.map((e) => e.subjectId).sort(), [c1.user.id, c2.user.id].sort());
    });
  });

  describe('audit viewer', () => {
    it('filters by person, client, action and date, and says why a filter is wrong', async () => {
      const byAction = await session.agent.get('/admin/audit?action=care.transferred').expect(200);
      assert.match(byAction.text, /care\.transferred/);
      assert.doesNotMatch(byAction.text, /<code>user\.created<\/code>/);
      const client = (await t.haven.audit.search({ action: 'care.transferred' }, { offset: 0, limit: 1 }))
        .events[0]!.subjectId!;
      const clientUser = (await t.haven.accounts.byId(client))!;
      const byClient = await session.agent
        .get(`/admin/audit?client=${encodeURIComponent(clientUser.email)}`)
        .expect(200);
      assert.match(byClient.text, /care\.assigned/);
      assert.doesNotMatch(byClient.text, /<code>clinic_settings\.updated<\/code>/);
      const byPerson = await session.agent
        .get(`/admin/audit?person=${encodeURIComponent(admin.email)}&action=auth.`)
        .expect(200);
      assert.match(byPerson.text, /auth\.sign_in/);
      const future = await session.agent.get('/admin/audit?from=2999-01-01').expect(200);
      assert.match(future.text, /0 rows/);
      const bad = await session.agent.get('/admin/audit?from=yesterday&person=nobody@example.org');
      assert.equal(bad.status, 400);
      assert.match(bad.text, /Use a date like 2026-11-26/);
      assert.match(bad.text, /No one has that email address/);
    });

    it('exports CSV, escaped, with spreadsheet formulas neutralised', async () => {
      const evil = await createPerson(t.haven, {
        roles: ['client'],
        displayName: '=HYPERLINK("http://x","click")',
      });
      await t.haven.audit.record({
        actorId: evil.user.id,
        action: 'test.csv_escape',
        details: { note: 'a "quoted", comma\nnew line' },
      });
      const res = await session.agent.get('/admin/audit/export.csv?action=test.csv_escape').expect(200);
      assert.match(res.headers['content-type'] as string, /text\/csv/);
      assert.match(res.headers['content-disposition'] as string, /attachment/);
      const lines = res.text.split('\r\n');
      assert.equal(
        lines[0],
        'seq,at,actor_id,actor,action,target_type,target_id,subject_id,subject,ip,details,hash',
      );
      assert.equal(lines.filter((l) => l.includes('test.csv_escape')).length, 1);
      assert.ok(res.text.includes(`"'=HYPERLINK(""http://x"",""click"") <${evil.email}>"`), res.text);
      assert.ok(res.text.includes('"{""note"":""a \\""quoted\\"", comma\\nnew line""}"'), res.text);
      const prefixed = await session.agent.get('/admin/audit/export.csv?action=clinic_settings.').expect(200);
      assert.match(prefixed.text, /,clinic_settings\.updated,/, 'a prefix with an underscore matches');
      assert.doesNotMatch(prefixed.text, /,test\.csv_escape,/);
      const exported = await t.haven.audit.search(
        { action: 'audit.exported', actorId: admin.user.id },
        { offset: 0, limit: 1 },
      );
      assert.equal(exported.total >= 1, true, 'the export itself is audited');
    });

    it('shows the hash-chain check and runs it on request', async () => {
      await post('/admin/audit/verify', {}).expect(303);
      const page = await session.agent.get('/admin/audit').expect(200);
      assert.match(page.text, /Audit trail intact: \d+ rows verified/);
      assert.match(page.text, /<strong>Intact<\/strong>: last checked/);
    });
  });

  describe('outbox', () => {
    it('shows failed emails and retries them; explains where mail waits', async () => {
      sink.mode = 'reject';
      await t.haven.mail.outbox.enqueue({
        to: 'bounce@example.org',
        subject: 'Retry me',
        text: 'Hello',
        idempotencyKey: 'admin-test:retry',
      });
      await t.haven.mail.sender!.drainOnce();
      const failed = await session.agent.get('/admin/outbox?status=failed').expect(200);
      assert.match(failed.text, /bounce@example\.org/);
      assert.match(failed.text, /Retry me/);
      assert.doesNotMatch(failed.text, /Hello/, 'bodies are not shown');
      const id = (await t.haven.mail.outbox.list({ status: 'failed' })).find(
        (m) => m.to === 'bounce@example.org',
      )!.id;
      sink.mode = 'accept';
      await post(`/admin/outbox/${id}/retry`, {}).expect(303);
      await t.haven.mail.sender!.drainOnce();
      const row = (await t.haven.mail.outbox.list()).find((m) => m.id === id);
      assert.equal(row?.status, 'sent');
      const again = await post(`/admin/outbox/${id}/retry`, {});
      assert.equal(again.status, 404, 'only failed emails are retried');
      await post('/admin/clinic-settings/smtp/clear', {}).expect(303);
      assert.equal(t.haven.mail.configured(), false);
      const waiting = await session.agent.get('/admin/outbox').expect(200);
      assert.match(waiting.text, /No mail server is set<\/strong>, so this is where mail waits/);
    });
  });

  describe('a deactivated admin', () => {
    it('is refused on every admin route, with the session they still hold', async () => {
      const other = await createPerson(t.haven, { roles: ['admin'] });
      const theirs = await signIn(t.haven, other);
      const token = csrfFrom((await theirs.agent.get('/admin').expect(200)).text);
      await post(`/admin/people/${other.user.id}/deactivate`, {}).expect(303);
      const adminRows = ROWS.filter((r) => / \/admin(\/|$)/.test(r.route));
      assert.ok(adminRows.length >= 20);
      const problems: string[] = [];
      for (const row of adminRows) {
        const [method, pattern] = row.route.split(' ') as [string, string];
        const url = pattern
          .replace(/:userId/, other.user.id)
          .replace(/:messageId/, '00000000-0000-4000-8000-000000000000');
        const res =
          method === 'GET'
            ? await theirs.agent.get(url)
            : await theirs.agent.post(url).type('form').send({ _csrf: token });
        const refused =
          method === 'GET'
            ? res.status === 302 && res.headers.location === '/sign-in'
            : [401, 403].includes(res.status);
        if (!refused) problems.push(`${row.route}: ${res.status}`);
      }
      assert.deepEqual(problems, []);
    });
  });
});
