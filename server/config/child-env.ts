/**
 * The environment for a helper program Haven starts (pg_dump, pg_restore): this process's
 * environment plus `extra`. It lives here because server/config is the only reader of
 * process.env; callers pass secrets through `extra` so they never appear on a command line.
 */
export function childProcessEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
