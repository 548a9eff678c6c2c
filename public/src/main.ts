/**
 * Behaviour shared by every page. Pages work without it (forms post, links navigate); this only adds
 * comfort: confirmation before destructive actions, dismissable notices, a header menu that closes on
 * Escape. No inline handlers are allowed by the CSP, so behaviour is attached here by data attributes.
 */
import { bundleStrings } from './strings';

const t = bundleStrings('main');

function confirmDestructiveForms(root: ParentNode): void {
  root.querySelectorAll<HTMLFormElement>('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      const question = form.dataset.confirm ?? t('confirm');
      if (!window.confirm(question)) event.preventDefault();
    });
  });
}

function dismissableNotices(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-dismissable]').forEach((notice) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary outline';
    button.textContent = t('dismiss');
    button.setAttribute('aria-label', t('dismissNotice'));
    button.addEventListener('click', () => {
      notice.hidden = true;
    });
    notice.append(' ', button);
  });
}

/**
 * The phone header menu is a <details> that works without this; with it, Escape closes the open
 * menu (focus back on "Menu") and so does a tap anywhere outside it, as people expect of a menu.
 */
function closableMenus(root: Document): void {
  const menus = Array.from(root.querySelectorAll<HTMLDetailsElement>('details.site-menu'));
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of menus) {
      if (!menu.open) continue;
      menu.open = false;
      menu.querySelector<HTMLElement>('summary')?.focus();
    }
  });
  root.addEventListener('click', (event) => {
    for (const menu of menus) {
      if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
    }
  });
}

/**
 * A new account's time-zone field starts at the clinic's zone (all the server knows); here it
 * proposes the browser's own instead, which the person sees before submitting and can change.
 */
function proposeBrowserTimeZone(root: ParentNode): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  root.querySelectorAll<HTMLSelectElement>('select[data-browser-zone]').forEach((select) => {
    if (zone && Array.from(select.options).some((o) => o.value === zone)) select.value = zone;
  });
}

document.addEventListener('DOMContentLoaded', () => {
  proposeBrowserTimeZone(document);
  confirmDestructiveForms(document);
  dismissableNotices(document);
  closableMenus(document);
});
