/**
 * A page's background picker (a select of off, blur and the calm pictures, rendered by the view)
 * and the line under it that says why an effect was turned off. Several pickers on one page (the
 * room's waiting preview and its device controls) stay in step.
 */
import { bundleStrings } from '../strings';
import { isBackgroundEffect } from './background-choice';
import { BackgroundEffects, backgroundEffects, type EffectNotice } from './background-effect';
import { TOO_SLOW_MS } from './frame-timing';

const t = bundleStrings('effects');

export function bindBackgroundPicker(
  select: HTMLSelectElement,
  notice: HTMLElement,
  effects: BackgroundEffects = backgroundEffects,
): void {
  if (!BackgroundEffects.supported()) {
    select.value = 'off';
    select.disabled = true;
    notice.textContent = t('unsupported');
    return;
  }
  select.value = effects.state.effect;
  select.addEventListener('change', () => {
    if (isBackgroundEffect(select.value)) effects.choose(select.value);
  });
  effects.onChange((effect, why) => {
    select.value = effect;
    notice.textContent = why ? explain(why) : '';
  });
}

function explain(notice: EffectNotice): string {
  return notice.kind === 'too-slow'
    ? t('tooSlow', { ms: Math.round(notice.medianMs), limit: TOO_SLOW_MS })
    : t('unavailable');
}

/** Binds every picker the page rendered (views/partials/background-picker.ejs). */
export function bindBackgroundPickers(root: ParentNode = document): void {
  for (const select of root.querySelectorAll<HTMLSelectElement>('select[data-background-picker]')) {
    const notice = document.getElementById(`${select.id}-notice`);
    if (notice) bindBackgroundPicker(select, notice);
  }
}
