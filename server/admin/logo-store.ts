import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { sniffPhotoType } from '../directory';
import { AppError, phrase, type ErrorCode, type Phrase } from '../shared/errors';
import { newId } from '../shared/ids';

/** Logos larger than this are refused before they are read in full (multer's limit). */
export const LOGO_MAX_BYTES = 1024 * 1024;
/** Stored logos fit inside this box (header and email banner size, with room for high-DPI screens). */
const LOGO_BOX = { width: 600, height: 160 };
const MAX_INPUT_PIXELS = 40_000_000;

/** A refused upload; the problem is an `admin:problem.logo.*` key the settings page writes in the reader's language. */
const refuse = (code: ErrorCode, problem: Phrase) => new AppError(code, 'bad_request', problem);

export function logoTooLarge(): AppError {
  return refuse(
    'admin.logo_too_large',
    phrase('admin:problem.logo.tooLarge', { megabytes: LOGO_MAX_BYTES / 1024 / 1024 }),
  );
}

/**
 * The clinic's logo, one file at `<dir>/logo.png`. The upload's type is decided by its bytes (JPEG,
 * PNG or WebP; never SVG, which can carry script), then it is decoded and written afresh as a PNG
 * (which every mail program shows) without metadata, so what we serve is what we made.
 */
export class LogoStore {
  readonly #file: string;

  constructor(dir: string) {
    this.#file = path.join(dir, 'logo.png');
  }

  async save(bytes: Buffer): Promise<void> {
    if (bytes.length === 0) throw refuse('admin.logo_missing', phrase('admin:problem.chooseImage'));
    if (bytes.length > LOGO_MAX_BYTES) throw logoTooLarge();
    if (!sniffPhotoType(bytes)) {
      throw refuse('admin.logo_type', phrase('admin:problem.logo.type'));
    }
    let output: Buffer;
    try {
      output = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(LOGO_BOX.width, LOGO_BOX.height, { fit: 'inside', withoutEnlargement: true })
        .png({ compressionLevel: 9 })
        .toBuffer();
    } catch {
      throw refuse('admin.logo_unreadable', phrase('admin:problem.logo.unreadable'));
    }
    await mkdir(path.dirname(this.#file), { recursive: true });
    // Write then rename: a reader never sees half a logo.
    const temporary = `${this.#file}.${newId()}.tmp`;
    await writeFile(temporary, output, { mode: 0o640 });
    await rename(temporary, this.#file);
  }

  async read(): Promise<Buffer | null> {
    try {
      return await readFile(this.#file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(): Promise<void> {
    await unlink(this.#file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
