import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError, phrase, type ErrorCode, type Phrase } from '../shared/errors';
import { newId } from '../shared/ids';

/** Uploads larger than this are refused before they are read in full (multer's limit). */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
/** Every stored photo is exactly this square, whatever was uploaded. */
export const PHOTO_SIZE_PX = 400;
/** Decompression-bomb guard: a small file may still claim a huge canvas. */
const MAX_INPUT_PIXELS = 40_000_000;

type PhotoType = 'jpeg' | 'png' | 'webp';

/** The type the bytes say they are (never the file name or the browser's claim). */
export function sniffPhotoType(bytes: Buffer): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'webp';
  }
  return null;
}

const refuse = (code: ErrorCode, problem: Phrase) => new AppError(code, 'bad_request', problem);

/**
 * Practitioners' profile photos, one per user at `<dir>/<userId>.webp`. Uploads are re-encoded
 * here: decoded, turned upright, cropped to a square, written as a fresh WebP. Nothing of the
 * original file survives (no EXIF, no GPS, no embedded payload), so what we serve is what we made.
 */
export class PhotoStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #file(userId: string): string {
    // User ids are uuids; refuse anything else rather than let it near a path.
    if (!/^[0-9a-f-]{36}$/i.test(userId))
      throw new AppError('directory.no_photo', 'not_found', phrase('directory:problem.noPhoto'));
    return path.join(this.#dir, `${userId.toLowerCase()}.webp`);
  }

  async save(userId: string, bytes: Buffer): Promise<void> {
    if (bytes.length === 0) throw refuse('directory.photo_missing', phrase('directory:problem.choosePhoto'));
    if (bytes.length > PHOTO_MAX_BYTES) throw tooLarge();
    if (!sniffPhotoType(bytes)) {
      throw refuse('directory.photo_type', phrase('directory:problem.photoType'));
    }
    let output: Buffer;
    try {
      output = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate() // honour the camera's orientation before the metadata goes
        .resize(PHOTO_SIZE_PX, PHOTO_SIZE_PX, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toBuffer();
    } catch {
      throw refuse('directory.photo_unreadable', phrase('directory:problem.photoUnreadable'));
    }
    const target = this.#file(userId);
    await mkdir(this.#dir, { recursive: true });
    // Write then rename: a reader never sees half a photo.
    const temporary = `${target}.${newId()}.tmp`;
    await writeFile(temporary, output, { mode: 0o640 });
    await rename(temporary, target);
  }

  async read(userId: string): Promise<Buffer | null> {
    try {
      return await readFile(this.#file(userId));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** For cache-busting URLs: when each user's photo last changed (users without one are absent). */
  async versions(userIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const id of userIds) {
      try {
        out.set(id, Math.floor((await stat(this.#file(id))).mtimeMs));
      } catch (error) {
        if (!isMissing(error) && !(error instanceof AppError)) throw error;
      }
    }
    return out;
  }
}

export function tooLarge(): AppError {
  return refuse(
    'directory.photo_too_large',
    phrase('directory:problem.photoTooLarge', { bytes: PHOTO_MAX_BYTES }),
  );
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
