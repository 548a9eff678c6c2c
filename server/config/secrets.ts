import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error';

/**
 * Secrets the operator did not provide are generated once into DATA_DIR/secrets/ (directory 0700,
 * files 0600) and reused on every later start, so `npm start` needs no configuration and restarts
 * keep sessions and encrypted data readable.
 */
export function provideSecret(
  dataDir: string,
  fileName: string,
  provided: string | undefined,
  generate: () => string,
): string {
  if (provided !== undefined && provided !== '') return provided;
  const dir = join(dataDir, 'secrets');
  const file = join(dir, fileName);
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value === '') throw new ConfigError(`secret file ${file} is empty; delete it or fill it`);
    return value;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const value = generate();
  // 'wx' refuses to overwrite: two processes starting at once cannot clobber each other's secret.
  try {
    writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  return value;
}

export const generators = {
  /** A long random string for HMAC-style secrets. */
  text: (): string => randomBytes(48).toString('base64url'),
  /** A 256-bit AES key in base64. */
  aesKey: (): string => randomBytes(32).toString('base64'),
};
