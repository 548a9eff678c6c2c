/**
 * The call's buttons, device pickers and chat form, wired to the controller. Nothing here holds
 * state or decides anything: each control reads its input and calls one controller method; a
 * refusal is shown through the controller's `fail`.
 */
import type { DeviceChoice } from './devices';
import type { RoomController } from './room-controller';
import type { RoomView } from './room-view';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

export function bindControls(view: RoomView, room: RoomController): void {
  const fail = (error: unknown): void => room.fail(error);
  const click = (id: string, action: () => void | Promise<void>): void =>
    view.el(id).addEventListener('click', () => void Promise.resolve(action()).catch(fail));

  click('btn-mic', () => room.toggleMic());
  click('btn-camera', () => room.toggleCamera());
  click('btn-audio-only', () => room.setAudioOnly(!room.audioOnly, true));
  click('btn-degrade-audio', () => room.setAudioOnly(true, true));
  click('btn-degrade-keep', () => room.keepVideo());
  // Phone browsers cannot share a screen: show no button that can only fail there.
  if (typeof navigator.mediaDevices?.getDisplayMedia !== 'function') view.el('btn-screen').hidden = true;
  click('btn-screen', () => room.toggleScreen());
  click('btn-settings', () => {
    const settings = view.el('settings');
    settings.hidden = !settings.hidden;
    view.el('btn-settings').setAttribute('aria-expanded', String(!settings.hidden));
  });
  const pickers: Record<keyof DeviceChoice, string> = {
    mic: 'select-mic',
    camera: 'select-camera',
    speaker: 'select-speaker',
  };
  for (const [kind, id] of Object.entries(pickers) as [keyof DeviceChoice, string][]) {
    const select = view.el<HTMLSelectElement>(id);
    select.addEventListener('change', () => void room.chooseDevice(kind, select.value).catch(fail));
  }
  // A guest's page has no chat form (guests read the chat but do not write in it).
  view.maybe('chat-form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = view.el<HTMLInputElement>('chat-input');
    const text = input.value.trim();
    if (!text) return;
    room
      .sendChat(text)
      .then(() => {
        input.value = '';
      })
      .catch(fail);
  });
  click('btn-leave', () => room.leave());
  click('btn-leave-waiting', () => room.leave());
  // The host's buttons exist only on the host's page.
  view.maybe('btn-end')?.addEventListener('click', (event) => {
    const question = (event.currentTarget as HTMLElement).dataset.confirmText ?? t('controls.endConfirm');
    if (window.confirm(question)) room.endForEveryone();
  });
  view.maybe('btn-admit-all')?.addEventListener('click', () => room.admitAll());
  view.maybe('btn-remove-guest')?.addEventListener('click', () => room.decideRemoval(true));
  view.maybe('btn-keep-guest')?.addEventListener('click', () => room.decideRemoval(false));
}
