import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, phrase } from '../shared/errors';

/**
 * Attachment contents, encrypted on disk with AES-256-GCM under the field-encryption key.
 *
 * File layout: `HVA1` | key id (8 bytes: SHA-256 prefix of the key, as FieldCipher does, so keys can
 * rotate) | IV (12) | ciphertext | tag (16). The attachment id is bound as additional data, so a
 * file renamed onto another attachment's id fails to open. The file name on disk is the attachment
 * id (a random UUID), never anything the sender chose.
 */
const MAGIC = Buffer.from('HVA1', 'ascii');
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ID_PATTERN = /^[0-9a-f-]{36}$/;

const keyIdOf = (key: Buffer): Buffer => createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);

export class AttachmentVault {
  readonly #dir: string;
  readonly #current: { id: Buffer; key: Buffer };
  readonly #keys: readonly { id: Buffer; key: Buffer }[];

  constructor(dir: string, currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    this.#dir = dir;
    this.#keys = [currentKey, ...previousKeys].map((key) => {
      if (key.length !== 32) throw new Error('attachment keys must be 32 bytes');
      return { id: keyIdOf(key), key };
    });
    this.#current = this.#keys[0]!;
  }

  #path(id: string): string {
    // Ids come from our own database, but a path is built from them: refuse anything odd.
    if (!ID_PATTERN.test(id)) throw new AppError('messaging.attachment_missing', 'not_found');
    return join(this.#dir, id);
  }

  /** Encrypts and writes atomically (temp file, then rename), so a crash never leaves half a file. */
  async put(id: string, plain: Buffer): Promise<void> {
    const path = this.#path(id);
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(`message_attachments:${id}`, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, Buffer.concat([MAGIC, this.#current.id, iv, body, cipher.getAuthTag()]), {
      mode: 0o600,
    });
    await rename(temp, path);
  }

  async get(id: string): Promise<Buffer> {
    let stored: Buffer;
    try {
      stored = await readFile(this.#path(id));
    } catch {
      throw new AppError('messaging.attachment_missing', 'not_found', phrase('errors:messaging.fileGone'));
    }
    const headerBytes = MAGIC.length + KEY_ID_BYTES + IV_BYTES;
    if (stored.length < headerBytes + TAG_BYTES || !stored.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new AppError('crypto.malformed_value', 'unavailable', 'attachment file is not encrypted');
    }
    const keyId = stored.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES);
    const key = this.#keys.find((k) => k.id.equals(keyId))?.key;
    if (!key) throw new AppError('crypto.unknown_key', 'unavailable', 'no key for this attachment');
    const iv = stored.subarray(MAGIC.length + KEY_ID_BYTES, headerBytes);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`message_attachments:${id}`, 'utf8'));
    decipher.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(stored.subarray(headerBytes, stored.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new AppError('crypto.tampered_value', 'unavailable', 'attachment failed authentication');
    }
  }

  /** Idempotent: removing a file that is already gone is fine. */
  async remove(id: string): Promise<void> {
    await rm(this.#path(id), { force: true });
  }
}
