import {
  itKeepsRowsAcrossFeatureMigrations,
  itRoundTripsEveryMigration,
} from '../../support/migration-round-trip';
import { startTestHaven, type TestHaven } from '../../support/test-haven';

// The same suite runs on PostgreSQL in postgres.test.ts.
describe('migrations on SQLite: up, down to zero, up again', () => {
  let t: TestHaven;
  before(async () => {
    t = await startTestHaven();
  });
  after(() => t.stop());

  itRoundTripsEveryMigration(() => t.haven.sequelize);
  itKeepsRowsAcrossFeatureMigrations(() => t.haven.sequelize);
});
