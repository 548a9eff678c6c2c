// Autosaves a form marked data-autosave (a draft session note, a draft treatment plan, a client's
// exercise): every few seconds after a change, the form is posted in the background with the
// revision it was loaded at; the server answers with the new revision. A 409 means it was signed,
// completed or saved from elsewhere, so saving stops and the person is told. Offline, the changes
// stay in the page and are sent as soon as the browser is back online (and retried until then).
import { formatTime } from '../../server/shared/date-time-format';
import { pageReader } from './page-reader';
import { bundleStrings } from './strings';

const t = bundleStrings('form-autosave');

const form = document.querySelector<HTMLFormElement>('form[data-autosave="true"]');
const statusEl = document.getElementById('autosave-status');
const INTERVAL_MS = 4000;

if (form) {
  let dirty = false;
  let saving = false;
  let stopped = false;
  form.addEventListener('input', () => {
    dirty = true;
    if (statusEl) statusEl.textContent = t('unsaved');
  });

  const save = async (): Promise<void> => {
    if (!dirty || saving || stopped) return;
    saving = true;
    dirty = false;
    const body = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string' && key !== 'sign' && key !== 'done') body.append(key, value);
    }
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
        credentials: 'same-origin',
      });
      if (res.ok) {
        const data = (await res.json()) as { revision: number };
        const revision = form.querySelector<HTMLInputElement>('input[name="revision"]');
        if (revision) revision.value = String(data.revision);
        if (statusEl) statusEl.textContent = t('saved', { time: formatTime(new Date(), pageReader()) });
      } else if (res.status === 409) {
        stopped = true;
        if (statusEl) statusEl.textContent = t('conflict');
      } else {
        dirty = true;
        if (statusEl) statusEl.textContent = t('failed');
      }
    } catch {
      dirty = true;
      if (statusEl) statusEl.textContent = t('offline');
    } finally {
      saving = false;
    }
  };
  window.setInterval(() => void save(), INTERVAL_MS);
  window.addEventListener('online', () => void save());
}
export {};
