/**
 * The session room page. The server decides everything (waiting, admission, who sees what); this
 * page shows it: the calm waiting screen, the call with its controls, the host's waiting list, chat
 * and the connection-quality indicator.
 */
import type { AdmittedPayload, PeerView } from '../../protocol';
import { ChatPanel } from './room/chat-panel';
import { fillPickers, getCamera, getMic, loadChoice, saveChoice } from './room/devices';
import { MediaSession, type MediaStats, type RemoteTrack } from './room/media-session';
import { MeetingPanel } from './room/meeting';
import { DegradeWatch } from './room/degrade';
import { renderPeople, renderWaiting, softKnock } from './room/people';
import { ConnectionWatch } from './room/reconnect';
import { SignalError, Signaling } from './room/signaling';
import { Stage } from './room/stage';
import { showSafetyCheck } from './room/safety-panel';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T | null =>
  document.getElementById(id) as T | null;
const must = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = $<T>(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
};

function main(): void {
  const root = $('room');
  if (!root) return;
  const roomId = root.dataset.roomId as string;
  const selfId = root.dataset.selfId as string;
  const isHost = root.dataset.role === 'host';
  const panels = ['panel-connecting', 'panel-waiting', 'panel-call', 'panel-ended'].map((id) => must(id));
  const status = must('room-status');
  const stage = new Stage(must('stage'), must('audio-sinks'));
  const chat = new ChatPanel(must('chat-log'), selfId);
  const signal = new Signaling();
  const choice = loadChoice();
  let media: MediaSession | null = null;
  let peers: readonly PeerView[] = [];
  let waitingCount = 0;
  // Audio appointments start in audio-only mode (the person can turn video on).
  let audioOnly = root.dataset.audioOnly === 'true';
  let muted = false;
  let cameraOff = false;
  let finished = false;
  const names = new Map<string, string>();
  const consumerTile = new Map<string, { key: string; kind: 'audio' | 'video' }>();

  const announce = (text: string): void => {
    status.textContent = text;
  };
  const show = (id: string): void => {
    for (const p of panels) p.hidden = p.id !== id;
    const heading = must(id).querySelector<HTMLElement>('h1[tabindex]');
    heading?.focus();
  };
  const nameOf = (peerId: string): string => names.get(peerId) ?? 'Someone';
  const watch = new ConnectionWatch({
    banner: must('connection-banner'),
    socketUp: () => signal.socket.connected,
    restartIce: async (direction) => media?.restartIce(direction),
    rebuild: () => rebuildMedia(),
  });
  const degrade = new DegradeWatch({
    stats: async () => (media ? media.stats() : null),
    offer: must('degrade-offer'),
    notice: must('degrade-notice'),
    applyLayers: async () => media?.preferLayer(preferredLayer()),
    setMaxSendLayer: async (layer) => media?.setMaxSendLayer(layer),
    setAudioOnly: (on) => setAudioOnly(on, false),
    announce: (text) => announce(text),
  });
  degrade.start();
  // The layer that fits the tiles, capped while the connection is weak (see room/degrade.ts).
  const preferredLayer = (): number => Math.min(stage.preferredLayer, degrade.maxReceiveLayer);
  const fail = (error: unknown): void => {
    const message = error instanceof SignalError ? error.message : 'Something went wrong.';
    announce(message);
  };

  const peopleActions = {
    admit: (userId: string) => void signal.request('room:admit', { roomId, userId }).catch(fail),
    deny: (userId: string) => void signal.request('room:deny', { roomId, userId }).catch(fail),
    moveToWaiting: (userId: string) =>
      void signal.request('room:move-to-waiting', { roomId, userId }).catch(fail),
  };
  // A peer-support group meeting: hands, reports and the facilitator's controls (room/meeting.ts).
  const meetingUi =
    root.dataset.meeting === 'true'
      ? new MeetingPanel({
          signal,
          roomId,
          selfId,
          isHost,
          announce,
          fail,
          media: () => media,
          startMic: async () => {
            await media?.produce('mic', await getMic(choice.mic));
            if (muted) await media?.setPaused('mic', true);
          },
          startCamera: () => (cameraOff ? Promise.resolve() : startCamera()),
          removed: (blocked) =>
            finish(
              'You were removed from the meeting',
              blocked
                ? 'A facilitator blocked you from this group’s meetings.'
                : 'A facilitator removed you.',
            ),
        })
      : null;

  function setPeers(next: readonly PeerView[]): void {
    peers = next;
    for (const p of peers) names.set(p.userId, p.displayName);
    renderPeople(must('people-list'), peers, selfId, isHost, peopleActions);
    meetingUi?.setPeers(next);
    for (const p of peers)
      if (p.userId !== selfId && p.connected && !stage.keys().includes(p.userId))
        stage.setVideo(p.userId, p.displayName, null);
    for (const key of stage.keys()) {
      const peerId = key.split(':')[0] as string;
      if (peerId !== selfId && !peers.some((p) => p.userId === peerId && p.connected)) stage.remove(key);
    }
    void media?.preferLayer(preferredLayer());
  }

  function setWaiting(waiting: readonly PeerView[]): void {
    if (!isHost) return;
    for (const p of waiting) names.set(p.userId, p.displayName);
    renderWaiting(must('waiting-list'), must('waiting-empty'), must('btn-admit-all'), waiting, peopleActions);
    if (waiting.length > waitingCount) {
      softKnock();
      announce(`${waiting[waiting.length - 1]?.displayName ?? 'Someone'} is waiting to join.`);
    }
    waitingCount = waiting.length;
  }

  const mediaEvents = {
    onTrack(track: RemoteTrack) {
      const key = track.source === 'screen' ? `${track.peerId}:screen` : track.peerId;
      const label = track.source === 'screen' ? `${nameOf(track.peerId)}'s screen` : nameOf(track.peerId);
      consumerTile.set(track.consumerId, { key, kind: track.kind });
      if (track.kind === 'audio') stage.setAudio(track.consumerId, track.track, choice.speaker);
      else stage.setVideo(key, label, track.track);
    },
    onTransportState(direction: 'send' | 'recv', state: string) {
      watch.transportState(direction, state);
    },
    onTrackEnded(consumerId: string) {
      const entry = consumerTile.get(consumerId);
      consumerTile.delete(consumerId);
      if (!entry) return;
      if (entry.kind === 'audio') stage.removeAudio(consumerId);
      else if (entry.key.endsWith(':screen')) stage.remove(entry.key);
      else stage.setVideo(entry.key, nameOf(entry.key), null);
    },
  };

  async function startCamera(): Promise<void> {
    if (!media || audioOnly) return;
    const track = await getCamera(choice.camera);
    await media.produce('camera', track);
    stage.setVideo(selfId, 'You', track, true);
  }

  async function enterCall(payload: AdmittedPayload): Promise<void> {
    stopLocalTracks();
    media?.close();
    stage.clear();
    stage.firstRemoteFrameAt = null;
    show('panel-call');
    announce('You are in the session.');
    setPeers(payload.peers);
    for (const m of payload.chat) chat.add(m);
    meetingUi?.sawMessages(payload.chat);
    const session = new MediaSession(signal, roomId, mediaEvents);
    media = session;
    await session.start(payload.rtpCapabilities);
    if (audioOnly) {
      await signal.request('media:audio-only', { roomId, on: true }).catch(fail);
      toggle('btn-audio-only', true, 'Video on', 'Audio only');
      must<HTMLButtonElement>('btn-camera').disabled = true;
      must<HTMLButtonElement>('btn-screen').disabled = true;
    }
    stage.setVideo(selfId, 'You', null, true);
    // Receiving does not wait for our own camera and microphone: the others appear as soon as possible.
    const receiving = (async () => {
      for (const producer of payload.producers) {
        if (audioOnly && producer.kind === 'video') continue;
        await session.consume(producer).catch(fail);
      }
      await session.preferLayer(preferredLayer());
    })();
    const sending = (async () => {
      try {
        await session.produce('mic', await getMic(choice.mic));
        if (muted) await session.setPaused('mic', true);
      } catch {
        announce('Your microphone could not be started. Check the browser permission.');
      }
      try {
        await startCamera();
      } catch {
        announce('Your camera could not be started. Others will hear you.');
      }
      await fillPickers(
        { mic: must('select-mic'), camera: must('select-camera'), speaker: must('select-speaker') },
        choice,
      ).catch(() => {});
    })();
    await Promise.all([receiving, sending]);
  }

  function stopLocalTracks(): void {
    for (const source of ['mic', 'camera', 'screen'] as const) media?.producerTrack(source)?.stop();
  }

  /**
   * Builds the media again inside the same page (after `media:lost`, or when an ICE restart did
   * not bring the path back): same seat, new transports; our microphone and camera tracks carry
   * over when still live, and the others' tracks are consumed again.
   */
  async function rebuildMedia(): Promise<void> {
    const old = media;
    const keep = {
      mic: old?.producerTrack('mic') ?? null,
      camera: old?.producerTrack('camera') ?? null,
    };
    old?.producerTrack('screen')?.stop();
    if (old?.hasProducer('screen')) {
      stage.remove(`${selfId}:screen`);
      toggle('btn-screen', false, 'Stop sharing', 'Share screen');
    }
    old?.close();
    const session = new MediaSession(signal, roomId, mediaEvents);
    media = session;
    const fresh = await signal.request('media:rebuild', { roomId }).catch((error: unknown) => {
      session.close();
      throw error;
    });
    await session.start(fresh.rtpCapabilities);
    const live = (t: MediaStreamTrack | null): t is MediaStreamTrack => t?.readyState === 'live';
    const receiving = Promise.all(
      fresh.producers.map((p) => (audioOnly && p.kind === 'video' ? null : session.consume(p).catch(fail))),
    ).then(() => session.preferLayer(preferredLayer()));
    const sending = (async () => {
      await session.produce('mic', live(keep.mic) ? keep.mic : await getMic(choice.mic));
      if (muted) await session.setPaused('mic', true);
      if (audioOnly) return;
      const camera = live(keep.camera) ? keep.camera : await getCamera(choice.camera);
      await session.produce('camera', camera);
      if (cameraOff) await session.setPaused('camera', true);
      stage.setVideo(selfId, 'You', cameraOff ? null : camera, true);
      await session.setMaxSendLayer(degrade.maxReceiveLayer);
    })();
    await Promise.all([receiving, sending]);
  }

  function leaveCall(): void {
    stopLocalTracks();
    media?.close();
    media = null;
    stage.clear();
    stage.firstRemoteFrameAt = null;
    consumerTile.clear();
  }

  function finish(title: string, detail: string): void {
    finished = true;
    leaveCall();
    must('ended-heading').textContent = title;
    must('ended-detail').textContent = detail;
    show('panel-ended');
    signal.socket.disconnect();
  }

  async function join(): Promise<void> {
    try {
      const result = await signal.request('room:join', { roomId });
      setWaiting(result.waiting);
      if (result.state === 'admitted' && result.admitted) await enterCall(result.admitted);
      else {
        leaveCall();
        show('panel-waiting');
        announce('You are in the waiting room. Your therapist will let you in.');
      }
    } catch (error) {
      const code = error instanceof SignalError ? error.code : '';
      // The safety check is not confirmed for this session: the page itself sends the client to it.
      if (code === 'room.safety_check_required') window.location.reload();
      else if (code === 'room.closed') finish('The session has ended', 'This session is over.');
      else if (code === 'room.not_open') finish('Not open yet', (error as Error).message);
      else if (code === 'room.forbidden' || code === 'room.not_found' || code.startsWith('meeting.'))
        finish('You cannot join this session', (error as Error).message);
      else fail(error);
    }
  }

  signal.socket.on('connect', () => void join().finally(() => watch.settled()));
  signal.socket.on('connect_error', (error: Error) => {
    if (error.message === 'auth.required')
      finish('Please sign in again', 'Your sign-in has ended. Sign in and open the session again.');
    else announce('Reconnecting…');
  });
  signal.socket.on('disconnect', () => {
    if (finished) return;
    watch.socketDown();
    announce('Connection lost. Reconnecting…');
  });

  signal.on('room:admitted', (payload) => void enterCall(payload).catch(fail));
  signal.on('room:denied', () =>
    finish(
      'Not admitted',
      'Your therapist could not let you in right now. Please get in touch with the clinic.',
    ),
  );
  signal.on('room:moved-to-waiting', () => {
    leaveCall();
    show('panel-waiting');
    announce('Your therapist moved you back to the waiting room.');
  });
  signal.on('room:ended', () =>
    finish('The session has ended', 'Thank you for coming. You can close this page.'),
  );
  signal.on('room:replaced', () =>
    finish('Opened elsewhere', 'You joined this session from another window or device.'),
  );
  signal.on('media:lost', () => {
    if (media && !finished) watch.mediaLost();
  });
  signal.on('room:knock', ({ waiting }) => setWaiting(waiting));
  signal.on('room:safety-check', (notice) => showSafetyCheck(document, notice));
  signal.on('room:peers', ({ peers: next }) => setPeers(next));
  signal.on('media:new-producer', (producer) => {
    if (audioOnly && producer.kind === 'video') return;
    void media
      ?.consume(producer)
      .then(() => media?.preferLayer(preferredLayer()))
      .catch(fail);
  });
  signal.on('media:producer-closed', ({ producerId }) => media?.dropProducer(producerId));
  signal.on('media:consumer-closed', ({ consumerId }) => media?.dropConsumer(consumerId));
  signal.on('media:producer-paused', (p) => {
    if (p.source === 'mic') stage.setMuted(p.peerId, p.paused);
  });
  signal.on('media:active-speaker', ({ peerId }) => stage.setActiveSpeaker(peerId));
  signal.on('chat:message', (message) => {
    chat.add(message);
    if (message.senderId !== selfId) announce(`Message from ${message.senderName}`);
  });

  // Controls.
  const toggle = (id: string, pressed: boolean, on: string, off: string): void => {
    const b = must(id);
    b.setAttribute('aria-pressed', String(pressed));
    b.textContent = pressed ? on : off;
  };
  must('btn-mic').addEventListener('click', () => {
    muted = !muted;
    toggle('btn-mic', muted, 'Unmute', 'Mute');
    stage.setMuted(selfId, muted);
    void media?.setPaused('mic', muted).catch(fail);
    announce(muted ? 'Microphone muted' : 'Microphone on');
  });
  must('btn-camera').addEventListener('click', () => {
    if (audioOnly) return;
    cameraOff = !cameraOff;
    toggle('btn-camera', cameraOff, 'Camera on', 'Camera off');
    const track = media?.producerTrack('camera');
    stage.setVideo(selfId, 'You', cameraOff ? null : (track ?? null), true);
    void media?.setPaused('camera', cameraOff).catch(fail);
    announce(cameraOff ? 'Camera off' : 'Camera on');
  });
  /** Audio-only on or off; `byPerson` false when the connection watch decided it (room/degrade.ts). */
  async function setAudioOnly(next: boolean, byPerson: boolean): Promise<void> {
    if (byPerson) degrade.personChose(next);
    if (next === audioOnly) return;
    const { videoProducers } = await signal.request('media:audio-only', {
      roomId,
      on: next,
    });
    audioOnly = next;
    toggle('btn-audio-only', audioOnly, 'Video on', 'Audio only');
    must<HTMLButtonElement>('btn-camera').disabled = audioOnly;
    must<HTMLButtonElement>('btn-screen').disabled = audioOnly;
    if (audioOnly) {
      media?.producerTrack('camera')?.stop();
      media?.producerTrack('screen')?.stop();
      await media?.stopProducing('camera');
      await media?.stopProducing('screen');
      media?.dropVideo();
      stage.setVideo(selfId, 'You', null, true);
      announce('Audio only: no video is sent or received.');
    } else {
      if (!cameraOff) await startCamera().catch(fail);
      for (const p of videoProducers) await media?.consume(p).catch(fail);
      await media?.preferLayer(preferredLayer());
      announce('Video is back on.');
    }
  }
  must('btn-audio-only').addEventListener('click', () => void setAudioOnly(!audioOnly, true).catch(fail));
  must('btn-degrade-audio').addEventListener('click', () => void setAudioOnly(true, true).catch(fail));
  must('btn-degrade-keep').addEventListener('click', () => void degrade.keepVideo().catch(fail));
  // Phone browsers cannot share a screen: show no button that can only fail there.
  if (typeof navigator.mediaDevices?.getDisplayMedia !== 'function') must('btn-screen').hidden = true;
  must('btn-screen').addEventListener('click', () => {
    void (async () => {
      if (!media) return;
      if (media.hasProducer('screen')) {
        media.producerTrack('screen')?.stop();
        await media.stopProducing('screen');
        stage.remove(`${selfId}:screen`);
        toggle('btn-screen', false, 'Stop sharing', 'Share screen');
        return;
      }
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = stream.getVideoTracks()[0];
      if (!track) return;
      await media.produce('screen', track);
      stage.setVideo(`${selfId}:screen`, 'Your screen', track, true);
      toggle('btn-screen', true, 'Stop sharing', 'Share screen');
      track.addEventListener('ended', () => {
        stage.remove(`${selfId}:screen`);
        toggle('btn-screen', false, 'Stop sharing', 'Share screen');
        void media?.stopProducing('screen');
      });
    })().catch(fail);
  });
  must('btn-settings').addEventListener('click', () => {
    const settings = must('settings');
    settings.hidden = !settings.hidden;
    must('btn-settings').setAttribute('aria-expanded', String(!settings.hidden));
  });
  must<HTMLSelectElement>('select-mic').addEventListener('change', (e) => {
    choice.mic = (e.target as HTMLSelectElement).value;
    saveChoice(choice);
    void getMic(choice.mic)
      .then((t) => media?.replaceTrack('mic', t))
      .catch(fail);
  });
  must<HTMLSelectElement>('select-camera').addEventListener('change', (e) => {
    choice.camera = (e.target as HTMLSelectElement).value;
    saveChoice(choice);
    if (audioOnly || cameraOff) return;
    void getCamera(choice.camera)
      .then(async (t) => {
        media?.producerTrack('camera')?.stop();
        await media?.replaceTrack('camera', t);
        stage.setVideo(selfId, 'You', t, true);
      })
      .catch(fail);
  });
  must<HTMLSelectElement>('select-speaker').addEventListener('change', (e) => {
    choice.speaker = (e.target as HTMLSelectElement).value;
    saveChoice(choice);
    void stage.setSpeaker(choice.speaker);
  });
  must('chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = must<HTMLInputElement>('chat-input');
    const text = input.value.trim();
    if (!text) return;
    signal
      .request('chat:send', { roomId, text })
      .then((message) => {
        chat.add(message);
        input.value = '';
      })
      .catch(fail);
  });
  const leave = (): void => {
    void signal
      .request('room:leave', { roomId })
      .catch(() => {})
      .finally(() =>
        finish(
          'You left the session',
          'You can close this page, or open the session again from your appointments.',
        ),
      );
  };
  must('btn-leave').addEventListener('click', leave);
  must('btn-leave-waiting').addEventListener('click', leave);
  $('btn-end')?.addEventListener('click', (event) => {
    const question = (event.currentTarget as HTMLElement).dataset.confirmText ?? 'End the session?';
    if (!window.confirm(question)) return;
    void signal.request('room:end', { roomId }).catch(fail);
  });
  $('btn-admit-all')?.addEventListener(
    'click',
    () => void signal.request('room:admit-all', { roomId }).catch(fail),
  );

  // Connection quality: packet loss over the last interval and round-trip time.
  let last = { lost: 0, received: 0 };
  setInterval(() => {
    if (!media) return;
    void media.stats().then((s) => {
      const lost = s.packetsLost - last.lost;
      const received = s.packetsReceived - last.received;
      last = { lost: s.packetsLost, received: s.packetsReceived };
      const loss = received + lost > 0 ? lost / (received + lost) : 0;
      const rtt = s.roundTripMs ?? 0;
      const level = loss > 0.08 || rtt > 500 ? 'Poor' : loss > 0.02 || rtt > 250 ? 'Fair' : 'Good';
      const q = must('quality');
      q.textContent = `Connection: ${level}`;
      q.dataset.level = level.toLowerCase();
    });
  }, 2000);

  // Read-only counters for automated checks (the page's own media, nothing more).
  (window as unknown as { havenRoom: unknown }).havenRoom = {
    async stats(): Promise<
      MediaStats & {
        firstRemoteFrameAt: number | null;
        remoteVideoTiles: number;
        audioOnly: boolean;
        rebuilds: number;
        iceRestarts: number;
        reconnecting: boolean;
        quality: string;
      }
    > {
      const s = media ? await media.stats() : null;
      return {
        ...(s ?? {
          videoFramesDecoded: 0,
          audioPacketsReceived: 0,
          videoFramesSent: 0,
          audioPacketsSent: 0,
          packetsLost: 0,
          packetsReceived: 0,
          roundTripMs: null,
          availableOutgoingBitrate: null,
          inboundVideoTracks: 0,
          videoTracksDecoding: 0,
          audioTracksReceiving: 0,
        }),
        firstRemoteFrameAt: stage.firstRemoteFrameAt,
        remoteVideoTiles: stage.remoteVideoCount(),
        audioOnly,
        rebuilds: watch.rebuilds,
        iceRestarts: watch.iceRestarts,
        reconnecting: watch.reconnecting,
        quality: degrade.level,
      };
    },
  };
}

document.addEventListener('DOMContentLoaded', main);
