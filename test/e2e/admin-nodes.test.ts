import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import type { LiveHaven } from '../support/live-haven';
import { assertLaidOut, SCREENSHOTS_DIR } from '../support/page-checks';
import { startTwoNodes, untilPeopleConnected, type TwoNodes } from '../support/two-nodes';

const SHOTS = join(SCREENSHOTS_DIR, 'admin-nodes');

/**
 * The admin console's Nodes page in Chromium (issue 22), with two nodes on one PostgreSQL: a client
 * reads a message thread on a phone through node B, their therapist through node A, and the admin,
 * signed in on node A, finds the page from the console's menu and sees each node answering with one
 * person connected, by role — at 1280 px and 390 px, and in Arabic (right to left) on the phone —
 * never wider than the screen and with no serious axe-core finding. Screenshots in
 * test-results/layout/admin-nodes/.
 */
describe('admin console in Chromium: who is online per node', function () {
  this.timeout(180_000);
  let nodes: TwoNodes;
  let admin: TestPerson;
  let client: TestPerson;
  let therapist: TestPerson;
  let threadId: string;
  const chromiums = new ChromiumPerPerson();
  const problems: string[] = [];

  async function pageOn(node: LiveHaven, person: TestPerson, width: number): Promise<Page> {
    const page = await chromiums.signedInPage(
      person,
      { baseUrl: node.baseUrl, haven: nodes.a.haven },
      { viewport: { width, height: 844 } },
    );
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    return page;
  }

  before(async function () {
    mkdirSync(SHOTS, { recursive: true });
    nodes = await startTwoNodes(this, { media: false });
    const { a } = nodes;
    await ensureAdmin(a.haven);
    [admin, client, therapist] = await Promise.all([
      createPerson(a.haven, { roles: ['admin'], displayName: 'Ada Admin' }),
      createPerson(a.haven, { roles: ['client'], displayName: 'Alex' }),
      createPerson(a.haven, { roles: ['therapist'], displayName: 'Dr Rivera' }),
    ]);
    await Promise.all([a.haven.joinCluster(), nodes.b.haven.joinCluster()]);
    await a.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
    const clientActor = { id: client.user.id, roles: client.user.roles, ip: null };
    threadId = await a.haven.messaging.inbox.open(clientActor, therapist.user.id);
  });
  after(async () => {
    await chromiums.close();
    await nodes?.stop();
  });

  it('the admin reaches Nodes from the console menu and sees one person on each node, by role, at 1280 and 390 px and in Arabic', async () => {
    const clientPage = await pageOn(nodes.b, client, 390);
    await clientPage.goto(`${nodes.b.baseUrl}/messages/${threadId}`);
    const therapistPage = await pageOn(nodes.a, therapist, 1280);
    await therapistPage.goto(`${nodes.a.baseUrl}/messages/${threadId}`);
    await untilPeopleConnected(nodes, { 'node-a': 1, 'node-b': 1 }, 20_000);

    const page = await pageOn(nodes.a, admin, 1280);
    await page.goto(`${nodes.a.baseUrl}/admin`);
    await page
      .getByRole('navigation', { name: 'Admin console' })
      .getByRole('link', { name: 'Nodes' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Nodes' }).waitFor();
    const card = (id: string) => page.locator(`[data-node="${id}"]`);
    assert.equal((await card('node-a').locator('[data-people]').innerText()).trim(), '1');
    assert.equal((await card('node-a').locator('[data-role]').allInnerTexts()).join('|'), 'Therapist: 1');
    assert.equal((await card('node-b').locator('[data-people]').innerText()).trim(), '1');
    assert.equal((await card('node-b').locator('[data-role]').allInnerTexts()).join('|'), 'Client: 1');
    assert.match(await card('node-a').innerText(), /served this page/);
    assert.equal((await page.locator('[data-nodes-answering]').innerText()).trim(), '2 of 2');
    const text = await page.locator('main').innerText();
    assert.ok(!text.includes('Alex') && !text.includes('Dr Rivera'), 'counts, never names');
    await assertLaidOut(page, 'nodes@1280', { screenshotsIn: SHOTS });

    await page.setViewportSize({ width: 390, height: 844 });
    await assertLaidOut(page, 'nodes@390', { screenshotsIn: SHOTS });

    const { accounts } = nodes.a.haven;
    await accounts.lifecycle.setLanguage((await accounts.byId(admin.user.id))!, 'ar');
    await page.reload();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await page.getByRole('heading', { level: 1, name: 'العُقد' }).waitFor();
    assert.match(await card('node-b').innerText(), /تستجيب/);
    await assertLaidOut(page, 'nodes-ar@390', { screenshotsIn: SHOTS });
    assert.deepEqual(problems, []);
  });
});
