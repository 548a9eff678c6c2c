import '../support/media-worker';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createPerson, ensureAdmin, type TestPerson } from '../support/accounts';
import { ChromiumPerPerson } from '../support/browser-sign-in';
import { reserveCaddyProxy, type CaddyProxy } from '../support/caddy-proxy';
import { admitAndTimeFirstFrame, untilRoomStats as until } from '../support/room-page';
import { startTwoNodes, type TwoNodes } from '../support/two-nodes';

/**
 * Two Haven nodes on one PostgreSQL behind Debian's caddy (issue 22): the therapist's room page is
 * served by node A, the client's by node B; both signal to, and send media to, the node the room
 * was placed on, and decode each other's video.
 */
describe('two nodes in Chromium: one room, pages from different nodes', function () {
  this.timeout(240_000);
  let proxy: CaddyProxy;
  let nodes: TwoNodes;
  let therapist: TestPerson;
  let client: TestPerson;
  const chromiums = new ChromiumPerPerson();
  const problems: string[] = [];

  async function pageFor(person: TestPerson, width: number): Promise<Page> {
    const page = await chromiums.signedInPage(
      person,
      { baseUrl: proxy.url, haven: nodes.a.haven },
      { viewport: { width, height: 844 } },
    );
    page.on('pageerror', (e) => problems.push(`${person.user.displayName}: ${e.message}`));
    return page;
  }

  before(async function () {
    proxy = await reserveCaddyProxy();
    nodes = await startTwoNodes(this, { workers: 1, env: { PUBLIC_URL: proxy.url } });
    await proxy.route([
      { id: 'node-a', baseUrl: nodes.a.baseUrl },
      { id: 'node-b', baseUrl: nodes.b.baseUrl },
    ]);
    await ensureAdmin(nodes.a.haven);
    therapist = await createPerson(nodes.a.haven, { roles: ['therapist'], displayName: 'Dr Rivera' });
    client = await createPerson(nodes.b.haven, { roles: ['client'], displayName: 'Alex' });
    await nodes.a.haven.clinical.care.assign(null, therapist.user.id, client.user.id);
  });
  after(async () => {
    await chromiums.close();
    await nodes?.stop();
    await proxy?.stop();
  });

  it("the therapist's page from node A, the client's from node B: they meet on the room's node and both decode video", async () => {
    const room = await nodes.a.haven.rooms.access.openAdhoc(therapist.user, [client.user.id], null);
    const t = await pageFor(therapist, 1280);
    await t.goto(`${proxy.url}/node/node-a/rooms/${room.id}`);
    await t.locator('#panel-call').waitFor({ state: 'visible' });
    const a = await pageFor(client, 390);
    await a.goto(`${proxy.url}/node/node-b/rooms/${room.id}`);
    await a.locator('#panel-waiting').getByText('Your therapist will let you in.').waitFor();

    const owner = await nodes.a.haven.placement.place(room.id);
    const path = `/node/${owner.nodeId}/socket.io`;
    for (const page of [t, a]) {
      assert.equal(await page.locator('#room').getAttribute('data-signal-path'), path);
    }

    await admitAndTimeFirstFrame(t, a, 'Alex');
    for (const page of [t, a]) {
      const s = await until(page, 'video both ways', (x) => x.videoFramesDecoded > 0);
      assert.ok(s.videoFramesDecoded > 0);
    }
    const ownerNode = owner.nodeId === 'node-a' ? nodes.a : nodes.b;
    const otherNode = ownerNode === nodes.a ? nodes.b : nodes.a;
    assert.ok(await ownerNode.haven.media!.existingRoom(room.id), "the call runs on the room's node");
    assert.equal(await otherNode.haven.media!.existingRoom(room.id), null, 'and only there');

    await a.getByRole('textbox', { name: 'Message' }).fill('Hello across nodes');
    await a.getByRole('button', { name: 'Send' }).click();
    await t.locator('#chat-log').getByText('Hello across nodes').waitFor();

    await t.screenshot({ path: '/work/notes/screens/issue-22-scale/two-nodes-therapist-1280.png' });
    await a.screenshot({ path: '/work/notes/screens/issue-22-scale/two-nodes-client-390.png' });
    assert.deepEqual(problems, []);
  });
});
