/**
 * "Show password" for password fields marked `data-reveal` (ASVS 2.1.12: people may check what they
 * typed, which matters more with long passphrases). Without this script the fields work as usual.
 * Its words come from the page (views/accounts/_password-reveal.ejs), in the page's language.
 */
import { bundleStrings } from './strings';

const t = bundleStrings('password-reveal');

function addRevealButtons(root: ParentNode): void {
  root.querySelectorAll<HTMLInputElement>('input[type="password"][data-reveal]').forEach((input) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary outline reveal-button';
    button.textContent = t('show');
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-controls', input.id);
    button.addEventListener('click', () => {
      const showing = input.type === 'text';
      input.type = showing ? 'password' : 'text';
      button.textContent = showing ? t('show') : t('hide');
      button.setAttribute('aria-pressed', String(!showing));
    });
    input.insertAdjacentElement('afterend', button);
  });
}

document.addEventListener('DOMContentLoaded', () => addRevealButtons(document));
