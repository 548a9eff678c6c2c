import { QueryTypes, type Sequelize } from 'sequelize';

/** Umzug's bookkeeping table; it stays when every migration is reverted. */
const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * What the schema looks like, as plain sorted data, so that "the schema before migration X" and
 * "the schema after X's up and down" can be compared with deepEqual. It describes meaning rather than
 * DDL text (SQLite keeps the CREATE statement verbatim, and a table that Sequelize rebuilt to drop a
 * column reads differently while being the same), and it leaves out the migrations table.
 */
export interface SchemaSnapshot {
  readonly tables: Record<string, unknown>;
  /** Triggers, functions, enum types, sequences: the things a forgetful `down` leaves behind. */
  readonly other: readonly string[];
}

type Row = Record<string, unknown>;

async function select(sequelize: Sequelize, sql: string): Promise<Row[]> {
  return sequelize.query<Row>(sql, { type: QueryTypes.SELECT });
}

function quoteSqlite(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function sqliteSnapshot(sequelize: Sequelize): Promise<SchemaSnapshot> {
  const tables: Record<string, unknown> = {};
  const names = await select(
    sequelize,
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
     AND name <> '${MIGRATIONS_TABLE}' ORDER BY name`,
  );
  for (const { name } of names as { name: string }[]) {
    const table = quoteSqlite(name);
    const columns = (await select(sequelize, `PRAGMA table_info(${table})`)).map(
      (c) => `${c.name} ${c.type} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`,
    );
    const foreignKeys = (await select(sequelize, `PRAGMA foreign_key_list(${table})`))
      .map((f) => `${f.from} -> ${f.table}(${f.to}) on delete ${f.on_delete} on update ${f.on_update}`)
      .sort();
    const indexes: string[] = [];
    for (const index of await select(sequelize, `PRAGMA index_list(${table})`)) {
      const cols = (await select(sequelize, `PRAGMA index_info(${quoteSqlite(String(index.name))})`))
        .sort((a, b) => Number(a.seqno) - Number(b.seqno))
        .map((c) => c.name)
        .join(',');
      // Automatic indexes (for UNIQUE / PRIMARY KEY) get numbered names that can change on a
      // rebuild; what matters is which columns they cover.
      const label = index.origin === 'c' ? String(index.name) : `(${index.origin})`;
      indexes.push(`${label} unique=${index.unique} on ${cols}`);
    }
    tables[name] = { columns, foreignKeys, indexes: indexes.sort() };
  }
  const other = (
    await select(
      sequelize,
      `SELECT type || ' ' || name || ' on ' || tbl_name AS item FROM sqlite_master
       WHERE type IN ('trigger', 'view') ORDER BY item`,
    )
  ).map((r) => String(r.item));
  return { tables, other };
}

async function postgresSnapshot(sequelize: Sequelize): Promise<SchemaSnapshot> {
  const tables: Record<string, { columns: string[]; constraints: string[]; indexes: string[] }> = {};
  const tableOf = (name: string) => (tables[name] ??= { columns: [], constraints: [], indexes: [] });
  for (const c of await select(
    sequelize,
    `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '${MIGRATIONS_TABLE}'
     ORDER BY table_name, column_name`,
  )) {
    tableOf(String(c.table_name)).columns.push(
      `${c.column_name} ${c.data_type}(${c.character_maximum_length}) null=${c.is_nullable} default=${c.column_default}`,
    );
  }
  for (const c of await select(
    sequelize,
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0
     ORDER BY 1, 3, 2`,
  )) {
    if (c.table_name === MIGRATIONS_TABLE) continue;
    tableOf(String(c.table_name).replaceAll('"', '')).constraints.push(`${c.conname}: ${c.def}`);
  }
  for (const i of await select(
    sequelize,
    `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'
     AND tablename <> '${MIGRATIONS_TABLE}' ORDER BY tablename, indexdef`,
  )) {
    tableOf(String(i.tablename)).indexes.push(String(i.indexdef));
  }
  const other = (
    await select(
      sequelize,
      `SELECT 'trigger ' || tgname || ' on ' || tgrelid::regclass::text AS item FROM pg_trigger
         WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
       UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
       UNION ALL SELECT 'type ' || typname FROM pg_type
         WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd')
       UNION ALL SELECT 'sequence ' || relname FROM pg_class
         WHERE relnamespace = 'public'::regnamespace AND relkind = 'S' AND relname NOT LIKE '${MIGRATIONS_TABLE}%'
       UNION ALL SELECT 'view ' || relname FROM pg_class
         WHERE relnamespace = 'public'::regnamespace AND relkind IN ('v', 'm')
       ORDER BY 1`,
    )
  ).map((r) => String(r.item));
  return { tables, other };
}

export function schemaSnapshot(sequelize: Sequelize): Promise<SchemaSnapshot> {
  return sequelize.getDialect() === 'postgres' ? postgresSnapshot(sequelize) : sqliteSnapshot(sequelize);
}
