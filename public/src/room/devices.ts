/**
 * Microphone, camera and speaker choice, remembered for the next session on this browser. Every
 * camera track handed out here goes through the page's background effect (media/background-effect.ts).
 */
import { backgroundEffects } from '../media/background-effect';
import { bundleStrings } from '../strings';

const t = bundleStrings('room');

export interface DeviceChoice {
  mic: string;
  camera: string;
  speaker: string;
}

const STORAGE_KEY = 'haven.devices';

export function loadChoice(): DeviceChoice {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<DeviceChoice>;
    return { mic: saved.mic ?? '', camera: saved.camera ?? '', speaker: saved.speaker ?? '' };
  } catch {
    return { mic: '', camera: '', speaker: '' };
  }
}

export function saveChoice(choice: DeviceChoice): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // Private browsing: the choice just is not remembered.
  }
}

const micConstraints = (deviceId: string): MediaTrackConstraints => ({
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  echoCancellation: true,
  noiseSuppression: true,
});

const cameraConstraints = (deviceId: string): MediaTrackConstraints => ({
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  width: { ideal: 960 },
  height: { ideal: 540 },
  frameRate: { ideal: 24, max: 30 },
});

export async function getMic(deviceId: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: micConstraints(deviceId) });
  return stream.getAudioTracks()[0] as MediaStreamTrack;
}

export async function getCamera(deviceId: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: cameraConstraints(deviceId) });
  return backgroundEffects.process(stream.getVideoTracks()[0] as MediaStreamTrack);
}

/** Fills the three pickers; labels are only known once permission has been given. */
export async function fillPickers(
  selects: { mic: HTMLSelectElement; camera: HTMLSelectElement; speaker: HTMLSelectElement },
  choice: DeviceChoice,
): Promise<void> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const fill = (select: HTMLSelectElement, kind: MediaDeviceKind, chosen: string, fallback: string): void => {
    select.replaceChildren();
    const list = devices.filter((d) => d.kind === kind);
    list.forEach((d, i) => {
      const option = document.createElement('option');
      option.value = d.deviceId;
      option.textContent = d.label || `${fallback} ${i + 1}`;
      option.selected = d.deviceId === chosen;
      select.append(option);
    });
    select.disabled = list.length === 0;
  };
  fill(selects.mic, 'audioinput', choice.mic, t('devices.microphone'));
  fill(selects.camera, 'videoinput', choice.camera, t('devices.camera'));
  fill(selects.speaker, 'audiooutput', choice.speaker, t('devices.speaker'));
  if (!('setSinkId' in HTMLMediaElement.prototype)) selects.speaker.disabled = true;
}

/**
 * Microphone and (unless `audioOnly`) camera in one permission prompt and one capture start; if the
 * pair cannot be had (no camera, one refused), each is tried alone. Null for whatever is unavailable.
 */
export async function getMicAndCamera(
  choice: DeviceChoice,
  audioOnly: boolean,
): Promise<{ mic: MediaStreamTrack | null; camera: MediaStreamTrack | null }> {
  if (!audioOnly) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: micConstraints(choice.mic),
        video: cameraConstraints(choice.camera),
      });
      const camera = stream.getVideoTracks()[0];
      return {
        mic: stream.getAudioTracks()[0] ?? null,
        camera: camera ? backgroundEffects.process(camera) : null,
      };
    } catch {
      // One of the two is missing or refused: the other may still work.
    }
  }
  const [mic, camera] = await Promise.all([
    getMic(choice.mic).catch(() => null),
    audioOnly ? Promise.resolve(null) : getCamera(choice.camera).catch(() => null),
  ]);
  return { mic, camera };
}
