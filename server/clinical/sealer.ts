import type { FieldCipher } from '../shared/field-encryption';

/**
 * Seals structured health information into one FieldCipher value. The context names table, column
 * and row id, so a ciphertext copied to another row or column fails to open instead of being
 * silently shown under the wrong client.
 */
export class Sealer {
  readonly #cipher: FieldCipher;

  constructor(cipher: FieldCipher) {
    this.#cipher = cipher;
  }

  seal(value: unknown, table: string, column: string, rowId: string): string {
    return this.#cipher.encrypt(JSON.stringify(value), `${table}.${column}:${rowId}`);
  }

  open<T>(stored: string, table: string, column: string, rowId: string): T {
    return JSON.parse(this.#cipher.decrypt(stored, `${table}.${column}:${rowId}`)) as T;
  }
}
