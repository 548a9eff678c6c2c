import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { sniffPhotoType } from '../directory';
import { AppError, type ErrorCode } from '../shared/errors';
import { newId } from '../shared/ids';

/** Logos larger than this are refused before they are read in full (multer's limit). */
export const LOGO_MAX_BYTES = 1024 * 1024;
/** Stored logos fit inside this box (header and email banner size, with room for high-DPI screens). */
const LOGO_BOX = { width: 600, height: 160 };
const MAX_INPUT_PIXELS = 40_000_000;

const refuse = (code: ErrorCode, message: string) => new AppError(code, 'bad_request', message);

export function logoTooLarge(): AppError {
  return refuse('admin.logo_too_large', 'That logo is larger than 1 MB. Please use a smaller image.');
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
    if (bytes.length === 0) throw refuse('admin.logo_missing', 'Choose an image to upload.');
    if (bytes.length > LOGO_MAX_BYTES) throw logoTooLarge();
    if (!sniffPhotoType(bytes)) {
      throw refuse('admin.logo_type', 'That file is not an image we accept: use a PNG, JPEG or WebP image.');
    }
    let output: Buffer;
    try {
      output = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(LOGO_BOX.width, LOGO_BOX.height, { fit: 'inside', withoutEnlargement: true })
        .png({ compressionLevel: 9 })
        .toBuffer();
    } catch {
      throw refuse('admin.logo_unreadable', 'That image could not be read. Try saving it again as a PNG.');
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
