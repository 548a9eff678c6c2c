import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { NodeRefusedError } from '../../../server/cluster';
import { postgresDatabaseOrSkip, type PostgresDatabase } from '../../support/postgres';
import { startLiveHaven, type LiveHaven } from '../../support/live-haven';
import { makeTempDir } from '../../support/temp-dir';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

/**
 * The node registry (issue 22): one row per serving process with its address and load, a heartbeat,
 * and the refusals — any second live node on SQLite, a second live node with the same NODE_ID on
 * PostgreSQL. (The refusal as an operator sees it, from `node dist/server/main.js`, is in
 * process/main-process.test.ts.)
 */
describe('node registry', function () {
  this.timeout(60_000);
  const havens: TestHaven[] = [];
  const start = async (env: Record<string, string>): Promise<TestHaven> => {
    const t = await startTestHaven({ env });
    havens.push(t);
    return t;
  };
  afterEach(async () => {
    for (const t of havens.splice(0).reverse()) await t.stop();
  });

  describe('on SQLite (one node only)', () => {
    let dir: ReturnType<typeof makeTempDir>;
    let env: Record<string, string>;
    beforeEach(() => {
      dir = makeTempDir();
      env = { DATABASE_URL: `sqlite:${join(dir.dir, 'shared.sqlite')}` };
    });
    afterEach(() => dir.remove());

    it('refuses a second live node on the same file with a message naming the way out', async () => {
      const first = await start({ ...env, NODE_ID: 'alpha' });
      await first.haven.joinCluster();
      const second = await start({ ...env, NODE_ID: 'beta' });
      await assert.rejects(second.haven.joinCluster(), (error: Error) => {
        assert.ok(error instanceof NodeRefusedError);
        assert.match(error.message, /node "alpha"/);
        assert.match(error.message, /SQLite serves one Haven process only/);
        assert.match(error.message, /PostgreSQL/);
        return true;
      });
      assert.deepEqual(
        (await first.haven.nodes.nodes()).map((n) => n.id),
        ['alpha'],
        'the refused node left no row',
      );
    });

    it('lets a node start once the first has stopped cleanly (its row is gone at once)', async () => {
      const first = await start({ ...env, NODE_ID: 'alpha' });
      await first.haven.joinCluster();
      await first.stop();
      havens.splice(havens.indexOf(first), 1);
      const second = await start({ ...env, NODE_ID: 'beta' });
      await second.haven.joinCluster();
      assert.deepEqual(
        (await second.haven.nodes.liveNodes()).map((n) => n.id),
        ['beta'],
      );
    });

    it('takes over from a node whose heartbeat stopped (dead), and at once from a killed process on this host', async () => {
      const t = await start({
        ...env,
        NODE_ID: 'beta',
        NODE_HEARTBEAT_SECONDS: '1',
        NODE_DEAD_AFTER_SECONDS: '3',
      });
      const insert = (id: string, host: string, pid: number, heartbeatAt: number) =>
        t.haven.sequelize.query(
          `INSERT INTO cluster_nodes (id, instance, host, pid, public_url, media_ports, started_at, heartbeat_at)
           VALUES (?, ?, ?, ?, 'http://old', 0, ?, ?)`,
          { replacements: [id, `${id}-instance`, host, pid, heartbeatAt, heartbeatAt] },
        );
      // Another machine's node, silent for longer than NODE_DEAD_AFTER_SECONDS.
      await insert('elsewhere', 'other-host', 1, Date.now() - 10_000);
      // A process on this host that was killed a moment ago: its heartbeat is fresh, its pid gone.
      await insert('killed', hostname(), 2 ** 22 + 1, Date.now());
      await t.haven.joinCluster();
      assert.deepEqual(
        (await t.haven.nodes.nodes()).map((n) => n.id),
        ['beta'],
      );
    });

    it('still refuses a fresh heartbeat from another host', async () => {
      const t = await start({ ...env, NODE_ID: 'beta' });
      await t.haven.sequelize.query(
        `INSERT INTO cluster_nodes (id, instance, host, pid, public_url, media_ports, started_at, heartbeat_at)
         VALUES ('alpha', 'i', 'other-host', 1, 'http://old', 0, ?, ?)`,
        { replacements: [Date.now(), Date.now()] },
      );
      await assert.rejects(
        t.haven.joinCluster(),
        /node "alpha" \(host other-host, pid 1, last heartbeat 0 s ago\)/,
      );
    });
  });

  describe('on PostgreSQL (many nodes)', () => {
    let database: PostgresDatabase;
    before(async function () {
      database = await postgresDatabaseOrSkip(this);
    });
    after(async () => {
      await database?.drop();
    });

    it('lists every live node with its address, media ports and load; refuses a second node with the same id', async () => {
      const common = {
        DATABASE_URL: database.url,
        NODE_HEARTBEAT_SECONDS: '1',
        NODE_DEAD_AFTER_SECONDS: '3',
      };
      const a = await start({
        ...common,
        NODE_ID: 'node-a',
        PUBLIC_URL: 'http://a.test:3001',
        MEDIA_PORT: '41000',
      });
      const b = await start({ ...common, NODE_ID: 'node-b', PUBLIC_URL: 'http://b.test:3002' });
      await a.haven.joinCluster();
      await b.haven.joinCluster();

      const nodes = await b.haven.nodes.liveNodes();
      assert.deepEqual(
        nodes.map((n) => [n.id, n.publicUrl, n.host, n.pid, n.alive]),
        [
          ['node-a', 'http://a.test:3001', hostname(), process.pid, true],
          ['node-b', 'http://b.test:3002', hostname(), process.pid, true],
        ],
      );
      // These test nodes run no media: they announce no media address and no load.
      assert.deepEqual(
        nodes.map((n) => [n.mediaAddress, n.mediaFirstPort, n.mediaPorts, n.liveRooms, n.consumers]),
        [
          [null, null, 0, 0, 0],
          [null, null, 0, 0, 0],
        ],
      );

      const twin = await start({ ...common, NODE_ID: 'node-a' });
      await assert.rejects(twin.haven.joinCluster(), (error: Error) => {
        assert.ok(error instanceof NodeRefusedError);
        assert.match(error.message, /NODE_ID "node-a" is already taken by a live node "node-a"/);
        return true;
      });

      // A heartbeat moves the row forward; a node that stops beating is listed dead.
      const before = (await a.haven.nodes.nodes()).find((n) => n.id === 'node-a')!.heartbeatAt.getTime();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await a.haven.nodes.beat();
      const after = (await a.haven.nodes.nodes()).find((n) => n.id === 'node-a')!.heartbeatAt.getTime();
      assert.ok(after > before, 'the heartbeat was written');
      await b.haven.sequelize.query("UPDATE cluster_nodes SET heartbeat_at = ? WHERE id = 'node-b'", {
        replacements: [Date.now() - 5_000],
      });
      const listed = await a.haven.nodes.nodes();
      assert.deepEqual(
        listed.map((n) => [n.id, n.alive]),
        [
          ['node-a', true],
          ['node-b', false],
        ],
      );
      assert.deepEqual(
        (await a.haven.nodes.liveNodes()).map((n) => n.id),
        ['node-a'],
      );
    });
  });
});

describe('node registry: a node with media', function () {
  this.timeout(60_000);
  let live: LiveHaven;
  before(async () => {
    live = await startLiveHaven({ workers: 1 });
  });
  after(async () => {
    await live?.stop();
  });

  it('announces its media address and ports, and its live rooms with each heartbeat', async () => {
    const media = live.haven.media!;
    await media.room('registry-test-room');
    await live.haven.nodes.beat();
    const [node] = await live.haven.nodes.liveNodes();
    assert.equal(node?.id, live.t.config.cluster.nodeId);
    assert.equal(node?.mediaAddress, '127.0.0.1');
    assert.equal(node?.mediaFirstPort, live.t.config.media.basePort);
    assert.equal(node?.mediaPorts, 1);
    assert.equal(node?.liveRooms, 1);
    assert.equal(node?.consumers, 0);
    assert.ok(node !== undefined && node.workerCpu >= 0);
    await media.closeRoom('registry-test-room');
    await live.haven.nodes.beat();
    assert.equal((await live.haven.nodes.liveNodes())[0]?.liveRooms, 0);
  });
});
