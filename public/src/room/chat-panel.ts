import type { ChatMessage } from '../../../server/protocol';
import { formatTime } from '../../../server/shared/date-time-format';
import { pageReader } from '../page-reader';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

/** The chat log: text only (textContent, never HTML), newest at the bottom, each message once. */
export class ChatPanel {
  readonly #log: HTMLElement;
  readonly #selfId: string;
  readonly #seen = new Set<string>();

  constructor(log: HTMLElement, selfId: string) {
    this.#log = log;
    this.#selfId = selfId;
  }

  add(message: ChatMessage): void {
    if (this.#seen.has(message.id)) return;
    this.#seen.add(message.id);
    const li = document.createElement('li');
    li.className = message.senderId === this.#selfId ? 'mine' : 'theirs';
    li.dataset.messageId = message.id;
    const who = document.createElement('strong');
    who.textContent = message.senderId === this.#selfId ? t('you') : message.senderName;
    const time = document.createElement('time');
    time.dateTime = message.sentAt;
    time.textContent = formatTime(message.sentAt, pageReader());
    const body = document.createElement('p');
    body.textContent = message.body;
    body.dir = 'auto'; // a message in another script reads in its own direction
    li.append(who, ' ', time, body);
    this.#log.append(li);
    this.#log.scrollTop = this.#log.scrollHeight;
  }
}
