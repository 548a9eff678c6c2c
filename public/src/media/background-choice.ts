/**
 * The background effect a person chose for their camera, remembered on this device only
 * (localStorage): it is a matter of this browser and this room's lighting, and it is never sent to
 * the server.
 */
export const BACKGROUND_EFFECTS = ['off', 'blur', 'dawn', 'sea', 'meadow'] as const;

/** Off, a blur of the person's own background, or one of three calm pictures drawn by Haven. */
export type BackgroundEffectName = (typeof BACKGROUND_EFFECTS)[number];

const STORAGE_KEY = 'haven.background';

export function isBackgroundEffect(value: unknown): value is BackgroundEffectName {
  return typeof value === 'string' && (BACKGROUND_EFFECTS as readonly string[]).includes(value);
}

export function loadBackgroundChoice(): BackgroundEffectName {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isBackgroundEffect(saved) ? saved : 'off';
  } catch {
    return 'off';
  }
}

export function saveBackgroundChoice(effect: BackgroundEffectName): void {
  try {
    localStorage.setItem(STORAGE_KEY, effect);
  } catch {
    // Private browsing: the choice holds for this page only.
  }
}
