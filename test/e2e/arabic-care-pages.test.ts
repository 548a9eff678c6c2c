import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { signInInBrowser } from '../support/browser-sign-in';
import { watchForProblems } from '../support/browser-steps';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { assertLaidOut, horizontalOverflow, SCREENSHOTS_DIR } from '../support/page-checks';

const SHOTS = join(SCREENSHOTS_DIR, '..', 'arabic');

/**
 * Issue 20 in Chromium: the care pages a client reads between sessions, in Arabic, right to left.
 * A client whose profile language is Arabic opens their safety plan (the Stanley–Brown steps in
 * Arabic, what the therapist and client wrote as written), the exercises list, and a thought record,
 * which they fill in through its Arabic labels (ratings "من ٠ إلى ١٠٠") and mark done. At 390 px
 * (and the safety plan and exercise also at 1280 px): <html lang="ar" dir="rtl">, nothing wider than
 * the screen, no serious or critical axe-core violation, Arabic-Indic digits; screenshots in
 * test-results/arabic/.
 */
describe('Arabic, right to left: a client’s safety plan and exercises', function () {
  this.timeout(180_000);
  let live: LiveHaven;
  let browser: Browser;
  let client: TestPerson;
  let thoughtRecordId: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    live = await startLiveHaven({ media: false });
    await ensureAdmin(live.haven);
    const therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Theo Marsh' });
    client = await createPerson(live.haven, { roles: ['client'], displayName: 'Rania Haddad' });
    await live.haven.sequelize.query("UPDATE users SET language = 'ar' WHERE id = ?", {
      replacements: [client.user.id],
    });
    await live.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const me = { id: therapist.user.id, roles: therapist.user.roles, ip: null };
    await live.haven.carePlanning.homework.saveSafetyPlan(me, client.user.id, {
      warningSigns: 'لا أنام، وأتجنب أصدقائي',
      helpers: 'أختي سلمى',
      reasonsForLiving: 'ابنة أختي',
    });
    const { homework } = live.haven.carePlanning;
    thoughtRecordId = (
      await homework.assign(me, client.user.id, {
        exercise: 'thought_record',
        instructions: 'لحظة صعبة واحدة هذا الأسبوع',
        dueOn: '2030-05-20',
      })
    ).id;
    await homework.assign(me, client.user.id, {
      exercise: 'activity_log',
      instructions: '',
      dueOn: '2030-05-06',
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await live?.stop();
  });

  /** What every page passes: Arabic, right to left, no wider than the screen, no serious axe finding. */
  async function checkPage(page: Page, step: string): Promise<void> {
    await page.waitForLoadState('load');
    const width = page.viewportSize()?.width ?? 0;
    await assertLaidOut(page, `${step}@${width}`, { lang: 'ar', dir: 'rtl', screenshotsIn: SHOTS });
  }

  for (const width of [390, 1280]) {
    it(`shows the safety plan in Arabic at ${width} px, with the file to keep`, async () => {
      const context = await browser.newContext({
        locale: 'ar-SY',
        timezoneId: 'Asia/Damascus',
        viewport: { width, height: width === 390 ? 844 : 900 },
      });
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await signInInBrowser(page, client, live, { via: 'cookie' });

      await page.goto(`${live.baseUrl}/care/safety-plan`);
      await page.getByRole('heading', { level: 1, name: 'خطة الأمان الخاصة بي' }).waitFor();
      await page.getByText('إذا كنت في خطر الآن:').waitFor();
      await page.getByRole('heading', { name: 'علامات تحذيرية على أن أزمة قد تكون في طريقها' }).waitFor();
      await page.getByRole('heading', { name: 'أشخاص أستطيع طلب المساعدة منهم' }).waitFor();
      await page.getByText('أختي سلمى').waitFor();
      assert.match(
        await page.locator('main').innerText(),
        /الإصدار ١، /,
        'the version in Arabic-Indic digits',
      );
      await page.getByRole('button', { name: 'حفظ نسخة على هذا الجهاز' }).waitFor();
      await checkPage(page, 'safety-plan');

      // The file to keep offline is Arabic and right to left too.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'حفظ نسخة على هذا الجهاز' }).click(),
      ]);
      // Opened as the phone would open it: the saved HTML on its own, no server behind it.
      const file = await page.context().newPage();
      await file.setContent(readFileSync(await download.path(), 'utf8'));
      assert.equal(await file.locator('html').getAttribute('dir'), 'rtl');
      await file.getByRole('heading', { name: '١. علامات تحذيرية على أن أزمة قد تكون في طريقها' }).waitFor();
      await file.setViewportSize({ width, height: 844 });
      const fileOverflow = await horizontalOverflow(file);
      assert.ok(fileOverflow.scrollWidth <= fileOverflow.innerWidth, 'the kept file fits the screen');
      await file.screenshot({ path: join(SHOTS, `safety-plan-file@${width}.png`), fullPage: true });

      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  it('lists the exercises and lets the client fill in a thought record in Arabic at 390 px', async () => {
    const context = await browser.newContext({
      locale: 'ar-SY',
      timezoneId: 'Asia/Damascus',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await signInInBrowser(page, client, live, { via: 'cookie' });

    await page.goto(`${live.baseUrl}/care/homework`);
    await page.getByRole('heading', { level: 1, name: 'التمارين' }).waitFor();
    await page.getByRole('link', { name: 'سجل الأنشطة' }).waitFor();
    assert.match(await page.locator('main').innerText(), /٢٠٣٠/, 'due dates in Arabic-Indic digits');
    await checkPage(page, 'exercises');

    await page.getByRole('link', { name: 'سجل الأفكار' }).click();
    await page.waitForURL(`**/care/homework/${thoughtRecordId}`);
    await page.getByRole('heading', { level: 1, name: 'سجل الأفكار' }).waitFor();
    await page.getByText('لحظة صعبة واحدة هذا الأسبوع').waitFor();
    await checkPage(page, 'thought-record');

    await page.getByLabel('الموقف: أين كنت، وماذا حدث؟').fill('اجتماع العمل');
    await page.getByLabel('الفكرة التي خطرت في ذهنك').fill('سأفشل');
    await page.getByLabel('الشعور الذي انتابك (مثل الحزن أو القلق أو الغضب)').fill('قلق');
    await page.getByLabel('ما مدى شدّته؟ (من ٠ إلى ١٠٠)').fill('80');
    await page.getByLabel('فكرة أكثر توازنًا').fill('استعددت جيدًا');
    await page.getByRole('button', { name: 'حفظ ووضع علامة «تم»' }).click();
    await page.waitForURL('**/care/homework');
    await page.getByText('تم. سيطّلع عليه معالجك قبل جلستك القادمة.').waitFor();
    assert.match(await page.locator('main').innerText(), /· تم/, 'the thought record is listed as done');
    await checkPage(page, 'exercises-after');

    const stored = await live.haven.carePlanning.homework.read(
      { id: client.user.id, roles: client.user.roles, ip: null },
      thoughtRecordId,
    );
    assert.equal(stored.status, 'completed');
    assert.equal(stored.answers.situation, 'اجتماع العمل', 'what the client wrote is kept as written');

    // The same exercise at 1280 px, read-only now that it is done.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${live.baseUrl}/care/homework/${thoughtRecordId}`);
    await page.getByText(/^تم في /).waitFor();
    await checkPage(page, 'thought-record-done');

    assert.deepEqual(problems, []);
    await context.close();
  });
});
