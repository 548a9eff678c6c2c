import assert from 'node:assert/strict';
import type { SignedInSession } from '../../support/accounts';
import { signIn } from '../../support/accounts';
import { startTestHaven, type TestHaven } from '../../support/test-haven';
import { FakeClock } from '../../../server/shared/clock';
import {
  attendedSession,
  billingActor,
  billingClinic,
  type BillingClinic,
} from '../billing/billing-fixtures';

const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0] ?? '';

/**
 * Issue 20, the office: the staff's billing pages and the admin console in the staff member's own
 * language (their profile), with money through Intl in its locale; nothing left in English.
 */
describe('the office in the staff member’s language: billing and admin pages over HTTP', function () {
  this.timeout(120_000);
  let t: TestHaven;
  let clock: FakeClock;
  let c: BillingClinic;

  const as = async (who: 'admin' | 'therapist', language: string): Promise<SignedInSession> => {
    await t.haven.accounts.lifecycle.setLanguage((await t.haven.accounts.byId(c[who].id))!, language);
    return signIn(t.haven, c.people[who]);
  };

  before(async () => {
    clock = new FakeClock('2026-03-02T12:00:00Z');
    t = await startTestHaven({ clock });
    c = await billingClinic(t.haven);
    await attendedSession(t.haven, clock, c, c.clientA, '2026-03-03T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    await t.haven.billing.invoices.issue(billingActor(c.admin), c.clientA.id);
    // Client B's session stays uninvoiced: its charge can still be adjusted.
    await attendedSession(t.haven, clock, c, c.clientB, '2026-03-04T15:00:00.000Z');
    await t.haven.billing.charges.sweep();
    clock.set(new Date('2026-04-20T12:00:00Z'));
  });
  after(() => t?.stop());

  it('a French-reading admin reads billing settings, accounts and aged receivables in French', async () => {
    const admin = await as('admin', 'fr');
    const settings = await admin.agent.get('/admin/billing').expect(200);
    assert.match(htmlTag(settings.text), /lang="fr" dir="ltr"/);
    for (const words of [
      'Paramètres de facturation',
      'Prestations et tarifs standard',
      'Barèmes (tarification dégressive)',
      'Types de rendez-vous',
      'Enregistrer les paramètres',
    ]) {
      assert.ok(settings.text.includes(words), `billing settings say "${words}"`);
    }
    assert.match(settings.text, /150,00\s\$US/, 'the standard fee through Intl in French');
    const accounts = await admin.agent.get('/billing').expect(200);
    assert.match(accounts.text, /Comptes des clients/);
    assert.match(accounts.text, /Pas encore facturé/);
    const aged = await admin.agent.get('/admin/billing/receivables').expect(200);
    assert.match(aged.text, /Balance âgée des créances/);
    assert.match(aged.text, /31–60 jours/);
    for (const page of [settings.text, accounts.text, aged.text]) {
      assert.doesNotMatch(
        page,
        /Billing settings|Aged receivables|Client accounts|Not yet invoiced|Save settings/,
      );
    }
  });

  it('a Spanish-reading therapist adjusts a charge and edits their billing profile in Spanish', async () => {
    const therapist = await as('therapist', 'es');
    const [charge] = (await t.haven.billing.accounts.view(billingActor(c.admin), c.clientB.id)).charges;
    const profile = await therapist.agent.get('/billing/profile').expect(200);
    assert.match(profile.text, /Su perfil de facturación/);
    assert.match(profile.text, /NPI \(10 dígitos\)/);
    const account = await therapist.agent.get(`/billing/clients/${c.clientA.id}`).expect(200);
    assert.match(account.text, /Facturación: /);
    assert.match(account.text, /Cargos/);
    assert.ok(charge, 'client B has a charge');
    const page = await therapist.agent.get(`/billing/charges/${charge.id}`).expect(200);
    for (const words of [
      'Ajustar el cargo del',
      'Lugar del servicio',
      '10 — telesalud, cliente en su domicilio',
      'Guardar el cargo',
    ]) {
      assert.ok(page.text.includes(words), `the charge page says "${words}"`);
    }
    assert.doesNotMatch(page.text, /Place of service|Save the charge|Fee per unit/);
  });

  it('an Arabic-reading admin reads the console right to left in Arabic: people, a person, audit, outbox, erasure requests', async () => {
    const admin = await as('admin', 'ar');
    const pages = {
      '/admin': ['نظرة عامة', 'تنبيهات الأزمات المفتوحة', 'آخر نسخة احتياطية'],
      '/admin/people': ['الأشخاص', 'دعوة شخص', 'إرسال الدعوة', 'مراجع'],
      [`/admin/people/${c.clientA.id}`]: ['الأدوار', 'تغيير الأدوار', 'تعيين معالج'],
      '/admin/audit': ['سجل التدقيق', 'فحص سلسلة التجزئة', 'تصدير'],
      '/admin/outbox': ['صندوق الصادر', 'الكل'],
      '/admin/data-rights': ['حقوق البيانات: طلبات المحو', 'بانتظار القرار'],
    };
    for (const [path, words] of Object.entries(pages)) {
      const res = await admin.agent.get(path).expect(200);
      assert.match(htmlTag(res.text), /lang="ar" dir="rtl"/, path);
      assert.match(res.text, /aria-label="لوحة الإدارة"/, `${path}: the console's menu in Arabic`);
      for (const w of words) assert.ok(res.text.includes(w), `${path} says "${w}"`);
      assert.doesNotMatch(
        res.text,
        />(Overview|People|Audit trail|Outbox|Data rights)</,
        `${path}: no English menu`,
      );
    }
  });
});
