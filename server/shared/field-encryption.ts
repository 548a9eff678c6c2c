import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from './errors';

/**
 * AES-256-GCM for health-information columns.
 *
 * A stored value looks like `hv1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). The key id is the
 * first 8 bytes of SHA-256 over the key, so a value names the key that can open it and keys can rotate:
 * new writes use the current key, old values stay readable while their key is listed as previous.
 * The "context" (e.g. `clinical_notes.body`) is bound as additional authenticated data, so a value
 * copied into another column fails to decrypt instead of being silently accepted.
 */
const VERSION = 'hv1';
const IV_BYTES = 12;

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url');
}

export class FieldCipher {
  readonly #current: { id: string; key: Buffer };
  readonly #byId: ReadonlyMap<string, Buffer>;

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('field-encryption keys must be 32 bytes');
    }
    this.#current = { id: keyIdOf(currentKey), key: currentKey };
    this.#byId = new Map([currentKey, ...previousKeys].map((key) => [keyIdOf(key), key]));
  }

  /** Id of the key new values are written with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [VERSION, this.#current.id, ...parts].join('.');
  }

  decrypt(stored: string, context: string): string {
    const parts = stored.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new AppError('crypto.malformed_value', 'unavailable', 'stored value is not encrypted');
    }
    const [, keyId, iv, body, tag] = parts as [string, string, string, string, string];
    const key = this.#byId.get(keyId);
    if (!key) throw new AppError('crypto.unknown_key', 'unavailable', `no key with id ${keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new AppError('crypto.tampered_value', 'unavailable', 'stored value failed authentication');
    }
  }

  /** True when a stored value was written with an older key and should be re-encrypted. */
  needsRotation(stored: string): boolean {
    return stored.split('.')[1] !== this.#current.id;
  }
}

/**
 * Column options for a Sequelize attribute holding health information: values are encrypted on set
 * and decrypted on get, so a repository's `get({ plain: true })` yields plaintext while the database
 * only ever sees ciphertext. `context` should be `<table>.<column>`.
 */
export function encryptedTextColumn(
  cipher: FieldCipher,
  context: string,
  column: string,
): {
  get(this: { getDataValue(key: string): unknown }): string | null;
  set(this: { setDataValue(key: string, value: unknown): void }, value: string | null): void;
} {
  return {
    get() {
      const stored = this.getDataValue(column);
      return typeof stored === 'string' ? cipher.decrypt(stored, context) : null;
    },
    set(value) {
      this.setDataValue(column, value === null ? null : cipher.encrypt(value, context));
    },
  };
}
