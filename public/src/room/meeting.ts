/**
 * The group-meeting part of the room page: raise a hand, report a person or a message to the
 * facilitator, and, for facilitators, each member's controls (mute, camera off, remove, block) and
 * the reports as they arrive. The server enforces all of it; this only shows it and asks.
 * People are named by public id and group name: the page never learns anyone's user id.
 */
import type { ChatMessage, GroupReport, MeetingFlags, PeerView } from '../../../server/protocol';
import type { MediaSession } from './media-session';
import type { Signaling } from './signaling';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

export interface MeetingHooks {
  readonly signal: Signaling;
  readonly roomId: string;
  readonly selfId: string;
  readonly isHost: boolean;
  announce(text: string): void;
  fail(error: unknown): void;
  media(): MediaSession | null;
  /** Start sending the microphone / camera again (after a facilitator undid a mute / camera-off). */
  startMic(): Promise<void>;
  startCamera(): Promise<void>;
  /** Removed or blocked by a facilitator: the page ends. */
  removed(blocked: boolean): void;
}

const byId = <T extends HTMLElement>(id: string): T | null => document.getElementById(id) as T | null;

function button(
  text: string,
  label: string,
  onClick: () => void,
  className = 'secondary outline',
): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

export class MeetingPanel {
  readonly #h: MeetingHooks;
  #peers: PeerView[] = [];
  readonly #messages = new Map<string, ChatMessage>();
  #hand = false;
  #flags: MeetingFlags = { handRaised: false, muted: false, cameraOff: false };

