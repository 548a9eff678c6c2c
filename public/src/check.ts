/**
 * The pre-call check page: camera and microphone preview with a live level meter, a test sound,
 * device pickers (remembered for sessions, like the room's own), and the network test that tries
 * the clinic's media server directly and through its relay, then says plainly what works.
 */
import { LevelMeter } from './check/level-meter';
import { ProbeError, runProbe, type ProbeOutcome } from './check/network-probe';
import { playTone } from './check/tone';
import { backgroundEffects } from './media/background-effect';
import { bindBackgroundPickers } from './media/background-picker';
import { pageReader } from './page-reader';
import { getCamera, getMic, loadChoice, saveChoice } from './room/devices';
import { bundleStrings } from './strings';

const t = bundleStrings('check');

const must = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id) as T | null;
  if (!el) throw new Error(`#${id} missing`);
  return el;
};

interface NetworkReport {
  direct: ProbeOutcome | null;
  relay: ProbeOutcome | null;
  summary: string;
}

function main(): void {
  const root = document.getElementById('check');
  if (!root) return;
  const csrf = root.dataset.csrf as string;
  const relayConfigured = root.dataset.relay === 'true';
  const relayOnly = root.dataset.sessionPolicy === 'relay';
  const choice = loadChoice();
  let audio: AudioContext | null = null;
  let meter: LevelMeter | null = null;
  let camera: MediaStreamTrack | null = null;
  let mic: MediaStreamTrack | null = null;
  let network: NetworkReport | null = null;
  const video = must<HTMLVideoElement>('check-video');
  const numbers = new Intl.NumberFormat(pageReader().locale);
  const devicesStatus = must('devices-status');

  // Created inside a click, so the browser lets it make sound.
  const audioContext = (): AudioContext => {
    audio ??= new AudioContext();
    void audio.resume();
    return audio;
  };

  async function startDevices(): Promise<void> {
    const ctx = audioContext();
    camera?.stop();
    mic?.stop();
    const problems: string[] = [];
    camera = await getCamera(choice.camera).catch(() => {
      problems.push(t('devices.cameraFailed'));
      return null;
    });
    mic = await getMic(choice.mic).catch(() => {
      problems.push(t('devices.micFailed'));
      return null;
    });
    must('preview').hidden = false;
    video.srcObject = camera ? new MediaStream([camera]) : null;
    meter ??= new LevelMeter(ctx, must<HTMLMeterElement>('mic-level'));
    if (mic) meter.attach(new MediaStream([mic]));
    else meter.detach();
    devicesStatus.textContent = problems.join(' ') || t('devices.working');
    await fillPickers();
  }

  /** A picker only appears when there is a choice to make (more than one device of that kind). */
  async function fillPickers(): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    // A device the browser names no label for is numbered in the page's language ("Camera 2").
    const kinds: [string, MediaDeviceKind, keyof typeof choice, string][] = [
      ['pick-camera', 'videoinput', 'camera', 'unnamed.camera'],
      ['pick-mic', 'audioinput', 'mic', 'unnamed.microphone'],
      ['pick-speaker', 'audiooutput', 'speaker', 'unnamed.speaker'],
    ];
    const current = { camera: camera?.getSettings().deviceId, mic: mic?.getSettings().deviceId };
    for (const [id, kind, key, fallback] of kinds) {
      const select = must<HTMLSelectElement>(id);
      const list = devices.filter((d) => d.kind === kind && d.deviceId !== '');
      select.replaceChildren(
        ...list.map((d, i) => {
          const option = document.createElement('option');
          option.value = d.deviceId;
          option.textContent = d.label || t(fallback, { n: numbers.format(i + 1) });
          option.selected = d.deviceId === (choice[key] || current[key as 'camera' | 'mic']);
          return option;
        }),
      );
      (select.parentElement as HTMLElement).hidden = list.length < 2;
    }
  }

  // The preview shows the camera through the chosen background effect (room/devices.ts), as sent.
  bindBackgroundPickers();
  must('btn-devices').addEventListener('click', () => void startDevices());
  for (const [id, key] of [
    ['pick-camera', 'camera'],
    ['pick-mic', 'mic'],
  ] as const) {
    must<HTMLSelectElement>(id).addEventListener('change', (e) => {
      choice[key] = (e.target as HTMLSelectElement).value;
      saveChoice(choice);
      void startDevices();
    });
  }
  must<HTMLSelectElement>('pick-speaker').addEventListener('change', (e) => {
    choice.speaker = (e.target as HTMLSelectElement).value;
    saveChoice(choice);
  });

  must('btn-tone').addEventListener('click', () => {
    const button = must<HTMLButtonElement>('btn-tone');
    const status = must('tone-status');
    button.disabled = true;
    status.textContent = t('tone.playing');
    void playTone(audioContext(), choice.speaker)
      .then(() => {
        status.textContent = t('tone.played');
      })
      .catch(() => {
        status.textContent = t('tone.failed');
      })
      .finally(() => {
        button.disabled = false;
      });
  });

  const show = (id: string, state: 'running' | 'ok' | 'failed' | 'idle', text: string): void => {
    const li = must(id);
    li.dataset.state = state;
    (li.querySelector('span') as HTMLElement).textContent = text;
  };

  async function probe(mode: 'direct' | 'relay', id: string): Promise<ProbeOutcome | null> {
    show(id, 'running', t('probe.testing'));
    try {
      const result = await runProbe(csrf, mode, audioContext());
      show(
        id,
        result.ok ? 'ok' : 'failed',
        result.ok
          ? result.protocol
            ? t('probe.worksOver', { protocol: result.protocol.toUpperCase(), ms: numbers.format(result.ms) })
            : t('probe.works')
          : t('probe.doesNotWork', { problem: result.problem ?? '' }),
      );
      return result;
    } catch (error) {
      const message = error instanceof ProbeError ? error.message : t('probe.couldNotRun');
      show(id, 'failed', t('probe.couldNotTest', { message }));
      if (error instanceof ProbeError && error.code === 'check.too_many') throw error;
      return null;
    }
  }

  function verdict(direct: ProbeOutcome | null, relay: ProbeOutcome | null): string {
    const advice = t('verdict.advice');
    if (relayOnly) return relay?.ok ? t('verdict.relayOnlyWorks') : t('verdict.relayOnlyFails', { advice });
    if (direct?.ok) return direct.protocol === 'tcp' ? t('verdict.directTcpOnly') : t('verdict.direct');
    if (relay?.ok) return t('verdict.relay');
    if (!relayConfigured) return t('verdict.neitherNoRelay', { advice });
    return t('verdict.neither', { advice });
  }

  must('btn-network').addEventListener('click', () => {
    const button = must<HTMLButtonElement>('btn-network');
    const summary = must('net-summary');
    button.disabled = true;
    summary.textContent = t('verdict.testing');
    void (async () => {
      try {
        const direct = await probe('direct', 'net-direct');
        const relay = relayConfigured ? await probe('relay', 'net-relay') : null;
        network = { direct, relay, summary: verdict(direct, relay) };
        summary.textContent = network.summary;
      } catch (error) {
        summary.textContent = (error as Error).message;
      } finally {
        button.disabled = false;
      }
    })();
  });

  // Read-only state for automated checks (this page's own preview and results, nothing more).
  (window as unknown as { havenCheck: unknown }).havenCheck = {
    state: () => ({
      videoPlaying: !video.paused && video.readyState >= 2 && video.videoWidth > 0,
      videoTime: video.currentTime,
      micLevel: must<HTMLMeterElement>('mic-level').value,
      micPeak: meter?.peak ?? 0,
      network,
      background: backgroundEffects.state,
    }),
  };
}

document.addEventListener('DOMContentLoaded', main);
