import type { BrandColours } from './clinic-preferences.schemas';
import { shade } from './contrast';

function hexToRgba(hex: string, alpha: number): string {
  const n = (o: number) => parseInt(hex.slice(o, o + 2), 16);
  return `rgba(${n(1)}, ${n(3)}, ${n(5)}, ${alpha})`;
}

/**
 * The clinic's colours as a stylesheet, served from our origin at /branding.css after Pico and
 * haven.css (so it wins on the same selectors). A file, not a style attribute: the CSP allows no
 * inline styles. Colours were validated as `#rrggbb` before they were stored, so nothing else can
 * reach this text.
 */
export function brandStylesheet(c: BrandColours): string {
  const hover = shade(c.primary, -0.15);
  return `/* Generated from the clinic's settings (admin console). */
:root,
[data-theme='light'],
:root:not([data-theme='dark']) {
  --pico-background-color: ${c.background};
  --pico-color: ${c.text};
  --pico-h1-color: ${c.text};
  --pico-h2-color: ${c.text};
  --pico-h3-color: ${c.text};
  --pico-primary: ${c.primary};
  --pico-primary-background: ${c.primary};
  --pico-primary-border: ${c.primary};
  --pico-primary-hover: ${hover};
  --pico-primary-hover-background: ${hover};
  --pico-primary-hover-border: ${hover};
  --pico-primary-inverse: ${c.primaryText};
  --pico-primary-focus: ${hexToRgba(c.primary, 0.35)};
  --pico-primary-underline: ${hexToRgba(c.primary, 0.5)};
}
body {
  background-color: ${c.background};
  color: ${c.text};
}
.brand-logo {
  max-height: 2.5rem;
  width: auto;
  vertical-align: middle;
}
`;
}
