export { createDatabase, dialectOf, pingDatabase, type Dialect } from './database';
export { createMigrator, migrateToLatest } from './migrator';
export type { Migration, MigrationContext } from './migration-context';
