import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import request from 'supertest';
import { seedDemoBilling } from '../../../server/cli/demo/demo-billing';
import { seedDemoCarePlanning } from '../../../server/cli/demo/demo-care-planning';
import { seedDemoClinical } from '../../../server/cli/demo/demo-clinical';
import { seedDemoGroups } from '../../../server/cli/demo/demo-groups';
import { seedDemoMessages } from '../../../server/cli/demo/demo-messages';
import { seedDemoPeople, type DemoPerson } from '../../../server/cli/demo/demo-people';
import { seedDemoScheduling } from '../../../server/cli/demo/demo-scheduling';
import { createTranslator, languageOf, SOURCE_LANGUAGE } from '../../../server/i18n';
import { languageViewLocals } from '../../../server/http/middleware/language-locals';
import { layoutEngine } from '../../../server/http/view-engine';
import { csrfFrom, signIn, type SignedInSession } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

const VIEWS = join(__dirname, '..', '..', '..', 'views');
type Locals = Record<string, unknown>;
type Engine = (file: string, options: object, callback: (error: Error | null, html?: string) => void) => void;

/**
 * The view engine as it was before issue 21's rendering work (af771ce): `ejs.renderFile` for the page
 * and the layout, EJS's own `include` (a copy of every local per include), and `partial()` as a copy
 * of the page's locals per row. Kept here as the reference the engine must match byte for byte.
 */
function engineBefore(): Engine {
  const translator = createTranslator();
  const english = languageViewLocals(translator, SOURCE_LANGUAGE, languageOf(SOURCE_LANGUAGE).locale, []);
  const ejsOptions = { cache: true, root: VIEWS, views: [VIEWS] };
  const partials = new Map<string, ejs.TemplateFunction>();
  const partialTemplate = (view: string): ejs.TemplateFunction => {
    const filename = join(VIEWS, `${view}.ejs`);
    const kept = partials.get(filename);
    if (kept) return kept;
    const compiled = ejs.compile(readFileSync(filename, 'utf8').replace(/^\uFEFF/, ''), {
      ...ejsOptions,
      filename,
    });
    partials.set(filename, compiled);
    return compiled;
  };
  return (file, options, callback) => {
    const locals: Locals = { ...english, ...(options as Locals), head: {} };
    locals.partial = (view: string, data: Readonly<Locals> = {}): string =>
      partialTemplate(view)(Object.assign(Object.create(null) as Locals, locals, data));
    ejs.renderFile(file, locals, ejsOptions, (error, body) => {
      if (error) return callback(error);
      if (locals.layout === false) return callback(null, body);
      const layout = join(
        VIEWS,
        'layouts',
        `${typeof locals.layout === 'string' ? locals.layout : 'main'}.ejs`,
      );
      ejs.renderFile(layout, { ...locals, body }, ejsOptions, callback);
    });
  };
}

/**
 * Every page the requests below render is rendered by both engines (production settings: templates
 * kept) from the same locals; the test fails on any byte of difference.
 */
describe('the view engine writes the same HTML as EJS renderFile and include did', function () {
  this.timeout(120000);
  let t: TestHaven;
  let people: Map<string, DemoPerson>;
  const rendered: { view: string; lang: unknown; layout: unknown; bytes: number }[] = [];
  const differences: string[] = [];

  before(async () => {
    t = await startTestHaven();
    people = await seedDemoPeople(t.haven);
    await seedDemoClinical(t.haven, people);
    await seedDemoCarePlanning(t.haven, people);
    await seedDemoMessages(t.haven, people);
    await seedDemoGroups(t.haven, people);
    await seedDemoScheduling(t.haven, people);
    await seedDemoBilling(t.haven, people);
    const now = layoutEngine(VIEWS, true, createTranslator());
    const before = engineBefore();
    t.haven.http.engine('ejs', ((file, options, callback) => {
      now(file, options, (error, html) => {
        if (error) return callback(error);
        before(file, options, (beforeError, beforeHtml) => {
          if (beforeError) return callback(beforeError);
          const view = file.slice(VIEWS.length + 1);
          const locals = options as Locals;
          if (html !== beforeHtml) differences.push(`${view} (${String(locals.lang)})`);
          rendered.push({ view, lang: locals.lang, layout: locals.layout, bytes: html!.length });
          callback(null, html);
        });
      });
    }) as Engine);
  });
  after(async () => t?.stop());

  async function signedIn(key: string, lang: string): Promise<SignedInSession> {
    const person = people.get(key)!;
    const session = await signIn(t.haven, {
      user: person.user,
      email: person.user.email,
      password: person.password,
      totpSecret: person.totpSecret,
    });
    await session.agent
      .post('/language')
      .type('form')
      .send({ _csrf: await session.csrf(), lang, next: '/' })
      .expect(303);
    return session;
  }

  function pagesIn(lang: string): { expect(view: string): void } {
    const from = rendered.filter((r) => r.lang === lang);
    return {
      expect(view: string) {
        assert.ok(
          from.some((r) => r.view === view && r.bytes > 500),
          `${view} rendered in ${lang} (${from.map((r) => r.view).join(', ')})`,
        );
      },
    };
  }

  for (const lang of ['en', 'ar', 'fr']) {
    it(`signed out, in ${lang}: the home, sign-in and sign-up pages`, async () => {
      for (const path of ['/', '/sign-in', '/sign-up', '/clinical/crisis-help']) {
        await request(t.haven.http).get(path).set('cookie', `haven.lang=${lang}`).expect(200);
      }
      assert.deepEqual(differences, []);
      pagesIn(lang).expect('accounts/sign-in.ejs');
    });

    it(`signed in, in ${lang}: each role's main pages, and the session room's layout`, async () => {
      const pages: Record<string, string[]> = {
        therapist1: ['/', '/clinical', '/schedule', '/messages', '/appointments', '/account', '/billing'],
        client1: ['/', '/appointments', '/messages', '/clinical/me', '/care/safety-plan', '/groups'],
        peer: ['/', '/groups'],
        admin: ['/admin', '/admin/people', '/directory'],
      };
      for (const [key, paths] of Object.entries(pages)) {
        const { agent } = await signedIn(key, lang);
        for (const path of paths) await agent.get(path).expect(200);
        if (key === 'therapist1') {
          const page = await agent.get('/clinical').expect(200);
          const room = await agent
            .post('/rooms')
            .type('form')
            .send({ _csrf: csrfFrom(page.text), clientId: people.get('client1')!.user.id })
            .expect(303);
          await agent.get(room.headers.location!).expect(200);
        }
      }
      assert.deepEqual(differences, []);
      const these = pagesIn(lang);
      for (const view of [
        'home/person.ejs',
        'clinical/client-home.ejs',
        'admin/overview.ejs',
        'rooms/room.ejs',
      ]) {
        these.expect(view);
      }
      assert.ok(
        rendered.some((r) => r.lang === lang && r.layout === 'room'),
        'the room layout rendered',
      );
    });
  }
});
