/**
 * Behaviour shared by every page. Pages work without it (forms post, links navigate); this only adds
 * comfort: confirmation before destructive actions and dismissable notices. No inline handlers are
 * allowed by the CSP, so behaviour is attached here by data attributes.
 */

function confirmDestructiveForms(root: ParentNode): void {
  root.querySelectorAll<HTMLFormElement>('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      const question = form.dataset.confirm ?? 'Are you sure?';
      if (!window.confirm(question)) event.preventDefault();
    });
  });
}

function dismissableNotices(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-dismissable]').forEach((notice) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary outline';
    button.textContent = 'Dismiss';
    button.setAttribute('aria-label', 'Dismiss this notice');
    button.addEventListener('click', () => {
      notice.hidden = true;
    });
    notice.append(' ', button);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  confirmDestructiveForms(document);
  dismissableNotices(document);
});
