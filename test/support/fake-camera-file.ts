import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The picture a {@link writeFakeCameraFile} camera shows, for tests that look at its pixels. */
export interface FakeCameraPicture {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  /** Where the picture never changes (a fine black-and-white checkerboard): x, y, width, height. */
  readonly still: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

/**
 * A Y4M file for Chromium's `--use-file-for-fake-video-capture`: a fine checkerboard (detail that a
 * blur visibly removes) with a grey square moving along the bottom band, 24 frames a second, looped
 * by Chromium. The default fake camera is mostly flat colour, which a blur leaves nearly unchanged.
 */
export function writeFakeCameraFile(): FakeCameraPicture {
  const width = 640;
  const height = 360;
  const frames = 24;
  const square = 8;
  const luma = Buffer.alloc(width * height);
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F24:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < frames; f += 1) {
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1)
        luma[y * width + x] = (Math.floor(x / square) + Math.floor(y / square)) % 2 === 0 ? 235 : 16;
    // The moving part stays in the bottom third.
    const left = Math.round((f / frames) * (width - 80));
    for (let y = height - 100; y < height - 20; y += 1)
      for (let x = left; x < left + 80; x += 1) luma[y * width + x] = 128;
    parts.push(Buffer.from('FRAME\n'), Buffer.from(luma), chroma, chroma);
  }
  const path = join(tmpdir(), `haven-fake-camera-${process.pid}.y4m`);
  writeFileSync(path, Buffer.concat(parts));
  return { path, width, height, still: { x: 0, y: 0, w: width, h: Math.round(height * 0.6) } };
}
