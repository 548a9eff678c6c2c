import { loadConfig } from '../config';
import { createDatabase, createMigrator } from '../db';

/**
 * `npm run migrate` applies pending migrations; `npm run migrate -- status` lists them;
 * `npm run migrate -- down` reverts the most recent one (for development; back up first).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const sequelize = createDatabase(config.database);
  const migrator = createMigrator(sequelize);
  const command = process.argv[2] ?? 'up';
  try {
    if (command === 'up') {
      const applied = await migrator.up();
      process.stdout.write(
        applied.length
          ? applied.map((m) => `applied ${m.name}`).join('\n') + '\n'
          : 'database is up to date\n',
      );
    } else if (command === 'down') {
      const reverted = await migrator.down();
      process.stdout.write(reverted.map((m) => `reverted ${m.name}`).join('\n') + '\n');
    } else if (command === 'status') {
      for (const m of await migrator.executed()) process.stdout.write(`applied  ${m.name}\n`);
      for (const m of await migrator.pending()) process.stdout.write(`pending  ${m.name}\n`);
    } else {
      process.stderr.write(`haven: unknown migrate command "${command}" (use up, down or status)\n`);
      process.exitCode = 2;
    }
  } finally {
    await sequelize.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `haven: migration failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