  constructor(hooks: MeetingHooks) {
    this.#h = hooks;
    const { signal } = hooks;
    signal.on('meeting:moderated', (flags) => void this.#moderated(flags).catch(hooks.fail));
    signal.on('meeting:removed', ({ blocked }) => hooks.removed(blocked));
    signal.on('meeting:report', (report) => this.#report(report));
    signal.on('chat:message', (m) => this.sawMessages([m]));
    byId('btn-hand')?.addEventListener('click', () => {
      const raised = !this.#hand;
      void this.#ask(signal.request('meeting:raise-hand', { roomId: hooks.roomId, raised })).then(() => {
        this.#hand = raised;
        const b = byId('btn-hand');
        b?.setAttribute('aria-pressed', String(raised));
        if (b) b.textContent = raised ? t('meeting.lowerHand') : t('meeting.raiseHand');
        hooks.announce(raised ? t('meeting.handRaised') : t('meeting.handLowered'));
      });
    });
    byId('report-form')?.addEventListener('submit', (event) => {
      event.preventDefault();
      const about = byId<HTMLSelectElement>('report-about')?.value ?? '';
      const reason = byId<HTMLInputElement>('report-reason');
      const [kind, id] = about.split(':');
      if (!id || !reason) return;
      void this.#ask(
        signal.request('meeting:report', {
          roomId: hooks.roomId,
          ...(kind === 'peer' ? { peerId: id } : { messageId: id }),
          reason: reason.value,
        }),
      ).then(() => {
        reason.value = '';
        hooks.announce(t('meeting.reportSent'));
      });
    });
  }

  /** Whether a facilitator has muted this person / turned their camera off (the buttons follow). */
  get flags(): MeetingFlags {
    return this.#flags;
  }

  setPeers(peers: readonly PeerView[]): void {
    this.#peers = [...peers];
    if (this.#h.isHost) this.#renderMembers();
    else this.#renderReportChoices();
  }

  sawMessages(messages: readonly ChatMessage[]): void {
    for (const m of messages) if (m.senderId !== this.#h.selfId) this.#messages.set(m.id, m);
    if (!this.#h.isHost) this.#renderReportChoices();
  }

  /** A request whose refusal is shown (and still rejects, so the caller skips its follow-up). */
  #ask<T>(request: Promise<T>): Promise<T> {
    return request.catch((error: unknown) => {
      this.#h.fail(error);
      throw error;
    });
  }

  async #moderated(flags: MeetingFlags): Promise<void> {
    const was = this.#flags;
    this.#flags = flags;
    const mic = byId<HTMLButtonElement>('btn-mic');
    const camera = byId<HTMLButtonElement>('btn-camera');
    if (mic) mic.disabled = flags.muted;
    if (camera) camera.disabled = flags.cameraOff;
    const media = this.#h.media();
    if (flags.muted && !was.muted) {
      // The server already closed the track for everyone; stop the microphone here too.
      media?.producerTrack('mic')?.stop();
      await media?.stopProducing('mic');
      this.#h.announce('A facilitator muted you.');
    } else if (!flags.muted && was.muted) {
      await this.#h.startMic();
      this.#h.announce('A facilitator unmuted you.');
    }
    if (flags.cameraOff && !was.cameraOff) {
      media?.producerTrack('camera')?.stop();
      await media?.stopProducing('camera');
      media?.producerTrack('screen')?.stop();
      await media?.stopProducing('screen');
      this.#h.announce('A facilitator turned your camera off.');
    } else if (!flags.cameraOff && was.cameraOff) {
      await this.#h.startCamera();
      this.#h.announce('A facilitator allowed your camera again.');
    }
  }

  #renderMembers(): void {
    const list = byId('meeting-members');
    if (!list) return;
    const members = this.#peers.filter((p) => p.role !== 'host');
    list.replaceChildren(
      ...members.map((p) => {
        const li = document.createElement('li');
        li.dataset.peerId = p.userId;
        const f = p.meeting ?? { handRaised: false, muted: false, cameraOff: false };
        const name = document.createElement('span');
        name.textContent = `${f.handRaised ? '✋ ' : ''}${p.displayName}${f.handRaised ? ' (hand raised)' : ''}`;
        const set = (event: 'meeting:mute' | 'meeting:camera-off', on: boolean) => () =>
          void this.#ask(
            this.#h.signal.request(event, { roomId: this.#h.roomId, peerId: p.userId, on }),
          ).catch(() => {});
        const remove = (block: boolean) => () => {
          const question = block
            ? t('meeting.blockConfirm', { name: p.displayName })
            : t('meeting.removeConfirm', { name: p.displayName });
          if (window.confirm(question))
            void this.#ask(
              this.#h.signal.request('meeting:remove', { roomId: this.#h.roomId, peerId: p.userId, block }),
            ).catch(() => {});
        };
        li.append(
          name,
          ' ',
          button(
            f.muted ? t('meeting.unmute') : t('controls.mute'),
            f.muted
              ? t('meeting.unmuteWho', { name: p.displayName })
              : t('meeting.muteWho', { name: p.displayName }),
            set('meeting:mute', !f.muted),
          ),
          ' ',
          button(
            f.cameraOff ? t('meeting.allowCamera') : t('controls.cameraOff'),
            f.cameraOff
              ? t('meeting.allowCameraWho', { name: p.displayName })
              : t('meeting.cameraOffWho', { name: p.displayName }),
            set('meeting:camera-off', !f.cameraOff),
          ),
          ' ',
          button(t('meeting.remove'), t('meeting.removeWho', { name: p.displayName }), remove(false)),
          ' ',
          button(
            t('meeting.block'),
            t('meeting.blockWho', { name: p.displayName }),
            remove(true),
            'contrast outline',
          ),
        );
        return li;
      }),
    );
  }

  #renderReportChoices(): void {
    const select = byId<HTMLSelectElement>('report-about');
    if (!select) return;
    const current = select.value;
    const options = [new Option(t('meeting.choose'), '')];
    for (const p of this.#peers) {
      if (p.userId !== this.#h.selfId && p.role !== 'host')
        options.push(new Option(p.displayName, `peer:${p.userId}`));
    }
    for (const m of [...this.#messages.values()].slice(-20)) {
      const text = m.body.length > 40 ? `${m.body.slice(0, 40)}…` : m.body;
      options.push(new Option(t('meeting.messageFrom', { name: m.senderName, text }), `message:${m.id}`));
    }
    select.replaceChildren(...options);
    select.value = options.some((o) => o.value === current) ? current : '';
  }

  #report(report: GroupReport): void {
    const list = byId('meeting-reports');
    if (!list) return;
    const empty = byId('meeting-reports-empty');
    if (empty) empty.hidden = true;
    const li = document.createElement('li');
    const message = report.messageId ? this.#messages.get(report.messageId) : undefined;
    const about =
      report.about ?? (message ? `a message from ${message.senderName}: “${message.body}”` : 'a message');
    li.textContent = `${report.reporter} reported ${about}: ${report.reason}`;
    list.prepend(li);
    this.#h.announce(t('meeting.newReport', { name: report.reporter }));
  }
}
