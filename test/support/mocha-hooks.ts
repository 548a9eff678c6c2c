import { stopSharedPostgres } from './postgres';

// Tests never read the developer's .env or real environment by accident: each test builds its own
// config. Keep stray logs quiet unless a test asks otherwise.
process.env.LOG_LEVEL ??= 'silent';

/** Root hooks: the run's shared PostgreSQL (started lazily by the suites that need it) stops at the end. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSharedPostgres();
  },
};
