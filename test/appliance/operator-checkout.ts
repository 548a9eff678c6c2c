import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parse as parseDotenv } from 'dotenv';
import { TwoFactorService } from '../../server/accounts';
import { PROJECT_ROOT } from '../../server/shared/paths';
import { findBinary } from '../integration/appliance/appliance-support';
import { findCompose, runQuietly } from './compose-project';
import { copyProject } from './project-copy';

/**
 * The Haven image the appliance tests run, one tag for all of them: the second test's build is
 * then Docker's layer cache answering, not a second build.
 */
export const APPLIANCE_IMAGE = 'haven:haven-appliance-test';

/**
 * What an appliance-tier test needs on this machine (root, these programs, a compose): the compose
 * command when all is there. Otherwise the suite is skipped with one line, or fails where .ci/run
 * set HAVEN_APPLIANCE_REQUIRED=1 (there a missing prerequisite is a failure, never a quiet skip).
 */
export async function appliancePrerequisites(
  context: Mocha.Context,
  what: string,
  binaries: readonly string[],
): Promise<readonly string[]> {
  const missing = binaries.filter((b) => !findBinary(b));
  const composeCommand = await findCompose();
  const lacking = [
    ...(process.getuid?.() === 0 ? [] : ['root']),
    ...missing,
    ...(composeCommand ? [] : ['docker compose / docker-compose']),
  ];
  if (lacking.length > 0 || !composeCommand) {
    const why = `${what} needs ${lacking.join(', ')} (bash .ci/run installs them)`;
    if (process.env['HAVEN_APPLIANCE_REQUIRED'] === '1') throw new Error(why);
    process.stderr.write(`      SKIPPED: ${why}\n`);
    context.skip();
  }
  return composeCommand!;
}

/** An operator's checkout in `dir`, ready to build: `args` go into docker/.env as build settings. */
export interface OperatorCheckout {
  readonly dir: string;
  readonly buildSettings: readonly string[];
}

/**
 * The base images (kept by tag when present, built from Debian otherwise: scripts/offline-images),
 * then a copy of this working tree as an operator's checkout in `dir`, with what an air-gapped build
 * supplies in docker/offline/: the media worker built offline and this machine's npm registry and
 * CA (an egress proxy's here) as the "internal mirror". `note` gets one line per step.
 */
export async function prepareOperatorCheckout(
  dir: string,
  note: (line: string) => void,
): Promise<OperatorCheckout> {
  const t = Date.now();
  const images = await runQuietly(join(PROJECT_ROOT, 'scripts', 'offline-images'), [], {
    timeoutMs: 30 * 60_000,
  });
  assert.equal(images.code, 0, images.out);
  note(
    `base images ready in ${((Date.now() - t) / 1000).toFixed(0)} s (${/nothing to build/.test(images.out) ? 'all present' : 'built'})`,
  );

  note(`copied ${copyProject(PROJECT_ROOT, dir)} files of the working tree`);
  const offline = join(dir, 'docker', 'offline');
  const buildSettings: string[] = [];
  // The worker built offline (cached by .ci/run's build; built here if the cache is empty).
  const bundled = await runQuietly(
    join(dir, 'scripts', 'build-mediasoup-worker'),
    ['--bundle', join(offline, 'mediasoup-worker')],
    { timeoutMs: 60 * 60_000 },
  );
  assert.equal(bundled.code, 0, bundled.out);
  const npmConfig = (key: string): string =>
    execFileSync('npm', ['config', 'get', key], { encoding: 'utf8' }).trim();
  const cafile = npmConfig('cafile');
  if (cafile && cafile !== 'null' && cafile !== 'undefined') {
    copyFileSync(cafile, join(offline, 'npm-ca.pem'));
    buildSettings.push('NPM_CA_FILE=npm-ca.pem');
  }
  const registry = npmConfig('registry');
  if (registry && registry !== 'https://registry.npmjs.org/') buildSettings.push(`NPM_REGISTRY=${registry}`);
  return { dir, buildSettings };
}

/**
 * scripts/setup as the docs say, for the clinic at `localhost` (`flags` add the rest), then the test's
 * own lines in docker/.env: its compose project name, the shared image tag, the build settings and
 * `settings`. Returns docker/.env's values.
 */
export async function setUpAsOperator(
  checkout: OperatorCheckout,
  options: { project: string; flags: readonly string[]; settings?: readonly string[] },
): Promise<Record<string, string>> {
  const setup = await runQuietly(
    join(checkout.dir, 'scripts', 'setup'),
    ['--domain', 'localhost', '--email', 'it@example.org', ...options.flags, '--yes'],
    { timeoutMs: 60_000 },
  );
  assert.equal(setup.code, 0, setup.out);
  const envFile = join(checkout.dir, 'docker', '.env');
  const lines = [
    `COMPOSE_PROJECT_NAME=${options.project}`,
    `HAVEN_IMAGE=${APPLIANCE_IMAGE}`,
    ...(options.settings ?? []),
    ...checkout.buildSettings,
  ];
  appendFileSync(envFile, `${lines.join('\n')}\n`);
  return parseDotenv(readFileSync(envFile));
}

/** A demo person as `seed-demo` prints them: password, and the authenticator key for staff. */
export interface DemoPerson {
  readonly password: string;
  key?: string;
}

/** The demo people of `seed-demo`'s output, by email. */
export function demoPeople(out: string): Map<string, DemoPerson> {
  const people = new Map<string, DemoPerson>();
  for (const [, email, password] of out.matchAll(/^\s+\S+\s+(\S+@demo\.haven\.test)\s+(\S+)$/gm))
    people.set(email!, { password: password! });
  for (const [, email, key] of out.matchAll(/^\s+(\S+@demo\.haven\.test)\s+key (\S+)$/gm))
    people.get(email!)!.key = key!;
  return people;
}

/** Signs `email` in through the real forms in this page (password, then the code for staff). */
export async function signInThroughForms(
  page: Page,
  origin: string,
  email: string,
  person: DemoPerson,
): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (person.key) {
    await page.getByRole('heading', { name: 'Enter your sign-in code' }).waitFor();
    await page.getByRole('textbox', { name: 'Code' }).fill(TwoFactorService.codeFor(person.key, new Date()));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  // Signed in: the page has the sign-out form (at 390 px it sits in the closed menu, hidden
  // from the accessibility tree, so a role query would not find it).
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await page.locator('form[action="/sign-out"] button').first().waitFor({ state: 'attached' });
}
