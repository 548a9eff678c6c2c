import argon2 from 'argon2';

/**
 * argon2id with OWASP's recommended floor (19 MiB memory, 2 iterations, 1 lane). The parameters are
 * stored inside each hash, so raising them later only affects new and re-hashed passwords.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password.normalize('NFKC'), OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}
