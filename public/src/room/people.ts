/** The host's waiting list and everyone's "in the session" list, as accessible lists of buttons. */
import type { PeerView } from '../../../server/protocol';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

export interface PeopleActions {
  admit(userId: string): void;
  deny(userId: string): void;
  moveToWaiting(userId: string): void;
  /** The therapist removes an invited guest (their link stops working). */
  removeGuest(userId: string): void;
  /** A client asks the therapist to remove a guest. */
  askRemoval(userId: string): void;
  /** The therapist pins (or unpins) a tile, e.g. the interpreter's, to the top of the stage. */
  pin(userId: string): void;
}

/** A guest's role in the page's language: "interpreter (Spanish)", "family member". */
function guestRole(guest: NonNullable<PeerView['guest']>): string {
  const role = t(`guest.roles.${guest.role}`);
  return guest.language ? t('guest.roleWithLanguage', { role, language: guest.language }) : role;
}

/** How a person is named on lists and tiles: "Ana Ruiz · interpreter (Spanish)" for a guest. */
export function personLabel(p: Pick<PeerView, 'displayName' | 'guest'>): string {
  return p.guest ? t('guest.tile', { name: p.displayName, role: guestRole(p.guest) }) : p.displayName;
}

function button(text: string, label: string, onClick: () => void, className = ''): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

export function renderWaiting(
  list: HTMLElement,
  empty: HTMLElement,
  admitAll: HTMLElement,
  waiting: readonly PeerView[],
  actions: PeopleActions,
): void {
  list.replaceChildren(
    ...waiting.map((p) => {
      const li = document.createElement('li');
      li.dataset.userId = p.userId;
      const name = document.createElement('span');
      name.textContent = personLabel(p);
      li.append(
        name,
        ' ',
        button(
          t('people.admit'),
          t('people.admitWho', { name: p.displayName }),
          () => actions.admit(p.userId),
          'admit',
        ),
        ' ',
        button(
          t('people.deny'),
          t('people.denyWho', { name: p.displayName }),
          () => actions.deny(p.userId),
          'secondary outline',
        ),
      );
      return li;
    }),
  );
  empty.hidden = waiting.length > 0;
  admitAll.hidden = waiting.length < 2;
}

export function renderPeople(
  list: HTMLElement,
  peers: readonly PeerView[],
  selfId: string,
  viewer: { isHost: boolean; isClient: boolean; pinned: string | null },
  actions: PeopleActions,
): void {
  const { isHost } = viewer;
  list.replaceChildren(
    ...peers.map((p) => {
      const li = document.createElement('li');
      const you = p.userId === selfId ? t('people.you') : '';
      const notes = [
        p.role === 'host' ? hostWord() : '',
        p.guest ? t('guest.note', { role: guestRole(p.guest) }) : '',
        p.guest?.removalAsked ? t('guest.removalAsked') : '',
        p.audioOnly ? t('people.audioOnly') : '',
        p.connected ? '' : t('people.reconnecting'),
      ].filter(Boolean);
      li.textContent = notes.length
        ? t('people.withNotes', { name: p.displayName + you, notes: notes.join(t('people.separator')) })
        : p.displayName + you;
      li.dataset.userId = p.userId;
      if (p.guest && p.userId !== selfId) {
        if (isHost) {
          const pinned = viewer.pinned === p.userId;
          li.append(
            ' ',
            button(
              t(pinned ? 'guest.unpin' : 'guest.pin'),
              t(pinned ? 'guest.unpinWho' : 'guest.pinWho', { name: p.displayName }),
              () => actions.pin(p.userId),
            ),
            ' ',
            button(
              t('guest.remove'),
              t('guest.removeWho', { name: p.displayName }),
              () => actions.removeGuest(p.userId),
              'secondary outline',
            ),
          );
        } else if (viewer.isClient && !p.guest.removalAsked) {
          li.append(
            ' ',
            button(
              t('guest.askRemove'),
              t('guest.askRemoveWho', { name: p.displayName }),
              () => actions.askRemoval(p.userId),
              'secondary outline',
            ),
          );
        }
      }
      if (isHost && p.role !== 'host') {
        li.append(
          ' ',
          button(
            // The visible words are part of the spoken name (WCAG 2.5.3, label in name).
            t('people.backToWaiting'),
            t('people.backToWaitingWho', { name: p.displayName }),
            () => actions.moveToWaiting(p.userId),
            'secondary outline',
          ),
        );
      }
      return li;
    }),
  );
}

/** What a host is called: the facilitator of a group meeting, else the therapist. */
function hostWord(): string {
  return document.getElementById('room')?.dataset.meeting === 'true'
    ? t('people.facilitator')
    : t('people.therapist');
}

/** A soft two-note knock so the therapist notices someone arriving without being startled. */
export function softKnock(): void {
  try {
    const ctx = new AudioContext();
    const gain = ctx.createGain();
    gain.gain.value = 0.06;
    gain.connect(ctx.destination);
    [0, 0.18].forEach((at, i) => {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = i === 0 ? 660 : 520;
      osc.connect(gain);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.14);
    });
    setTimeout(() => void ctx.close(), 800);
  } catch {
    // No audio output: the on-screen list and the screen-reader announcement still say it.
  }
}
