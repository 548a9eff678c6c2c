import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createPerson, ensureAdmin, TEST_PASSWORD, type TestPerson } from '../support/accounts';
import { launchChromium } from '../support/browser';
import { watchForProblems } from '../support/browser-steps';
import { startLiveHaven, type LiveHaven } from '../support/live-haven';
import { assertLaidOut, SCREENSHOTS_DIR } from '../support/page-checks';
import { makeBookable } from '../support/practice';

const SHOTS = join(SCREENSHOTS_DIR, '..', 'arabic');

/**
 * Issue 20 in Chromium, in Arabic on a 390 px phone whose browser asks for Arabic (ar-SY): a client
 * signs up, confirms their address, signs in, consents, answers the intake (with the PHQ-9), answers
 * the PHQ-9 again on its own page, and books a session, every step through the Arabic words on the
 * page. On each page: <html lang="ar" dir="rtl">, nothing wider than the screen, no serious or
 * critical axe-core violation, and Arabic-Indic digits where numbers are written. Screenshots of every
 * step go to test-results/arabic/ for a person to look at.
 */
describe('Arabic, right to left, on a phone: sign up, PHQ-9, book', function () {
  this.timeout(240_000);
  let live: LiveHaven;
  let browser: Browser;
  let therapist: TestPerson;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    live = await startLiveHaven({ media: false });
    const admin = (await ensureAdmin(live.haven))!;
    therapist = await createPerson(live.haven, { roles: ['therapist'], displayName: 'Theo Marsh' });
    const staff = { id: therapist.user.id, roles: therapist.user.roles };
    await live.haven.scheduling.schedule.saveSchedule(staff, therapist.user.id, {
      timeZone: 'Asia/Damascus',
      minNoticeMinutes: 120,
      horizonDays: 14,
      slotStepMinutes: 60,
      bookingMode: 'direct',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
    });
    await makeBookable(live.haven, therapist.user, admin.user);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await live?.stop();
  });

  /** The checks every page of the path passes, and its screenshot. */
  async function checkPage(page: Page, step: string): Promise<void> {
    await page.waitForLoadState('load');
    await assertLaidOut(page, `${step}@390`, { lang: 'ar', dir: 'rtl', screenshotsIn: SHOTS });
  }

  it('works through the Arabic pages, right to left, with no errors', async () => {
    const context = await browser.newContext({
      locale: 'ar-SY',
      timezoneId: 'Asia/Damascus',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    const problems = watchForProblems(page);
    const email = `rania-${Date.now()}@example.org`;

    await page.goto(`${live.baseUrl}/`);
    await page.getByRole('heading', { name: /^مرحبًا بك في / }).waitFor();
    await checkPage(page, '01-welcome');

    await page.getByRole('link', { name: 'إنشاء حساب' }).first().click();
    await page.getByLabel('اسمك (كما سيراه الآخرون)').fill('رانيا');
    await page.getByLabel('البريد الإلكتروني').fill(email);
    await page.getByLabel('كلمة المرور').fill(TEST_PASSWORD);
    await checkPage(page, '02-sign-up');
    assert.match(
      (await page.locator('#f-password-hint').textContent()) ?? '',
      /[٠-٩]/,
      'Arabic-Indic digits',
    );
    await page.getByRole('button', { name: 'إنشاء الحساب' }).click();
    await page.getByRole('heading', { name: 'تحقق من بريدك الإلكتروني' }).waitFor();
    await checkPage(page, '03-check-email');

    const mail = (await live.haven.mail.outbox.list()).find((m) => m.to === email);
    const link = /https?:\/\/\S+\/verify-email\/\S+/.exec(mail?.text ?? '')?.[0];
    assert.ok(link, 'the confirmation email has its link');
    await page.goto(link.replace(/^https?:\/\/[^/]+/, live.baseUrl));
    await page.getByRole('button', { name: 'تأكيد بريدي الإلكتروني' }).click();
    await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
    await page.getByLabel('البريد الإلكتروني').fill(email);
    await page.getByLabel('كلمة المرور').fill(TEST_PASSWORD);
    await checkPage(page, '04-sign-in');
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();

    await page.getByRole('heading', { name: 'قبل جلستك الأولى' }).waitFor();
    await checkPage(page, '05-home');
    await page.getByRole('button', { name: 'متابعة' }).click();
    await page.getByLabel('اكتب اسمك الكامل للتوقيع').fill('رانيا الأحمد');
    await checkPage(page, '06-consent');
    await page.getByRole('button', { name: 'أوافق وأوقّع' }).click();

    await page.getByRole('heading', { name: 'لنبدأ' }).waitFor();
    await page.getByLabel('الاسم', { exact: true }).fill('سامي');
    await page.getByLabel('الهاتف', { exact: true }).fill('+963 11 555 0100');
    await page.getByLabel('أين تسكن؟ (المدينة، الولاية أو المقاطعة، البلد)').fill('دمشق، سوريا');
    await page.getByLabel('ما الذي أتى بك إلى هنا؟').fill('أشعر بالقلق في العمل.');
    await page.getByLabel('ما الذي تود أن يتغيّر؟').fill('أن أكون أهدأ.');
    for (const [measure, items] of [
      ['phq9', 9],
      ['gad7', 7],
    ] as const) {
      // Mild answers; PHQ-9 item 9 (thoughts of self-harm) at 0, or the crisis page opens instead.
      for (let i = 0; i < items; i += 1) {
        await page
          .locator(`input[name="${measure}_${i}"][value="${measure === 'phq9' && i === 8 ? 0 : 1}"]`)
          .check();
      }
    }
    await checkPage(page, '07-intake');
    await page.getByRole('button', { name: 'إنهاء استبيان القبول' }).click();
    await page.waitForURL(/\/clinical\/matches/);

    // The PHQ-9 on its own page, from "My care".
    await page.goto(`${live.baseUrl}/clinical/me`);
    await page.getByRole('heading', { name: 'رعايتي' }).waitFor();
    await checkPage(page, '08-my-care');
    await page.getByRole('link', { name: 'الإجابة عن PHQ-9 (المزاج)' }).click();
    for (let i = 0; i < 9; i += 1) {
      await page.locator(`input[name="phq9_${i}"][value="${i === 8 ? 0 : 1}"]`).check();
    }
    await checkPage(page, '09-phq9');
    await page.getByRole('button', { name: 'إرسال الإجابات' }).click();
    await page.getByRole('heading', { name: /شكرًا لك/ }).waitFor();
    // Eight answers of 1 and item 9 at 0: 8, written in Arabic-Indic digits.
    assert.match((await page.locator('.measure-score').textContent()) ?? '', /٨/);
    await checkPage(page, '10-phq9-result');

    // Book a session.
    await page.goto(`${live.baseUrl}/`);
    await page.getByRole('button', { name: 'احجز جلسة' }).click();
    await page.getByRole('heading', { name: 'حجز موعد' }).waitFor();
    await page.getByLabel('المعالج').selectOption({ label: 'Theo Marsh' });
    await page.getByLabel('نوع الموعد').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'عرض الأوقات المتاحة' }).click();
    await page.getByRole('heading', { name: /^الأوقات المتاحة يوم / }).waitFor();
    await checkPage(page, '11-book');
    await page.locator('input[name="start"]').first().check();
    await page.getByRole('button', { name: 'متابعة' }).click();
    await page.getByRole('heading', { name: 'راجع حجزك' }).waitFor();
    await checkPage(page, '12-review');
    await page.getByRole('button', { name: 'حجز هذا الوقت' }).click();
    await page.waitForURL(/\/appointments\/[\w-]+$/);
    await page.locator('.appointment-status', { hasText: 'مؤكد' }).waitFor();
    await checkPage(page, '13-booked');

    assert.deepEqual(problems, []);
    await context.close();
  });
});
