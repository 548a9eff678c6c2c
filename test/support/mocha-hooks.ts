// Tests never read the developer's .env or real environment by accident: each test builds its own
// config. Keep stray logs quiet unless a test asks otherwise.
process.env.LOG_LEVEL ??= 'silent';
