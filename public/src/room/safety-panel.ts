import type { SafetyCheckNotice } from '../../../server/protocol';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

/**
 * The therapist's safety-check panel: a client who confirms after the therapist came in shows up
 * here at once, without a reload (text only, never HTML; the callback number is a tel: link).
 */
export function showSafetyCheck(root: ParentNode, notice: SafetyCheckNotice): void {
  const item = [...root.querySelectorAll<HTMLElement>('[data-safety-client]')].find(
    (li) => li.dataset.safetyClient === notice.clientId,
  );
  const answer = item?.querySelector('.safety-answer');
  if (!answer) return;
  const call = document.createElement('a');
  call.href = `tel:${notice.callbackNumber}`;
  call.textContent = notice.callbackNumber;
  call.dir = 'ltr';
  answer.replaceChildren(t('safety.at', { location: notice.location }), ' ', call);
}
