import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCb,
  type ScryptOptions,
} from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BackupRefusedError } from './backup.types';

/**
 * Encrypted backup files: a 40-byte header, the AES-256-GCM ciphertext, then the 16-byte tag.
 *
 *   "HAVENBAK" | version (1) | log2 N | r | p | salt (16) | iv (12)
 *
 * The key comes from the passphrase through scrypt with the salt and cost in the header, so a
 * file stays readable after the defaults change. The header is authenticated as GCM additional
 * data: altering the cost, salt or anything else makes decryption fail instead of misleading.
 * Files are streamed, never read whole: a clinic's database can be large.
 */
const MAGIC = Buffer.from('HAVENBAK', 'ascii');
const VERSION = 1;
const HEADER_BYTES = 40;
const TAG_BYTES = 16;
const DEFAULT_COST = { logN: 15, r: 8, p: 1 } as const;

function deriveKey(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(passphrase, salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Does this file start like one of our encrypted backups? */
export async function isEncryptedBackup(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, MAGIC.length, 0);
    return bytesRead === MAGIC.length && head.equals(MAGIC);
  } finally {
    await handle.close();
  }
}

export async function encryptFile(source: string, target: string, passphrase: string): Promise<void> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { logN, r, p } = DEFAULT_COST;
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION, logN, r, p]), salt, iv]);
  const key = await deriveKey(passphrase, salt, logN, r, p);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(header);
  const out = createWriteStream(target, { mode: 0o600, flags: 'wx' });
  out.write(header);
  // Appends the tag once the ciphertext is complete.
  const withTag = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, chunk);
    },
    flush(done) {
      done(null, cipher.getAuthTag());
    },
  });
  await pipeline(createReadStream(source), cipher, withTag, out);
}

/**
 * Decrypts into `target` (created fresh). A wrong passphrase or any altered byte raises
 * BackupRefusedError and removes nothing but the partial target, which the caller deletes.
 */
export async function decryptFile(source: string, target: string, passphrase: string): Promise<void> {
  const size = (await stat(source)).size;
  if (size < HEADER_BYTES + TAG_BYTES) throw new BackupRefusedError('the encrypted backup is truncated');
  const handle = await open(source, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupRefusedError('the file is not an encrypted Haven backup');
  }
  const [version, logN, r, p] = header.subarray(8, 12);
  if (version !== VERSION || logN === undefined || r === undefined || p === undefined) {
    throw new BackupRefusedError(`unknown encrypted backup version ${String(version)}`);
  }
  if (logN < 10 || logN > 22 || r < 1 || r > 32 || p < 1 || p > 16) {
    throw new BackupRefusedError('the encrypted backup header has impossible key-derivation settings');
  }
  const key = await deriveKey(passphrase, header.subarray(12, 28), logN, r, p);
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(28, 40));
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  try {
    await pipeline(
      createReadStream(source, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }),
      decipher,
      createWriteStream(target, { mode: 0o600, flags: 'wx' }),
    );
  } catch (error) {
    if (error instanceof Error && /authenticate/i.test(error.message)) {
      throw new BackupRefusedError('wrong passphrase, or the encrypted backup was altered or damaged');
    }
    throw error;
  }
}
