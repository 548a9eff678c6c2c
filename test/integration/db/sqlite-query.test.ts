import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DataTypes, Sequelize, UniqueConstraintError, type ModelStatic, type Model } from 'sequelize';
import { createDatabase } from '../../../server/db';
import { statementsDuring } from '../../support/sql-statements';
import { makeTempDir } from '../../support/temp-dir';

function defineVisit(sequelize: Sequelize): ModelStatic<Model> {
  return sequelize.define(
    'Visit',
    {
      id: { type: DataTypes.STRING, primaryKey: true },
      at: { type: DataTypes.DATE, allowNull: false },
      day: { type: DataTypes.DATEONLY, allowNull: true },
      done: { type: DataTypes.BOOLEAN, allowNull: false },
      extra: { type: DataTypes.JSON, allowNull: true },
      count: { type: DataTypes.INTEGER, allowNull: true },
      ratio: { type: DataTypes.FLOAT, allowNull: true },
    },
    { tableName: 'visits', timestamps: false, underscored: true },
  );
}

const ROWS = [
  {
    id: 'a',
    at: new Date('2026-03-01T10:15:00.123Z'),
    day: '2026-03-01',
    done: true,
    extra: { k: [1, 2] },
    count: 3,
    ratio: 0.5,
  },
  {
    id: 'b',
    at: new Date('2026-03-02T08:00:00Z'),
    day: null,
    done: false,
    extra: null,
    count: null,
    ratio: null,
  },
];

describe("SQLite queries (how Haven drives Sequelize's dialect)", () => {
  const temp = makeTempDir();
  let haven: Sequelize;
  let stock: Sequelize;
  let Visit: ModelStatic<Model>;
  let StockVisit: ModelStatic<Model>;

  before(async () => {
    const storage = join(temp.dir, 'q.sqlite');
    haven = createDatabase({ dialect: 'sqlite', storage, busyTimeoutMs: 2000 });
    // The same file through Sequelize's own, unmodified query path: the reference for results.
    stock = new Sequelize({ dialect: 'sqlite', storage, logging: false });
    Visit = defineVisit(haven);
    StockVisit = defineVisit(stock);
    await haven.query(
      'CREATE TABLE visits (id TEXT PRIMARY KEY, at DATETIME NOT NULL, day DATE, done TINYINT(1) NOT NULL, extra JSON, count INTEGER, ratio FLOAT)',
    );
    await Visit.bulkCreate(ROWS);
  });
  after(async () => {
    await haven.close();
    await stock.close();
    temp.remove();
  });

  it('a SELECT is one statement: the table is described once, not before every query', async () => {
    await Visit.findByPk('a'); // first read of the table describes it
    const sql = await statementsDuring(async () => {
      await Visit.findByPk('a');
      await Visit.findAll({ where: { done: false } });
      await Visit.count();
    });
    assert.equal(sql.filter((s) => /PRAGMA/i.test(s)).length, 0, sql.join('\n'));
    assert.equal(sql.length, 3, sql.join('\n'));
  });

  it('formats no stack trace for a query that succeeds', async () => {
    const previous = Error.prepareStackTrace;
    let formatted = 0;
    Error.prepareStackTrace = (error, frames) => {
      formatted += 1;
      return previous ? previous(error, frames) : `${String(error)}\n${frames.join('\n')}`;
    };
    try {
      await Visit.findByPk('a');
      await Visit.update({ count: 4 }, { where: { id: 'a' } });
    } finally {
      Error.prepareStackTrace = previous;
    }
    assert.equal(formatted, 0);
  });

  it('parses every column type exactly as Sequelize does on its own', async () => {
    const ours = (await Visit.findAll({ order: [['id', 'ASC']] })).map((v) => v.get({ plain: true }));
    const theirs = (await StockVisit.findAll({ order: [['id', 'ASC']] })).map((v) => v.get({ plain: true }));
    assert.deepEqual(ours, theirs);
    const first = ours[0] as Record<string, unknown>;
    assert.ok(first.at instanceof Date);
    assert.equal((first.at as Date).toISOString(), '2026-03-01T10:15:00.123Z');
    assert.equal(first.done, true);
    assert.deepEqual(first.extra, { k: [1, 2] });
    const raw = await haven.query('SELECT id, done FROM `visits` ORDER BY id', { raw: true });
    const stockRaw = await stock.query('SELECT id, done FROM `visits` ORDER BY id', { raw: true });
    assert.deepEqual(raw[0], stockRaw[0]);
  });

  it('describes a table again after its schema changes', async () => {
    await haven.query('ALTER TABLE visits ADD COLUMN seen_at DATETIME');
    await haven.query("UPDATE visits SET seen_at = '2026-03-05 09:00:00.000 +00:00' WHERE id = 'a'");
    const Seen = haven.define(
      'SeenVisit',
      {
        id: { type: DataTypes.STRING, primaryKey: true },
        seenAt: { type: DataTypes.DATE, field: 'seen_at' },
      },
      { tableName: 'visits', timestamps: false },
    );
    const row = await Seen.findByPk('a');
    const seenAt: unknown = row?.get('seenAt');
    assert.ok(seenAt instanceof Date, `seen_at came back as ${typeof seenAt}`);
    assert.equal(seenAt.toISOString(), '2026-03-05T09:00:00.000Z');
  });

  it('keeps failures as they were: the Sequelize error class, the SQL and a stack', async () => {
    const error: unknown = await Visit.create({ id: 'a', at: new Date(), done: true }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof UniqueConstraintError, String(error));
    assert.match(String((error.parent as { sql?: string }).sql ?? ''), /INSERT INTO `visits`/);
    assert.ok(typeof error.stack === 'string' && error.stack.length > 0);
  });

  it('works inside transactions (their own connection) and returns write counts', async () => {
    await haven.transaction(async (transaction) => {
      const [changed] = await Visit.update({ count: 9 }, { where: { id: 'b' }, transaction });
      assert.equal(changed, 1);
      const inside = await Visit.findByPk('b', { transaction });
      assert.equal(inside?.get('count'), 9);
    });
    assert.equal((await Visit.findByPk('b'))?.get('count'), 9);
  });
});
