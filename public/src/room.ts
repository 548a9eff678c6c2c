/**
 * The session room page's entry: reads what the page was rendered with, builds the view, the
 * signalling and the controller (room/room-controller.ts), wires the controls and starts.
 */
import { backgroundEffects, type EffectState } from './media/background-effect';
import { bindBackgroundPickers } from './media/background-picker';
import { bindControls } from './room/room-controls';
import { RoomController, type RoomStats } from './room/room-controller';
import { RoomView } from './room/room-view';
import { Signaling } from './room/signaling';

function main(): void {
  const root = document.getElementById('room');
  if (!root) return;
  const data = root.dataset;
  const view = new RoomView(document);
  const room = new RoomController(
    {
      roomId: data.roomId ?? '',
      selfId: data.selfId ?? '',
      isHost: data.role === 'host',
      isClient: data.role === 'client',
      isMeeting: data.meeting === 'true',
      audioOnly: data.audioOnly === 'true',
    },
    view,
    new Signaling(data.signalPath),
  );
  bindControls(view, room);
  // The background effect applies to every camera track the room captures (room/devices.ts).
  bindBackgroundPickers();
  room.start();
  // Read-only counters for automated checks (the page's own media, nothing more).
  (window as unknown as { havenRoom: { stats(): Promise<RoomStats>; background(): EffectState } }).havenRoom =
    {
      stats: () => room.stats(),
      background: () => backgroundEffects.state,
    };
}

document.addEventListener('DOMContentLoaded', main);
