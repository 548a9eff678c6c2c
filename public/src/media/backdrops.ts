/**
 * The three calm pictures a person can put behind themselves, drawn by code at the frame's size
 * (no photograph is shipped or fetched): soft gradients with one quiet shape each, chosen to be
 * neutral behind a face in a therapy session.
 */
export type BackdropName = 'dawn' | 'sea' | 'meadow';

type Context2D = OffscreenCanvasRenderingContext2D;

export function drawBackdrop(ctx: Context2D, name: BackdropName, width: number, height: number): void {
  const sky = ctx.createLinearGradient(0, 0, 0, height);
  if (name === 'dawn') {
    sky.addColorStop(0, '#f6d8c4');
    sky.addColorStop(0.6, '#f3e6d8');
    sky.addColorStop(1, '#e8d3c8');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, width, height);
    // A low, soft sun.
    const sun = ctx.createRadialGradient(
      width * 0.72,
      height * 0.62,
      0,
      width * 0.72,
      height * 0.62,
      height * 0.5,
    );
    sun.addColorStop(0, 'rgba(255, 236, 200, 0.9)');
    sun.addColorStop(1, 'rgba(255, 236, 200, 0)');
    ctx.fillStyle = sun;
    ctx.fillRect(0, 0, width, height);
    return;
  }
  if (name === 'sea') {
    sky.addColorStop(0, '#d9e8f0');
    sky.addColorStop(0.55, '#b9d3e1');
    sky.addColorStop(1, '#8fb3c8');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, width, height);
    // Three gentle swells.
    for (let i = 0; i < 3; i += 1) {
      const y = height * (0.62 + i * 0.12);
      ctx.fillStyle = `rgba(255, 255, 255, ${0.16 - i * 0.04})`;
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.bezierCurveTo(width * 0.3, y - height * 0.05, width * 0.6, y + height * 0.05, width, y);
      ctx.lineTo(width, height);
      ctx.lineTo(0, height);
      ctx.closePath();
      ctx.fill();
    }
    return;
  }
  sky.addColorStop(0, '#e4eedf');
  sky.addColorStop(1, '#c9dcc0');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, height);
  // Two soft hills.
  const hills: [number, string][] = [
    [0.7, '#b3cca6'],
    [0.82, '#9dbb90'],
  ];
  for (const [top, colour] of hills) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(0, height * top);
    ctx.quadraticCurveTo(width * 0.45, height * (top - 0.14), width, height * (top + 0.02));
    ctx.lineTo(width, height);
    ctx.lineTo(0, height);
    ctx.closePath();
    ctx.fill();
  }
}
