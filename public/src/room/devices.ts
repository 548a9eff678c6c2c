/** Microphone, camera and speaker choice, remembered for the next session on this browser. */
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

export async function getMic(deviceId: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      echoCancellation: true,
      noiseSuppression: true,
    },
  });
  return stream.getAudioTracks()[0] as MediaStreamTrack;
}

export async function getCamera(deviceId: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      width: { ideal: 960 },
      height: { ideal: 540 },
      frameRate: { ideal: 24, max: 30 },
    },
  });
  return stream.getVideoTracks()[0] as MediaStreamTrack;
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
  fill(selects.mic, 'audioinput', choice.mic, 'Microphone');
  fill(selects.camera, 'videoinput', choice.camera, 'Camera');
  fill(selects.speaker, 'audiooutput', choice.speaker, 'Speaker');
  if (!('setSinkId' in HTMLMediaElement.prototype)) selects.speaker.disabled = true;
}
