/**
 * The thread page, live: new messages appear without a reload, the sender sees "Read" when the
 * other side opens them, and retracted messages lose their body on screen too. Everything is built
 * with textContent (never innerHTML), so a message can never become markup. Without this script the
 * page still works: it is plain HTML with forms.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MessageView, ServerToClientEvents } from '../../server/protocol';
import { formatBytes } from '../../server/shared/file-size';
import { formatDateTime } from '../../server/shared/date-time-format';
import { pageReader } from './page-reader';
import { bundleStrings } from './strings';

const t = bundleStrings('messaging');

const root = document.getElementById('thread');
const list = document.getElementById('message-list');

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render(m: MessageView, selfId: string): HTMLLIElement {
  const mine = m.senderId === selfId;
  const item = el('li', mine ? 'message mine' : 'message');
  item.id = `m-${m.id}`;
  item.dataset.messageId = m.id;
  item.dataset.seq = String(m.seq);
  const meta = el('p', 'message-meta');
  meta.append(el('strong', undefined, mine ? t('you') : m.senderName));
  const time = el('time', undefined, formatDateTime(m.sentAt, pageReader()));
  time.dateTime = m.sentAt;
  meta.append(' ', time);
  if (mine) meta.append(' ', el('span', 'read-receipt', t('sent')));
  item.append(meta);
  if (m.body) {
    const body = el('p', 'message-body', m.body);
    body.dir = 'auto'; // a message in another script reads in its own direction
    item.append(body);
  }
  if (m.attachments.length > 0) {
    const files = el('ul', 'message-attachments');
    for (const a of m.attachments) {
      const li = el('li');
      const link = el('a', undefined, a.name);
      link.href = `/messages/attachments/${encodeURIComponent(a.id)}`;
      link.setAttribute('download', '');
      link.dir = 'auto';
      li.append(link, ' ', el('small', undefined, `(${formatBytes(a.sizeBytes, pageReader().locale)})`));
      files.append(li);
    }
    item.append(files);
  }
  return item;
}

function showRetracted(messageId: string): void {
  const item = document.getElementById(`m-${messageId}`);
  if (!item) return;
  for (const node of item.querySelectorAll(
    '.message-body, .message-attachments, .retract-form, .read-receipt',
  )) {
    node.remove();
  }
  const note = el('p', 'message-retracted');
  note.append(el('em', undefined, t('retracted')));
  item.append(note);
}

if (root && list) {
  const threadId = root.dataset.threadId ?? '';
  const selfId = root.dataset.selfId ?? '';
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    path: '/socket.io',
    transports: ['websocket'],
    reconnectionDelayMax: 5000,
  });
  // A refusal (say, the thread closed meanwhile) needs no reaction: the page's forms tell the truth.
  const ignore = (): void => undefined;
  const markRead = (): void => void socket.emit('message:mark-read', { threadId }, ignore);
  const showReadUpTo = (seq: number): void => {
    for (const item of list.querySelectorAll<HTMLElement>('li.message.mine')) {
      const receipt = item.querySelector('.read-receipt');
      if (receipt && Number(item.dataset.seq) <= seq) receipt.textContent = t('read');
    }
  };
  // (Re)subscribe on every connection, then catch up: mark what we read meanwhile, and show how far
  // the others read. Asked only once subscribed, so no read event falls between the two.
  socket.on('connect', () => {
    socket.emit('message:subscribe', {}, () => {
      socket.emit('message:mark-read', { threadId }, (answer) => {
        if (answer.ok) showReadUpTo(answer.data.othersRead);
      });
    });
  });
  socket.on('message:new', ({ message }) => {
    if (message.threadId !== threadId || document.getElementById(`m-${message.id}`)) return;
    document.getElementById('no-messages')?.remove();
    list.append(render(message, selfId));
    if (message.senderId !== selfId && document.visibilityState === 'visible') {
      markRead();
    }
  });
  socket.on('message:read', (e) => {
    if (e.threadId !== threadId || e.readerId === selfId) return;
    showReadUpTo(e.seq);
  });
  socket.on('message:retracted', (e) => {
    if (e.threadId === threadId) showRetracted(e.messageId);
  });
  // Messages that arrived while the tab was hidden are marked read when it is looked at again.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') markRead();
  });
}
