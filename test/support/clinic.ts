import type { Haven } from '../../server/app';
import type { MailTransport } from '../../server/mail';
import { FakeClock } from '../../server/shared/clock';
import { createPerson, type TestPerson } from './accounts';
import { startTestHaven, type TestHaven } from './test-haven';

/** A fresh clinic past its first run: a Haven on a fake clock with one admin. */
export interface TestClinic {
  readonly t: TestHaven;
  readonly haven: Haven;
  /** Haven's clock: `advance()` / `set()` it instead of waiting. */
  readonly clock: FakeClock;
  /** Without an admin every page redirects to /setup; this one may sign in (two-factor enrolled). */
  readonly admin: TestPerson;
  stop(): Promise<void>;
}

export interface TestClinicOptions {
  /** What the clock reads at start (default Monday 2 March 2026, 09:00 UTC). */
  readonly at?: string;
  readonly env?: Record<string, string>;
  readonly mailTransport?: MailTransport;
}

/**
 * The clock-and-admin fixture (Practica's `testSetup.start`): what most HTTP and service tests set
 * up first. Time-dependent rules (codes, expiry, notice) are then tested by moving the clock.
 */
export async function startClinic(options: TestClinicOptions = {}): Promise<TestClinic> {
  const clock = new FakeClock(options.at ?? '2026-03-02T09:00:00Z');
  const t = await startTestHaven({
    clock,
    ...(options.env ? { env: options.env } : {}),
    ...(options.mailTransport ? { mailTransport: options.mailTransport } : {}),
  });
  try {
    const admin = await createPerson(t.haven, { roles: ['admin'], displayName: 'Ada Admin' });
    return { t, haven: t.haven, clock, admin, stop: () => t.stop() };
  } catch (error) {
    await t.stop();
    throw error;
  }
}
