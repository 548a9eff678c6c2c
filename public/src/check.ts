/**
 * The pre-call check page: camera and microphone preview with a live level meter, a test sound,
 * device pickers (remembered for sessions, like the room's own), and the network test that tries
 * the clinic's media server directly and through its relay, then says plainly what works.
 */
import { LevelMeter } from './check/level-meter';
import { ProbeError, runProbe, type ProbeOutcome } from './check/network-probe';
import { playTone } from './check/tone';
import { getCamera, getMic, loadChoice, saveChoice } from './room/devices';

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
      problems.push(
        'Your camera could not be started: check that no other app uses it and that this site may use it.',
      );
      return null;
    });
    mic = await getMic(choice.mic).catch(() => {
      problems.push('Your microphone could not be started: check the browser permission for this site.');
      return null;
    });
    must('preview').hidden = false;
    video.srcObject = camera ? new MediaStream([camera]) : null;
    meter ??= new LevelMeter(ctx, must<HTMLMeterElement>('mic-level'));
    if (mic) meter.attach(new MediaStream([mic]));
    else meter.detach();
    devicesStatus.textContent =
      problems.join(' ') ||
      'You should see yourself, and the bar should move when you speak. Others will see and hear you like this.';
    await fillPickers();
  }

  /** A picker only appears when there is a choice to make (more than one device of that kind). */
  async function fillPickers(): Promise<void> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const kinds: [string, MediaDeviceKind, keyof typeof choice, string][] = [
      ['pick-camera', 'videoinput', 'camera', 'Camera'],
      ['pick-mic', 'audioinput', 'mic', 'Microphone'],
      ['pick-speaker', 'audiooutput', 'speaker', 'Speaker'],
    ];
    const current = { camera: camera?.getSettings().deviceId, mic: mic?.getSettings().deviceId };
    for (const [id, kind, key, fallback] of kinds) {
      const select = must<HTMLSelectElement>(id);
      const list = devices.filter((d) => d.kind === kind && d.deviceId !== '');
      select.replaceChildren(
        ...list.map((d, i) => {
          const option = document.createElement('option');
          option.value = d.deviceId;
          option.textContent = d.label || `${fallback} ${i + 1}`;
          option.selected = d.deviceId === (choice[key] || current[key as 'camera' | 'mic']);
          return option;
        }),
      );
      (select.parentElement as HTMLElement).hidden = list.length < 2;
    }
  }

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
    status.textContent = 'Playing a tone…';
    void playTone(audioContext(), choice.speaker)
      .then(() => {
        status.textContent = 'Did you hear it? If not, turn up the volume or choose another speaker.';
      })
      .catch(() => {
        status.textContent = 'This browser could not play the tone.';
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
    show(id, 'running', 'testing…');
    try {
      const result = await runProbe(csrf, mode, audioContext());
      const how = result.protocol ? ` (${result.protocol.toUpperCase()}, ${result.ms} ms)` : '';
      show(id, result.ok ? 'ok' : 'failed', result.ok ? `works${how}` : `does not work: ${result.problem}`);
      return result;
    } catch (error) {
      const message = error instanceof ProbeError ? error.message : 'the test could not run.';
      show(id, 'failed', `could not be tested: ${message}`);
      if (error instanceof ProbeError && error.code === 'check.too_many') throw error;
      return null;
    }
  }

  function verdict(direct: ProbeOutcome | null, relay: ProbeOutcome | null): string {
    const advice =
      'Try another network (for example your phone’s mobile data instead of a workplace Wi-Fi), switch off any VPN, or ask your network administrator to allow video calls to this clinic; then test again.';
    if (relayOnly) {
      return relay?.ok
        ? 'This clinic sends all session media through its relay server, and that works from your network.'
        : `The clinic’s relay server cannot be reached from your network, and sessions here always use it. ${advice}`;
    }
    if (direct?.ok) {
      const tcpOnly =
        direct.protocol === 'tcp'
          ? ' (over TCP only: your network blocks UDP, so video may be less smooth)'
          : '';
      return `Direct connection works${tcpOnly}. Your sessions will connect straight to the clinic’s server.`;
    }
    if (relay?.ok)
      return 'Your network blocks direct media; we will relay through the clinic’s server. Your sessions will work.';
    if (!relayConfigured)
      return `Neither works: direct media is blocked, and this clinic has no relay server. ${advice}`;
    return `Neither works: your network blocks direct media and the clinic’s relay server. ${advice}`;
  }

  must('btn-network').addEventListener('click', () => {
    const button = must<HTMLButtonElement>('btn-network');
    const summary = must('net-summary');
    button.disabled = true;
    summary.textContent = 'Testing your connection…';
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
    }),
  };
}

document.addEventListener('DOMContentLoaded', main);
